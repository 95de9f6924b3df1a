/**
 * What a KinesisStreamAsSource delivery stream needs of Kinesis Data Streams: a stream's shards
 * (with their lineage and, once closed, their end) and a shard's records by log offset, already
 * opened (records of an encrypted stream come back decrypted). The composition root implements it
 * over the streams service and its LogStore; Firehose knows nothing else of Streams.
 */

export interface SourceShard {
  readonly index: number;
  readonly shardId: string;
  readonly parentIndexes: readonly number[];
  /** Set once the shard is closed by resharding: a reader at this offset has read it all. */
  readonly endOffset?: number;
}

export interface SourceStream {
  /** Random per creation: a re-created stream of the same ARN is another stream. */
  readonly streamId: string;
  readonly shards: readonly SourceShard[];
}

export interface SourceRecord {
  readonly offset: number;
  readonly timestampMs: number;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  readonly data: Buffer;
}

export interface StreamReader {
  /** The stream an ARN names, if it exists and takes reads (ACTIVE or UPDATING). */
  describe(streamArn: string): Promise<SourceStream | undefined>;
  /**
   * Records of a shard from `fromOffset` on (an offset before retention reads from the oldest
   * kept). `nextOffset` is where the next read starts.
   */
  read(
    streamArn: string,
    streamId: string,
    shardIndex: number,
    fromOffset: number,
    options: { readonly maxRecords: number; readonly maxBytes: number },
  ): Promise<{ readonly records: readonly SourceRecord[]; readonly nextOffset: number }>;
}

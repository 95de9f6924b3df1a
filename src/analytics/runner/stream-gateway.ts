/**
 * How analytics reads and writes Tributary streams: the consumer side of the Streams service,
 * by stream ARN, the way any Kinesis client sees it (shards with their parents, iterators,
 * records with sequence numbers and arrival times). The server implements it over the Streams
 * actions; analytics never reaches into the Streams service's insides.
 */

export interface GatewayShard {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly adjacentParentShardId?: string;
  /** Whether the shard is closed (resharded away): reading it ends. */
  readonly closed: boolean;
}

export type ShardStart =
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestampMs: number }
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' };

export interface GatewayRecord {
  readonly data: Buffer;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  readonly arrivalMs: number;
}

export interface GatewayBatch {
  readonly records: readonly GatewayRecord[];
  /** Undefined once the closed shard has been read to its end. */
  readonly nextIterator: string | undefined;
  readonly millisBehindLatest: number;
}

export interface StreamGateway {
  /** Every shard still listed (open ones, and closed ones within retention); throws when the stream is missing. */
  listShards(streamArn: string): Promise<GatewayShard[]>;
  shardIterator(streamArn: string, shardId: string, start: ShardStart): Promise<string>;
  getRecords(streamArn: string, iterator: string, limit: number): Promise<GatewayBatch>;
  /** Appends records; resolves with the entries that failed (to retry). */
  putRecords(
    streamArn: string,
    records: readonly { readonly data: Buffer; readonly partitionKey: string }[],
  ): Promise<readonly number[]>;
}

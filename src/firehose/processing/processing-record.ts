/**
 * A record on its way through the processors: its current bytes, the bytes it arrived with (what
 * error documents carry as rawData) and what the processors attached to it.
 */
export interface KinesisRecordMetadata {
  readonly shardId: string;
  readonly partitionKey: string;
  readonly approximateArrivalTimestamp: number;
  readonly sequenceNumber: string;
  readonly subsequenceNumber: number;
}

export interface ProcessingRecord {
  readonly data: Buffer;
  readonly raw: Buffer;
  readonly arrivalMs: number;
  readonly sequenceNumber?: string;
  readonly kinesis?: KinesisRecordMetadata;
  /** `metadata.partitionKeys` of the function's response. */
  readonly lambdaKeys?: Readonly<Record<string, string>>;
  /** The keys the MetadataExtraction query gave. */
  readonly queryKeys?: Readonly<Record<string, string>>;
}

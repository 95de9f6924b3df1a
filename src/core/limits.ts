/**
 * Every size, count and time limit in one place, named with its unit. AWS's values unless said
 * otherwise; `test/unit/limits.test.ts` checks how they relate.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

export const limits = {
  /** Largest HTTP request body accepted: 10 MiB of record data is ~13.4 MiB as base64 JSON. */
  requestBodyBytesMax: 16 * MiB,
  /** Data plus partition key of one record, at the default MaxRecordSizeInKiB (1024). */
  recordBytesMax: 1 * MiB,
  /** The model's upper bound for a Data blob (MaxRecordSizeInKiB may be raised to 10240). */
  recordDataBytesModelMax: 10 * MiB,
  /** Total data plus partition keys of one PutRecords request. */
  putRecordsBytesMax: 10 * MiB,
  putRecordsCountMax: 500,
  partitionKeyLengthMax: 256,
  /** GetRecords returns at most this many records and about this many bytes. */
  getRecordsCountMax: 10_000,
  getRecordsBytesMax: 10 * MiB,
  shardIteratorLengthMax: 512,
  shardIteratorLifetimeMs: 300_000,
  nextTokenLifetimeMs: 300_000,
  streamNameLengthMax: 128,
  shardCountMax: 10_000,
  /** Default shard quota per account and region (configurable). */
  accountShardLimitDefault: 500,
  onDemandStreamCountLimit: 50,
  onDemandInitialShardCount: 4,
  /** Warm throughput of an on-demand stream: at most 10 GiB/s; one shard per MiB/s of it. */
  warmThroughputMiBpsMax: 10 * 1024,
  shardWriteMiBps: 1,
  defaultShardCount: 4,
  describeStreamShardsMax: 100,
  listShardsResultsMax: 1000,
  listStreamsResultsMax: 100,
  retentionHoursMin: 24,
  retentionHoursMax: 8760,
  retentionHoursDefault: 24,
  tagsPerStreamMax: 50,
  /** StartStreamEncryption calls (new keys) per stream in a rolling 24 hours; the same for Stop. */
  encryptionChangesPerDayMax: 25,
  /** How long CREATING and DELETING last before the transition completes (configurable). */
  transitionDelayMsDefault: 500,
  /** Rows the live results endpoint queues for one slow client before dropping the oldest (configurable). */
  analyticsLiveBufferRowsDefault: 1000,
  /** How often the live results endpoint sends a `: keepalive` comment. */
  analyticsLiveKeepaliveMs: 15_000,
  /**
   * The longest wait between passes of an application whose passes keep failing (a preprocessing
   * function that fails): the wait doubles from the poll interval up to this.
   */
  analyticsRetryDelayMsMax: 10_000,
  /**
   * Replay after a stop or a restart (runner/replay-span.ts): what a span of windows on ROWTIME
   * adds for the bound that closes them (one pass) when several windows or sliding ranges add up.
   */
  analyticsReplayMarginMs: 1_000,
  /**
   * Records kept for replay per shard besides the time span: the largest ROWS count of the code
   * (ROWS windows, joins), or this many for windows that close on an event-time column, at most this.
   */
  analyticsReplayRecordsMax: 10_000,
  /** Batches a shard's replay ring remembers; past it the oldest are forgotten (not replayed). */
  analyticsReplayBatchesPerShardMax: 100_000,
  /** Enhanced fan-out: consumers registered on one stream, and CREATING at once. */
  consumersPerStreamMax: 20,
  consumersCreatingMax: 5,
  /** ListStreamConsumers' page size when MaxResults is absent. */
  listStreamConsumersResultsDefault: 100,
  /** A SubscribeToShard response ends normally after this long; clients subscribe again. */
  subscriptionLifetimeMs: 300_000,
  /** A subscription sends an event at least this often, with no records if there are none. */
  subscriptionHeartbeatMs: 5_000,
  /** A second subscription of a consumer to a shard within this of the first is refused. */
  subscriptionTakeoverMs: 5_000,
  /** Records and bytes read into one SubscribeToShardEvent (the first record always fits). */
  subscribeEventRecordsMax: 10_000,
  subscribeEventBytesMax: 1 * MiB,

  // ---- throughput and rates (enforced with `--limits aws`, the default) ----------------------
  /** Writes per shard: bytes (data plus partition key) and records per second. */
  shardWriteBytesPerSecond: 1 * MiB,
  shardWriteRecordsPerSecond: 1000,
  /** Reads per shard: GetRecords calls and bytes returned per second. */
  shardReadCallsPerSecond: 5,
  shardReadBytesPerSecond: 2 * MiB,
  /** GetShardIterator calls per open shard per second. */
  shardIteratorCallsPerSecond: 5,
  /** Enhanced fan-out: bytes pushed per second to one subscription (consumer and shard). */
  subscriptionBytesPerSecond: 2 * MiB,
  /**
   * How much of a rate a token bucket may spend at once: one second of it. A client may send a
   * second's worth in one burst, and the bucket refills continuously.
   */
  burstSeconds: 1,
  /** Streams of an account (and region) that may be CREATING or DELETING at once. */
  streamsTransitioningMax: 5,
  /** UpdateShardCount calls per stream in a rolling 24 hours. */
  shardCountUpdatesPerDayMax: 10,
  /** Capacity mode switches (UpdateStreamMode) per stream in a rolling 24 hours. */
  streamModeSwitchesPerDayMax: 2,
  /** On-demand streams are given capacity for twice their peak write rate in the window. */
  onDemandPeakFactor: 2,
  /** How often the on-demand scaler measures write rates (configurable). */
  onDemandIntervalMsDefault: 60_000,
  /** How far back the on-demand scaler remembers a peak: AWS's 30 days (configurable). */
  onDemandWindowMsDefault: 30 * 24 * 3_600_000,
  // ---- Firehose ----
  /** Data of one Firehose record (1,000 KiB), as the model bounds `Record.Data`. */
  firehoseRecordBytesMax: 1_024_000,
  /** Total data of one PutRecordBatch request; its records are also capped by the model (500). */
  putRecordBatchBytesMax: 4 * MiB,
  putRecordBatchCountMax: 500,
  /**
   * The most a record may grow to under the Decompression processor (a gzip bomb stops here and
   * the record goes to `decompression-failed`); CloudWatch Logs' envelopes are far smaller.
   */
  decompressedRecordBytesMax: 64 * MiB,
  /** Delivery streams per account and region (AWS's current default quota). */
  deliveryStreamsPerRegionMax: 5_000,
  tagsPerDeliveryStreamMax: 50,
  /** ListDeliveryStreams' page size when Limit is absent. */
  listDeliveryStreamsLimitDefault: 10,
  /** Start+Stop DeliveryStreamEncryption calls per delivery stream in a rolling 24 hours. */
  deliveryStreamEncryptionChangesPerDayMax: 25,
  /** S3 buffering defaults (BufferingHints), used when a destination gives none. */
  s3BufferSizeMiBDefault: 5,
  s3BufferIntervalSecondsDefault: 300,
  /** The model's largest IntervalInSeconds. */
  s3BufferIntervalSecondsMax: 900,
  /** An evaluated Prefix/ErrorOutputPrefix may be at most this long. */
  evaluatedPrefixLengthMax: 512,
  /** How often a delivery worker looks for new records and due buffers. */
  deliveryPollIntervalMs: 200,
  /**
   * How long a delivery stream's Direct PUT log keeps delivered records for an analytics
   * application that has not read them yet (running or stopped): AWS keeps a delivery stream's
   * data for 24 hours, so a reader further behind loses the oldest records, as on AWS.
   */
  directPutReaderHoldMsMax: 24 * 60 * 60 * 1000,
  /** Records read from a source in one step of a delivery worker. */
  deliveryReadRecordsMax: 10_000,
  deliveryReadBytesMax: 8 * MiB,
  /** After a failed delivery attempt, the worker waits this long before trying again. */
  deliveryRetryDelayMs: 1_000,
  /** Delivery errors kept per delivery stream for the console's "Last errors" (newest first). */
  deliveryErrorsKeptMax: 50,
  /** Lambda processor parameters: AWS's defaults and ranges (BufferSizeInMBs in MB, 10^6 bytes). */
  lambdaProcessorRetriesDefault: 3,
  lambdaProcessorRetriesMax: 300,
  lambdaProcessorBufferSizeMBDefault: 1,
  lambdaProcessorBufferSizeMBMin: 0.2,
  lambdaProcessorBufferSizeMBMax: 3,
  lambdaProcessorBufferIntervalSecondsDefault: 60,
  lambdaProcessorBufferIntervalSecondsMin: 0,
  lambdaProcessorBufferIntervalSecondsMax: 900,
  /** Lambda's response payload limit (6 MiB): a larger response is a function error. */
  lambdaPayloadBytesMax: 6 * MiB,
  /** Invocations of one processor in flight at once (AWS: 5 per shard for S3). */
  lambdaInvocationsInFlightMax: 5,
  /** Dynamic partitioning: active partitions per delivery stream, buffer size floor. */
  dynamicPartitionsActiveMax: 500,
  dynamicPartitioningBufferSizeMiBMin: 64,
  /** Keys a MetadataExtraction query may give. */
  partitionKeysMax: 50,
  /**
   * Record destinations (HTTP endpoint, OpenSearch, Splunk): the first retry waits 1 s, each next
   * one twice as long, ±15 % jitter, at most 120 s, until RetryOptions.DurationInSeconds (default
   * 300) has passed since the first failure (AWS's documented schedule).
   */
  recordRetryBackoffInitialMs: 1_000,
  recordRetryBackoffMaxMs: 120_000,
  recordRetryJitterFraction: 0.15,
  recordRetryDurationSecondsDefault: 300,
  /** HTTP endpoint: records per request, response timeout and response size (AWS's bounds). */
  httpEndpointRecordsPerRequestMax: 10_000,
  httpEndpointResponseTimeoutMs: 180_000,
  httpEndpointResponseBytesMax: 1 * MiB,
  /** Buffering defaults of the record destinations (OpenSearch, HTTP: 5 MiB/300 s; Splunk 5 MiB/60 s). */
  recordBufferSizeMiBDefault: 5,
  recordBufferIntervalSecondsDefault: 300,
  splunkBufferIntervalSecondsDefault: 60,
  /** Splunk: indexer acknowledgement timeout default, and how often acks are polled. */
  splunkAckTimeoutSecondsDefault: 180,
  splunkAckPollIntervalMs: 200,
} as const;

/**
 * Control-plane calls per second, per account and region unless `perStream` (AWS's published
 * quotas). Operations not listed here have no rate limit of their own.
 */
export const controlPlaneRates: Readonly<Record<string, { perSecond: number; perStream?: boolean }>> = {
  AddTagsToStream: { perSecond: 5 },
  CreateStream: { perSecond: 5 },
  DecreaseStreamRetentionPeriod: { perSecond: 5 },
  DeleteStream: { perSecond: 5 },
  DeregisterStreamConsumer: { perSecond: 5, perStream: true },
  DescribeLimits: { perSecond: 1 },
  DescribeStream: { perSecond: 10 },
  DescribeStreamConsumer: { perSecond: 20, perStream: true },
  DescribeStreamSummary: { perSecond: 20 },
  DisableEnhancedMonitoring: { perSecond: 5 },
  EnableEnhancedMonitoring: { perSecond: 5 },
  IncreaseStreamRetentionPeriod: { perSecond: 5 },
  ListShards: { perSecond: 1000, perStream: true },
  ListStreamConsumers: { perSecond: 5, perStream: true },
  ListStreams: { perSecond: 5 },
  ListTagsForStream: { perSecond: 5 },
  MergeShards: { perSecond: 5 },
  RegisterStreamConsumer: { perSecond: 5, perStream: true },
  RemoveTagsFromStream: { perSecond: 5 },
  SplitShard: { perSecond: 5 },
  UpdateStreamWarmThroughput: { perSecond: 5 },
  DescribeAccountSettings: { perSecond: 5 },
  UpdateAccountSettings: { perSecond: 5 },
};

export const sizeUnits = { KiB, MiB } as const;

/**
 * The CloudWatch metrics of Kinesis Data Streams and the Prometheus names they are served under.
 * Names are derived mechanically (`prometheusNameOf`): `tributary_kinesis_` (plus `shard_` for
 * shard-level metrics), the CloudWatch name in snake case with `.` as `_`, then `_total` for
 * counters; latencies are histograms in seconds (`_latency_seconds`, Prometheus' base unit).
 * docs/metrics.md shows the table; a test checks it against this file.
 */

export type MetricKind = 'counter' | 'gauge' | 'latency';

export interface MetricDefinition<K extends MetricKind = MetricKind> {
  readonly cloudWatchName: string;
  readonly kind: K;
  readonly help: string;
}

function define<K extends MetricKind>(cloudWatchName: string, kind: K, help: string): MetricDefinition<K> {
  return { cloudWatchName, kind, help };
}

const bytesNote = 'data plus partition key';

/** Stream-level ("basic") metrics: labels account, region, stream. Always on. */
export const streamMetricDefinitions = {
  getRecordsBytes: define('GetRecords.Bytes', 'counter', `Bytes (${bytesNote}) GetRecords returned.`),
  getRecordsIteratorAge: define(
    'GetRecords.IteratorAgeMilliseconds',
    'gauge',
    'Age of the last record the latest GetRecords call returned (0 when none), highest over the shards.',
  ),
  getRecordsLatency: define('GetRecords.Latency', 'latency', 'Time taken by successful GetRecords calls.'),
  getRecordsRecords: define('GetRecords.Records', 'counter', 'Records GetRecords returned.'),
  getRecordsSuccess: define('GetRecords.Success', 'counter', 'Successful GetRecords calls.'),
  incomingBytes: define(
    'IncomingBytes',
    'counter',
    `Bytes (${bytesNote}) successfully put, by PutRecord and PutRecords.`,
  ),
  incomingRecords: define(
    'IncomingRecords',
    'counter',
    'Records successfully put, by PutRecord and PutRecords.',
  ),
  putRecordBytes: define(
    'PutRecord.Bytes',
    'counter',
    `Bytes (${bytesNote}) put by successful PutRecord calls.`,
  ),
  putRecordLatency: define('PutRecord.Latency', 'latency', 'Time taken by successful PutRecord calls.'),
  putRecordSuccess: define('PutRecord.Success', 'counter', 'Successful PutRecord calls.'),
  putRecordsBytes: define(
    'PutRecords.Bytes',
    'counter',
    `Bytes (${bytesNote}) of the records PutRecords put successfully.`,
  ),
  putRecordsLatency: define(
    'PutRecords.Latency',
    'latency',
    'Time taken by PutRecords calls that wrote records.',
  ),
  putRecordsRecords: define(
    'PutRecords.Records',
    'counter',
    'Records PutRecords put successfully (deprecated by AWS; same as PutRecords.SuccessfulRecords).',
  ),
  putRecordsSuccess: define(
    'PutRecords.Success',
    'counter',
    'PutRecords calls in which at least one record succeeded.',
  ),
  putRecordsTotalRecords: define('PutRecords.TotalRecords', 'counter', 'Records sent in PutRecords calls.'),
  putRecordsSuccessfulRecords: define(
    'PutRecords.SuccessfulRecords',
    'counter',
    'Records PutRecords put successfully.',
  ),
  putRecordsFailedRecords: define(
    'PutRecords.FailedRecords',
    'counter',
    'Records PutRecords rejected for internal failures (storage), not throttling.',
  ),
  putRecordsThrottledRecords: define(
    'PutRecords.ThrottledRecords',
    'counter',
    'Records PutRecords rejected with ProvisionedThroughputExceededException.',
  ),
  readProvisionedThroughputExceeded: define(
    'ReadProvisionedThroughputExceeded',
    'counter',
    'GetRecords calls throttled.',
  ),
  writeProvisionedThroughputExceeded: define(
    'WriteProvisionedThroughputExceeded',
    'counter',
    'Records rejected by throttling (PutRecord and PutRecords).',
  ),
  subscribeToShardRateExceeded: define(
    'SubscribeToShard.RateExceeded',
    'counter',
    'SubscribeToShard calls refused because the consumer already had a live subscription to the shard.',
  ),
  subscribeToShardSuccess: define(
    'SubscribeToShard.Success',
    'counter',
    'SubscribeToShard calls that started.',
  ),
  subscribeToShardEventBytes: define(
    'SubscribeToShardEvent.Bytes',
    'counter',
    `Bytes (${bytesNote}) pushed in SubscribeToShard events.`,
  ),
  subscribeToShardEventMillisBehindLatest: define(
    'SubscribeToShardEvent.MillisBehindLatest',
    'gauge',
    'MillisBehindLatest of the latest SubscribeToShard event, highest over the shards.',
  ),
  subscribeToShardEventRecords: define(
    'SubscribeToShardEvent.Records',
    'counter',
    'Records pushed in SubscribeToShard events.',
  ),
  subscribeToShardEventSuccess: define(
    'SubscribeToShardEvent.Success',
    'counter',
    'SubscribeToShard events pushed (heartbeats with no records included).',
  ),
} as const;

/**
 * Shard-level ("enhanced") metrics, keyed by the names EnableEnhancedMonitoring takes: labels
 * account, region, stream, shard. Served only for the names enabled on the stream.
 */
export const shardMetricDefinitions = {
  IncomingBytes: define('IncomingBytes', 'counter', `Bytes (${bytesNote}) successfully put to the shard.`),
  IncomingRecords: define('IncomingRecords', 'counter', 'Records successfully put to the shard.'),
  OutgoingBytes: define(
    'OutgoingBytes',
    'counter',
    `Bytes (${bytesNote}) read from the shard by GetRecords and SubscribeToShard.`,
  ),
  OutgoingRecords: define(
    'OutgoingRecords',
    'counter',
    'Records read from the shard by GetRecords and SubscribeToShard.',
  ),
  WriteProvisionedThroughputExceeded: define(
    'WriteProvisionedThroughputExceeded',
    'counter',
    'Records rejected by throttling on the shard.',
  ),
  ReadProvisionedThroughputExceeded: define(
    'ReadProvisionedThroughputExceeded',
    'counter',
    'GetRecords calls on the shard throttled.',
  ),
  IteratorAgeMilliseconds: define(
    'IteratorAgeMilliseconds',
    'gauge',
    'Age of the last record the latest GetRecords call on the shard returned (0 when none).',
  ),
} as const;

export type StreamMetricKey = keyof typeof streamMetricDefinitions;
export type ShardMetricName = keyof typeof shardMetricDefinitions;

/** The Prometheus name of a CloudWatch metric (see the header). */
export function prometheusNameOf(definition: MetricDefinition, level: 'stream' | 'shard'): string {
  const snake = definition.cloudWatchName
    .split('.')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase())
    .join('_');
  const base = `tributary_kinesis_${level === 'shard' ? 'shard_' : ''}${snake}`;
  if (definition.kind === 'counter') return `${base}_total`;
  if (definition.kind === 'latency') return `${base}_seconds`;
  return base;
}

/** Upper bounds (seconds) of the latency histograms' buckets. */
export const latencyBucketsSeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

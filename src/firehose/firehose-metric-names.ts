/**
 * The CloudWatch metrics of Firehose (namespace AWS/Firehose, dimension DeliveryStreamName) and
 * the Prometheus names they are served under. Names are derived mechanically
 * (`firehosePrometheusNameOf`): `tributary_firehose_`, the CloudWatch name in snake case with `.`
 * as `_`, then `_total` for counters; latencies are histograms in seconds and DataFreshness
 * gauges in seconds (`_seconds`). docs/metrics.md shows the table; a test checks it against this
 * file.
 */

export type FirehoseMetricKind = 'counter' | 'latency' | 'freshness';

export interface FirehoseMetricDefinition {
  readonly cloudWatchName: string;
  readonly kind: FirehoseMetricKind;
  readonly help: string;
}

function define(cloudWatchName: string, kind: FirehoseMetricKind, help: string): FirehoseMetricDefinition {
  return { cloudWatchName, kind, help };
}

/** Ingestion metrics: labels account, region, delivery_stream. */
export const ingestionMetricDefinitions = {
  incomingBytes: define(
    'IncomingBytes',
    'counter',
    'Bytes of the records PutRecord and PutRecordBatch took.',
  ),
  incomingPutRequests: define(
    'IncomingPutRequests',
    'counter',
    'PutRecord and PutRecordBatch calls that took records.',
  ),
  incomingRecords: define('IncomingRecords', 'counter', 'Records PutRecord and PutRecordBatch took.'),
  throttledRecords: define(
    'ThrottledRecords',
    'counter',
    'Records refused with ServiceUnavailableException ("Slow down.") because the log could not take them.',
  ),
  putRecordBytes: define('PutRecord.Bytes', 'counter', 'Bytes taken by successful PutRecord calls.'),
  putRecordLatency: define('PutRecord.Latency', 'latency', 'Time taken by successful PutRecord calls.'),
  putRecordRequests: define('PutRecord.Requests', 'counter', 'Successful PutRecord calls.'),
  putRecordBatchBytes: define(
    'PutRecordBatch.Bytes',
    'counter',
    'Bytes taken by successful PutRecordBatch calls.',
  ),
  putRecordBatchLatency: define(
    'PutRecordBatch.Latency',
    'latency',
    'Time taken by successful PutRecordBatch calls.',
  ),
  putRecordBatchRecords: define(
    'PutRecordBatch.Records',
    'counter',
    'Records taken by successful PutRecordBatch calls.',
  ),
  putRecordBatchRequests: define('PutRecordBatch.Requests', 'counter', 'Successful PutRecordBatch calls.'),
  dataReadFromKinesisStreamBytes: define(
    'DataReadFromKinesisStream.Bytes',
    'counter',
    'Bytes a KinesisStreamAsSource delivery stream read from its stream.',
  ),
  dataReadFromKinesisStreamRecords: define(
    'DataReadFromKinesisStream.Records',
    'counter',
    'Records a KinesisStreamAsSource delivery stream read from its stream.',
  ),
} as const;

/**
 * Processing metrics (a Lambda processor; labels as ingestion). CloudWatch shows
 * ExecuteProcessing.Success as successful invocations over all invocations; here it counts the
 * successful ones, and the Duration histogram's `_count` counts them all.
 */
export const processingMetricDefinitions = {
  executeProcessingDuration: define(
    'ExecuteProcessing.Duration',
    'latency',
    'Time taken by each invocation of the Lambda processor, retries included.',
  ),
  executeProcessingSuccess: define(
    'ExecuteProcessing.Success',
    'counter',
    'Invocations of the Lambda processor that returned a response (retries that did not are not counted).',
  ),
  succeedProcessingRecords: define(
    'SucceedProcessing.Records',
    'counter',
    'Records the Lambda processor answered Ok (not Dropped, not failed).',
  ),
  succeedProcessingBytes: define(
    'SucceedProcessing.Bytes',
    'counter',
    'Bytes of the records the Lambda processor answered Ok, as it returned them.',
  ),
} as const;

/** The destinations with delivery metrics, as CloudWatch spells them after `DeliveryTo`. */
export const deliveryDestinations = [
  'S3',
  'Redshift',
  'HttpEndpoint',
  'AmazonOpenSearchService',
  'Elasticsearch',
  'Splunk',
] as const;
export type DeliveryDestination = (typeof deliveryDestinations)[number];

/** `BackupToS3` is the S3 backup of a non-S3 destination (or of source records). */
export type DeliveryTarget = DeliveryDestination | 'BackupToS3';

export type DeliveryMetric =
  'Bytes' | 'Records' | 'Success' | 'DataFreshness' | 'ProcessedBytes' | 'ProcessedRecords';

const deliveryHelp: Readonly<Record<DeliveryMetric, (target: string) => string>> = {
  Bytes: (target) => `Bytes delivered to ${target} (as written: after compression).`,
  Records: (target) => `Records delivered to ${target}.`,
  Success: (target) => `Successful deliveries (objects written, COPY commands, requests) to ${target}.`,
  DataFreshness: (target) =>
    `Age of the oldest record not yet delivered to ${target} (0 when none waits); older records have all been delivered.`,
  ProcessedBytes: (target) => `Bytes of the records sent to ${target}, retries included.`,
  ProcessedRecords: (target) => `Records sent to ${target}, retries included.`,
};

function targetName(target: DeliveryTarget): string {
  return target === 'BackupToS3' ? 'BackupToS3' : `DeliveryTo${target}`;
}

function targetText(target: DeliveryTarget): string {
  return target === 'BackupToS3' ? 'the S3 backup' : target === 'S3' ? 'S3' : `the ${target} destination`;
}

/**
 * Which delivery metrics a destination has (CloudWatch has no DeliveryToRedshift.DataFreshness;
 * only the HTTP endpoint has the attempted ProcessedBytes/ProcessedRecords).
 */
export function deliveryMetricsOf(target: DeliveryTarget): readonly DeliveryMetric[] {
  if (target === 'Redshift') return ['Bytes', 'Records', 'Success'];
  if (target === 'HttpEndpoint')
    return ['Bytes', 'DataFreshness', 'ProcessedBytes', 'ProcessedRecords', 'Records', 'Success'];
  return ['Bytes', 'DataFreshness', 'Records', 'Success'];
}

export function deliveryMetricDefinition(
  target: DeliveryTarget,
  metric: DeliveryMetric,
): FirehoseMetricDefinition {
  return define(
    `${targetName(target)}.${metric}`,
    metric === 'DataFreshness' ? 'freshness' : 'counter',
    deliveryHelp[metric](targetText(target)),
  );
}

/** Every delivery metric definition, in docs order. */
export function allDeliveryMetricDefinitions(): FirehoseMetricDefinition[] {
  const targets: DeliveryTarget[] = [...deliveryDestinations, 'BackupToS3'];
  return targets.flatMap((target) =>
    deliveryMetricsOf(target).map((metric) => deliveryMetricDefinition(target, metric)),
  );
}

export function firehosePrometheusNameOf(definition: FirehoseMetricDefinition): string {
  const snake = definition.cloudWatchName
    .split('.')
    .map((part) =>
      part
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
        .toLowerCase(),
    )
    .join('_');
  const base = `tributary_firehose_${snake}`;
  if (definition.kind === 'counter') return `${base}_total`;
  return `${base}_seconds`;
}

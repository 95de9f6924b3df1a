/**
 * Firehose's metrics in GET /metrics: ingestion (IncomingRecords, PutRecordBatch.Latency, …) and
 * delivery per destination (DeliveryToS3.Records, DeliveryToRedshift.Success,
 * DeliveryToS3.DataFreshness, …), labelled account, region, delivery_stream.
 *
 * The calls are the registry for every destination: the S3 path and other destinations' code call
 * `delivered(record, target, records, bytes)` after a successful write, and `buffered(record,
 * target, oldestMs)` when what waits for that target changes (undefined when nothing waits); the
 * DataFreshness gauges are computed from those times when /metrics is read.
 *
 * Invariants: series exist for delivery streams that exist (`untrack` on delete removes all of a
 * delivery stream's series, so a re-created one starts from zero); nothing here throws on the data
 * path; a FirehoseMetrics without a registry (`FirehoseMetrics.none`) counts nothing.
 */
import type { Clock } from '../core/clock.js';
import type { Counter, Gauge, Histogram, MetricFamily, MetricsRegistry } from '../core/metrics.js';
import { latencyBucketsSeconds } from '../streams/stream-metric-names.js';
import type { DeliveryStreamRecord } from './delivery-stream-model.js';
import {
  allDeliveryMetricDefinitions,
  deliveryMetricDefinition,
  deliveryMetricsOf,
  firehosePrometheusNameOf,
  ingestionMetricDefinitions,
  processingMetricDefinitions,
  type DeliveryMetric,
  type DeliveryTarget,
  type FirehoseMetricDefinition,
} from './firehose-metric-names.js';

export const deliveryErrorsMetricName = 'tributary_firehose_delivery_errors_total';

type Identity = Pick<DeliveryStreamRecord, 'accountId' | 'region' | 'name'>;
type IngestionKey = keyof typeof ingestionMetricDefinitions | keyof typeof processingMetricDefinitions;

const labelNames = ['account', 'region', 'delivery_stream'] as const;

export class FirehoseMetrics {
  /** Counts nothing: for services built without a registry (unit tests). */
  static readonly none = new FirehoseMetrics(undefined, { nowMs: () => 0 } as Clock);

  readonly #clock: Clock;
  readonly #ingestion: { readonly [Key in IngestionKey]?: MetricFamily<Counter | Histogram> } = {};
  readonly #delivery = new Map<string, MetricFamily<Counter | Gauge>>();
  /** Oldest arrival time of what waits per delivery stream and target, for DataFreshness. */
  readonly #oldestWaitingMs = new Map<string, { labels: string[]; oldestMs: number }>();
  /** The DataFreshness gauges, by the same key (delivery stream labels and target). */
  readonly #freshness = new Map<string, Gauge>();
  /** Tributary's own count of delivery errors (the console's "Last errors"); no CloudWatch name. */
  #deliveryErrors: MetricFamily<Counter> | undefined;

  constructor(registry: MetricsRegistry | undefined, clock: Clock) {
    this.#clock = clock;
    if (registry === undefined) return;
    const ingestion: Record<string, MetricFamily<Counter | Histogram>> = {};
    const definitions = { ...ingestionMetricDefinitions, ...processingMetricDefinitions };
    for (const [key, definition] of Object.entries(definitions)) {
      ingestion[key] = familyOf(registry, definition) as MetricFamily<Counter | Histogram>;
    }
    Object.assign(this.#ingestion, ingestion);
    for (const definition of allDeliveryMetricDefinitions()) {
      this.#delivery.set(
        definition.cloudWatchName,
        familyOf(registry, definition) as MetricFamily<Counter | Gauge>,
      );
    }
    this.#deliveryErrors = registry.counter(
      deliveryErrorsMetricName,
      "Delivery errors recorded in the delivery stream's last errors (retries included). Tributary only.",
      labelNames,
    );
    registry.beforeRender(() => this.#refreshFreshness());
  }

  /** A successful PutRecord (`batch` false) or PutRecordBatch of `records` records and `bytes` bytes. */
  putSucceeded(stream: Identity, batch: boolean, records: number, bytes: number, latencyMs: number): void {
    const labels = labelsOf(stream);
    this.#count('incomingRecords', labels, records);
    this.#count('incomingBytes', labels, bytes);
    this.#count('incomingPutRequests', labels, 1);
    if (batch) {
      this.#count('putRecordBatchRecords', labels, records);
      this.#count('putRecordBatchBytes', labels, bytes);
      this.#count('putRecordBatchRequests', labels, 1);
      this.#observe('putRecordBatchLatency', labels, latencyMs);
    } else {
      this.#count('putRecordBytes', labels, bytes);
      this.#count('putRecordRequests', labels, 1);
      this.#observe('putRecordLatency', labels, latencyMs);
    }
  }

  /** Records refused with ServiceUnavailableException. */
  throttled(stream: Identity, records: number): void {
    this.#count('throttledRecords', labelsOf(stream), records);
  }

  /** Records a KinesisStreamAsSource delivery stream read from its stream. */
  readFromStream(stream: Identity, records: number, bytes: number): void {
    const labels = labelsOf(stream);
    this.#count('dataReadFromKinesisStreamRecords', labels, records);
    this.#count('dataReadFromKinesisStreamBytes', labels, bytes);
  }

  /**
   * One invocation of the Lambda processor that took `durationMs`; `succeeded` when the function
   * returned a response (whatever its records say).
   */
  invokedProcessor(stream: Identity, durationMs: number, succeeded: boolean): void {
    const labels = labelsOf(stream);
    if (succeeded) this.#count('executeProcessingSuccess', labels, 1);
    this.#observe('executeProcessingDuration', labels, durationMs);
  }

  /** Records the Lambda processor answered Ok, and their bytes as returned. */
  processed(stream: Identity, records: number, bytes: number): void {
    const labels = labelsOf(stream);
    this.#count('succeedProcessingRecords', labels, records);
    this.#count('succeedProcessingBytes', labels, bytes);
  }

  /** One successful delivery (an object, a COPY, a request) of `records` records, `bytes` bytes. */
  delivered(stream: Identity, target: DeliveryTarget, records: number, bytes: number): void {
    const labels = labelsOf(stream);
    this.#deliveryCount(target, 'Records', labels, records);
    this.#deliveryCount(target, 'Bytes', labels, bytes);
    this.#deliveryCount(target, 'Success', labels, 1);
  }

  /**
   * One attempt to send `records` records of `bytes` bytes (`ProcessedRecords`/`ProcessedBytes`,
   * retries included); nothing for a target without those metrics.
   */
  attempted(stream: Identity, target: DeliveryTarget, records: number, bytes: number): void {
    const labels = labelsOf(stream);
    if (!deliveryMetricsOf(target).includes('ProcessedRecords')) return;
    this.#deliveryCount(target, 'ProcessedRecords', labels, records);
    this.#deliveryCount(target, 'ProcessedBytes', labels, bytes);
  }

  /**
   * What waits for `target` now: the arrival time of its oldest record, or undefined when nothing
   * waits (DataFreshness is then 0).
   */
  buffered(stream: Identity, target: DeliveryTarget, oldestMs: number | undefined): void {
    const labels = labelsOf(stream);
    const key = `${labels.join('\u0000')}\u0000${target}`;
    if (oldestMs === undefined) this.#oldestWaitingMs.delete(key);
    else this.#oldestWaitingMs.set(key, { labels, oldestMs });
    // The series exists from the first call, at 0 while nothing waits.
    if (!this.#freshness.has(key)) {
      const family = this.#delivery.get(deliveryMetricDefinition(target, 'DataFreshness').cloudWatchName);
      if (family !== undefined) this.#freshness.set(key, family.child(...labels) as Gauge);
    }
  }

  /** One delivery error (a failed attempt, or records sent to an error output or backup). */
  deliveryError(stream: Identity): void {
    this.#deliveryErrors?.child(...labelsOf(stream)).inc();
  }

  /** Removes every series of a delivery stream (deleted). */
  untrack(stream: Identity): void {
    const labels = labelsOf(stream);
    const matches = (values: readonly string[]): boolean =>
      values[0] === labels[0] && values[1] === labels[1] && values[2] === labels[2];
    for (const family of Object.values(this.#ingestion)) family.removeWhere(matches);
    for (const family of this.#delivery.values()) family.removeWhere(matches);
    this.#deliveryErrors?.removeWhere(matches);
    const prefix = `${labels.join('\u0000')}\u0000`;
    for (const key of [...this.#oldestWaitingMs.keys()])
      if (key.startsWith(prefix)) this.#oldestWaitingMs.delete(key);
    for (const key of [...this.#freshness.keys()]) if (key.startsWith(prefix)) this.#freshness.delete(key);
  }

  #count(key: IngestionKey, labels: readonly string[], amount: number): void {
    const family = this.#ingestion[key];
    if (family !== undefined) (family.child(...labels) as Counter).inc(amount);
  }

  #observe(key: IngestionKey, labels: readonly string[], latencyMs: number): void {
    const family = this.#ingestion[key];
    if (family !== undefined) (family.child(...labels) as Histogram).observe(latencyMs / 1000);
  }

  #deliveryCount(
    target: DeliveryTarget,
    metric: DeliveryMetric,
    labels: readonly string[],
    amount: number,
  ): void {
    const family = this.#delivery.get(deliveryMetricDefinition(target, metric).cloudWatchName);
    if (family !== undefined) (family.child(...labels) as Counter).inc(amount);
  }

  #refreshFreshness(): void {
    const nowMs = this.#clock.nowMs();
    for (const [key, gauge] of this.#freshness) {
      const waiting = this.#oldestWaitingMs.get(key);
      gauge.set(waiting === undefined ? 0 : Math.max(0, (nowMs - waiting.oldestMs) / 1000));
    }
  }
}

function labelsOf(stream: Identity): string[] {
  return [stream.accountId, stream.region, stream.name];
}

function familyOf(
  registry: MetricsRegistry,
  definition: FirehoseMetricDefinition,
): MetricFamily<Counter | Gauge | Histogram> {
  const name = firehosePrometheusNameOf(definition);
  const help = `${definition.help} CloudWatch: ${definition.cloudWatchName}.`;
  switch (definition.kind) {
    case 'counter':
      return registry.counter(name, help, labelNames);
    case 'freshness':
      return registry.gauge(name, help, labelNames);
    case 'latency':
      return registry.histogram(name, help, labelNames, latencyBucketsSeconds);
  }
}

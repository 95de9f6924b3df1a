/**
 * The Kinesis metrics of every stream, kept as plain numbers in metric children that the data
 * path adds to: one map lookup per request (`series`), then field updates. Shard-level children
 * exist only for the names EnableEnhancedMonitoring turned on for the stream.
 *
 * Invariants:
 * - series exist exactly for the streams the service holds (`track` on every load and change,
 *   `untrack` on delete), so a deleted stream's series disappear from /metrics, and a stream
 *   re-created under the same name starts from zero;
 * - a shard-level name that is switched off has no children left, for any shard;
 * - the throttling hooks (`recordWriteThrottled`, `recordReadThrottled`,
 *   `recordSubscribeRateExceeded`) are for the limits code: they count against the stream's
 *   current series and ignore streams that no longer exist.
 */
import { performance } from 'node:perf_hooks';
import type { Counter, Gauge, Histogram, MetricFamily, MetricsRegistry } from '../core/metrics.js';
import {
  latencyBucketsSeconds,
  prometheusNameOf,
  shardMetricDefinitions,
  streamMetricDefinitions,
  type MetricDefinition,
  type MetricKind,
  type ShardMetricName,
  type StreamMetricKey,
} from './stream-metric-names.js';
import { isOpen, logIdOf, shardIdOf, streamKey, type StreamRecord } from './stream-model.js';

type ChildOf<K extends MetricKind> = K extends 'counter' ? Counter : K extends 'gauge' ? Gauge : Histogram;
type StreamChildren = {
  readonly [Key in StreamMetricKey]: ChildOf<(typeof streamMetricDefinitions)[Key]['kind']>;
};
type ShardChildren = {
  -readonly [Name in ShardMetricName]?: ChildOf<(typeof shardMetricDefinitions)[Name]['kind']>;
};

type StreamFamilies = { readonly [Key in StreamMetricKey]: MetricFamily<Counter | Gauge | Histogram> };
type ShardFamilies = { readonly [Name in ShardMetricName]: MetricFamily<Counter | Gauge> };

/** What the throttling hooks need to find a stream's series. */
export type StreamIdentity = Pick<StreamRecord, 'accountId' | 'region' | 'name'>;

const streamLabels = ['account', 'region', 'stream'] as const;
const shardLabels = ['account', 'region', 'stream', 'shard'] as const;
const shardMetricNames = Object.keys(shardMetricDefinitions) as ShardMetricName[];

/** One stream's series: the stream-level children and the enabled shard-level ones. */
export class StreamSeries {
  readonly metrics: StreamChildren;
  readonly labelValues: readonly string[];
  record: StreamRecord;
  /** Latest iterator age / MillisBehindLatest per shard; the gauges show the highest. */
  readonly iteratorAgeByShardMs = new Map<number, number>();
  readonly millisBehindByShard = new Map<number, number>();
  readonly #owner: StreamMetrics;
  readonly #shards = new Map<number, ShardChildren>();
  #enabled: readonly ShardMetricName[] = [];

  constructor(owner: StreamMetrics, record: StreamRecord, metrics: StreamChildren) {
    this.#owner = owner;
    this.record = record;
    this.metrics = metrics;
    this.labelValues = [record.accountId, record.region, record.name];
  }

  /** The shard's enabled children, or undefined when no shard-level metric is on. */
  shard(shardIndex: number): ShardChildren | undefined {
    if (this.#enabled.length === 0) return undefined;
    let children = this.#shards.get(shardIndex);
    if (children === undefined) {
      children = this.#owner.shardChildren(this, shardIndex, this.#enabled);
      this.#shards.set(shardIndex, children);
    }
    return children;
  }

  get enabledShardMetrics(): readonly ShardMetricName[] {
    return this.#enabled;
  }

  /** Applies the stream's shard-level set: drops what was switched off, adds what is on. */
  applyShardLevel(enabled: readonly ShardMetricName[]): void {
    const switchedOff = this.#enabled.filter((name) => !enabled.includes(name));
    const switchedOn = enabled.filter((name) => !this.#enabled.includes(name));
    this.#enabled = enabled;
    if (switchedOff.length > 0) this.#owner.removeShardChildren(this, switchedOff);
    for (const [shardIndex, children] of this.#shards) {
      for (const name of switchedOff) delete children[name];
      Object.assign(children, this.#owner.shardChildren(this, shardIndex, switchedOn));
    }
    if (enabled.length === 0) this.#shards.clear();
    // Open shards show their series (at zero) as soon as they are switched on.
    for (const shard of this.record.shards) if (isOpen(shard)) this.shard(shard.index);
  }
}

export class StreamMetrics {
  readonly #streamFamilies: StreamFamilies;
  readonly #shardFamilies: ShardFamilies;
  readonly #logBytes: MetricFamily<Gauge>;
  readonly #series = new Map<string, StreamSeries>();
  readonly #monotonicMs: () => number;
  readonly #storedBytesOf: ((logId: string) => number) | undefined;

  /**
   * `storedBytesOf` (optional) tells how many bytes a log holds in storage, for the per-stream
   * storage gauge; `monotonicMs` times calls (a monotonic clock, not wall time).
   */
  constructor(
    registry: MetricsRegistry,
    options: { storedBytesOf?: (logId: string) => number; monotonicMs?: () => number } = {},
  ) {
    this.#monotonicMs = options.monotonicMs ?? (() => performance.now());
    this.#storedBytesOf = options.storedBytesOf;
    const streamFamilies: Partial<Record<StreamMetricKey, MetricFamily<Counter | Gauge | Histogram>>> = {};
    for (const [key, definition] of Object.entries(streamMetricDefinitions) as [
      StreamMetricKey,
      MetricDefinition,
    ][]) {
      streamFamilies[key] = familyOf(registry, definition, 'stream', streamLabels);
    }
    this.#streamFamilies = streamFamilies as StreamFamilies;
    const shardFamilies: Partial<Record<ShardMetricName, MetricFamily<Counter | Gauge>>> = {};
    for (const name of shardMetricNames) {
      shardFamilies[name] = familyOf(
        registry,
        shardMetricDefinitions[name],
        'shard',
        shardLabels,
      ) as MetricFamily<Counter | Gauge>;
    }
    this.#shardFamilies = shardFamilies as ShardFamilies;
    this.#logBytes = registry.gauge(
      'tributary_storage_log_bytes',
      "Bytes the stream's shard logs hold in storage (frames and all), over its shards.",
      streamLabels,
    );
    registry.beforeRender(() => this.#refreshGauges());
  }

  /** The series of the stream under catalog key `key` (hot path: one map lookup). */
  series(key: string): StreamSeries | undefined {
    return this.#series.get(key);
  }

  /** Mirrors a stream's current record: creates its series, applies its shard-level set. */
  track(key: string, record: StreamRecord): void {
    let series = this.#series.get(key);
    if (series !== undefined && series.record.streamId !== record.streamId) {
      this.untrack(key);
      series = undefined;
    }
    if (series === undefined) {
      const labels = [record.accountId, record.region, record.name];
      const children: Partial<Record<StreamMetricKey, Counter | Gauge | Histogram>> = {};
      for (const metricKey of Object.keys(this.#streamFamilies) as StreamMetricKey[]) {
        children[metricKey] = this.#streamFamilies[metricKey].child(...labels);
      }
      series = new StreamSeries(this, record, children as StreamChildren);
      this.#series.set(key, series);
      this.#logBytes.child(...labels);
    }
    series.record = record;
    series.applyShardLevel(shardMetricNames.filter((name) => record.shardLevelMetrics.includes(name)));
  }

  /** Drops every series of a stream that no longer exists. */
  untrack(key: string): void {
    const series = this.#series.get(key);
    if (series === undefined) return;
    this.#series.delete(key);
    const labels = series.labelValues;
    for (const family of Object.values(this.#streamFamilies)) family.remove(...labels);
    this.removeShardChildren(series, shardMetricNames);
    this.#logBytes.remove(...labels);
  }

  /** A start time for `elapsedSeconds`. */
  startTimer(): number {
    return this.#monotonicMs();
  }

  elapsedSeconds(startMs: number): number {
    return (this.#monotonicMs() - startMs) / 1000;
  }

  /** Records appended to a shard (after they are durable). */
  recordIncoming(series: StreamSeries, shardIndex: number, records: number, bytes: number): void {
    series.metrics.incomingRecords.value += records;
    series.metrics.incomingBytes.value += bytes;
    const shard = series.shard(shardIndex);
    if (shard === undefined) return;
    if (shard.IncomingRecords !== undefined) shard.IncomingRecords.value += records;
    if (shard.IncomingBytes !== undefined) shard.IncomingBytes.value += bytes;
  }

  /** A successful GetRecords call on a shard. */
  recordGetRecords(
    series: StreamSeries,
    shardIndex: number,
    result: { records: number; bytes: number; iteratorAgeMs: number; latencySeconds: number },
  ): void {
    const { metrics } = series;
    metrics.getRecordsSuccess.value++;
    metrics.getRecordsRecords.value += result.records;
    metrics.getRecordsBytes.value += result.bytes;
    metrics.getRecordsLatency.observe(result.latencySeconds);
    series.iteratorAgeByShardMs.set(shardIndex, result.iteratorAgeMs);
    const shard = series.shard(shardIndex);
    if (shard === undefined) return;
    this.#recordOutgoing(shard, result.records, result.bytes);
    if (shard.IteratorAgeMilliseconds !== undefined)
      shard.IteratorAgeMilliseconds.value = result.iteratorAgeMs;
  }

  /** A SubscribeToShard event the transport took. */
  recordSubscribeEvent(
    series: StreamSeries,
    shardIndex: number,
    event: { records: number; bytes: number; millisBehindLatest: number },
  ): void {
    const { metrics } = series;
    metrics.subscribeToShardEventSuccess.value++;
    metrics.subscribeToShardEventRecords.value += event.records;
    metrics.subscribeToShardEventBytes.value += event.bytes;
    series.millisBehindByShard.set(shardIndex, event.millisBehindLatest);
    const shard = series.shard(shardIndex);
    if (shard !== undefined) this.#recordOutgoing(shard, event.records, event.bytes);
  }

  /** Throttling hook: `count` records to the shard were rejected for its write throughput. */
  recordWriteThrottled(stream: StreamIdentity, shardIndex: number, count: number): void {
    const series = this.#seriesOf(stream);
    if (series === undefined) return;
    series.metrics.writeProvisionedThroughputExceeded.value += count;
    const shard = series.shard(shardIndex)?.WriteProvisionedThroughputExceeded;
    if (shard !== undefined) shard.value += count;
  }

  /** Throttling hook: a GetRecords call on the shard was rejected for its read throughput. */
  recordReadThrottled(stream: StreamIdentity, shardIndex: number): void {
    const series = this.#seriesOf(stream);
    if (series === undefined) return;
    series.metrics.readProvisionedThroughputExceeded.value++;
    const shard = series.shard(shardIndex)?.ReadProvisionedThroughputExceeded;
    if (shard !== undefined) shard.value++;
  }

  /** Throttling hook: a SubscribeToShard call was refused (live subscription, or call rate). */
  recordSubscribeRateExceeded(stream: StreamIdentity): void {
    const series = this.#seriesOf(stream);
    if (series !== undefined) series.metrics.subscribeToShardRateExceeded.value++;
  }

  /** Children of the given shard-level names for one shard (created at zero). */
  shardChildren(series: StreamSeries, shardIndex: number, names: readonly ShardMetricName[]): ShardChildren {
    const children: Record<string, Counter | Gauge> = {};
    const labels = [...series.labelValues, shardIdOf(shardIndex)];
    for (const name of names) children[name] = this.#shardFamilies[name].child(...labels);
    return children as ShardChildren;
  }

  /** Removes the given shard-level names' children of every shard of the stream. */
  removeShardChildren(series: StreamSeries, names: readonly ShardMetricName[]): void {
    const [account, region, stream] = series.labelValues;
    const ofStream = (values: readonly string[]): boolean =>
      values[0] === account && values[1] === region && values[2] === stream;
    for (const name of names) this.#shardFamilies[name].removeWhere(ofStream);
  }

  #seriesOf(stream: StreamIdentity): StreamSeries | undefined {
    return this.#series.get(streamKey(stream.accountId, stream.region, stream.name));
  }

  #recordOutgoing(shard: ShardChildren, records: number, bytes: number): void {
    if (shard.OutgoingRecords !== undefined) shard.OutgoingRecords.value += records;
    if (shard.OutgoingBytes !== undefined) shard.OutgoingBytes.value += bytes;
  }

  /** Scrape time: the highest per-shard ages, and the bytes each stream's logs hold. */
  #refreshGauges(): void {
    for (const series of this.#series.values()) {
      series.metrics.getRecordsIteratorAge.value = highest(series.iteratorAgeByShardMs);
      series.metrics.subscribeToShardEventMillisBehindLatest.value = highest(series.millisBehindByShard);
      if (this.#storedBytesOf === undefined) continue;
      let bytes = 0;
      for (const shard of series.record.shards)
        bytes += this.#storedBytesOf(logIdOf(series.record, shard.index));
      this.#logBytes.child(...series.labelValues).value = bytes;
    }
  }
}

function familyOf(
  registry: MetricsRegistry,
  definition: MetricDefinition,
  level: 'stream' | 'shard',
  labels: readonly string[],
): MetricFamily<Counter | Gauge | Histogram> {
  const name = prometheusNameOf(definition, level);
  const help = `${definition.help} CloudWatch: ${definition.cloudWatchName}${level === 'shard' ? ' (shard level)' : ''}.`;
  switch (definition.kind) {
    case 'counter':
      return registry.counter(name, help, labels);
    case 'gauge':
      return registry.gauge(name, help, labels);
    case 'latency':
      return registry.histogram(name, help, labels, latencyBucketsSeconds);
  }
}

function highest(valuesByShard: ReadonlyMap<number, number>): number {
  let result = 0;
  for (const value of valuesByShard.values()) result = Math.max(result, value);
  return result;
}

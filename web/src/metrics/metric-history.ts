/**
 * Turns successive reads of /metrics into chart series. A snapshot is one read, stamped with the
 * browser's clock when it arrived; the history keeps the latest `historyLengthMax` of them.
 * Counters become per-second rates between consecutive snapshots (a counter that went down was
 * reset, e.g. a stream created again under its name, and counts from zero, as Prometheus'
 * `rate()` takes it); gauges are drawn as read. Several samples matching one query are summed for
 * counters and maximised for gauges (CloudWatch's Sum and Maximum). Pure: no DOM.
 */
import type { Exposition, MetricType } from './prometheus-text.js';

export interface Snapshot {
  readonly timeMs: number;
  readonly exposition: Exposition;
}

export type SeriesKind = 'rate' | 'gauge';

export interface SeriesQuery {
  /** The sample name, e.g. `tributary_kinesis_incoming_records_total`. */
  readonly metric: string;
  /** Labels every matching sample must have, with these values. */
  readonly labels: Readonly<Record<string, string>>;
  readonly kind: SeriesKind;
}

/** Four minutes of history at the console's 2-second poll. */
export const historyLengthMax = 120;

export function appendSnapshot(
  history: readonly Snapshot[],
  snapshot: Snapshot,
  lengthMax = historyLengthMax,
): Snapshot[] {
  const kept = history.length >= lengthMax ? history.slice(history.length - lengthMax + 1) : history;
  return [...kept, snapshot];
}

/** The query's value in one read: undefined when no sample matches. */
export function valueIn(exposition: Exposition, query: SeriesQuery): number | undefined {
  let result: number | undefined;
  for (const sample of exposition.samples) {
    if (sample.name !== query.metric || !labelsMatch(sample.labels, query.labels)) continue;
    if (result === undefined) result = sample.value;
    else result = query.kind === 'rate' ? result + sample.value : Math.max(result, sample.value);
  }
  return result;
}

function labelsMatch(
  labels: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, string>>,
): boolean {
  for (const [name, value] of Object.entries(wanted)) if (labels[name] !== value) return false;
  return true;
}

/**
 * One value per snapshot (null where there is none): for a gauge the value read; for a rate the
 * increase since the previous snapshot per second of the browser's clock.
 */
export function seriesValues(history: readonly Snapshot[], query: SeriesQuery): (number | null)[] {
  const raw = history.map((snapshot) => valueIn(snapshot.exposition, query));
  if (query.kind === 'gauge') return raw.map((value) => value ?? null);
  return raw.map((value, index) => {
    if (index === 0 || value === undefined) return null;
    const previous = raw[index - 1];
    const elapsedSeconds = ((history[index]?.timeMs ?? 0) - (history[index - 1]?.timeMs ?? 0)) / 1000;
    if (previous === undefined || elapsedSeconds <= 0) return null;
    const increase = value >= previous ? value - previous : value;
    return increase / elapsedSeconds;
  });
}

/** The snapshot times in seconds, as uPlot's x values. */
export function timesInSeconds(history: readonly Snapshot[]): number[] {
  return history.map((snapshot) => snapshot.timeMs / 1000);
}

export interface Family {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string | undefined;
  /** The first of the label sets asked for that the family's samples have: the one to query with. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The counter and gauge families whose name starts with `prefix` and that have a sample with one
 * of `labelSets`, in name order: what a page can chart when it does not know the names (or the
 * label naming the resource) in advance, as for the Firehose metrics of a delivery stream.
 */
export function familiesWith(
  exposition: Exposition,
  prefix: string,
  labelSets: readonly Readonly<Record<string, string>>[],
): Family[] {
  const found = new Map<string, Readonly<Record<string, string>>>();
  for (const sample of exposition.samples) {
    if (!sample.name.startsWith(prefix) || found.has(sample.name)) continue;
    const labels = labelSets.find((wanted) => labelsMatch(sample.labels, wanted));
    if (labels !== undefined) found.set(sample.name, labels);
  }
  const families: Family[] = [];
  for (const [name, labels] of [...found].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const type = exposition.types.get(name);
    if (type !== 'counter' && type !== 'gauge') continue;
    families.push({ name, type, help: exposition.help.get(name), labels });
  }
  return families;
}

/**
 * A small metrics core: counters, gauges and fixed-bucket histograms grouped in labelled
 * families, rendered in the Prometheus text exposition format 0.0.4 (`# HELP`, `# TYPE`, one
 * sample a line, label values escaped).
 *
 * Hot paths hold on to a child (one label set) and add to its plain `value` field: no lookup,
 * no allocation per update. Families look children up by their label values only when a caller
 * asks for one (`child`), and drop them (`remove`, `removeWhere`) so that the series of deleted
 * things go away: the number of series is bounded by what exists, not by what ever existed.
 *
 * Invariants: a family's name and label names are valid Prometheus names and never change; a
 * child has exactly one value per label name; histogram buckets are strictly increasing and
 * finite (`+Inf` is implied).
 */
import { assert } from './assert.js';

export type MetricType = 'counter' | 'gauge' | 'histogram';

const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A value that only goes up (until the process restarts or its series is removed). */
export class Counter {
  value = 0;

  inc(amount = 1): void {
    this.value += amount;
  }
}

/** A value that goes up and down. */
export class Gauge {
  value = 0;

  set(value: number): void {
    this.value = value;
  }
}

/** Observations counted into fixed buckets (upper bounds, inclusive), with their sum. */
export class Histogram {
  readonly upperBounds: readonly number[];
  /** Per bucket (not cumulative); the last slot counts what is above every bound. */
  readonly bucketCounts: Float64Array;
  sum = 0;
  count = 0;

  constructor(upperBounds: readonly number[]) {
    this.upperBounds = upperBounds;
    this.bucketCounts = new Float64Array(upperBounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.upperBounds;
    let index = 0;
    while (index < bounds.length && value > (bounds[index] as number)) index++;
    this.bucketCounts[index] = (this.bucketCounts[index] as number) + 1;
    this.sum += value;
    this.count++;
  }
}

type Child = Counter | Gauge | Histogram;

/** The children of one metric name, by label values. */
export class MetricFamily<C extends Child> {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labelNames: readonly string[];
  readonly #create: () => C;
  readonly #children = new Map<string, { labelValues: readonly string[]; child: C }>();

  constructor(name: string, help: string, type: MetricType, labelNames: readonly string[], create: () => C) {
    assert(metricNamePattern.test(name), `invalid metric name ${name}`);
    for (const label of labelNames) {
      assert(labelNamePattern.test(label) && !label.startsWith('__'), `invalid label name ${label}`);
      assert(!(type === 'histogram' && label === 'le'), 'a histogram cannot have a label named le');
    }
    this.name = name;
    this.help = help;
    this.type = type;
    this.labelNames = labelNames;
    this.#create = create;
  }

  /** The child with these label values (in `labelNames` order), created at zero if new. */
  child(...labelValues: string[]): C {
    assert(
      labelValues.length === this.labelNames.length,
      `${this.name} takes ${this.labelNames.length} labels`,
    );
    const key = childKey(labelValues);
    let entry = this.#children.get(key);
    if (entry === undefined) {
      entry = { labelValues, child: this.#create() };
      this.#children.set(key, entry);
    }
    return entry.child;
  }

  has(...labelValues: string[]): boolean {
    return this.#children.has(childKey(labelValues));
  }

  remove(...labelValues: string[]): void {
    this.#children.delete(childKey(labelValues));
  }

  /** Removes every child whose label values satisfy `predicate`. */
  removeWhere(predicate: (labelValues: readonly string[]) => boolean): void {
    for (const [key, entry] of this.#children) {
      if (predicate(entry.labelValues)) this.#children.delete(key);
    }
  }

  get size(): number {
    return this.#children.size;
  }

  /** Appends this family's exposition (nothing when it has no children). */
  render(lines: string[]): void {
    if (this.#children.size === 0) return;
    lines.push(`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`);
    for (const { labelValues, child } of this.#children.values()) {
      const labels = this.labelNames.map(
        (name, index) => `${name}="${escapeLabelValue(labelValues[index] as string)}"`,
      );
      if (child instanceof Histogram) renderHistogram(lines, this.name, labels, child);
      else lines.push(`${this.name}${labelBlock(labels)} ${formatValue(child.value)}`);
    }
  }
}

function renderHistogram(
  lines: string[],
  name: string,
  labels: readonly string[],
  histogram: Histogram,
): void {
  let cumulative = 0;
  histogram.upperBounds.forEach((bound, index) => {
    cumulative += histogram.bucketCounts[index] as number;
    lines.push(
      `${name}_bucket${labelBlock([...labels, `le="${formatValue(bound)}"`])} ${formatValue(cumulative)}`,
    );
  });
  lines.push(`${name}_bucket${labelBlock([...labels, 'le="+Inf"'])} ${formatValue(histogram.count)}`);
  lines.push(`${name}_sum${labelBlock(labels)} ${formatValue(histogram.sum)}`);
  lines.push(`${name}_count${labelBlock(labels)} ${formatValue(histogram.count)}`);
}

/** Every family of a process (or a test), rendered in registration order. */
export class MetricsRegistry {
  readonly #families = new Map<string, MetricFamily<Child>>();
  readonly #beforeRender: (() => void)[] = [];

  counter(name: string, help: string, labelNames: readonly string[] = []): MetricFamily<Counter> {
    return this.#register(new MetricFamily(name, help, 'counter', labelNames, () => new Counter()));
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): MetricFamily<Gauge> {
    return this.#register(new MetricFamily(name, help, 'gauge', labelNames, () => new Gauge()));
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[],
    upperBounds: readonly number[],
  ): MetricFamily<Histogram> {
    for (let index = 0; index < upperBounds.length; index++) {
      const bound = upperBounds[index] as number;
      assert(Number.isFinite(bound), `${name}: bucket bounds must be finite`);
      assert(
        index === 0 || bound > (upperBounds[index - 1] as number),
        `${name}: bucket bounds must increase`,
      );
    }
    const bounds = [...upperBounds];
    return this.#register(new MetricFamily(name, help, 'histogram', labelNames, () => new Histogram(bounds)));
  }

  /** Runs `refresh` before each render: for values read at scrape time (memory, file sizes). */
  beforeRender(refresh: () => void): void {
    this.#beforeRender.push(refresh);
  }

  family(name: string): MetricFamily<Child> | undefined {
    return this.#families.get(name);
  }

  /** The text exposition format 0.0.4, ending with a newline. */
  render(): string {
    for (const refresh of this.#beforeRender) refresh();
    const lines: string[] = [];
    for (const family of this.#families.values()) family.render(lines);
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  #register<C extends Child>(family: MetricFamily<C>): MetricFamily<C> {
    assert(!this.#families.has(family.name), `metric ${family.name} is registered twice`);
    this.#families.set(family.name, family as unknown as MetricFamily<Child>);
    return family;
  }
}

/** The Content-Type of `MetricsRegistry.render()`. */
export const prometheusTextContentType = 'text/plain; version=0.0.4; charset=utf-8';

function childKey(labelValues: readonly string[]): string {
  // U+0000 cannot be confused with label text in practice, and keeps the key one string.
  return labelValues.join('\u0000');
}

function labelBlock(labels: readonly string[]): string {
  return labels.length === 0 ? '' : `{${labels.join(',')}}`;
}

/** Label values escape backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (character) =>
    character === '\n' ? '\\n' : character === '"' ? '\\"' : '\\\\',
  );
}

/** HELP text escapes backslash and line feed. */
function escapeHelp(help: string): string {
  return help.replace(/[\\\n]/g, (character) => (character === '\n' ? '\\n' : '\\\\'));
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * Per-application metrics in `/metrics` (docs/metrics.md), after Kinesis Data Analytics'
 * CloudWatch metrics: MillisBehindLatest per input, Records in (per input and per input
 * in-application stream) and out (per output), error_stream rows, and whether the application
 * runs. Series exist from an application's first start in this process until it is deleted; the
 * counters start from zero when the server starts.
 */
import type { Counter, Gauge, MetricFamily, MetricsRegistry } from '../../core/metrics.js';

export interface ApplicationLabels {
  readonly accountId: string;
  readonly region: string;
  readonly application: string;
}

export class ApplicationMetrics {
  readonly #millisBehind: MetricFamily<Gauge>;
  readonly #inputRecords: MetricFamily<Counter>;
  readonly #streamRows: MetricFamily<Counter>;
  readonly #outputRecords: MetricFamily<Counter>;
  readonly #errorRows: MetricFamily<Counter>;
  readonly #running: MetricFamily<Gauge>;

  constructor(registry: MetricsRegistry) {
    const app = ['account', 'region', 'application'];
    this.#millisBehind = registry.gauge(
      'tributary_kinesisanalytics_millis_behind_latest',
      'How far behind the newest record of its source an input reads, in milliseconds. CloudWatch: MillisBehindLatest.',
      [...app, 'input'],
    );
    this.#inputRecords = registry.counter(
      'tributary_kinesisanalytics_input_records_total',
      'Records read from an input source. CloudWatch: Records (Flow Input).',
      [...app, 'input'],
    );
    this.#streamRows = registry.counter(
      'tributary_kinesisanalytics_in_application_stream_rows_total',
      'Rows inserted into an input in-application stream (records mapped by the input schema).',
      [...app, 'stream'],
    );
    this.#outputRecords = registry.counter(
      'tributary_kinesisanalytics_output_records_total',
      'Records written to an output destination. CloudWatch: Records (Flow Output).',
      [...app, 'output', 'stream'],
    );
    this.#errorRows = registry.counter(
      'tributary_kinesisanalytics_error_rows_total',
      'Rows of error_stream: records that could not be mapped and rows that failed in a pump.',
      app,
    );
    this.#running = registry.gauge(
      'tributary_kinesisanalytics_running',
      'Whether the application runs in this server (1) or not (0).',
      app,
    );
  }

  /** The children of one application, created now (so that they read 0 before any row). */
  of(labels: ApplicationLabels): OneApplicationMetrics {
    const app = [labels.accountId, labels.region, labels.application];
    return {
      millisBehindLatest: (inputId) => this.#millisBehind.child(...app, inputId),
      inputRecords: (inputId) => this.#inputRecords.child(...app, inputId),
      streamRows: (stream) => this.#streamRows.child(...app, stream),
      outputRecords: (outputId, stream) => this.#outputRecords.child(...app, outputId, stream),
      errorRows: this.#errorRows.child(...app),
      running: this.#running.child(...app),
    };
  }

  /** Drops every series of a deleted application. */
  forget(labels: ApplicationLabels): void {
    const matches = (values: readonly string[]) =>
      values[0] === labels.accountId && values[1] === labels.region && values[2] === labels.application;
    for (const family of [
      this.#millisBehind,
      this.#inputRecords,
      this.#streamRows,
      this.#outputRecords,
      this.#errorRows,
      this.#running,
    ] as MetricFamily<Counter | Gauge>[]) {
      family.removeWhere(matches);
    }
  }
}

export interface OneApplicationMetrics {
  millisBehindLatest(inputId: string): Gauge;
  inputRecords(inputId: string): Counter;
  streamRows(stream: string): Counter;
  outputRecords(outputId: string, stream: string): Counter;
  readonly errorRows: Counter;
  readonly running: Gauge;
}

/**
 * Per-application metrics in `/metrics` (docs/metrics.md), after Kinesis Data Analytics'
 * CloudWatch metrics: MillisBehindLatest per input, Records in (per input and per input
 * in-application stream) and out (per output), the InputProcessing.* metrics of inputs with a
 * preprocessing function (per input), error_stream rows, and whether the application runs. Series exist from an application's first start in this process until it is deleted; the
 * counters start from zero when the server starts.
 */
import type { Counter, Gauge, Histogram, MetricFamily, MetricsRegistry } from '../../core/metrics.js';

/** Preprocessing invocations take from milliseconds to Lambda's longest timeout. */
const invocationBucketsSeconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

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
  readonly #processingDuration: MetricFamily<Histogram>;
  readonly #processingCounters: Readonly<Record<ProcessingCounter, MetricFamily<Counter>>>;

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
    const input = [...app, 'input'];
    this.#processingDuration = registry.histogram(
      'tributary_kinesisanalytics_input_processing_duration_seconds',
      'Time taken by each invocation of an input preprocessing function. CloudWatch: InputProcessing.Duration.',
      input,
      invocationBucketsSeconds,
    );
    const counter = (name: string, help: string) =>
      registry.counter(`tributary_kinesisanalytics_input_processing_${name}_total`, help, input);
    this.#processingCounters = {
      okRecords: counter(
        'ok_records',
        'Records the preprocessing function returned with result Ok. CloudWatch: InputProcessing.OkRecords.',
      ),
      okBytes: counter(
        'ok_bytes',
        'Bytes of the records the preprocessing function returned with result Ok. CloudWatch: InputProcessing.OkBytes.',
      ),
      droppedRecords: counter(
        'dropped_records',
        'Records the preprocessing function returned with result Dropped. CloudWatch: InputProcessing.DroppedRecords.',
      ),
      processingFailedRecords: counter(
        'processing_failed_records',
        'Records the preprocessing function returned with result ProcessingFailed. CloudWatch: InputProcessing.ProcessingFailedRecords.',
      ),
      success: counter(
        'success',
        'Successful invocations of the preprocessing function. CloudWatch: InputProcessing.Success.',
      ),
      failedInvocations: counter(
        'failed_invocations',
        'Invocations of the preprocessing function that failed (error, timeout, a response that breaks the contract); retried with back-off.',
      ),
    };
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
      inputProcessing: (inputId) => ({
        duration: this.#processingDuration.child(...app, inputId),
        okRecords: this.#processingCounters.okRecords.child(...app, inputId),
        okBytes: this.#processingCounters.okBytes.child(...app, inputId),
        droppedRecords: this.#processingCounters.droppedRecords.child(...app, inputId),
        processingFailedRecords: this.#processingCounters.processingFailedRecords.child(...app, inputId),
        success: this.#processingCounters.success.child(...app, inputId),
        failedInvocations: this.#processingCounters.failedInvocations.child(...app, inputId),
      }),
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
      this.#processingDuration,
      ...Object.values(this.#processingCounters),
    ] as MetricFamily<Counter | Gauge | Histogram>[]) {
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
  /** The InputProcessing.* metrics of an input with a preprocessing function. */
  inputProcessing(inputId: string): InputProcessingMetrics;
}

type ProcessingCounter = Exclude<keyof InputProcessingMetrics, 'duration'>;

export interface InputProcessingMetrics {
  readonly duration: Histogram;
  readonly okRecords: Counter;
  readonly okBytes: Counter;
  readonly droppedRecords: Counter;
  readonly processingFailedRecords: Counter;
  readonly success: Counter;
  readonly failedInvocations: Counter;
}

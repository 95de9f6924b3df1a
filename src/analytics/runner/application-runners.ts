/**
 * The `ApplicationRuntime` over `ApplicationRunner`s: which configurations can run here, and the
 * running applications by catalog key. Wired by the server whenever it has an engine factory
 * (the SQL engine unless a test wires another or none). Starting and stopping is told to the live
 * results' listeners (`taps`) and shown in the application metrics.
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { Clock } from '../../core/clock.js';
import type { ApplicationRecord } from '../api/application-model.js';
import type { ApplicationRuntime } from '../api/application-runtime.js';
import type { MetricsRegistry } from '../../core/metrics.js';
import type { ApplicationEngineFactory } from './application-engine.js';
import { ApplicationMetrics, type ApplicationLabels } from './application-metrics.js';
import { ApplicationRunner, type RunnerDependencies, type RunnerOptions } from './application-runner.js';
import { CheckpointStore } from './checkpoint-store.js';
import type { FunctionInvoker } from './input-preprocessor.js';
import { LiveTaps } from './live-taps.js';
import type { Logger } from './output-writer.js';
import type { ReferenceObjects } from './reference-data.js';
import type { StreamGateway } from './stream-gateway.js';

export const runnerDefaults: RunnerOptions = { pollIntervalMs: 200, recordsPerReadMax: 1000 };

const noFunctions: FunctionInvoker = {
  invoke: (reference) =>
    Promise.resolve({
      ok: false,
      failure: { kind: 'ResourceNotFound', message: `Function not found: ${reference}` },
    }),
};

export class ApplicationRunners implements ApplicationRuntime {
  readonly #runners = new Map<string, ApplicationRunner>();
  readonly #deps: RunnerDependencies;
  readonly #metrics: ApplicationMetrics;
  /** Labels of the applications that ran, by key: their metrics series. */
  readonly #labels = new Map<string, ApplicationLabels>();
  /** Live results' listeners; the HTTP endpoint subscribes here. */
  readonly taps: LiveTaps;

  constructor(deps: {
    gateway: StreamGateway;
    catalog: Catalog;
    clock: Clock;
    engineFactory: ApplicationEngineFactory;
    logger: Logger;
    references: ReferenceObjects;
    metrics: MetricsRegistry;
    /** The function registry, for InputLambdaProcessor; none: every invocation is not found. */
    functions?: FunctionInvoker;
    taps?: LiveTaps;
    options?: RunnerOptions;
  }) {
    this.taps = deps.taps ?? new LiveTaps();
    this.#metrics = new ApplicationMetrics(deps.metrics);
    this.#deps = {
      gateway: deps.gateway,
      checkpoints: new CheckpointStore(deps.catalog),
      clock: deps.clock,
      engineFactory: deps.engineFactory,
      logger: deps.logger,
      references: deps.references,
      taps: this.taps,
      functions: deps.functions ?? noFunctions,
      options: deps.options ?? runnerDefaults,
    };
  }

  /** Every configuration runs: Lambda inputs and outputs resolve through the function registry. */
  checkRunnable(): void {}

  async start(key: string, record: ApplicationRecord, options: { readonly resume: boolean }): Promise<void> {
    await this.stop(key);
    const labels = { accountId: record.accountId, region: record.region, application: record.name };
    this.#labels.set(key, labels);
    const metrics = this.#metrics.of(labels);
    const runner = await ApplicationRunner.start(key, record, this.#deps, options.resume, metrics);
    this.#runners.set(key, runner);
    metrics.running.set(1);
    this.taps.status(key, 'RUNNING');
  }

  async stop(key: string): Promise<void> {
    const runner = this.#runners.get(key);
    this.#runners.delete(key);
    if (runner === undefined) return;
    await runner.stop();
    const labels = this.#labels.get(key);
    if (labels !== undefined) this.#metrics.of(labels).running.set(0);
    this.taps.status(key, 'READY');
  }

  async forget(key: string): Promise<void> {
    await this.#deps.checkpoints.forget(key);
    const labels = this.#labels.get(key);
    this.#labels.delete(key);
    if (labels !== undefined) this.#metrics.forget(labels);
  }

  async close(): Promise<void> {
    const runners = [...this.#runners.values()];
    this.#runners.clear();
    await Promise.all(runners.map((runner) => runner.stop()));
  }

  /** The running application of a key, for tests and metrics. */
  runner(key: string): ApplicationRunner | undefined {
    return this.#runners.get(key);
  }
}

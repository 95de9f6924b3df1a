/**
 * The `ApplicationRuntime` over `ApplicationRunner`s: which configurations can run here, and the
 * running applications by catalog key. Wired by the server whenever it has an engine factory
 * (the SQL engine unless a test wires another or none).
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { Clock } from '../../core/clock.js';
import { unsupportedOperation } from '../api/analytics-errors.js';
import type { ApplicationRecord } from '../api/application-model.js';
import type { ApplicationRuntime } from '../api/application-runtime.js';
import type { ApplicationEngineFactory } from './application-engine.js';
import { ApplicationRunner, type RunnerOptions } from './application-runner.js';
import { CheckpointStore } from './checkpoint-store.js';
import type { Logger } from './output-writer.js';
import type { StreamGateway } from './stream-gateway.js';

export const runnerDefaults: RunnerOptions = { pollIntervalMs: 200, recordsPerReadMax: 1000 };

export class ApplicationRunners implements ApplicationRuntime {
  readonly #runners = new Map<string, ApplicationRunner>();
  readonly #deps: {
    gateway: StreamGateway;
    checkpoints: CheckpointStore;
    clock: Clock;
    engineFactory: ApplicationEngineFactory;
    logger: Logger;
    options: RunnerOptions;
  };

  constructor(deps: {
    gateway: StreamGateway;
    catalog: Catalog;
    clock: Clock;
    engineFactory: ApplicationEngineFactory;
    logger: Logger;
    options?: RunnerOptions;
  }) {
    this.#deps = {
      gateway: deps.gateway,
      checkpoints: new CheckpointStore(deps.catalog),
      clock: deps.clock,
      engineFactory: deps.engineFactory,
      logger: deps.logger,
      options: deps.options ?? runnerDefaults,
    };
  }

  checkRunnable(record: ApplicationRecord): void {
    for (const { input } of record.inputs) {
      if (input.KinesisStreamsInput === undefined) {
        throw unsupportedOperation('Applications reading a Firehose delivery stream cannot run yet.');
      }
      if (input.InputProcessingConfiguration !== undefined) {
        throw unsupportedOperation('Input preprocessing by a Lambda function is not supported yet.');
      }
    }
    for (const { output } of record.outputs) {
      if (output.KinesisStreamsOutput === undefined) {
        throw unsupportedOperation(
          'Only Kinesis stream outputs can be written yet (Firehose and Lambda outputs cannot).',
        );
      }
    }
    if (record.references.length > 0) {
      throw unsupportedOperation('Applications with a reference data source cannot run yet.');
    }
  }

  async start(key: string, record: ApplicationRecord, options: { readonly resume: boolean }): Promise<void> {
    await this.stop(key);
    this.#runners.set(key, await ApplicationRunner.start(key, record, this.#deps, options.resume));
  }

  async stop(key: string): Promise<void> {
    const runner = this.#runners.get(key);
    this.#runners.delete(key);
    await runner?.stop();
  }

  async forget(key: string): Promise<void> {
    await this.#deps.checkpoints.forget(key);
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

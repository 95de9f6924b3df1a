/**
 * Application status transitions on a manual clock: STARTING → RUNNING, STOPPING → READY,
 * DELETING → gone, a transition finished by a new service after a "restart" in its middle, a
 * RUNNING application resumed at open, and the checks that depend on status.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryCatalog } from '../../catalog/memory-catalog.js';
import { ManualClock } from '../../core/clock.js';
import { ServiceError } from '../../core/errors.js';
import { createApplication } from './actions/create-application.js';
import { deleteApplication } from './actions/delete-application.js';
import { startApplication } from './actions/start-application.js';
import { stopApplication } from './actions/stop-application.js';
import type { ActionContext } from './actions/action.js';
import { AnalyticsService } from './analytics-service.js';
import { applicationKey, type ApplicationRecord } from './application-model.js';
import type { ApplicationRuntime } from './application-runtime.js';

const scope = { accountId: '123456789012', region: 'eu-west-1' };
const key = (name: string) => applicationKey(scope.accountId, scope.region, name);
const transitionDelayMs = 1000;

/** A runtime that only records what it is asked to do. */
class RecordingRuntime implements ApplicationRuntime {
  readonly calls: string[] = [];
  checkRunnable(): void {}
  async start(key: string, _record: ApplicationRecord, options: { readonly resume: boolean }): Promise<void> {
    this.calls.push(`start ${key} resume=${options.resume}`);
  }
  async stop(key: string): Promise<void> {
    this.calls.push(`stop ${key}`);
  }
  async forget(key: string): Promise<void> {
    this.calls.push(`forget ${key}`);
  }
  async close(): Promise<void> {
    this.calls.push('close');
  }
}

function newService(catalog: MemoryCatalog, clock: ManualClock, runtime: RecordingRuntime): AnalyticsService {
  return new AnalyticsService({
    catalog,
    clock,
    logger: () => {},
    options: { transitionDelayMs, bucketsDirectory: '/nonexistent' },
    runtime,
  });
}

const input = {
  NamePrefix: 'SOURCE_SQL_STREAM',
  KinesisStreamsInput: {
    ResourceARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/s',
    RoleARN: 'arn:aws:iam::123456789012:role/r',
  },
  InputSchema: {
    RecordFormat: {
      RecordFormatType: 'CSV' as const,
      MappingParameters: { CSVMappingParameters: { RecordRowDelimiter: '\n', RecordColumnDelimiter: ',' } },
    },
    RecordColumns: [{ Name: 'a', SqlType: 'INTEGER' }],
  },
};

/** Lets the transitions the clock started finish (they run on the service's queues). */
async function settle(service: AnalyticsService, name: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    await new Promise((resolve) => setImmediate(resolve));
    await service.mutate(key(name), () => ({ result: undefined }));
  }
}

const statusOf = (service: AnalyticsService, name: string) => service.find(scope, name).record.status;

describe('AnalyticsService transitions', () => {
  it('starts, stops and deletes through the transitional statuses', async () => {
    const catalog = new MemoryCatalog();
    await catalog.open();
    const clock = new ManualClock();
    const runtime = new RecordingRuntime();
    const service = newService(catalog, clock, runtime);
    await service.open();
    const context: ActionContext = { service, scope };
    await createApplication.run(context, { ApplicationName: 'app', Inputs: [input] } as never);
    await startApplication.run(context, {
      ApplicationName: 'app',
      InputConfigurations: [
        { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'TRIM_HORIZON' } },
      ],
    } as never);
    assert.equal(statusOf(service, 'app'), 'STARTING');
    await assert.rejects(
      startApplication.run(context, { ApplicationName: 'app', InputConfigurations: [] } as never),
      {
        code: 'ResourceInUseException',
        message: 'Application app is in STARTING state; the operation is not available.',
      },
    );
    clock.advance(transitionDelayMs - 1);
    await settle(service, 'app');
    assert.equal(statusOf(service, 'app'), 'STARTING');
    clock.advance(1);
    await settle(service, 'app');
    assert.equal(statusOf(service, 'app'), 'RUNNING');
    assert.equal(service.find(scope, 'app').record.inputs[0]?.startingPosition, 'TRIM_HORIZON');

    await stopApplication.run(context, { ApplicationName: 'app' } as never);
    assert.equal(statusOf(service, 'app'), 'STOPPING');
    clock.advance(transitionDelayMs);
    await settle(service, 'app');
    assert.equal(statusOf(service, 'app'), 'READY');

    const createdAtMs = service.find(scope, 'app').record.createdAtMs;
    await deleteApplication.run(context, {
      ApplicationName: 'app',
      CreateTimestamp: new Date(createdAtMs),
    } as never);
    assert.equal(statusOf(service, 'app'), 'DELETING');
    await assert.rejects(
      deleteApplication.run(context, {
        ApplicationName: 'app',
        CreateTimestamp: new Date(createdAtMs),
      } as never),
      { code: 'ResourceInUseException' },
    );
    clock.advance(transitionDelayMs);
    await settle(service, 'app');
    assert.throws(() => service.find(scope, 'app'), { code: 'ResourceNotFoundException' });
    assert.equal(await catalog.get(key('app')), undefined);
    assert.deepEqual(runtime.calls, [
      `start ${key('app')} resume=false`,
      `stop ${key('app')}`,
      `stop ${key('app')}`,
      `forget ${key('app')}`,
    ]);
  });

  it('finishes a transition begun before a restart, and resumes RUNNING applications at open', async () => {
    const catalog = new MemoryCatalog();
    await catalog.open();
    const clock = new ManualClock();
    const first = newService(catalog, clock, new RecordingRuntime());
    await first.open();
    await createApplication.run({ service: first, scope }, {
      ApplicationName: 'app',
      Inputs: [input],
    } as never);
    await createApplication.run({ service: first, scope }, {
      ApplicationName: 'other',
      Inputs: [input],
    } as never);
    const start = {
      InputConfigurations: [
        { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'NOW' } },
      ],
    };
    await startApplication.run({ service: first, scope }, { ApplicationName: 'app', ...start } as never);
    await startApplication.run({ service: first, scope }, { ApplicationName: 'other', ...start } as never);
    clock.advance(transitionDelayMs);
    await settle(first, 'other');
    await settle(first, 'app');
    await stopApplication.run({ service: first, scope }, { ApplicationName: 'app' } as never);
    await first.close();

    const runtime = new RecordingRuntime();
    const second = newService(catalog, clock, runtime);
    await second.open();
    assert.equal(statusOf(second, 'app'), 'STOPPING');
    assert.deepEqual(runtime.calls, [`start ${key('other')} resume=true`]);
    clock.advance(transitionDelayMs);
    await settle(second, 'app');
    assert.equal(statusOf(second, 'app'), 'READY');
    assert.equal(statusOf(second, 'other'), 'RUNNING');
  });

  it('refuses to start an application without input, or without an engine', async () => {
    const catalog = new MemoryCatalog();
    await catalog.open();
    const clock = new ManualClock();
    const service = newService(catalog, clock, new RecordingRuntime());
    await service.open();
    await createApplication.run({ service, scope }, { ApplicationName: 'bare' } as never);
    await assert.rejects(
      startApplication.run({ service, scope }, { ApplicationName: 'bare', InputConfigurations: [] } as never),
      (error: unknown) =>
        error instanceof ServiceError &&
        error.code === 'InvalidApplicationConfigurationException' &&
        error.message === 'Application bare has no input: add one with AddApplicationInput.',
    );
    const engineless = new AnalyticsService({
      catalog,
      clock,
      logger: () => {},
      options: { transitionDelayMs, bucketsDirectory: '/nonexistent' },
    });
    await engineless.open();
    await assert.rejects(
      startApplication.run({ service: engineless, scope }, {
        ApplicationName: 'bare',
        InputConfigurations: [],
      } as never),
      { code: 'UnsupportedOperationException' },
    );
  });
});

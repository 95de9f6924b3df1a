/**
 * Disk faults seen through the Streams API, on the real file log store over a file system that
 * fails on demand: a full disk fails writes with a clear, retryable error and corrupts nothing;
 * once space is back, writes succeed and every acknowledged record reads back in order. A record
 * whose bytes rot on disk is reported, never returned as data. The metrics tell failed records
 * from written ones.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MemoryCatalog } from '../../src/catalog/memory-catalog.js';
import { ManualClock } from '../../src/core/clock.js';
import { ServiceError } from '../../src/core/errors.js';
import { MetricsRegistry } from '../../src/core/metrics.js';
import { FileLogStore } from '../../src/log/file/file-log-store.js';
import { createStream } from '../../src/streams/actions/create-stream.js';
import { getRecords } from '../../src/streams/actions/get-records.js';
import { getShardIterator } from '../../src/streams/actions/get-shard-iterator.js';
import { putRecord } from '../../src/streams/actions/put-record.js';
import { putRecords } from '../../src/streams/actions/put-records.js';
import { StreamsService } from '../../src/streams/streams-service.js';
import { StreamMetrics } from '../../src/streams/stream-metrics.js';
import { parsePrometheusText, valueOf } from '../helpers/prometheus-text.js';
import { FaultyFileSystem } from '../log/faulty-file-system.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };

interface Fixture {
  readonly service: StreamsService;
  readonly logStore: FileLogStore;
  readonly catalog: MemoryCatalog;
  readonly fileSystem: FaultyFileSystem;
  readonly clock: ManualClock;
  readonly directory: string;
  readonly registry: MetricsRegistry;
}

const logLines: string[] = [];

async function openFixture(
  directory: string,
  fileSystem = new FaultyFileSystem(),
  existingCatalog?: MemoryCatalog,
): Promise<Fixture> {
  const clock = new ManualClock(Date.now());
  const logStore = new FileLogStore({ directory, fileSystem, clock, rollPolicy: { segmentBytesMax: 4096 } });
  const catalog = existingCatalog ?? new MemoryCatalog();
  const registry = new MetricsRegistry();
  await logStore.open();
  if (existingCatalog === undefined) await catalog.open();
  const service = new StreamsService({
    catalog,
    logStore,
    clock,
    logger: (message) => logLines.push(message),
    options: { transitionDelayMs: 0, accountShardLimit: 500 },
    metrics: new StreamMetrics(registry),
  });
  await service.open();
  if (existingCatalog !== undefined)
    return { service, logStore, catalog, fileSystem, clock, directory, registry };
  await createStream.run({ service, scope }, { StreamName: 's', ShardCount: 1 });
  clock.advance(1);
  for (
    let attempt = 0;
    service.lookup(scope.accountId, scope.region, 's')?.record.status !== 'ACTIVE';
    attempt++
  ) {
    assert.ok(attempt < 1000, 'stream did not become ACTIVE');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { service, logStore, catalog, fileSystem, clock, directory, registry };
}

async function readAll(service: StreamsService): Promise<string[]> {
  const { ShardIterator } = (await getShardIterator.run(
    { service, scope },
    { StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' },
  )) as { ShardIterator: string };
  const page = (await getRecords.run({ service, scope }, { ShardIterator })) as {
    Records: { Data: Buffer }[];
  };
  return page.Records.map((record) => record.Data.toString());
}

const put = (service: StreamsService, data: string) =>
  putRecord.run({ service, scope }, { StreamName: 's', PartitionKey: 'k', Data: Buffer.from(data) });

describe('storage faults through the Streams API', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'tributary-faults-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('a full disk fails writes with a retryable error, then writes succeed once space is freed', async () => {
    const { service, fileSystem, registry } = await openFixture(directory);
    await put(service, 'before');

    fileSystem.failWritesWith = 'ENOSPC';
    fileSystem.partialWriteBytes = 7;
    await assert.rejects(
      put(service, 'lost'),
      (error: unknown) =>
        error instanceof ServiceError &&
        error.code === 'ServiceUnavailable' &&
        error.status === 503 &&
        /could not be made durable \(ENOSPC\)/.test(error.message),
    );
    const batch = (await putRecords.run(
      { service, scope },
      { StreamName: 's', Records: [{ PartitionKey: 'k', Data: Buffer.from('also lost') }] },
    )) as { FailedRecordCount: number; Records: { ErrorCode?: string; ErrorMessage?: string }[] };
    assert.equal(batch.FailedRecordCount, 1);
    assert.equal(batch.Records[0]?.ErrorCode, 'InternalFailure');
    assert.match(batch.Records[0]?.ErrorMessage ?? '', /ENOSPC/);

    fileSystem.failWritesWith = undefined;
    await put(service, 'after');
    assert.deepEqual(await readAll(service), ['before', 'after']);

    // Metrics count the records that failed apart from those written.
    const metrics = parsePrometheusText(registry.render());
    const labels = { account: scope.accountId, region: scope.region, stream: 's' };
    assert.equal(valueOf(metrics, 'tributary_kinesis_put_records_failed_records_total', labels), 1);
    assert.equal(valueOf(metrics, 'tributary_kinesis_put_records_total_records_total', labels), 1);
    assert.equal(valueOf(metrics, 'tributary_kinesis_put_records_success_total', labels), 0);
    assert.equal(valueOf(metrics, 'tributary_kinesis_put_records_latency_seconds_count', labels), 0);
    assert.equal(valueOf(metrics, 'tributary_kinesis_put_record_success_total', labels), 2);
    assert.equal(valueOf(metrics, 'tributary_kinesis_incoming_records_total', labels), 2);
    assert.equal(
      valueOf(metrics, 'tributary_kinesis_incoming_bytes_total', labels),
      'beforeafter'.length + 2,
    );
  });

  it('a flipped byte on disk is reported as an error, never returned as data', async () => {
    const first = await openFixture(directory);
    await put(first.service, 'first-record-payload');
    await put(first.service, 'second-record-payload');
    first.service.close();
    await first.logStore.close();
    const logs = path.join(directory, 'logs');
    const [logDirectory] = await readdir(logs);
    const segmentPath = path.join(logs, logDirectory ?? '', '00000000000000000000.log');
    const bytes = await readFile(segmentPath);
    const at = bytes.indexOf('second-record-payload');
    assert.ok(at > 0);
    bytes[at] = (bytes[at] as number) ^ 0x20;
    await writeFile(segmentPath, bytes);
    // Reopened, so the read comes from disk rather than the store's cache of recent records.
    const { service } = await openFixture(directory, new FaultyFileSystem(), first.catalog);

    await assert.rejects(
      readAll(service),
      (error: unknown) =>
        error instanceof ServiceError &&
        error.code === 'InternalFailure' &&
        error.status === 500 &&
        !String(error.cause).includes('Second-record-payload') &&
        /bad record frame at offset 1/.test(String(error.cause)),
    );
    assert.ok(logLines.some((line) => line.startsWith('CORRUPT record')));
  });
});

/**
 * Retention on the real file log store with a manual clock: under sustained writes over two
 * simulated days, whole segments past the 24-hour retention are deleted, disk use stays bounded,
 * and readers never see a record older than the retention period.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { MemoryCatalog } from '../../src/catalog/memory-catalog.js';
import { ManualClock } from '../../src/core/clock.js';
import { FileLogStore } from '../../src/log/file/file-log-store.js';
import { createStream } from '../../src/streams/actions/create-stream.js';
import { getRecords } from '../../src/streams/actions/get-records.js';
import { getShardIterator } from '../../src/streams/actions/get-shard-iterator.js';
import { putRecords } from '../../src/streams/actions/put-records.js';
import { StreamsService } from '../../src/streams/streams-service.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const hourMs = 3_600_000;
const directories: string[] = [];
after(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

async function logBytes(directory: string): Promise<{ bytes: number; segments: number }> {
  let bytes = 0;
  let segments = 0;
  const logs = path.join(directory, 'logs');
  for (const log of await readdir(logs)) {
    for (const file of await readdir(path.join(logs, log))) {
      if (!file.endsWith('.log')) continue;
      segments++;
      bytes += (await stat(path.join(logs, log, file))).size;
    }
  }
  return { bytes, segments };
}

it('deletes whole segments past retention and keeps disk use bounded under sustained writes', async () => {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'tributary-retention-'));
  directories.push(directory);
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const logStore = new FileLogStore({ directory, clock, rollPolicy: { segmentBytesMax: 16 * 1024 } });
  const catalog = new MemoryCatalog();
  await logStore.open();
  await catalog.open();
  const service = new StreamsService({
    catalog,
    logStore,
    clock,
    logger: () => undefined,
    options: { transitionDelayMs: 0, accountShardLimit: 500 },
  });
  await service.open();
  await createStream.run({ service, scope }, { StreamName: 'kept-a-day', ShardCount: 2 });
  clock.advance(1);
  for (
    let attempt = 0;
    service.lookup(scope.accountId, scope.region, 'kept-a-day')?.record.status !== 'ACTIVE';
    attempt++
  ) {
    assert.ok(attempt < 1000, 'stream did not become ACTIVE');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }

  const usage: number[] = [];
  for (let hour = 0; hour < 48; hour++) {
    const records = Array.from({ length: 100 }, (_, index) => ({
      PartitionKey: `key-${index}`,
      Data: Buffer.from(`hour ${hour} record ${index} `.padEnd(100, '.')),
    }));
    const result = (await putRecords.run(
      { service, scope },
      { StreamName: 'kept-a-day', Records: records },
    )) as {
      FailedRecordCount: number;
    };
    assert.equal(result.FailedRecordCount, 0);
    clock.advance(hourMs);
    await service.applyRetention();
    usage.push((await logBytes(directory)).bytes);
  }

  // One day of data is about 24 × 100 × ~140 bytes per shard pair; with 16 KiB segments the
  // disk never holds much more than a day plus a segment per shard.
  const dayBytes = 24 * 100 * 140;
  const peak = Math.max(...usage.slice(24));
  assert.ok(peak < dayBytes + 2 * 2 * 16 * 1024, `disk use ${peak} bytes after a day of retention`);
  assert.ok(usage[47]! < usage[23]! * 1.5, `disk use kept growing: ${usage[23]} then ${usage[47]}`);

  for (const shardId of ['shardId-000000000000', 'shardId-000000000001']) {
    const { ShardIterator } = (await getShardIterator.run(
      { service, scope },
      { StreamName: 'kept-a-day', ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' },
    )) as { ShardIterator: string };
    const page = (await getRecords.run({ service, scope }, { ShardIterator })) as {
      Records: { Data: Buffer; ApproximateArrivalTimestamp: Date }[];
    };
    assert.ok(page.Records.length > 0);
    for (const record of page.Records) {
      assert.ok(clock.nowMs() - record.ApproximateArrivalTimestamp.getTime() <= 24 * hourMs);
    }
    const oldest = Number(/hour (\d+)/.exec(page.Records[0]!.Data.toString())?.[1]);
    assert.ok(oldest >= 24, `oldest record readable is from hour ${oldest}`);
  }
  service.close();
  await logStore.close();
});

/**
 * On-demand scaling and the 24-hour quotas in process, on a manual clock: the scaler measures
 * admitted writes per interval, keeps the peak over its window and reshards an ACTIVE on-demand
 * stream up to twice that peak; UpdateShardCount's 10 calls per rolling 24 hours free up as
 * the day rolls on.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { MemoryCatalog } from '../../src/catalog/memory-catalog.js';
import { ManualClock } from '../../src/core/clock.js';
import { ServiceError } from '../../src/core/errors.js';
import { MemoryLogStore } from '../../src/log/memory/memory-log-store.js';
import type { ActionContext } from '../../src/streams/actions/action.js';
import { createStream } from '../../src/streams/actions/create-stream.js';
import { putRecords } from '../../src/streams/actions/put-records.js';
import { updateShardCount } from '../../src/streams/actions/update-shard-count.js';
import { StreamsService } from '../../src/streams/streams-service.js';
import { isOpen } from '../../src/streams/stream-model.js';
import { OnDemandScaler } from '../../src/streams/throughput/on-demand-scaler.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const MiB = 1024 * 1024;
const intervalMs = 1000;
const windowMs = 10_000;

async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe('on-demand scaling with a manual clock', () => {
  let clock: ManualClock;
  let context: ActionContext;
  let service: StreamsService;

  beforeEach(async () => {
    clock = new ManualClock();
    service = new StreamsService({
      catalog: new MemoryCatalog(),
      logStore: new MemoryLogStore(),
      clock,
      logger: () => undefined,
      options: {
        transitionDelayMs: 500,
        accountShardLimit: 500,
        limits: { mode: 'aws', faultThrottleRate: 0, faultInternalRate: 0, faultSeed: 1 },
      },
    });
    await service.open();
    context = { service, scope };
  });

  /** Moves time in steps of at most 100 ms, letting the scaler and transitions run between. */
  async function advance(ms: number): Promise<void> {
    for (let step = 0; step < ms; step += 100) {
      clock.advance(Math.min(100, ms - step));
      await settle();
    }
  }

  /** Jumps a long way with nothing scheduled in between that matters. */
  async function jump(ms: number): Promise<void> {
    clock.advance(ms);
    await settle();
  }

  const openShards = (name: string): number =>
    service.lookup(scope.accountId, scope.region, name)?.record.shards.filter(isOpen).length ?? -1;
  const status = (name: string): string | undefined =>
    service.lookup(scope.accountId, scope.region, name)?.record.status;

  /** `perShardBytes` to each of the four starting shards, in records of 256 KiB at most. */
  async function write(name: string, perShardBytes: number): Promise<number> {
    const records = [0n, 1n, 2n, 3n].flatMap((shard) => {
      const hashKey = ((shard * 2n ** 128n) / 4n + 1n).toString();
      const sizes: number[] = [];
      for (let left = perShardBytes; left > 0; left -= 256 * 1024) sizes.push(Math.min(left, 256 * 1024) - 1);
      return sizes.map((size) => ({ Data: Buffer.alloc(size), PartitionKey: 'k', ExplicitHashKey: hashKey }));
    });
    const output = (await putRecords.run(context, { StreamName: name, Records: records })) as {
      FailedRecordCount: number;
    };
    return output.FailedRecordCount;
  }

  it('grows a stream that writes more than half its capacity, and leaves a quiet one at 4 shards', async () => {
    await createStream.run(context, { StreamName: 'busy', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    await createStream.run(context, { StreamName: 'quiet', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    await advance(500);
    assert.deepEqual([status('busy'), openShards('busy')], ['ACTIVE', 4]);
    const scaler = new OnDemandScaler(service, { intervalMs, windowMs }, () => undefined);
    scaler.start();
    try {
      // 0.25 MiB/s per shard (1 MiB/s in all): twice that fits in 4 shards.
      assert.equal(await write('busy', MiB / 4), 0);
      assert.equal(await write('quiet', MiB / 8), 0);
      await advance(intervalMs);
      assert.equal(status('busy'), 'ACTIVE');
      // 0.75 MiB/s per shard (3 MiB/s in all): twice that needs 6 shards.
      assert.equal(await write('busy', (3 * MiB) / 4), 0);
      await advance(intervalMs);
      assert.equal(status('busy'), 'UPDATING');
      await advance(500);
      assert.deepEqual([status('busy'), openShards('busy')], ['ACTIVE', 6]);
      assert.deepEqual([status('quiet'), openShards('quiet')], ['ACTIVE', 4]);
      // A peak already served, then quiet intervals: nothing more happens, and it never shrinks.
      await advance(windowMs + 2 * intervalMs);
      assert.deepEqual([status('busy'), openShards('busy')], ['ACTIVE', 6]);
    } finally {
      scaler.stop();
    }
  });

  it('leaves provisioned streams alone', async () => {
    await createStream.run(context, { StreamName: 'fixed', ShardCount: 4 });
    await advance(500);
    const scaler = new OnDemandScaler(service, { intervalMs, windowMs }, () => undefined);
    scaler.start();
    try {
      assert.equal(await write('fixed', MiB), 0);
      await advance(2 * intervalMs);
      assert.deepEqual([status('fixed'), openShards('fixed')], ['ACTIVE', 4]);
    } finally {
      scaler.stop();
    }
  });

  it('allows 10 UpdateShardCount calls per stream in a rolling 24 hours', async () => {
    await createStream.run(context, { StreamName: 'daily', ShardCount: 1 });
    await advance(500);
    const update = (target: number) =>
      updateShardCount.run(context, {
        StreamName: 'daily',
        TargetShardCount: target,
        ScalingType: 'UNIFORM_SCALING',
      });
    for (let call = 0; call < 10; call++) {
      await update(call % 2 === 0 ? 2 : 1);
      await advance(500);
      await jump(3_600_000);
    }
    await assert.rejects(
      update(2),
      (error: unknown) => error instanceof ServiceError && error.code === 'LimitExceededException',
    );
    // Ten calls an hour apart, the first about 10 h ago: 24 h after it, one call is free again.
    await jump(14 * 3_600_000);
    await update(2);
  });
});

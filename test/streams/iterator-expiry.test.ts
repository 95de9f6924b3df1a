/**
 * Time-dependent rules, driven by a manual clock in process (no sleeping 5 minutes): shard
 * iterators expire after 300 s with AWS's ExpiredIteratorException text, NextTokens too, and a
 * fresh NextShardIterator is issued on every GetRecords.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { MemoryCatalog } from '../../src/catalog/memory-catalog.js';
import { ManualClock } from '../../src/core/clock.js';
import { ServiceError } from '../../src/core/errors.js';
import { MemoryLogStore } from '../../src/log/memory/memory-log-store.js';
import { createStream } from '../../src/streams/actions/create-stream.js';
import { getRecords } from '../../src/streams/actions/get-records.js';
import { getShardIterator } from '../../src/streams/actions/get-shard-iterator.js';
import { listShards } from '../../src/streams/actions/list-shards.js';
import { putRecord } from '../../src/streams/actions/put-record.js';
import { StreamsService } from '../../src/streams/streams-service.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };

describe('expiry with a manual clock', () => {
  let clock: ManualClock;
  let service: StreamsService;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2021, 5, 17, 12, 22, 44));
    const logStore = new MemoryLogStore();
    const catalog = new MemoryCatalog();
    await logStore.open();
    await catalog.open();
    service = new StreamsService({
      catalog,
      logStore,
      clock,
      logger: () => undefined,
      options: { transitionDelayMs: 500, accountShardLimit: 500 },
    });
    await service.open();
    await createStream.run({ service, scope }, { StreamName: 's', ShardCount: 2 });
    clock.advance(500);
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
  });

  const iterator = async (): Promise<string> => {
    const output = (await getShardIterator.run(
      { service, scope },
      { StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' },
    )) as { ShardIterator: string };
    return output.ShardIterator;
  };

  it('accepts an iterator up to 300 s old and rejects it after, with AWS text', async () => {
    const issued = await iterator();
    clock.advance(300_000);
    const page = (await getRecords.run({ service, scope }, { ShardIterator: issued })) as {
      NextShardIterator: string;
    };
    assert.notEqual(page.NextShardIterator, issued);
    clock.advance(1000);
    await assert.rejects(
      getRecords.run({ service, scope }, { ShardIterator: issued }),
      (error: unknown) =>
        error instanceof ServiceError &&
        error.code === 'ExpiredIteratorException' &&
        error.message ===
          'Iterator expired. The iterator was created at time Thu Jun 17 12:22:44 UTC 2021 while right now it is ' +
            'Thu Jun 17 12:27:45 UTC 2021 which is further in the future than the tolerated delay of 300000 milliseconds.',
    );
    // The NextShardIterator from the last read is fresh and still good.
    await getRecords.run({ service, scope }, { ShardIterator: page.NextShardIterator });
  });

  it('expires ListShards NextTokens after 300 s', async () => {
    const first = (await listShards.run({ service, scope }, { StreamName: 's', MaxResults: 1 })) as {
      NextToken: string;
    };
    clock.advance(300_001);
    await assert.rejects(
      listShards.run({ service, scope }, { NextToken: first.NextToken }),
      (error: unknown) => error instanceof ServiceError && error.code === 'ExpiredNextTokenException',
    );
  });

  it('stamps records with the clock and finds them AT_TIMESTAMP', async () => {
    clock.advance(10_000);
    await putRecord.run({ service, scope }, { StreamName: 's', PartitionKey: 'a', Data: Buffer.from('x') });
    const at = (await getShardIterator.run(
      { service, scope },
      {
        StreamName: 's',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'AT_TIMESTAMP',
        Timestamp: new Date(clock.nowMs()),
      },
    )) as { ShardIterator: string };
    const page = (await getRecords.run({ service, scope }, { ShardIterator: at.ShardIterator })) as {
      Records: { ApproximateArrivalTimestamp: Date }[];
    };
    assert.equal(page.Records.length, 1);
    assert.equal(page.Records[0]?.ApproximateArrivalTimestamp.getTime(), clock.nowMs());
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import { MemoryLogStore } from '../../log/memory/memory-log-store.js';
import { DirectPutSource } from './direct-put-source.js';

const logId = 'firehose-test';
const arn = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/test';

/** A log of 10 records, one per second of record time, and a source that read all of them. */
async function setUp(held: { offset: number | undefined }) {
  const clock = new ManualClock();
  const store = new MemoryLogStore();
  await store.open();
  await store.createLog(logId);
  for (let index = 0; index < 10; index++) {
    await store.append(logId, [{ partitionKey: '', data: Buffer.from(`r${index}`) }], clock.nowMs());
    clock.advance(1000);
  }
  const asked: string[] = [];
  const source = new DirectPutSource(store, logId, undefined, {
    holds: {
      heldOffset: (deliveryStreamArn, heldLogId) => {
        asked.push(`${deliveryStreamArn} ${heldLogId}`);
        return Promise.resolve(held.offset);
      },
    },
    deliveryStreamArn: arn,
    clock,
  });
  assert.equal((await source.readMore(1024 * 1024)).length, 10);
  return { clock, store, source, asked };
}

const startOf = async (store: MemoryLogStore) => (await store.bounds(logId)).startOffset;

test('delivered records are dropped when no reader holds them', async () => {
  const { store, source, asked } = await setUp({ offset: undefined });
  await source.delivered(source.position());
  // Everything older than the last delivered record's time: the last one stays (same time).
  assert.equal(await startOf(store), 9);
  assert.deepEqual(asked, [`${arn} ${logId}`]);
});

test('a reader behind the delivery keeps what it has not read, and releases it as it reads', async () => {
  const held = { offset: 3 as number | undefined };
  const { store, source } = await setUp(held);
  await source.delivered(source.position());
  assert.equal(await startOf(store), 3);
  held.offset = 7;
  await source.delivered(source.position());
  assert.equal(await startOf(store), 7);
  // The application is deleted: nothing holds the log any more.
  held.offset = undefined;
  await source.delivered(source.position());
  assert.equal(await startOf(store), 9);
});

test('a reader ahead of the delivery changes nothing (undelivered records are never dropped)', async () => {
  const { store, source } = await setUp({ offset: 10 });
  await source.delivered(source.position());
  assert.equal(await startOf(store), 9);
});

test('a hold older than the cap (24 h, as AWS keeps delivery stream data) is not honoured', async () => {
  assert.equal(limits.directPutReaderHoldMsMax, 24 * 60 * 60 * 1000);
  const { clock, store, source } = await setUp({ offset: 0 });
  // Record i arrived i seconds after the start; now is 10 s after it.
  clock.advance(limits.directPutReaderHoldMsMax - 10_000 + 4_000);
  await source.delivered(source.position());
  // Records 0–3 are older than 24 h now; 4 is exactly 24 h old and stays.
  assert.equal(await startOf(store), 4);
});

/**
 * The LogStore conformance suite: every implementation (memory, file, JetStream) runs these
 * same cases, so the invariants written on `src/log/log-store.ts` are checked once, here.
 *
 * `makeStore` gives an opened store over fresh storage; `reopen` (for durable stores) opens a
 * new store over the same storage after the suite closed the first; `cleanup` closes whatever
 * is still open and removes the storage.
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  LogStoreError,
  type AppendInput,
  type LogStore,
  type LogStoreErrorCode,
} from '../../src/log/log-store.js';

export interface LogStoreFixture {
  readonly store: LogStore;
  readonly reopen?: () => Promise<LogStore>;
  readonly cleanup: () => Promise<void>;
}

const all = { maxRecords: 10_000, maxBytes: 64 * 1024 * 1024 };

export async function rejectsWithCode(promise: Promise<unknown>, code: LogStoreErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof LogStoreError, `expected a LogStoreError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

export function inputs(count: number, prefix = 'r', dataBytes?: number): AppendInput[] {
  return Array.from({ length: count }, (_, index) => ({
    partitionKey: `${prefix}-key-${index}`,
    data: dataBytes === undefined ? Buffer.from(`${prefix}-${index}`) : Buffer.alloc(dataBytes, index & 0xff),
  }));
}

/** `durable`: the implementation keeps its data across close and reopen (its fixture gives `reopen`). */
export function logStoreSuite(
  name: string,
  makeStore: () => Promise<LogStoreFixture>,
  options: { readonly durable: boolean },
): void {
  /** Runs `body` with a fresh store and always cleans up after it. */
  async function withStore(body: (fixture: LogStoreFixture) => Promise<void>): Promise<void> {
    const fixture = await makeStore();
    try {
      await body(fixture);
    } finally {
      await fixture.cleanup();
    }
  }

  describe(`LogStore conformance: ${name}`, () => {
    describe('logs', () => {
      it('creates, lists and deletes logs; create and delete are idempotent', () =>
        withStore(async ({ store }) => {
          assert.deepEqual(await store.listLogs(), []);
          await store.createLog('shard-b');
          await store.createLog('shard-a');
          await store.createLog('shard-a');
          assert.deepEqual((await store.listLogs()).sort(), ['shard-a', 'shard-b']);
          await store.append('shard-a', inputs(2), 1000);
          await store.deleteLog('shard-a');
          await store.deleteLog('shard-a');
          await store.deleteLog('never-existed');
          assert.deepEqual(await store.listLogs(), ['shard-b']);
          await rejectsWithCode(store.bounds('shard-a'), 'NoSuchLog');
        }));

      it('a recreated log starts empty at offset 0', () =>
        withStore(async ({ store }) => {
          await store.createLog('log');
          await store.append('log', inputs(3), 1000);
          await store.deleteLog('log');
          await store.createLog('log');
          assert.deepEqual(await store.bounds('log'), {
            startOffset: 0,
            endOffset: 0,
            lastTimestampMs: undefined,
          });
          assert.equal((await store.append('log', inputs(1), 5)).firstOffset, 0);
        }));

      it('rejects every operation on an unknown log with NoSuchLog', () =>
        withStore(async ({ store }) => {
          await rejectsWithCode(store.append('nope', inputs(1), 1), 'NoSuchLog');
          await rejectsWithCode(store.read('nope', 0, all), 'NoSuchLog');
          await rejectsWithCode(store.bounds('nope'), 'NoSuchLog');
          await rejectsWithCode(store.offsetAtTimestamp('nope', 0), 'NoSuchLog');
          await rejectsWithCode(store.trimBefore('nope', 0), 'NoSuchLog');
        }));

      it('rejects operations after close with Closed', () =>
        withStore(async ({ store }) => {
          await store.createLog('log');
          await store.close();
          await rejectsWithCode(store.append('log', inputs(1), 1), 'Closed');
          await rejectsWithCode(store.read('log', 0, all), 'Closed');
        }));
    });

    describe('append and read', () => {
      it('gives dense offsets and reads back keys, data and timestamps', () =>
        withStore(async ({ store }) => {
          await store.createLog('log');
          assert.deepEqual(await store.bounds('log'), {
            startOffset: 0,
            endOffset: 0,
            lastTimestampMs: undefined,
          });
          assert.deepEqual(await store.append('log', inputs(3, 'a'), 1000), {
            firstOffset: 0,
            timestampMs: 1000,
          });
          assert.deepEqual(await store.append('log', inputs(2, 'b'), 1001), {
            firstOffset: 3,
            timestampMs: 1001,
          });
          assert.deepEqual(await store.bounds('log'), {
            startOffset: 0,
            endOffset: 5,
            lastTimestampMs: 1001,
          });
          const records = await store.read('log', 0, all);
          assert.deepEqual(
            records.map((record) => [
              record.offset,
              record.timestampMs,
              record.partitionKey,
              record.data.toString(),
            ]),
            [
              [0, 1000, 'a-key-0', 'a-0'],
              [1, 1000, 'a-key-1', 'a-1'],
              [2, 1000, 'a-key-2', 'a-2'],
              [3, 1001, 'b-key-0', 'b-0'],
              [4, 1001, 'b-key-1', 'b-1'],
            ],
          );
          assert.ok(Buffer.isBuffer(records[0]!.data));
        }));

      it('an empty append changes nothing', () =>
        withStore(async ({ store }) => {
          await store.createLog('log');
          await store.append('log', inputs(2), 1000);
          assert.equal((await store.append('log', [], 2000)).firstOffset, 2);
          assert.deepEqual(await store.bounds('log'), {
            startOffset: 0,
            endOffset: 2,
            lastTimestampMs: 1000,
          });
        }));

      it('round-trips binary data, empty data, large records and multi-byte keys', () =>
        withStore(async ({ store }) => {
          await store.createLog('log');
          const large = Buffer.alloc(300 * 1024);
          for (let index = 0; index < large.length; index++) large[index] = (index * 31) & 0xff;
          const records: AppendInput[] = [
            { partitionKey: 'ключ-🔑', data: Buffer.from([0, 255, 1, 254]) },
            { partitionKey: 'empty', data: new Uint8Array(0) },
            { partitionKey: 'large', data: large },
          ];
          await store.append('log', records, 1);
          const read = await store.read('log', 0, all);
          assert.deepEqual(
            read.map((record) => record.partitionKey),
            ['ключ-🔑', 'empty', 'large'],
          );
          assert.deepEqual([...read[0]!.data], [0, 255, 1, 254]);
          assert.equal(read[1]!.data.length, 0);
          assert.ok(read[2]!.data.equals(large));
        }));

      it('keeps call order for concurrent appends, to one log and across logs', () =>
        withStore(async ({ store }) => {
          await store.createLog('one');
          await store.createLog('two');
          const appends = Array.from({ length: 60 }, (_, index) =>
            store.append(index % 3 === 0 ? 'two' : 'one', inputs(1 + (index % 4), `c${index}`), 1000 + index),
          );
          const results = await Promise.all(appends);
          for (const logId of ['one', 'two']) {
            const indexes = [...results.keys()].filter(
              (index) => (index % 3 === 0 ? 'two' : 'one') === logId,
            );
            let expected = 0;
            for (const index of indexes) {
              assert.equal(results[index]!.firstOffset, expected, `append ${index} to ${logId}`);
              expected += 1 + (index % 4);
            }
            const records = await store.read(logId, 0, all);
            assert.equal(records.length, expected);
            assert.deepEqual(
              records.map((record) => record.offset),
              [...Array(expected).keys()],
            );
            const expectedData = indexes.flatMap((index) =>
              inputs(1 + (index % 4), `c${index}`).map((r) => r.data.toString()),
            );
            assert.deepEqual(
              records.map((record) => record.data.toString()),
              expectedData,
            );
          }
        }));

      it('clamps a timestamp that goes back to the last one', () =>
        withStore(async ({ store }) => {
          await store.createLog('log');
          await store.append('log', inputs(1), 5000);
          assert.deepEqual(await store.append('log', inputs(2), 4000), { firstOffset: 1, timestampMs: 5000 });
          assert.deepEqual(await store.append('log', inputs(1), 6000), { firstOffset: 3, timestampMs: 6000 });
          const timestamps = (await store.read('log', 0, all)).map((record) => record.timestampMs);
          assert.deepEqual(timestamps, [5000, 5000, 5000, 6000]);
          assert.equal((await store.bounds('log')).lastTimestampMs, 6000);
        }));
    });

    describe('read bounds', () => {
      it('stops at maxRecords and at maxBytes, and always returns the first record', () =>
        withStore(async ({ store }) => {
          await store.createLog('log');
          // Each record counts 10 bytes: a 2-byte key and 8 bytes of data.
          const records = Array.from({ length: 10 }, (_, index) => ({
            partitionKey: `k${index}`,
            data: Buffer.alloc(8, index),
          }));
          await store.append('log', records, 1);
          assert.deepEqual(
            (await store.read('log', 2, { maxRecords: 3, maxBytes: 1000 })).map((record) => record.offset),
            [2, 3, 4],
          );
          assert.equal((await store.read('log', 0, { maxRecords: 100, maxBytes: 30 })).length, 3);
          assert.equal((await store.read('log', 0, { maxRecords: 100, maxBytes: 29 })).length, 2);
          assert.deepEqual(
            (await store.read('log', 7, { maxRecords: 100, maxBytes: 1 })).map((record) => record.offset),
            [7],
          );
        }));

      it('readBatch returns what read returns, record for record, under the same bounds', () =>
        withStore(async ({ store }) => {
          await store.createLog('log');
          const keys = ['k', 'ünï', '日本語', '😀', 'a"b\\c'];
          for (let append = 0; append < 6; append++) {
            const records = Array.from({ length: 7 }, (_, index) => ({
              partitionKey: keys[(append + index) % keys.length]! + index,
              data: Buffer.alloc((append * 7 + index) % 13, append * 7 + index),
            }));
            await store.append('log', records, 1000 + append * 400);
          }
          const bounds = [
            { maxRecords: 10_000, maxBytes: 64 * 1024 * 1024 },
            { maxRecords: 5, maxBytes: 1000 },
            { maxRecords: 100, maxBytes: 40 },
            { maxRecords: 100, maxBytes: 1 },
          ];
          for (const from of [-3, 0, 1, 20, 41, 42, 99]) {
            for (const options of bounds) {
              const expected = await store.read('log', from, options);
              const batch = await store.readBatch('log', from, options);
              assert.equal(batch.count, expected.length, `from ${from}`);
              if (expected.length > 0) assert.equal(batch.firstOffset, expected[0]!.offset);
              const actual = batch.toRecords();
              assert.deepEqual(
                actual.map((record) => [
                  record.offset,
                  record.timestampMs,
                  record.partitionKey,
                  [...record.data],
                ]),
                expected.map((record) => [
                  record.offset,
                  record.timestampMs,
                  record.partitionKey,
                  [...record.data],
                ]),
              );
              for (let index = 0; index < batch.count; index++) {
                assert.equal(
                  batch.recordBytes(index),
                  Buffer.byteLength(actual[index]!.partitionKey) + actual[index]!.data.length,
                );
              }
              assert.equal(
                batch.firstIndexAtOrAfter(1800),
                expected.filter((record) => record.timestampMs < 1800).length,
              );
            }
          }
        }));

      it('reads from before the start at the start, and at or past the end as empty', () =>
        withStore(async ({ store }) => {
          await store.createLog('log');
          assert.deepEqual(await store.read('log', 0, all), []);
          await store.append('log', inputs(3), 1000);
          assert.deepEqual(await store.read('log', 3, all), []);
          assert.deepEqual(await store.read('log', 99, all), []);
          assert.deepEqual(
            (await store.read('log', -5, all)).map((record) => record.offset),
            [0, 1, 2],
          );
          await store.append('log', inputs(2), 2000);
          const startOffset = await store.trimBefore('log', 1500);
          assert.ok(startOffset <= 3);
          assert.deepEqual(
            (await store.read('log', 0, all)).map((record) => record.offset),
            [...Array(5 - startOffset).keys()].map((index) => startOffset + index),
          );
        }));
    });

    describe('timestamps and retention', () => {
      it('finds the first offset at or after a timestamp', () =>
        withStore(async ({ store }) => {
          await store.createLog('log');
          assert.equal(await store.offsetAtTimestamp('log', 0), 0);
          await store.append('log', inputs(2), 100);
          await store.append('log', inputs(2), 200);
          await store.append('log', inputs(2), 300);
          assert.equal(await store.offsetAtTimestamp('log', 0), 0);
          assert.equal(await store.offsetAtTimestamp('log', 100), 0);
          assert.equal(await store.offsetAtTimestamp('log', 150), 2);
          assert.equal(await store.offsetAtTimestamp('log', 200), 2);
          assert.equal(await store.offsetAtTimestamp('log', 300), 4);
          assert.equal(await store.offsetAtTimestamp('log', 301), 6);
        }));

      it('trims only data older than the cut and keeps offsets after trimming everything', () =>
        withStore(async ({ store }) => {
          await store.createLog('log');
          await store.append('log', inputs(3), 100);
          await store.append('log', inputs(3), 200);
          assert.equal(await store.trimBefore('log', 50), 0);
          const partial = await store.trimBefore('log', 150);
          assert.ok(partial >= 0 && partial <= 3, `start ${partial}`);
          assert.equal((await store.read('log', 3, all)).length, 3);
          assert.equal(await store.trimBefore('log', 1000), 6);
          assert.deepEqual(await store.bounds('log'), { startOffset: 6, endOffset: 6, lastTimestampMs: 200 });
          assert.deepEqual(await store.read('log', 0, all), []);
          assert.equal(await store.offsetAtTimestamp('log', 0), 6);
          assert.deepEqual(await store.append('log', inputs(1), 150), { firstOffset: 6, timestampMs: 200 });
          assert.deepEqual(
            (await store.read('log', 0, all)).map((record) => record.offset),
            [6],
          );
        }));
    });

    const durableDescribe = options.durable ? describe : () => undefined;
    durableDescribe('durability', () => {
      it('keeps data and bounds across close and reopen', async () => {
        const fixture = await makeStore();
        try {
          assert.ok(fixture.reopen !== undefined, 'a durable store fixture must be able to reopen');
          await fixture.store.createLog('kept');
          await fixture.store.createLog('emptied');
          await fixture.store.createLog('fresh');
          await fixture.store.append('kept', inputs(4, 'k'), 100);
          await fixture.store.append('kept', inputs(1, 'l'), 200);
          await fixture.store.append('emptied', inputs(2), 300);
          await fixture.store.trimBefore('emptied', 1000);
          await fixture.store.close();
          const reopened = await fixture.reopen();
          assert.deepEqual((await reopened.listLogs()).sort(), ['emptied', 'fresh', 'kept']);
          assert.deepEqual(await reopened.bounds('kept'), {
            startOffset: 0,
            endOffset: 5,
            lastTimestampMs: 200,
          });
          assert.deepEqual(await reopened.bounds('emptied'), {
            startOffset: 2,
            endOffset: 2,
            lastTimestampMs: 300,
          });
          assert.deepEqual(await reopened.bounds('fresh'), {
            startOffset: 0,
            endOffset: 0,
            lastTimestampMs: undefined,
          });
          assert.deepEqual(
            (await reopened.read('kept', 0, all)).map((record) => [record.offset, record.data.toString()]),
            [
              [0, 'k-0'],
              [1, 'k-1'],
              [2, 'k-2'],
              [3, 'k-3'],
              [4, 'l-0'],
            ],
          );
          assert.equal(await reopened.offsetAtTimestamp('kept', 150), 4);
          assert.equal(await reopened.offsetAtTimestamp('emptied', 0), 2);
          assert.deepEqual(await reopened.append('emptied', inputs(1), 10), {
            firstOffset: 2,
            timestampMs: 300,
          });
          assert.deepEqual(await reopened.append('kept', inputs(1), 150), {
            firstOffset: 5,
            timestampMs: 200,
          });
          await reopened.close();
        } finally {
          await fixture.cleanup();
        }
      });
    });
  });
}

/**
 * Memory bounds of the FileLogStore with many logs: the hot-tail cache stays within its budget
 * and serves readers at the tip without file reads, sealed segments' handles stay within
 * `openSegmentsMax`, and sparse indexes hold one compact entry per `indexIntervalBytes`.
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { inputs } from '../conformance/log-store-suite.js';
import { all, withHarness } from './file-log-harness.js';

describe('FileLogStore memory', () => {
  it('keeps the hot tails of many logs within tailCacheBytesMax, evicting the oldest', () =>
    withHarness(async (harness) => {
      const budget = 256 * 1024;
      const store = await harness.open({
        tailCacheBytesMax: budget,
        rollPolicy: { segmentBytesMax: 256 * 1024 },
      });
      const logIds = Array.from({ length: 20 }, (_, index) => `log-${index}`);
      for (const logId of logIds) await store.createLog(logId);
      let peak = 0;
      for (let round = 0; round < 40; round++) {
        await Promise.all(
          logIds.map((logId) => store.append(logId, inputs(3, `${logId}-${round}`, 300), round)),
        );
        peak = Math.max(peak, store.memoryStats().tailCacheBytes);
        assert.ok(store.memoryStats().tailCacheBytes <= budget);
      }
      assert.ok(peak > budget / 2, `peak ${peak}`);
      // Every log still reads back whole and in order, from the cache or the file.
      for (const logId of logIds) {
        const records = await store.read(logId, 0, all);
        assert.deepEqual(
          records.map((record) => record.offset),
          [...Array(120).keys()],
        );
        assert.equal(records[119]!.partitionKey, `${logId}-39-key-2`);
      }
    }));

  it('lets go of what it evicts: memory held stays near the budget, not what was appended', () =>
    withHarness(async (harness) => {
      // The test runner has no --expose-gc; this turns it on for a collection on demand.
      v8.setFlagsFromString('--expose-gc');
      const collect = vm.runInNewContext('gc') as () => void;
      const budget = 1024 * 1024;
      const store = await harness.open({ tailCacheBytesMax: budget, syncPolicy: 'never' });
      const logIds = Array.from({ length: 50 }, (_, index) => `log-${index}`);
      for (const logId of logIds) await store.createLog(logId);
      collect();
      const before = process.memoryUsage().arrayBuffers;
      // 50 logs × 20 rounds × ~200 KB: large batches, kept as views, about 200 MB in all.
      for (let round = 0; round < 20; round++) {
        await Promise.all(logIds.map((logId) => store.append(logId, inputs(200, `${round}`, 1000), round)));
      }
      await store.bounds('log-0');
      // Backing stores are released after a collection, off the main thread: collect a few times
      // with pauses and take the lowest reading.
      let held = Infinity;
      for (let attempt = 0; attempt < 5; attempt++) {
        collect();
        await new Promise((resolve) => setTimeout(resolve, 20));
        held = Math.min(held, process.memoryUsage().arrayBuffers - before);
      }
      assert.ok(store.memoryStats().tailCacheBytes <= budget);
      // The budget, one batch past it, the CRC's cached buffer (8 MiB at most), and slack — far
      // below the ~200 MB appended, which is what a cache that kept evicted blocks would hold.
      assert.ok(held < 40 * 1024 * 1024, `${held} bytes of buffers still held`);
    }));

  it('serves a reader at the tip from memory, with no file read', () =>
    withHarness(async (harness) => {
      const store = await harness.open({ rollPolicy: { segmentBytesMax: 64 * 1024 } });
      await store.createLog('log');
      let next = 0;
      for (let round = 0; round < 200; round++) {
        await store.append('log', inputs(2, `t${round}`, 200), 1000 + round);
        const before = harness.fileSystem.bytesRead;
        const records = await store.read('log', next, { maxRecords: 10_000, maxBytes: 10 * 1024 * 1024 });
        assert.equal(harness.fileSystem.bytesRead, before, `round ${round} read the file`);
        assert.deepEqual(
          records.map((record) => [record.offset, record.partitionKey, record.timestampMs]),
          [
            [next, `t${round}-key-0`, 1000 + round],
            [next + 1, `t${round}-key-1`, 1000 + round],
          ],
        );
        assert.deepEqual(records[1]!.data, Buffer.alloc(200, 1));
        next += 2;
      }
      // A large batch is kept too (without a copy), and found from any offset inside it.
      await store.append('log', inputs(1000, 'big', 100), 5000);
      const before = harness.fileSystem.bytesRead;
      for (const skip of [0, 1, 499, 998, 999]) {
        const [record] = await store.read('log', next + skip, { maxRecords: 1, maxBytes: 1 });
        assert.equal(record!.partitionKey, `big-key-${skip}`);
      }
      const batch = await store.read('log', next, all);
      assert.deepEqual(
        batch.map((record) => record.offset),
        Array.from({ length: 1000 }, (_, index) => next + index),
      );
      assert.equal(harness.fileSystem.bytesRead, before);
      next += 1000;
      await store.append('log', inputs(2, 'after', 200), 6000);
      next += 2;
      // Bounds apply to cached reads the same way: the first record always, then up to maxBytes.
      const [first, ...rest] = await store.read('log', next - 4, { maxRecords: 10, maxBytes: 1 });
      assert.equal(first!.offset, next - 4);
      assert.equal(rest.length, 0);
      assert.equal((await store.read('log', next - 4, { maxRecords: 3, maxBytes: 1_000_000 })).length, 3);
      assert.equal((await store.read('log', next - 4, { maxRecords: 10, maxBytes: 2 * 210 })).length, 2);
    }));

  it('with the cache off, reads at the tip go to the file and return the same', () =>
    withHarness(async (harness) => {
      const cached = await harness.open();
      await cached.createLog('log');
      await cached.append('log', inputs(5, 'x', 100), 7);
      const fromMemory = await cached.read('log', 2, all);
      await cached.close();
      const uncached = await harness.open({ tailCacheBytesMax: 0 });
      await uncached.append('log', inputs(1, 'y', 100), 8);
      assert.equal(uncached.memoryStats().tailCacheBytes, 0);
      const before = harness.fileSystem.bytesRead;
      const fromFile = await uncached.read('log', 2, { maxRecords: 3, maxBytes: 1_000_000 });
      assert.ok(harness.fileSystem.bytesRead > before);
      assert.deepEqual(fromFile, fromMemory);
    }));

  it('keeps at most openSegmentsMax sealed segments open between reads', () =>
    withHarness(async (harness) => {
      const store = await harness.open({ openSegmentsMax: 3, rollPolicy: { segmentBytesMax: 4096 } });
      await store.createLog('a');
      await store.createLog('b');
      for (let round = 0; round < 30; round++) {
        await store.append('a', inputs(2, `a${round}`, 500), round);
        await store.append('b', inputs(2, `b${round}`, 500), round);
      }
      assert.ok(store.memoryStats().segments >= 20);
      for (let pass = 0; pass < 2; pass++) {
        for (let offset = 0; offset < 60; offset += 3) {
          await store.read(pass === 0 ? 'a' : 'b', offset, { maxRecords: 1, maxBytes: 1 });
          assert.ok(store.memoryStats().idleOpenSegments <= 3);
          // Two active segments (each also open for the journaled cycles' buffered writes), three
          // idle sealed ones, the journal, and nothing else.
          assert.ok(harness.fileSystem.openHandles <= 8, `${harness.fileSystem.openHandles} handles open`);
        }
      }
      await store.close();
      assert.equal(harness.fileSystem.openHandles, 0);
    }));

  it('holds one 16-byte index entry per indexIntervalBytes, trimmed to size once sealed', () =>
    withHarness(async (harness) => {
      const store = await harness.open({
        rollPolicy: { segmentBytesMax: 256 * 1024 },
        indexIntervalBytes: 4096,
      });
      await store.createLog('log');
      for (let round = 0; round < 100; round++)
        await store.append('log', inputs(10, `i${round}`, 1000), round);
      const stats = store.memoryStats();
      const dataBytes = 100 * 10 * 1030;
      assert.ok(stats.segments >= 4);
      assert.ok(stats.indexEntries <= dataBytes / 4096 + stats.segments, `${stats.indexEntries} entries`);
      assert.ok(stats.indexEntries >= dataBytes / (4096 + 1100));
      // Only the active segment's arrays may have spare room (at most doubling).
      assert.ok(stats.indexCapacity <= stats.indexEntries + 128, `capacity ${stats.indexCapacity}`);
      await store.close();
      const reopened = await harness.open({
        rollPolicy: { segmentBytesMax: 256 * 1024 },
        indexIntervalBytes: 4096,
      });
      assert.equal(reopened.memoryStats().indexEntries, stats.indexEntries);
    }));
});

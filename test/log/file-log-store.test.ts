/**
 * FileLogStore behaviour the conformance suite cannot see from the interface: what is on disk
 * after a crash or a failure, how many fsyncs and reads it costs, and how segments roll.
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { ManualClock } from '../../src/core/clock.js';
import { rejectsWithCode, inputs } from '../conformance/log-store-suite.js';
import type { FaultyFileSystem } from './faulty-file-system.js';
import { all, segmentPath, withHarness } from './file-log-harness.js';

describe('FileLogStore', () => {
  describe('recovery', () => {
    it('truncates garbage after the last frame and keeps every complete record', () =>
      withHarness(async (harness) => {
        const store = await harness.open();
        await store.createLog('log');
        await store.append('log', inputs(5), 1000);
        await store.close();
        const [name] = await harness.segmentFiles('log');
        const file = segmentPath(harness, 'log', name!);
        const goodBytes = (await fs.stat(file)).size;
        await fs.appendFile(file, Buffer.from('this is not a frame at all, just noise'));

        const reopened = await harness.open();
        assert.deepEqual(await reopened.bounds('log'), {
          startOffset: 0,
          endOffset: 5,
          lastTimestampMs: 1000,
        });
        assert.equal((await reopened.read('log', 0, all)).length, 5);
        assert.equal((await fs.stat(file)).size, goodBytes);
        assert.equal(harness.logged.filter((entry) => entry.message.includes('torn tail')).length, 1);
        assert.equal((await reopened.append('log', inputs(1, 'after'), 2000)).firstOffset, 5);
        assert.equal((await reopened.read('log', 5, all))[0]!.data.toString(), 'after-0');
      }));

    it('truncates half a frame at the end of the last segment', () =>
      withHarness(async (harness) => {
        const store = await harness.open();
        await store.createLog('log');
        await store.append('log', inputs(3), 1000);
        await store.close();
        const [name] = await harness.segmentFiles('log');
        const file = segmentPath(harness, 'log', name!);
        const bytes = await fs.readFile(file);
        const goodBytes = bytes.length;
        // The first half of a real frame (the first one), as a write cut short by a crash leaves it.
        const frameBytes = bytes.readUInt32LE(0) + 4;
        await fs.appendFile(file, bytes.subarray(0, Math.floor(frameBytes / 2)));

        const reopened = await harness.open();
        assert.equal((await reopened.bounds('log')).endOffset, 3);
        assert.equal((await fs.stat(file)).size, goodBytes);
        assert.deepEqual(
          (await reopened.read('log', 0, all)).map((record) => record.data.toString()),
          ['r-0', 'r-1', 'r-2'],
        );
      }));

    it('truncates a whole stale frame whose offset does not follow on', () =>
      withHarness(async (harness) => {
        const store = await harness.open();
        await store.createLog('log');
        await store.append('log', inputs(3), 1000);
        await store.close();
        const [name] = await harness.segmentFiles('log');
        const file = segmentPath(harness, 'log', name!);
        const bytes = await fs.readFile(file);
        await fs.appendFile(file, bytes.subarray(0, bytes.readUInt32LE(0) + 4));
        const reopened = await harness.open();
        assert.equal((await reopened.bounds('log')).endOffset, 3);
        assert.equal((await fs.stat(file)).size, bytes.length);
      }));

    it('rejects reads that reach a flipped byte with Corrupt, and never returns it as data', () =>
      withHarness(async (harness) => {
        const store = await harness.open({ rollPolicy: { segmentBytesMax: 200 } });
        await store.createLog('log');
        for (let index = 0; index < 12; index++)
          await store.append('log', inputs(1, `x${index}`), 1000 + index);
        const files = await harness.segmentFiles('log');
        assert.ok(files.length >= 3, `${files.length} segments`);
        // Flip a data byte of the second record of the first (sealed) segment, while the store is open.
        const file = segmentPath(harness, 'log', files[0]!);
        const bytes = await fs.readFile(file);
        const second = bytes.readUInt32LE(0) + 4;
        const flipAt = second + bytes.readUInt32LE(second) + 4 - 1;
        bytes[flipAt] = bytes[flipAt]! ^ 0x01;
        await fs.writeFile(file, bytes);

        await rejectsWithCode(store.read('log', 0, all), 'Corrupt');
        await rejectsWithCode(store.read('log', 1, { maxRecords: 1, maxBytes: 1 }), 'Corrupt');
        assert.equal(
          (await store.read('log', 0, { maxRecords: 1, maxBytes: 1000 }))[0]!.data.toString(),
          'x0-0',
        );
        await store.close();

        // Its index file covers the sealed segment, so open does not read it; reads still catch the flip.
        const trusted = await harness.open({ rollPolicy: { segmentBytesMax: 200 } });
        assert.equal((await trusted.bounds('log')).endOffset, 12);
        await rejectsWithCode(trusted.read('log', 1, all), 'Corrupt');
        await trusted.close();
        assert.ok(!harness.logged.some((entry) => entry.message.includes('sealed segment')));

        // Without the index file recovery scans it: the segment is not truncated, its later
        // offsets stay and still fail.
        await fs.rm(segmentPath(harness, 'log', files[0]!.replace('.log', '.index')));
        const reopened = await harness.open({ rollPolicy: { segmentBytesMax: 200 } });
        assert.deepEqual((await reopened.bounds('log')).endOffset, 12);
        assert.deepEqual(await harness.segmentFiles('log'), files);
        assert.ok(harness.logged.some((entry) => entry.message.includes('sealed segment')));
        await rejectsWithCode(reopened.read('log', 1, all), 'Corrupt');
        const laterOffset = Number(files[1]!.slice(0, 20));
        assert.equal((await reopened.read('log', laterOffset, all)).length, 12 - laterOffset);
      }));

    it('deletes segments left before the start offset by a trim that crashed', () =>
      withHarness(async (harness) => {
        const store = await harness.open({ rollPolicy: { segmentBytesMax: 150 } });
        await store.createLog('log');
        for (let index = 0; index < 6; index++) await store.append('log', inputs(1), 1000 + index);
        const files = await harness.segmentFiles('log');
        const start = await store.trimBefore('log', 1004);
        await store.close();
        // Put a trimmed segment back, as if the crash came between the metadata write and the unlink.
        const doomed = files.filter((name) => Number(name.slice(0, 20)) < start);
        assert.ok(doomed.length > 0);
        await fs.writeFile(segmentPath(harness, 'log', doomed[0]!), Buffer.alloc(0));
        const reopened = await harness.open({ rollPolicy: { segmentBytesMax: 150 } });
        assert.equal((await reopened.bounds('log')).startOffset, start);
        assert.ok(!(await harness.segmentFiles('log')).includes(doomed[0]!));
      }));
  });

  describe('group commit', () => {
    it('makes 100 concurrent appends durable with far fewer than 100 fsyncs', () =>
      withHarness(async (harness) => {
        const store = await harness.open();
        await store.createLog('log');
        const before = harness.fileSystem.datasyncCount;
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, index) => store.append('log', inputs(1, `g${index}`), 1000)),
        );
        const fsyncs = harness.fileSystem.datasyncCount - before;
        assert.ok(fsyncs <= 3, `${fsyncs} fsyncs for 100 appends`);
        assert.deepEqual(
          results.map((result) => result.firstOffset),
          [...Array(100).keys()],
        );
      }));

    it('without the journal: writes each touched log once per cycle, durably', () =>
      withHarness(async (harness) => {
        const store = await harness.open({ journalBytes: 0 });
        const logIds = ['a', 'b', 'c', 'd'];
        for (const logId of logIds) await store.createLog(logId);
        await store.append('a', inputs(1), 1);
        const writes = harness.fileSystem.writeCount;
        const fsyncs = harness.fileSystem.datasyncCount;
        await Promise.all(
          Array.from({ length: 40 }, (_, index) => store.append(logIds[index % 4]!, inputs(5), 1000)),
        );
        assert.equal(harness.fileSystem.writeCount - writes, 4);
        assert.equal(harness.fileSystem.datasyncCount - fsyncs, 4);
      }));

    it('a small cycle over four logs: four buffered segment writes and one durable journal write', () =>
      withHarness(async (harness) => {
        const store = await harness.open();
        const logIds = ['a', 'b', 'c', 'd'];
        for (const logId of logIds) await store.createLog(logId);
        await store.append('a', inputs(1), 1);
        const writes = harness.fileSystem.writeCount;
        const buffered = harness.fileSystem.bufferedWriteCount;
        const fsyncs = harness.fileSystem.datasyncCount;
        await Promise.all(
          Array.from({ length: 40 }, (_, index) => store.append(logIds[index % 4]!, inputs(5), 1000)),
        );
        assert.equal(harness.fileSystem.bufferedWriteCount - buffered, 4);
        assert.equal(harness.fileSystem.writeCount - writes, 5);
        assert.equal(harness.fileSystem.datasyncCount - fsyncs, 1);
        // A cycle larger than journalCycleBytesMax writes its segments durably instead.
        const large = Array.from({ length: 4 }, (_, index) =>
          store.append(logIds[index]!, inputs(20, 'big', 1000), 2000),
        );
        const before = harness.fileSystem.datasyncCount;
        const bufferedBefore = harness.fileSystem.bufferedWriteCount;
        await Promise.all(large);
        assert.equal(harness.fileSystem.bufferedWriteCount - bufferedBefore, 0);
        assert.equal(harness.fileSystem.datasyncCount - before, 4);
      }));

    it('holds appends beyond pendingBytesMax back, in call order, until the queue drains', () =>
      withHarness(async (harness) => {
        const store = await harness.open({ pendingBytesMax: 2000 });
        await store.createLog('log');
        let openGate: () => void = () => undefined;
        harness.fileSystem.writeGate = new Promise<void>((resolve) => (openGate = resolve));
        const sizes = harness.fileSystem.writeSizes;
        const from = sizes.length;
        // 40 appends of about 1.1 KB each: far more than one queue's worth.
        const appends = Array.from({ length: 40 }, (_, index) =>
          store.append('log', inputs(1, `p${index}`, 1000), 1000),
        );
        await new Promise((resolve) => setImmediate(resolve));
        harness.fileSystem.writeGate = undefined;
        openGate();
        const results = await Promise.all(appends);
        assert.deepEqual(
          results.map((result) => result.firstOffset),
          [...Array(40).keys()],
        );
        const written = sizes.slice(from);
        assert.ok(written.length >= 20, `${written.length} writes`);
        assert.ok(
          written.every((size) => size <= 2000),
          `write sizes ${written.join(',')}`,
        );
        const records = await store.read('log', 0, all);
        assert.deepEqual(
          records.map((record) => record.partitionKey),
          Array.from({ length: 40 }, (_, index) => `p${index}-key-0`),
        );
      }));
  });

  describe('storage failures', () => {
    for (const [what, fail] of [
      [
        'a write fails with ENOSPC after a partial write',
        (system: FaultyFileSystem) => {
          system.failWritesWith = 'ENOSPC';
          system.partialWriteBytes = 30;
        },
      ],
      [
        'an fsync fails with EIO',
        (system: FaultyFileSystem) => {
          system.failSyncsWith = 'EIO';
        },
      ],
    ] as const) {
      for (const [cycle, cycleOptions] of [
        ['a journaled', {}],
        ['a durably written', { journalBytes: 0 }],
      ] as const) {
        it(`${cycle} cycle, when ${what}: rejects with Storage, leaves nothing visible, and recovers`, () =>
          withHarness(async (harness) => {
            const store = await harness.open(cycleOptions);
            await store.createLog('log');
            await store.append('log', inputs(3, 'ok'), 1000);
            const [name] = await harness.segmentFiles('log');
            const file = segmentPath(harness, 'log', name!);
            const sizeBefore = (await fs.stat(file)).size;

            fail(harness.fileSystem);
            const failed = await Promise.allSettled([
              store.append('log', inputs(2, 'lost'), 2000),
              store.append('log', inputs(1, 'lost-too'), 2000),
            ]);
            for (const result of failed) {
              assert.equal(result.status, 'rejected');
              await rejectsWithCode(Promise.reject((result as PromiseRejectedResult).reason), 'Storage');
            }
            assert.deepEqual(await store.bounds('log'), {
              startOffset: 0,
              endOffset: 3,
              lastTimestampMs: 1000,
            });
            assert.equal((await store.read('log', 0, all)).length, 3);
            assert.equal((await fs.stat(file)).size, sizeBefore);

            // Space is freed: the next append takes the next offset and the log reads back clean.
            harness.fileSystem.failWritesWith = undefined;
            harness.fileSystem.failSyncsWith = undefined;
            assert.deepEqual(await store.append('log', inputs(1, 'later'), 3000), {
              firstOffset: 3,
              timestampMs: 3000,
            });
            await store.close();
            const reopened = await harness.open(cycleOptions);
            assert.deepEqual(
              (await reopened.read('log', 0, all)).map((record) => record.data.toString()),
              ['ok-0', 'ok-1', 'ok-2', 'later-0'],
            );
            assert.equal(harness.logged.length, 0);
          }));
      }
    }

    it('after a failed cycle over several logs, each log carries on at its own next offset', () =>
      withHarness(async (harness) => {
        const store = await harness.open();
        await store.createLog('full');
        await store.createLog('fine');
        await store.append('full', inputs(1), 1);
        await store.append('fine', inputs(1), 1);
        harness.fileSystem.failWritesWith = 'ENOSPC';
        const results = await Promise.allSettled([
          store.append('full', inputs(1), 2),
          store.append('fine', inputs(1), 2),
        ]);
        assert.equal(results[0]!.status, 'rejected');
        assert.equal(results[1]!.status, 'rejected');
        harness.fileSystem.failWritesWith = undefined;
        assert.equal((await store.append('fine', inputs(1), 3)).firstOffset, 1);
        assert.equal((await store.append('full', inputs(1), 3)).firstOffset, 1);
      }));
  });

  describe('segments', () => {
    it('rolls at segmentBytesMax and reads across segments from any offset', () =>
      withHarness(async (harness) => {
        const store = await harness.open({ rollPolicy: { segmentBytesMax: 1000 }, indexIntervalBytes: 256 });
        await store.createLog('log');
        for (let batch = 0; batch < 20; batch++)
          await store.append('log', inputs(5, `b${batch}`, 50), 1000 + batch);
        const files = await harness.segmentFiles('log');
        assert.ok(files.length >= 8, `${files.length} segments`);
        assert.equal(files[0], '00000000000000000000.log');
        for (const name of files) assert.ok((await fs.stat(segmentPath(harness, 'log', name))).size <= 1000);
        for (const from of [0, 3, 12, 37, 64, 99]) {
          const records = await store.read('log', from, { maxRecords: 17, maxBytes: 1_000_000 });
          assert.deepEqual(
            records.map((record) => record.offset),
            [...Array(Math.min(17, 100 - from)).keys()].map((index) => from + index),
          );
        }
        assert.equal(await store.offsetAtTimestamp('log', 1013), 65);
        const start = await store.trimBefore('log', 1010);
        assert.ok(start > 0 && start <= 50, `start ${start}`);
        assert.equal(Number((await harness.segmentFiles('log'))[0]!.slice(0, 20)), start);
        assert.equal((await store.read('log', 0, all))[0]!.offset, start);
      }));

    it('a reader tailing the log while appends roll segments sees every record once, in order', () =>
      withHarness(async (harness) => {
        const store = await harness.open({ rollPolicy: { segmentBytesMax: 400 }, indexIntervalBytes: 100 });
        await store.createLog('log');
        const total = 300;
        const writer = (async () => {
          for (let batch = 0; batch < total / 3; batch++) {
            await Promise.all(
              [0, 1, 2].map((index) => store.append('log', inputs(1, `t${batch * 3 + index}`), batch)),
            );
          }
        })();
        const seen: string[] = [];
        let next = 0;
        while (next < total) {
          const records = await store.read('log', next, { maxRecords: 1000, maxBytes: 1_000_000 });
          for (const record of records) {
            assert.equal(record.offset, next);
            seen.push(record.data.toString());
            next++;
          }
          if (records.length === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        await writer;
        assert.deepEqual(
          seen,
          Array.from({ length: total }, (_, index) => `t${index}-0`),
        );
      }));

    it('a read held up while its segment grows and rolls returns no gap', () =>
      withHarness(async (harness) => {
        const store = await harness.open({ rollPolicy: { segmentBytesMax: 400 } });
        await store.createLog('log');
        await store.append('log', inputs(3, 'a'), 1);
        let openGate: () => void = () => undefined;
        harness.fileSystem.readGate = new Promise<void>((resolve) => (openGate = resolve));
        const reading = store.read('log', 0, all);
        await store.append('log', inputs(3, 'b'), 2);
        await store.append('log', inputs(10, 'c'), 3);
        assert.ok((await harness.segmentFiles('log')).length >= 2);
        harness.fileSystem.readGate = undefined;
        openGate();
        const offsets = (await reading).map((record) => record.offset);
        assert.deepEqual(offsets, [...Array(offsets.length).keys()]);
      }));

    it('rolls a segment whose first record is older than segmentAgeMsMax', () =>
      withHarness(async (harness) => {
        const store = await harness.open({ rollPolicy: { segmentAgeMsMax: 1000 } });
        await store.createLog('log');
        await store.append('log', inputs(1), 10_000);
        await store.append('log', inputs(1), 10_999);
        assert.equal((await harness.segmentFiles('log')).length, 1);
        await store.append('log', inputs(1), 11_000);
        assert.deepEqual(await harness.segmentFiles('log'), [
          '00000000000000000000.log',
          '00000000000000000002.log',
        ]);
        assert.equal(await store.trimBefore('log', 11_000), 2);
      }));

    it('reads a record from the middle of a large segment with a few KiB of I/O', () =>
      withHarness(async (harness) => {
        const store = await harness.open();
        await store.createLog('log');
        for (let batch = 0; batch < 20; batch++)
          await store.append('log', inputs(100, `m${batch}`, 100), 1000 + batch);
        const before = harness.fileSystem.bytesRead;
        const [record] = await store.read('log', 1234, { maxRecords: 1, maxBytes: 1_000_000 });
        assert.equal(record!.offset, 1234);
        assert.equal(record!.partitionKey, 'm12-key-34');
        const readBytes = harness.fileSystem.bytesRead - before;
        assert.ok(
          readBytes <= 16 * 1024,
          `${readBytes} bytes read for one record of a ${260_000}-byte segment`,
        );
        assert.equal(await store.offsetAtTimestamp('log', 1017), 1700);
      }));
  });

  describe('read batches', () => {
    it('reuses a released batch read chunk for the next read, which still returns the right data', () =>
      withHarness(async (harness) => {
        // No hot tail: every read comes from the file.
        const store = await harness.open({ tailCacheBytesMax: 0 });
        await store.createLog('log');
        for (let append = 0; append < 6; append++) {
          const records = Array.from({ length: 500 }, (_, index) => ({
            partitionKey: `key-${append}-${index}`,
            data: Buffer.alloc(1000, (append * 500 + index) % 251),
          }));
          await store.append('log', records, 1000 + append);
        }
        const bounds = { maxRecords: 1000, maxBytes: 64 * 1024 * 1024 };
        const expected = async (from: number): Promise<string[]> =>
          (await store.read('log', from, bounds)).map(
            (record) => record.partitionKey + record.data.toString('hex'),
          );
        const copied = (batch: Awaited<ReturnType<typeof store.readBatch>>): string[] =>
          batch.toRecords().map((record) => record.partitionKey + record.data.toString('hex'));

        const first = await store.readBatch('log', 0, bounds);
        const firstMemory = first.source(0).buffer;
        assert.deepEqual(copied(first), await expected(0));
        first.release();
        assert.throws(() => first.data(0), /used after release/);

        const second = await store.readBatch('log', 1000, bounds);
        // The same memory, read again from the file: nothing of the first read shows through.
        assert.equal(second.source(0).buffer, firstMemory);
        assert.deepEqual(copied(second), await expected(1000));
        const third = await store.readBatch('log', 2000, bounds);
        assert.notEqual(third.source(0).buffer, firstMemory);
        assert.deepEqual(copied(third), await expected(2000));
        assert.deepEqual(copied(second), await expected(1000));
        second.release();
        third.release();
      }));
  });

  describe('sync policies', () => {
    it('always: an append is acknowledged only after its data is fsynced', () =>
      withHarness(async (harness) => {
        const store = await harness.open({ syncPolicy: 'always' });
        await store.createLog('log');
        let releaseSync: () => void = () => undefined;
        harness.fileSystem.syncGate = new Promise((resolve) => {
          releaseSync = resolve;
        });
        let acknowledged = false;
        const append = store.append('log', inputs(3), 1).then((result) => {
          acknowledged = true;
          return result;
        });
        for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setTimeout(resolve, 1));
        assert.equal(acknowledged, false, 'acknowledged while its fsync was still held');
        const syncsBefore = harness.fileSystem.datasyncCount + harness.fileSystem.fileSyncCount;
        harness.fileSystem.syncGate = undefined;
        releaseSync();
        assert.equal((await append).firstOffset, 0);
        assert.ok(harness.fileSystem.datasyncCount + harness.fileSystem.fileSyncCount > syncsBefore);
      }));

    it('interval: resolves after write and fsyncs on the timer', () =>
      withHarness(async (harness) => {
        const clock = new ManualClock();
        const store = await harness.open({ syncPolicy: 'interval', syncIntervalMs: 50, clock });
        await store.createLog('log');
        const before = harness.fileSystem.datasyncCount;
        await Promise.all(Array.from({ length: 10 }, () => store.append('log', inputs(1), 1)));
        assert.equal(harness.fileSystem.datasyncCount, before);
        clock.advance(50);
        await new Promise((resolve) => setImmediate(resolve));
        await store.bounds('log');
        for (let attempt = 0; attempt < 20 && harness.fileSystem.datasyncCount === before; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        assert.equal(harness.fileSystem.datasyncCount, before + 1);
      }));

    it('never: resolves after write without any fsync of data', () =>
      withHarness(async (harness) => {
        const store = await harness.open({ syncPolicy: 'never' });
        await store.createLog('log');
        const before = harness.fileSystem.datasyncCount;
        await Promise.all(Array.from({ length: 10 }, () => store.append('log', inputs(1), 1)));
        assert.equal(harness.fileSystem.datasyncCount, before);
      }));
  });

  it('rejects appends still queued for a log that is deleted with NoSuchLog', () =>
    withHarness(async (harness) => {
      const store = await harness.open();
      await store.createLog('log');
      const deleted = store.deleteLog('log');
      await rejectsWithCode(store.append('log', inputs(1), 1), 'NoSuchLog');
      await deleted;
      await store.createLog('log');
      assert.equal((await store.append('log', inputs(1), 1)).firstOffset, 0);
    }));
});

/**
 * Restart of the FileLogStore: what `open()` reads thanks to the segments' index files, after a
 * clean close and after a crash, and how it copes when an index file is missing, bad, short or
 * describes more than its segment holds. Every case checks the reopened store against what the
 * store answered before the restart.
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import type { FileLogStore, FileLogStoreOptions } from '../../src/log/file/file-log-store.js';
import type { LogStore } from '../../src/log/log-store.js';
import { inputs } from '../conformance/log-store-suite.js';
import { all, segmentPath, withHarness, type Harness } from './file-log-harness.js';

const options: Partial<FileLogStoreOptions> = {
  rollPolicy: { segmentBytesMax: 64 * 1024 },
  indexIntervalBytes: 1024,
  indexCheckpointBytes: 16 * 1024,
  // These cases are about index files; what a crash leaves to the journal is file-log-journal's.
  journalBytes: 0,
};

/** About 1.2 MiB in ~20 segments: 120 appends of 10 records of ~1 KiB, one ms apart. */
async function fill(store: LogStore, logId: string, appends = 120, fromMs = 1000): Promise<void> {
  for (let index = 0; index < appends; index++) {
    await store.append(logId, inputs(10, `${logId}-${fromMs + index}`, 1000), fromMs + index);
  }
}

/** Everything a reader can see of a log, to compare before and after a restart. */
async function snapshot(store: LogStore, logId: string): Promise<unknown> {
  const records = await store.read(logId, 0, all);
  const probes = [];
  for (const from of [0, 7, 333, 640, 1111]) {
    const read = await store.read(logId, from, { maxRecords: 5, maxBytes: 1_000_000 });
    probes.push(read.map((record) => record.offset));
  }
  const times = [];
  for (const timestampMs of [0, 1000, 1042, 1100, 1119, 5000]) {
    times.push(await store.offsetAtTimestamp(logId, timestampMs));
  }
  return {
    bounds: await store.bounds(logId),
    records: records.map((record) => [
      record.offset,
      record.timestampMs,
      record.partitionKey,
      record.data.toString('base64'),
    ]),
    probes,
    times,
  };
}

async function totalSegmentBytes(harness: Harness, logId: string): Promise<number> {
  let total = 0;
  for (const name of await harness.segmentFiles(logId)) {
    total += (await fs.stat(segmentPath(harness, logId, name))).size;
  }
  return total;
}

async function indexFiles(harness: Harness, logId: string): Promise<string[]> {
  const names = await fs.readdir(segmentPath(harness, logId, ''));
  return names.filter((name) => name.endsWith('.index')).sort();
}

/** Opens a store and says how many bytes its `open()` read. */
async function openCounting(
  harness: Harness,
  extra: Partial<FileLogStoreOptions> = {},
): Promise<{ store: FileLogStore; bytesRead: number }> {
  const before = harness.fileSystem.bytesRead;
  const store = await harness.open({ ...options, ...extra });
  return { store, bytesRead: harness.fileSystem.bytesRead - before };
}

describe('FileLogStore restart', () => {
  it('after a clean close reads only index files: no segment byte', () =>
    withHarness(async (harness) => {
      const store = await harness.open(options);
      await store.createLog('log');
      await fill(store, 'log');
      const expected = await snapshot(store, 'log');
      await store.close();
      const segmentBytes = await totalSegmentBytes(harness, 'log');
      assert.ok((await harness.segmentFiles('log')).length >= 15);

      const { store: reopened, bytesRead } = await openCounting(harness);
      assert.equal(reopened.recoveryStats.scannedBytes, 0);
      assert.equal(reopened.recoveryStats.segmentsFromIndex, reopened.recoveryStats.segments);
      assert.ok(bytesRead < segmentBytes / 50, `${bytesRead} bytes read to open ${segmentBytes}`);
      assert.deepEqual(await snapshot(reopened, 'log'), expected);
      assert.equal(harness.logged.length, 0);
      // And it carries on where it was.
      assert.equal((await reopened.append('log', inputs(1), 9000)).firstOffset, 1200);
    }));

  it('after a crash scans only what the active segment wrote since its last index update', () =>
    withHarness(async (harness) => {
      const store = await harness.open(options);
      await store.createLog('log');
      await fill(store, 'log');
      const expected = await snapshot(store, 'log');
      // No close: the process died. Its files stay as they are.
      const segmentBytes = await totalSegmentBytes(harness, 'log');

      const { store: reopened, bytesRead } = await openCounting(harness);
      const { scannedBytes, segments, segmentsFromIndex } = reopened.recoveryStats;
      assert.ok(scannedBytes <= 16 * 1024 + 11_000, `${scannedBytes} bytes scanned`);
      assert.ok(segmentsFromIndex >= segments - 1);
      assert.ok(bytesRead < segmentBytes / 20, `${bytesRead} bytes read to open ${segmentBytes}`);
      assert.deepEqual(await snapshot(reopened, 'log'), expected);
      assert.equal(harness.logged.length, 0);
    }));

  it('a segment file longer than its index says: the records appended after it are kept', () =>
    withHarness(async (harness) => {
      const first = await harness.open(options);
      await first.createLog('log');
      await fill(first, 'log', 30);
      await first.close();
      // A second run appends less than a checkpoint's worth, then crashes before closing.
      const second = await harness.open(options);
      await second.append('log', inputs(3, 'late', 1000), 5000);
      const expected = await snapshot(second, 'log');
      assert.equal((expected as { bounds: { endOffset: number } }).bounds.endOffset, 303);

      const { store: third } = await openCounting(harness);
      const scanned = third.recoveryStats.scannedBytes;
      assert.ok(scanned > 3000 && scanned < 4000, `${scanned} bytes scanned`);
      assert.deepEqual(await snapshot(third, 'log'), expected);
      await third.close();
      // Recovery brought the index up to date: the next open scans nothing.
      const { store: fourth } = await openCounting(harness);
      assert.equal(fourth.recoveryStats.scannedBytes, 0);
      assert.deepEqual(await snapshot(fourth, 'log'), expected);
    }));

  for (const [what, damage] of [
    [
      'a flipped byte',
      (bytes: Buffer) => {
        bytes[30] = bytes[30]! ^ 0x10;
        return bytes;
      },
    ],
    ['a cut in its first block', (bytes: Buffer) => bytes.subarray(0, 40)],
    ['an empty file', () => Buffer.alloc(0)],
    ['garbage', (bytes: Buffer) => Buffer.alloc(bytes.length, 0x5a)],
  ] as const) {
    it(`a sealed segment's index file with ${what} falls back to a scan, then is rewritten`, () =>
      withHarness(async (harness) => {
        const store = await harness.open(options);
        await store.createLog('log');
        await fill(store, 'log');
        const expected = await snapshot(store, 'log');
        await store.close();
        const [firstIndex] = await indexFiles(harness, 'log');
        const file = segmentPath(harness, 'log', firstIndex!);
        await fs.writeFile(file, damage(await fs.readFile(file)));
        const segmentBytes = (await fs.stat(file.replace('.index', '.log'))).size;

        const { store: reopened } = await openCounting(harness);
        assert.equal(reopened.recoveryStats.scannedBytes, segmentBytes);
        assert.deepEqual(await snapshot(reopened, 'log'), expected);
        await reopened.close();
        const { store: again } = await openCounting(harness);
        assert.equal(again.recoveryStats.scannedBytes, 0);
        assert.deepEqual(await snapshot(again, 'log'), expected);
      }));
  }

  it('an index file cut inside a later block keeps the good blocks and scans the rest', () =>
    withHarness(async (harness) => {
      const store = await harness.open({ ...options, rollPolicy: { segmentBytesMax: 1024 * 1024 } });
      await store.createLog('log');
      await fill(store, 'log', 60);
      const expected = await snapshot(store, 'log');
      await store.close();
      const [index] = await indexFiles(harness, 'log');
      const file = segmentPath(harness, 'log', index!);
      const bytes = await fs.readFile(file);
      await fs.writeFile(file, bytes.subarray(0, bytes.length - 20));

      const { store: reopened } = await openCounting(harness, {
        rollPolicy: { segmentBytesMax: 1024 * 1024 },
      });
      const scanned = reopened.recoveryStats.scannedBytes;
      const segmentBytes = await totalSegmentBytes(harness, 'log');
      assert.ok(scanned > 0 && scanned <= 16 * 1024 + 11_000, `${scanned} of ${segmentBytes} bytes scanned`);
      assert.deepEqual(await snapshot(reopened, 'log'), expected);
    }));

  it('an index that covers more than its segment holds is ignored; the torn tail is cut', () =>
    withHarness(async (harness) => {
      const store = await harness.open(options);
      await store.createLog('log');
      await fill(store, 'log', 5);
      await store.close();
      // The active segment loses half of its last frame (the disk lost what the index did not).
      const [name] = await harness.segmentFiles('log');
      const file = segmentPath(harness, 'log', name!);
      const size = (await fs.stat(file)).size;
      await fs.truncate(file, size - 500);

      const reopened = await harness.open(options);
      assert.equal((await reopened.bounds('log')).endOffset, 49);
      assert.equal((await reopened.read('log', 0, all)).length, 49);
      assert.ok(harness.logged.some((entry) => entry.message.includes('torn tail')));
      assert.equal((await reopened.append('log', inputs(1), 9000)).firstOffset, 49);
    }));

  it('trimming deletes index files with their segments, and recovery deletes orphans', () =>
    withHarness(async (harness) => {
      const store = await harness.open(options);
      await store.createLog('log');
      await fill(store, 'log');
      const start = await store.trimBefore('log', 1060);
      assert.ok(start > 0);
      const segments = (await harness.segmentFiles('log')).map((name) => name.replace('.log', ''));
      await store.close();
      assert.deepEqual(
        (await indexFiles(harness, 'log')).map((name) => name.replace('.index', '')),
        segments,
      );
      await fs.writeFile(segmentPath(harness, 'log', '00000000000000000000.index'), 'orphan');
      const reopened = await harness.open(options);
      assert.equal((await reopened.bounds('log')).startOffset, start);
      assert.ok(!(await indexFiles(harness, 'log')).includes('00000000000000000000.index'));
    }));

  it('a store written before index files existed opens by scanning, and writes them', () =>
    withHarness(async (harness) => {
      const store = await harness.open(options);
      await store.createLog('log');
      await fill(store, 'log');
      const expected = await snapshot(store, 'log');
      await store.close();
      for (const name of await indexFiles(harness, 'log')) await fs.rm(segmentPath(harness, 'log', name));

      const { store: reopened } = await openCounting(harness);
      assert.equal(reopened.recoveryStats.scannedBytes, await totalSegmentBytes(harness, 'log'));
      assert.deepEqual(await snapshot(reopened, 'log'), expected);
      assert.equal((await indexFiles(harness, 'log')).length, (await harness.segmentFiles('log')).length);
      await reopened.close();
      const { store: again } = await openCounting(harness);
      assert.equal(again.recoveryStats.scannedBytes, 0);
    }));

  it('appends do not wait for an index checkpoint; sealing and closing do', () =>
    withHarness(async (harness) => {
      const store = await harness.open(options);
      await store.createLog('log');
      // Every index file append hangs until released, as on a slow disk.
      const appendFile = harness.fileSystem.appendFile.bind(harness.fileSystem);
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let heldAppends = 0;
      harness.fileSystem.appendFile = async (filePath, data) => {
        heldAppends++;
        await held;
        return appendFile(filePath, data);
      };
      // Three appends of ~10 KiB: past the 16 KiB checkpoint, short of the 64 KiB segment.
      for (let index = 0; index < 3; index++) {
        await store.append('log', inputs(10, `held-${index}`, 1000), 1000 + index);
      }
      assert.equal(heldAppends, 1, 'a checkpoint started and is held');
      assert.equal((await harness.segmentFiles('log')).length, 1);
      // The segment rolls while the checkpoint is held: the roll waits for it, appends behind it too.
      let rolled = false;
      const rolling = (async () => {
        for (let index = 3; index < 8; index++) {
          await store.append('log', inputs(10, `held-${index}`, 1000), 1000 + index);
        }
        rolled = true;
      })();
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setTimeout(resolve, 1));
      assert.equal(rolled, false, 'the segment was sealed while its index write was held');
      release();
      await rolling;
      harness.fileSystem.appendFile = appendFile;
      const expected = await snapshot(store, 'log');
      await store.close();
      const { store: reopened } = await openCounting(harness);
      assert.equal(reopened.recoveryStats.scannedBytes, 0);
      assert.deepEqual(await snapshot(reopened, 'log'), expected);
      assert.equal(harness.logged.length, 0);
    }));

  it('a failed index append is repaired by a rewrite, and never breaks an append', () =>
    withHarness(async (harness) => {
      const store = await harness.open(options);
      await store.createLog('log');
      await fill(store, 'log', 20);
      // appendFile fails (as on a full disk) while segment writes go through.
      const appendFile = harness.fileSystem.appendFile.bind(harness.fileSystem);
      harness.fileSystem.appendFile = () =>
        Promise.reject(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }));
      await fill(store, 'log', 60, 2000);
      assert.ok(harness.logged.some((entry) => entry.message.includes('index file')));
      harness.fileSystem.appendFile = appendFile;
      await fill(store, 'log', 20, 3000);
      const expected = await snapshot(store, 'log');
      await store.close();
      const { store: reopened } = await openCounting(harness);
      assert.deepEqual(await snapshot(reopened, 'log'), expected);
      assert.ok(reopened.recoveryStats.segmentsFromIndex >= reopened.recoveryStats.segments - 1);
    }));
});

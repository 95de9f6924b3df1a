/**
 * The FileLogStore's write-ahead journal: what a crash that loses the page cache leaves, and
 * what `open()` restores from the journal; the checkpoints that keep it bounded; a delete that
 * must not leak a log's bytes into a new log of the same id; and the journal file on its own
 * (torn and stale records are never applied).
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../src/log/file-system.js';
import type { LogStore } from '../../src/log/log-store.js';
import {
  journalRecordsStart,
  readJournal,
  WriteAheadJournal,
  type JournalEntry,
} from '../../src/log/file/write-ahead-journal.js';
import { inputs } from '../conformance/log-store-suite.js';
import { all, segmentPath, withHarness, type Harness } from './file-log-harness.js';

const logIds = ['a', 'b', 'c'];

/** Small appends to three logs, many at a time: journaled cycles. */
async function fillConcurrently(store: LogStore, rounds: number, tag: string): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        store.append(logIds[index % 3]!, inputs(2, `${tag}${round}-${index}`, 40 + index), 1000 + round),
      ),
    );
  }
}

async function contents(store: LogStore): Promise<unknown> {
  const result: Record<string, unknown> = {};
  for (const logId of logIds) {
    const records = await store.read(logId, 0, all);
    result[logId] = records.map((record) => [
      record.offset,
      record.partitionKey,
      record.data.toString('hex'),
    ]);
  }
  return result;
}

/** What a power cut does to writes that were never fsynced: every segment file loses its bytes. */
async function losePageCache(harness: Harness, logId: string): Promise<void> {
  for (const name of await harness.segmentFiles(logId))
    await fs.truncate(segmentPath(harness, logId, name), 0);
}

describe('FileLogStore write-ahead journal', () => {
  it('a crash that loses the page cache: open replays the journal and every acknowledged record is back', () =>
    withHarness(async (harness) => {
      const store = await harness.open();
      for (const logId of logIds) await store.createLog(logId);
      await fillConcurrently(store, 20, 'r');
      const expected = await contents(store);
      // The segments took buffered writes only; the journal took the durable ones.
      assert.ok(
        harness.fileSystem.bufferedWriteCount >= 60,
        `${harness.fileSystem.bufferedWriteCount} buffered writes`,
      );
      // No close: the machine lost power, and with it the segments' unsynced bytes.
      for (const logId of logIds) await losePageCache(harness, logId);

      const reopened = await harness.open();
      assert.ok(reopened.recoveryStats.journalEntriesReplayed >= 60);
      assert.deepEqual(await contents(reopened), expected);
      const bounds = await reopened.bounds('a');
      assert.equal(bounds.endOffset, 160);
      // The next append carries on after them, and a clean close leaves nothing to replay.
      await reopened.append('a', inputs(1, 'after'), 5000);
      await reopened.close();
      const third = await harness.open();
      assert.equal(third.recoveryStats.journalEntriesReplayed, 0);
      assert.equal((await third.bounds('a')).endOffset, 161);
    }));

  it('checkpoints when the journal is full: each fsyncs the segments it covers, and replay stays bounded', () =>
    withHarness(async (harness) => {
      const store = await harness.open({ journalBytes: 16 * 1024, journalCycleBytesMax: 4096 });
      for (const logId of logIds) await store.createLog(logId);
      const fsyncsBefore = harness.fileSystem.datasyncCount;
      await fillConcurrently(store, 60, 'c');
      const fsyncs = harness.fileSystem.datasyncCount - fsyncsBefore;
      // 60 cycles of ~1.6 KB in a 12 KiB journal: a checkpoint every ~7 cycles, each three segment
      // fsyncs and a header write, on top of one journal write per cycle.
      assert.ok(fsyncs >= 60 + 5 * 4 && fsyncs <= 60 + 12 * 4, `${fsyncs} fsyncs`);
      const expected = await contents(store);

      const reopened = await harness.open({ journalBytes: 16 * 1024, journalCycleBytesMax: 4096 });
      const replayed = reopened.recoveryStats.journalEntriesReplayed;
      assert.ok(replayed > 0 && replayed <= 3 * 8, `${replayed} entries replayed`);
      assert.deepEqual(await contents(reopened), expected);
    }));

  it('deleting a log checkpoints first: a new log of the same id gets none of its bytes back at replay', () =>
    withHarness(async (harness) => {
      const store = await harness.open();
      await store.createLog('a');
      // Ten records, then three of exactly the same frame sizes: had the journal kept the old
      // log's writes, replaying them under the new log's would bring back offsets 3 to 9.
      await store.append('a', inputs(10, 'old', 100), 1000);
      await store.deleteLog('a');
      await store.createLog('a');
      await store.append('a', inputs(3, 'new', 100), 2000);
      await losePageCache(harness, 'a');

      const reopened = await harness.open();
      const records = await reopened.read('a', 0, all);
      assert.deepEqual(
        records.map((record) => record.partitionKey),
        ['new-key-0', 'new-key-1', 'new-key-2'],
      );
    }));

  it('a journal left by policy always is replayed under interval, then removed', () =>
    withHarness(async (harness) => {
      const store = await harness.open();
      for (const logId of logIds) await store.createLog(logId);
      await fillConcurrently(store, 3, 'p');
      const expected = await contents(store);
      for (const logId of logIds) await losePageCache(harness, logId);

      const reopened = await harness.open({ syncPolicy: 'interval' });
      assert.equal(reopened.recoveryStats.journalEntriesReplayed, 9);
      assert.deepEqual(await contents(reopened), expected);
      await assert.rejects(fs.stat(path.join(harness.directory, 'journal')), { code: 'ENOENT' });
    }));

  it('a failed journal write rejects the whole cycle and truncates every segment back', () =>
    withHarness(async (harness) => {
      const store = await harness.open();
      for (const logId of logIds) await store.createLog(logId);
      await fillConcurrently(store, 1, 'ok');
      const sizes = await Promise.all(logIds.map((logId) => segmentSizes(harness, logId)));
      harness.fileSystem.failSyncsWith = 'EIO';
      const failed = await Promise.allSettled(
        logIds.map((logId) => store.append(logId, inputs(2, 'lost'), 2000)),
      );
      assert.ok(failed.every((result) => result.status === 'rejected'));
      assert.deepEqual(await Promise.all(logIds.map((logId) => segmentSizes(harness, logId))), sizes);
      harness.fileSystem.failSyncsWith = undefined;
      const after = await store.append('b', inputs(1, 'again'), 3000);
      assert.equal(after.firstOffset, 8);
      const records = await store.read('b', 0, all);
      assert.deepEqual(
        records.map((record) => record.offset),
        [...Array(9).keys()],
      );
    }));
});

async function segmentSizes(harness: Harness, logId: string): Promise<number[]> {
  const names = await harness.segmentFiles(logId);
  return Promise.all(names.map(async (name) => (await fs.stat(segmentPath(harness, logId, name))).size));
}

describe('WriteAheadJournal file', () => {
  async function withJournal(
    body: (journal: WriteAheadJournal, filePath: string) => Promise<void>,
  ): Promise<void> {
    const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-journal-'));
    const filePath = path.join(directory, 'journal');
    const journal = new WriteAheadJournal(nodeFileSystem, filePath, 64 * 1024);
    try {
      await journal.open(() => undefined);
      await body(journal, filePath);
    } finally {
      await journal.close();
      await fs.rm(directory, { recursive: true, force: true });
    }
  }

  const entry = (logId: string, positionBytes: number, text: string): JournalEntry => ({
    logId,
    segmentBaseOffset: 12_345_678_901,
    positionBytes,
    bytes: Buffer.from(text),
  });
  const simple = (entries: JournalEntry[]): unknown[] =>
    entries.map((item) => [item.logId, item.segmentBaseOffset, item.positionBytes, item.bytes.toString()]);

  it('reads back the records of the current epoch, in order, and none after a new epoch', () =>
    withJournal(async (journal, filePath) => {
      assert.equal((await fs.stat(filePath)).size, 64 * 1024);
      await journal.append([entry('a', 0, 'one'), entry('b', 10, 'two')]);
      await journal.append([entry('a', 3, 'three')]);
      assert.deepEqual(simple(await readJournal(nodeFileSystem, filePath)), [
        ['a', 12_345_678_901, 0, 'one'],
        ['b', 12_345_678_901, 10, 'two'],
        ['a', 12_345_678_901, 3, 'three'],
      ]);
      await journal.startEpoch();
      assert.deepEqual(await readJournal(nodeFileSystem, filePath), []);
      // A record of the new epoch overwrites the first old one; the old second one stays stale.
      await journal.append([entry('c', 0, 'four')]);
      assert.deepEqual(simple(await readJournal(nodeFileSystem, filePath)), [
        ['c', 12_345_678_901, 0, 'four'],
      ]);
    }));

  it('stops at a torn or flipped record: what follows it is never applied', () =>
    withJournal(async (journal, filePath) => {
      await journal.append([entry('a', 0, 'first')]);
      const secondAt = journalRecordsStart + journal.usedBytes;
      await journal.append([entry('a', 5, 'second')]);
      await journal.append([entry('a', 11, 'third')]);
      const handle = await fs.open(filePath, 'r+');
      try {
        const byte = Buffer.alloc(1);
        await handle.read(byte, 0, 1, secondAt + 30);
        byte[0] = byte[0]! ^ 0x01;
        await handle.write(byte, 0, 1, secondAt + 30);
      } finally {
        await handle.close();
      }
      assert.deepEqual(simple(await readJournal(nodeFileSystem, filePath)), [
        ['a', 12_345_678_901, 0, 'first'],
      ]);
    }));

  it('a missing file or a header that is not a journal reads as nothing to replay', () =>
    withJournal(async (journal, filePath) => {
      await journal.append([entry('a', 0, 'x')]);
      await fs.writeFile(filePath, Buffer.alloc(64 * 1024, 0x5a));
      assert.deepEqual(await readJournal(nodeFileSystem, filePath), []);
      assert.deepEqual(await readJournal(nodeFileSystem, `${filePath}-missing`), []);
    }));
});

/**
 * The durable LogStore: one directory per log under `<directory>/logs`, each a run of segment
 * files named by base offset (see `record-frame.ts` for the frame, `segment.ts` for the index,
 * `recover-log.ts` for what `open()` repairs).
 *
 * Group commit: appends to any log queue up; one flush cycle at a time takes the whole queue,
 * writes one buffer per touched log with one write call, the logs in parallel, and only then
 * commits the in-memory state and resolves the appends. Under policy `always` the active
 * segment is opened with O_DSYNC, so that write returns once the bytes are durable: the write is
 * the fsync, one trip to the I/O thread pool per log and cycle instead of two. Appends that
 * arrive meanwhile wait for the next cycle, so the number of fsyncs follows the number of
 * cycles, not of appends. A failed write or fsync rejects that log's appends of the cycle with
 * `Storage`, truncates the file back and leaves the in-memory state as it was, so nothing of them
 * is visible and a later append succeeds once the disk has room again.
 *
 * A small cycle (at most `journalCycleBytesMax`) under `always` is journaled instead: each log's
 * buffer goes into the page cache on the main thread, and one O_DSYNC write of all of them to the
 * write-ahead journal makes the cycle durable (`write-ahead-journal.ts` says why and how; `open()`
 * replays it before recovering logs). A failed segment write rejects that log's appends; a failed
 * journal write rejects the cycle's; both truncate the segments back as above.
 *
 * Bounds: queued plus in-flight append bytes stay under `pendingBytesMax` (an append beyond it
 * waits, in call order); record data lives only in those buffers, in the hot-tail cache (all
 * logs together under `tailCacheBytesMax`) and in what reads return. Per log, memory holds the
 * sparse indexes (16 bytes an entry) and the active segment's file handle; sealed segments'
 * handles stay open only within `openSegmentsMax` (least recently used closed first).
 *
 * Restart: each segment's index file (`persist-segment-index.ts`) is brought up to date when
 * the segment is sealed, every `indexCheckpointBytes` of appends to the active one, and at
 * close, so that `open()` reads index files and scans only what they do not cover.
 *
 * Every change to files and log state (flush, create, delete, trim, interval fsync) runs in one
 * exclusive section, in call order; reads run beside it and see only committed state.
 */

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as path from 'node:path';
import { assert } from '../../core/assert.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { isNotFound, nodeFileSystem, writeFully, type FileHandle, type FileSystem } from '../file-system.js';
import {
  logIdPattern,
  LogStoreError,
  type AppendInput,
  type AppendResult,
  type LogBounds,
  type LogRecord,
  type LogStore,
  type ReadOptions,
  type SyncPolicy,
} from '../log-store.js';
import type { RecordBatch } from '../record-batch.js';
import { ChunkPool } from './chunk-pool.js';
import { encodeBatch, noSegment, type EncodedBatch, type PendingAppend } from './encode-batch.js';
import { FileLog } from './file-log.js';
import { HandleCache } from './handle-cache.js';
import { writeLogMeta } from './log-meta.js';
import { indexFilePath, persistSegmentIndexInTurn } from './persist-segment-index.js';
import { findOffsetAtTimestamp, readAheadBytesMax, readBatch } from './read-log.js';
import { frameHeaderBytes, keyUtf8Bytes, partitionKeyBytesMax } from './record-frame.js';
import { emptyRecoveryStats, recoverLog, type RecoveryStats, type StorageLogger } from './recover-log.js';
import { defaultRollPolicy, shouldRoll, type RollPolicy } from './roll-policy.js';
import { Segment, segmentFileName, segmentRelativeMax, type SegmentContext } from './segment.js';
import { TailCache } from './tail-cache.js';
import {
  journalEntryHeaderBytes,
  journalRecordBytes,
  journalRecordsStart,
  readJournal,
  WriteAheadJournal,
  type JournalEntry,
} from './write-ahead-journal.js';

const MiB = 1024 * 1024;
const deletedPrefix = '.deleted-';
const recoveryConcurrency = 8;

export interface FileLogStoreOptions {
  /** The store's directory; logs live in `<directory>/logs/<logId>/`. */
  readonly directory: string;
  readonly fileSystem?: FileSystem;
  /** Drives the `interval` policy's fsync timer. */
  readonly clock?: Clock;
  /** When an append resolves: after fsync (`always`, default), after write (`interval`, `never`). */
  readonly syncPolicy?: SyncPolicy;
  /** How often policy `interval` fsyncs written segments. Default 1000. */
  readonly syncIntervalMs?: number;
  readonly rollPolicy?: Partial<RollPolicy>;
  /** Bytes of appends queued or being written before further appends wait. Default 64 MiB. */
  readonly pendingBytesMax?: number;
  /** Data bytes between sparse index entries. Default 4 KiB. */
  readonly indexIntervalBytes?: number;
  /**
   * Bytes appended to an active segment between updates of its index file: what a restart
   * after a crash scans at most per log. Default 1 MiB.
   */
  readonly indexCheckpointBytes?: number;
  /** Sealed segments whose file stays open between reads, over all logs. Default 64. */
  readonly openSegmentsMax?: number;
  /**
   * Memory for the newest frames of every log, served to readers at the tip. 0 turns it off.
   * Default 32 MiB: a 64 KiB block for each of 500 logs, which is what tip readers need.
   */
  readonly tailCacheBytesMax?: number;
  /** Told about repairs made at open and about failures that have no caller to reject. */
  readonly logger?: StorageLogger;
  /** Told how long each fsync of appended data took (metrics); must not throw. */
  readonly onSyncMs?: (durationMs: number) => void;
  /**
   * Size of the write-ahead journal that makes a small flush cycle durable with one write (policy
   * `always` only). 0 turns it off: every cycle writes its segments durably. Default 2 MiB.
   */
  readonly journalBytes?: number;
  /** Cycles of at most this many bytes of records go through the journal. Default 16 KiB. */
  readonly journalCycleBytesMax?: number;
}

export interface MemoryStats {
  readonly logs: number;
  readonly segments: number;
  /** Sparse index entries held, and the room allocated for them (16 bytes each). */
  readonly indexEntries: number;
  readonly indexCapacity: number;
  /** Sealed segments whose file handle is open while no read uses it. */
  readonly idleOpenSegments: number;
  readonly tailCacheBytes: number;
  readonly tailCacheBlocks: number;
  readonly pendingBytes: number;
}

interface Waiter {
  readonly log: FileLog;
  readonly entry: PendingAppend;
}

type StoreState = 'new' | 'open' | 'closing' | 'closed';

/** One log's share of a flush cycle, encoded and bound for its active segment. */
interface StagedBatch {
  readonly log: FileLog;
  readonly entries: readonly PendingAppend[];
  readonly segment: Segment;
  readonly batch: EncodedBatch;
  /** Where the batch goes in the segment: its committed end. */
  readonly positionBytes: number;
}

const journalFileName = 'journal';

export class FileLogStore implements LogStore {
  readonly #logsDirectory: string;
  readonly #fileSystem: FileSystem;
  readonly #clock: Clock;
  readonly #syncPolicy: SyncPolicy;
  readonly #syncIntervalMs: number;
  readonly #rollPolicy: RollPolicy;
  readonly #pendingBytesMax: number;
  readonly #indexCheckpointBytes: number;
  readonly #logger: StorageLogger;
  readonly #onSyncMs: ((durationMs: number) => void) | undefined;
  readonly #handleCache: HandleCache;
  readonly #segmentContext: SegmentContext;
  readonly #tailCache: TailCache;
  /** Read chunks that batches hand back at `release` (two at most: a drain's pages in flight). */
  readonly #chunkPool = new ChunkPool(readAheadBytesMax, 2);
  readonly #recoveryStats: RecoveryStats = emptyRecoveryStats();

  #state: StoreState = 'new';
  readonly #logs = new Map<string, FileLog>();
  #pending = new Map<FileLog, PendingAppend[]>();
  /** Bytes of appends queued or in the running flush cycle. */
  #pendingBytes = 0;
  readonly #waiters: Waiter[] = [];
  #flushScheduled = false;
  #exclusiveTail: Promise<void> = Promise.resolve();
  readonly #dirtySegments = new Set<Segment>();
  readonly #journalPath: string;
  readonly #journal: WriteAheadJournal | undefined;
  readonly #journalCycleBytesMax: number;
  /** Segments with bytes that only the journal holds durably, fsynced at each checkpoint. */
  readonly #journalDirty = new Set<Segment>();
  #cancelSyncTimer: (() => void) | undefined;

  constructor(options: FileLogStoreOptions) {
    this.#logsDirectory = path.join(options.directory, 'logs');
    this.#fileSystem = options.fileSystem ?? nodeFileSystem;
    this.#clock = options.clock ?? systemClock;
    this.#syncPolicy = options.syncPolicy ?? 'always';
    this.#syncIntervalMs = options.syncIntervalMs ?? 1000;
    this.#rollPolicy = { ...defaultRollPolicy, ...options.rollPolicy };
    this.#pendingBytesMax = options.pendingBytesMax ?? 64 * MiB;
    const indexIntervalBytes = options.indexIntervalBytes ?? 4096;
    this.#indexCheckpointBytes = options.indexCheckpointBytes ?? MiB;
    this.#logger = options.logger ?? (() => undefined);
    this.#onSyncMs = options.onSyncMs;
    const openSegmentsMax = options.openSegmentsMax ?? 64;
    const tailCacheBytesMax = options.tailCacheBytesMax ?? 32 * MiB;
    assert(this.#syncIntervalMs > 0 && this.#pendingBytesMax > 0 && indexIntervalBytes > 0);
    assert(this.#indexCheckpointBytes > 0 && openSegmentsMax >= 0 && tailCacheBytesMax >= 0);
    assert(this.#rollPolicy.segmentBytesMax > 0 && this.#rollPolicy.segmentAgeMsMax > 0);
    // Positions within a segment are u32: a segment plus one cycle's write must stay below 4 GiB.
    assert(this.#rollPolicy.segmentBytesMax + this.#pendingBytesMax < segmentRelativeMax / 2);
    this.#handleCache = new HandleCache(openSegmentsMax, this.#logger);
    this.#segmentContext = {
      fileSystem: this.#fileSystem,
      indexIntervalBytes,
      handleCache: this.#handleCache,
      durableWrites: this.#syncPolicy === 'always',
    };
    // Blocks of up to 64 KiB; smaller under a small budget so that it still holds several.
    const tailBlockBytes = Math.max(1024, Math.min(64 * 1024, Math.floor(tailCacheBytesMax / 16)));
    this.#tailCache = new TailCache(tailCacheBytesMax, tailBlockBytes);
    this.#journalPath = path.join(options.directory, journalFileName);
    const journalBytes = options.journalBytes ?? 2 * MiB;
    this.#journalCycleBytesMax = options.journalCycleBytesMax ?? 16 * 1024;
    assert(journalBytes >= 0 && this.#journalCycleBytesMax >= 0);
    this.#journal =
      this.#syncPolicy === 'always' && journalBytes > 0
        ? new WriteAheadJournal(this.#fileSystem, this.#journalPath, journalBytes)
        : undefined;
  }

  async open(): Promise<void> {
    assert(this.#state === 'new', `cannot open a log store that is ${this.#state}`);
    await storageStep('cannot open the log store', async () => {
      await this.#fileSystem.mkdirs(this.#logsDirectory);
      await this.#replayJournal();
      const names = (await this.#fileSystem.readdir(this.#logsDirectory)).sort();
      const recovered = new Map<string, FileLog>();
      // Logs are independent: recover a few at once so that I/O latency overlaps.
      await forEachConcurrently(names, recoveryConcurrency, async (name) => {
        const directory = path.join(this.#logsDirectory, name);
        if (name.startsWith(deletedPrefix)) {
          await this.#fileSystem.removeTree(directory);
        } else if (logIdPattern.test(name) && (await this.#fileSystem.stat(directory)).isDirectory) {
          const log = await recoverLog(
            this.#segmentContext,
            directory,
            name,
            this.#logger,
            this.#recoveryStats,
          );
          log.activeSegment?.keepOpen();
          recovered.set(name, log);
        } else {
          this.#logger('ignoring unknown entry in the logs directory', { name });
        }
      });
      for (const name of names) {
        const log = recovered.get(name);
        if (log !== undefined) this.#logs.set(name, log);
      }
      await this.#journal?.open(this.#logger);
    });
    this.#state = 'open';
    if (this.#syncPolicy === 'interval') this.#scheduleIntervalSync();
  }

  async close(): Promise<void> {
    if (this.#state !== 'open') {
      if (this.#state === 'new') this.#state = 'closed';
      return;
    }
    this.#state = 'closing';
    this.#cancelSyncTimer?.();
    // Appends already accepted finish first: drain the queue and the back-pressure waiters.
    do {
      await this.#exclusiveTail;
    } while (this.#pending.size > 0 || this.#waiters.length > 0 || this.#flushScheduled);
    await this.#exclusive(async () => {
      await this.#syncDirtySegments();
      await this.#closeJournal();
      // A clean stop leaves every index file covering its whole segment: the next open reads no segment.
      // (Sealed segments too, when a write of their index file failed at the time.)
      await Promise.all(
        [...this.#logs.values()].map(async (log) => {
          for (const segment of log.segments) {
            const behind = segment.indexFileNeedsRewrite || segment.persistedSizeBytes !== segment.sizeBytes;
            if (behind && !segment.needsTruncate) {
              await persistSegmentIndexInTurn(this.#fileSystem, segment, this.#logger);
            }
          }
        }),
      );
      for (const log of this.#logs.values()) {
        this.#tailCache.drop(log);
        for (const segment of log.segments) await segment.release();
      }
    });
    this.#logs.clear();
    this.#state = 'closed';
  }

  async createLog(logId: string): Promise<void> {
    this.#assertOpen();
    assert(logIdPattern.test(logId), `invalid log id ${logId}`);
    return this.#exclusive(async () => {
      if (this.#logs.has(logId)) return;
      const directory = path.join(this.#logsDirectory, logId);
      await storageStep(`cannot create log ${logId}`, async () => {
        await this.#fileSystem.mkdirs(directory);
        await writeLogMeta(this.#fileSystem, directory, { startOffset: 0, lastTimestampMs: undefined });
        await this.#fileSystem.syncDirectory(this.#logsDirectory);
      });
      this.#logs.set(logId, new FileLog(logId, directory, [], 0, undefined));
    });
  }

  async deleteLog(logId: string): Promise<void> {
    this.#assertOpen();
    return this.#exclusive(async () => {
      const log = this.#logs.get(logId);
      if (log === undefined) return;
      // The journal must not hold this log's writes: a new log of the same id would get them at replay.
      if (log.segments.some((segment) => this.#journalDirty.has(segment))) {
        await storageStep(`cannot delete log ${logId}`, () => this.#checkpointJournal());
      }
      log.deleted = true;
      this.#logs.delete(logId);
      this.#tailCache.drop(log);
      for (const segment of log.segments) {
        this.#dirtySegments.delete(segment);
        this.#journalDirty.delete(segment);
        await segment.indexWrite;
        await segment.release();
      }
      // Rename first so that a crash mid-removal cannot leave a half-deleted log that looks live.
      const trash = path.join(this.#logsDirectory, `${deletedPrefix}${logId}-${randomUUID()}`);
      await storageStep(`cannot delete log ${logId}`, async () => {
        await this.#fileSystem.rename(log.directory, trash);
        await this.#fileSystem.syncDirectory(this.#logsDirectory);
        await this.#fileSystem.removeTree(trash);
      });
    });
  }

  async listLogs(): Promise<string[]> {
    this.#assertOpen();
    return [...this.#logs.keys()].sort();
  }

  async append(logId: string, records: readonly AppendInput[], timestampMs: number): Promise<AppendResult> {
    this.#assertOpen();
    const log = this.#requireLog(logId);
    let frameBytes = 0;
    for (const record of records) {
      const keyBytes = keyUtf8Bytes(record.partitionKey);
      assert(keyBytes <= partitionKeyBytesMax, 'partition key too long');
      frameBytes += frameHeaderBytes + keyBytes + record.data.length;
    }
    return new Promise<AppendResult>((resolve, reject) => {
      const entry: PendingAppend = { records, timestampMs, frameBytes, resolve, reject };
      // Wait behind earlier waiters even if this one fits: appends keep call order.
      if (this.#waiters.length > 0 || !this.#fits(frameBytes)) this.#waiters.push({ log, entry });
      else this.#enqueue(log, entry);
    });
  }

  async read(logId: string, fromOffset: number, options: ReadOptions): Promise<LogRecord[]> {
    this.#assertOpen();
    // Records handed out may live on (views into the chunks): no pooled chunk here.
    return (await readBatch(this.#requireLog(logId), fromOffset, options, this.#tailCache)).toRecords();
  }

  async readBatch(logId: string, fromOffset: number, options: ReadOptions): Promise<RecordBatch> {
    this.#assertOpen();
    return readBatch(this.#requireLog(logId), fromOffset, options, this.#tailCache, this.#chunkPool);
  }

  async bounds(logId: string): Promise<LogBounds> {
    this.#assertOpen();
    const log = this.#requireLog(logId);
    return { startOffset: log.startOffset, endOffset: log.endOffset, lastTimestampMs: log.lastTimestampMs };
  }

  async offsetAtTimestamp(logId: string, timestampMs: number): Promise<number> {
    this.#assertOpen();
    return findOffsetAtTimestamp(this.#requireLog(logId), timestampMs);
  }

  /**
   * Deletes the leading segments whose newest record is older than `timestampMs`. That may be
   * every segment, the active one included: the log is then empty, its start offset (kept in its
   * metadata file) equals its end, and the next append starts a new segment there. The metadata
   * is written before any file is deleted, so a crash in between only leaves files that
   * recovery deletes.
   */
  async trimBefore(logId: string, timestampMs: number): Promise<number> {
    this.#assertOpen();
    const log = this.#requireLog(logId);
    return this.#exclusive(async () => {
      if (log.deleted) throw new LogStoreError('NoSuchLog', `no log ${logId}`);
      let count = 0;
      for (const segment of log.segments) {
        if (segment.lastTimestampMs === undefined || segment.lastTimestampMs >= timestampMs) break;
        count++;
      }
      if (count === 0) return log.startOffset;
      const startOffset = log.segments[count]?.baseOffset ?? log.endOffset;
      await storageStep(`cannot trim log ${logId}`, () =>
        writeLogMeta(this.#fileSystem, log.directory, { startOffset, lastTimestampMs: log.lastTimestampMs }),
      );
      const doomed = log.segments.splice(0, count);
      log.startOffset = startOffset;
      if (log.segments.length === 0) this.#tailCache.drop(log);
      for (const segment of doomed) {
        this.#dirtySegments.delete(segment);
        // Its journal entries, if any, find no file at replay (a trimmed base offset never recurs).
        this.#journalDirty.delete(segment);
        await segment.indexWrite;
        await segment.release();
        await this.#fileSystem.unlink(segment.filePath).catch((error: unknown) => {
          // The metadata already moved the start: recovery deletes the file later.
          this.#logger('could not delete a trimmed segment', { file: segment.filePath, error });
        });
        await this.#fileSystem.unlink(indexFilePath(segment)).catch((error: unknown) => {
          // Missing when the segment never got one; otherwise recovery deletes it later.
          if (!isNotFound(error))
            this.#logger('could not delete an index file', { file: indexFilePath(segment), error });
        });
      }
      await this.#fileSystem.syncDirectory(log.directory).catch((error: unknown) => {
        this.#logger('could not fsync a log directory after trimming', { directory: log.directory, error });
      });
      return startOffset;
    });
  }

  /** What recovery did at `open()`: segments loaded from their index files, bytes scanned. */
  get recoveryStats(): Readonly<RecoveryStats> {
    return this.#recoveryStats;
  }

  /** The sizes of what the store keeps in memory, to check that they stay within their bounds. */
  /** Bytes a log's segment files hold (committed frames), from memory; 0 for an unknown log. */
  storedBytes(logId: string): number {
    const log = this.#logs.get(logId);
    if (log === undefined) return 0;
    let bytes = 0;
    for (const segment of log.segments) bytes += segment.sizeBytes;
    return bytes;
  }

  memoryStats(): MemoryStats {
    let segments = 0;
    let indexEntries = 0;
    let indexCapacity = 0;
    for (const log of this.#logs.values()) {
      for (const segment of log.segments) {
        segments++;
        indexEntries += segment.indexEntryCount;
        indexCapacity += segment.indexCapacity;
      }
    }
    return {
      logs: this.#logs.size,
      segments,
      indexEntries,
      indexCapacity,
      idleOpenSegments: this.#handleCache.size,
      tailCacheBytes: this.#tailCache.bytes,
      tailCacheBlocks: this.#tailCache.blockCount,
      pendingBytes: this.#pendingBytes,
    };
  }

  #fits(frameBytes: number): boolean {
    // An append larger than the whole bound still goes, alone, rather than wait forever.
    return this.#pendingBytes === 0 || this.#pendingBytes + frameBytes <= this.#pendingBytesMax;
  }

  #enqueue(log: FileLog, entry: PendingAppend): void {
    this.#pendingBytes += entry.frameBytes;
    const entries = this.#pending.get(log);
    if (entries === undefined) this.#pending.set(log, [entry]);
    else entries.push(entry);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      void this.#exclusive(() => this.#flushCycle());
    }
  }

  async #flushCycle(): Promise<void> {
    this.#flushScheduled = false;
    const cycle = this.#pending;
    this.#pending = new Map();
    if (this.#journaled(cycle)) await this.#flushJournaled(cycle);
    else await Promise.all([...cycle].map(([log, entries]) => this.#flushLog(log, entries)));
    for (const entries of cycle.values()) {
      for (const entry of entries) this.#pendingBytes -= entry.frameBytes;
    }
    while (this.#waiters.length > 0 && this.#fits(this.#waiters[0]!.entry.frameBytes)) {
      const waiter = this.#waiters.shift()!;
      this.#enqueue(waiter.log, waiter.entry);
    }
  }

  /** Whether the journal takes this cycle: it is small, and its record fits an empty journal. */
  #journaled(cycle: ReadonlyMap<FileLog, readonly PendingAppend[]>): boolean {
    if (this.#journal === undefined) return false;
    let frameBytes = 0;
    let logIdBytes = 0;
    for (const [log, entries] of cycle) {
      for (const entry of entries) frameBytes += entry.frameBytes;
      logIdBytes += log.id.length;
    }
    const recordBytes =
      journalRecordBytes([]) + cycle.size * journalEntryHeaderBytes + logIdBytes + frameBytes;
    return (
      frameBytes <= this.#journalCycleBytesMax && recordBytes <= this.#journal.sizeBytes - journalRecordsStart
    );
  }

  /** Writes, syncs and commits one log's share of a cycle; settles every entry, never throws. */
  async #flushLog(log: FileLog, entries: readonly PendingAppend[]): Promise<void> {
    let staged: StagedBatch | undefined;
    try {
      staged = await this.#stage(log, entries);
      if (staged === undefined) return;
      await this.#writeBatch(log, staged.segment, staged.batch.buffer);
    } catch (error) {
      for (const entry of entries) entry.reject(error);
      return;
    }
    this.#commit(staged);
  }

  /**
   * A journaled cycle: each log's batch into its segment's page cache, then one durable journal
   * record of them all, then the commits. Settles every entry, never throws.
   */
  async #flushJournaled(cycle: ReadonlyMap<FileLog, readonly PendingAppend[]>): Promise<void> {
    const journal = this.#journal!;
    const written: StagedBatch[] = [];
    for (const [log, entries] of cycle) {
      try {
        const staged = await this.#stage(log, entries);
        if (staged === undefined) continue;
        await this.#writeBuffered(staged);
        written.push(staged);
      } catch (error) {
        for (const entry of entries) entry.reject(error);
      }
    }
    if (written.length === 0) return;
    const record = written.map((staged) => ({
      logId: staged.log.id,
      segmentBaseOffset: staged.segment.baseOffset,
      positionBytes: staged.positionBytes,
      bytes: staged.batch.buffer,
    }));
    try {
      if (!journal.fits(journalRecordBytes(record))) {
        await storageStep('cannot checkpoint the journal', () => this.#checkpointJournal());
      }
      await this.#timed(() => journal.append(record));
    } catch (error) {
      for (const staged of written) {
        await this.#rollBack(staged.segment, staged.positionBytes);
        for (const entry of staged.entries) entry.reject(error);
      }
      return;
    }
    for (const staged of written) {
      this.#journalDirty.add(staged.segment);
      this.#commit(staged);
    }
  }

  /**
   * Encodes one log's share of a cycle for its active segment (rolling it if due). Appends
   * without records get their offset and timestamp here, and nothing comes back to write.
   */
  async #stage(log: FileLog, entries: readonly PendingAppend[]): Promise<StagedBatch | undefined> {
    if (log.deleted) throw new LogStoreError('NoSuchLog', `no log ${log.id}`);
    let totalBytes = 0;
    for (const entry of entries) totalBytes += entry.frameBytes;
    if (totalBytes === 0) {
      const batch = encodeBatch(noSegment, log.endOffset, log.lastTimestampMs, entries, 0);
      entries.forEach((entry, index) => entry.resolve(batch.results[index]!));
      return undefined;
    }
    const firstMs = Math.max(entries[0]!.timestampMs, log.lastTimestampMs ?? -Infinity);
    const segment = await this.#segmentForAppend(log, totalBytes, firstMs);
    const batch = encodeBatch(segment, log.endOffset, log.lastTimestampMs, entries, totalBytes);
    return { log, entries, segment, batch, positionBytes: segment.sizeBytes };
  }

  /** Makes a written batch visible (index entries, counts, the log's end, the hot tail) and resolves its appends. */
  #commit({ log, entries, segment, batch }: StagedBatch): void {
    for (let index = 0; index < batch.index.length; index += 3) {
      segment.addIndexEntry(batch.index[index]!, batch.index[index + 1]!, batch.index[index + 2]!);
    }
    segment.commit(batch.recordCount, batch.buffer.length, batch.firstTimestampMs, batch.lastTimestampMs);
    const firstOffset = log.endOffset;
    log.endOffset += batch.recordCount;
    log.lastTimestampMs = batch.lastTimestampMs;
    if (this.#syncPolicy === 'interval') this.#dirtySegments.add(segment);
    entries.forEach((entry, index) => entry.resolve(batch.results[index]!));
    // In the same tick as the commit, so the cached tail always reaches the committed end.
    this.#tailCache.add(log, batch.buffer, firstOffset, log.endOffset);
    const active = log.activeSegment;
    if (
      active !== undefined &&
      !log.deleted &&
      active.indexWritesPending === 0 &&
      active.sizeBytes - active.persistedSizeBytes >= this.#indexCheckpointBytes
    ) {
      // Not awaited: the cycle's appends do not wait for a file that only speeds up recovery.
      void persistSegmentIndexInTurn(this.#fileSystem, active, this.#logger);
    }
  }

  /** A journaled cycle's write of one batch into the page cache; on failure, cut the file back. */
  async #writeBuffered({ log, segment, batch, positionBytes }: StagedBatch): Promise<void> {
    try {
      if (segment.needsTruncate) {
        await segment.withHandle((handle) => handle.truncate(positionBytes));
        segment.needsTruncate = false;
      }
      await segment.writeBuffered(batch.buffer, positionBytes);
    } catch (error) {
      await this.#rollBack(segment, positionBytes);
      throw new LogStoreError('Storage', `log ${log.id}: cannot write: ${describe(error)}`, { cause: error });
    }
  }

  /** Fsyncs every segment the journal covers, then starts a new epoch: no record is replayed any more. */
  async #checkpointJournal(): Promise<void> {
    const segments = [...this.#journalDirty];
    await Promise.all(segments.map((segment) => segment.withHandle((handle) => handle.datasync())));
    for (const segment of segments) this.#journalDirty.delete(segment);
    await this.#journal?.startEpoch();
  }

  /** At close: a checkpoint, so that the next open replays nothing (when it fails, the next open replays). */
  async #closeJournal(): Promise<void> {
    const journal = this.#journal;
    if (journal === undefined) return;
    if (journal.usedBytes > 0) {
      await this.#checkpointJournal().catch((error: unknown) => {
        this.#logger('could not checkpoint the journal at close; the next open replays it', { error });
      });
    }
    await journal.close();
  }

  /**
   * Copies the journal's entries back into their segments (grouped per file, each fsynced once)
   * before logs are recovered. A journal is replayed whatever the policy now, and removed when
   * the store runs without one.
   */
  async #replayJournal(): Promise<void> {
    const entries = await readJournal(this.#fileSystem, this.#journalPath);
    const byFile = new Map<string, JournalEntry[]>();
    for (const entry of entries) {
      if (!logIdPattern.test(entry.logId)) continue;
      const filePath = path.join(this.#logsDirectory, entry.logId, segmentFileName(entry.segmentBaseOffset));
      const forFile = byFile.get(filePath);
      if (forFile === undefined) byFile.set(filePath, [entry]);
      else forFile.push(entry);
    }
    for (const [filePath, forFile] of byFile) {
      let handle: FileHandle;
      try {
        handle = await this.#fileSystem.open(filePath, 'readWrite');
      } catch (error) {
        // A segment trimmed after its write was journaled: nothing to restore.
        if (isNotFound(error)) continue;
        throw error;
      }
      try {
        for (const entry of forFile) await writeFully(handle, entry.bytes, entry.positionBytes);
        await handle.datasync();
      } finally {
        await handle.close();
      }
    }
    this.#recoveryStats.journalEntriesReplayed = entries.length;
    if (this.#journal === undefined && entries.length > 0) {
      await this.#fileSystem.unlink(this.#journalPath);
      await this.#fileSystem.syncDirectory(path.dirname(this.#journalPath));
    }
  }

  /** One write at the committed end (and an fsync under `always`); on failure, cut the file back. */
  async #writeBatch(log: FileLog, segment: Segment, buffer: Buffer): Promise<void> {
    const positionBytes = segment.sizeBytes;
    try {
      await segment.withHandle(async (handle) => {
        if (segment.needsTruncate) {
          await handle.truncate(positionBytes);
          segment.needsTruncate = false;
        }
        // Under `always` the handle's writes are durable (O_DSYNC): the write is the fsync.
        if (this.#syncPolicy === 'always') await this.#timed(() => writeFully(handle, buffer, positionBytes));
        else await writeFully(handle, buffer, positionBytes);
      });
    } catch (error) {
      await this.#rollBack(segment, positionBytes);
      throw new LogStoreError('Storage', `log ${log.id}: cannot write: ${describe(error)}`, { cause: error });
    }
  }

  async #timed(durableStep: () => Promise<void>): Promise<void> {
    if (this.#onSyncMs === undefined) return durableStep();
    const startMs = performance.now();
    await durableStep();
    this.#onSyncMs(performance.now() - startMs);
  }

  async #rollBack(segment: Segment, positionBytes: number): Promise<void> {
    try {
      await segment.withHandle((handle) => handle.truncate(positionBytes));
    } catch (error) {
      // The next write truncates first; until then the bytes past the committed end are unseen.
      segment.needsTruncate = true;
      this.#logger('could not truncate a failed write', { file: segment.filePath, error });
    }
  }

  /** The active segment, or a new one when the roll policy says so (its creation made durable). */
  async #segmentForAppend(log: FileLog, incomingBytes: number, timestampMs: number): Promise<Segment> {
    const active = log.activeSegment;
    if (active !== undefined && !shouldRoll(this.#rollPolicy, active, incomingBytes, timestampMs))
      return active;
    // Seal first: under `interval` the old segment's last writes must be durable before it closes.
    if (active !== undefined && this.#dirtySegments.has(active)) {
      await storageStep(`log ${log.id}: cannot sync a sealed segment`, () =>
        active.withHandle((handle) => handle.datasync()),
      );
      this.#dirtySegments.delete(active);
    }
    // Its index file is complete before the next segment exists: a sealed segment is never scanned.
    // A failed append of the file is retried once as a whole rewrite (which a failed append asks for).
    if (active !== undefined && !(await persistSegmentIndexInTurn(this.#fileSystem, active, this.#logger))) {
      await persistSegmentIndexInTurn(this.#fileSystem, active, this.#logger);
    }
    const segment = new Segment(this.#segmentContext, log.directory, log.endOffset);
    await storageStep(`log ${log.id}: cannot start a segment`, async () => {
      // 'truncate', not 'createNew': a file at the log's end offset that the log does not list
      // can only be left over from a start that failed, and holds nothing committed.
      segment.adoptHandle(
        await this.#fileSystem.open(segment.filePath, 'truncate', {
          durableWrites: this.#segmentContext.durableWrites,
        }),
      );
      try {
        await this.#fileSystem.syncDirectory(log.directory);
      } catch (error) {
        await segment.release();
        throw error;
      }
    });
    await active?.closeBufferedHandle();
    active?.trimIndexCapacity();
    active?.unpin();
    // The hot tail is the active segment's: reads of sealed data go to the file, CRC-checked.
    this.#tailCache.drop(log);
    log.segments.push(segment);
    return segment;
  }

  #scheduleIntervalSync(): void {
    this.#cancelSyncTimer = this.#clock.schedule(this.#syncIntervalMs, () => {
      void this.#exclusive(() => this.#syncDirtySegments()).then(() => {
        if (this.#state === 'open') this.#scheduleIntervalSync();
      });
    });
  }

  /** Policy `interval`: fsync what was written since the last time; failures are logged, retried next time. */
  async #syncDirtySegments(): Promise<void> {
    const segments = [...this.#dirtySegments];
    this.#dirtySegments.clear();
    await Promise.all(
      segments.map(async (segment) => {
        try {
          await segment.withHandle((handle) => handle.datasync());
        } catch (error) {
          this.#dirtySegments.add(segment);
          this.#logger('interval fsync failed', { file: segment.filePath, error });
        }
      }),
    );
  }

  /** Runs `step` after every earlier exclusive step; its error goes to its caller only. */
  #exclusive<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#exclusiveTail.then(step);
    this.#exclusiveTail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #requireLog(logId: string): FileLog {
    const log = this.#logs.get(logId);
    if (log === undefined) throw new LogStoreError('NoSuchLog', `no log ${logId}`);
    return log;
  }

  #assertOpen(): void {
    if (this.#state !== 'open') throw new LogStoreError('Closed', `the log store is ${this.#state}`);
  }
}

/** Runs `step` over `items`, at most `limit` at a time; rejects with the first failure once all have settled. */
async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  step: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await step(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
}

/** Runs an I/O step, turning any failure that is not already a LogStoreError into `Storage`. */
async function storageStep<T>(message: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof LogStoreError) throw error;
    throw new LogStoreError('Storage', `${message}: ${describe(error)}`, { cause: error });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One segment file of a log, as the store knows it in memory: where it starts, how many
 * committed records and bytes it holds, their first and last timestamps, and a sparse index
 * (offset, file position, timestamp) with an entry every `indexIntervalBytes` of data. All of it
 * is rebuilt from the file by `scanSegment`, or loaded from the segment's index file
 * (`segment-index-file.ts`); none of it holds record data.
 *
 * Invariants: `sizeBytes` and `recordCount` cover only committed frames (a write in flight or a
 * failed one lies past them); index entries are in offset order, the first at (baseOffset, 0).
 * The index lives in typed arrays (16 bytes an entry, offsets and positions relative to the
 * segment), grown by a quarter at a time while the segment is active and cut to size when it is
 * sealed.
 *
 * The segment also owns its file handle, shared by the writer and readers and counted. The
 * active segment keeps its handle open; a sealed one hands its idle handle to the store's
 * `HandleCache`, which closes the least recently used ones beyond its bound.
 */

import * as path from 'node:path';
import { assert } from '../../core/assert.js';
import { writeFullySync, type FileHandle, type FileSystem } from '../file-system.js';
import type { HandleCache } from './handle-cache.js';

export const segmentFileSuffix = '.log';
const segmentNamePattern = /^(\d{20})\.log$/;
const indexCapacityMin = 16;
/** Offsets and positions within a segment are kept as u32. */
export const segmentRelativeMax = 0xffff_ffff;

export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}${segmentFileSuffix}`;
}

/** The base offset a segment file name encodes, or undefined for any other file. */
export function parseSegmentFileName(name: string): number | undefined {
  const match = segmentNamePattern.exec(name);
  return match === null ? undefined : Number(match[1]);
}

export interface IndexEntry {
  readonly offset: number;
  readonly position: number;
}

/** What every segment of a store shares. */
export interface SegmentContext {
  readonly fileSystem: FileSystem;
  readonly indexIntervalBytes: number;
  readonly handleCache: HandleCache;
  /** Segment files are opened with durable writes (sync policy `always`): no separate fsync. */
  readonly durableWrites: boolean;
}

/** A copy of a segment's sparse index, as the index file stores it. */
export interface SparseIndex {
  readonly count: number;
  /** Offset minus the segment's base offset. */
  readonly offsets: Uint32Array;
  readonly positions: Uint32Array;
  readonly timestamps: Float64Array;
}

export class Segment {
  readonly baseOffset: number;
  readonly filePath: string;
  readonly indexIntervalBytes: number;
  sizeBytes = 0;
  recordCount = 0;
  firstTimestampMs: number | undefined;
  lastTimestampMs: number | undefined;
  /** Where recovery found a bad frame in this sealed segment; reads that reach it fail. */
  corruptAtBytes: number | undefined;
  /** The file may hold bytes past `sizeBytes` (a rollback's truncate failed); cut before writing. */
  needsTruncate = false;
  /** Written but not yet fsynced (sync policy `interval`). */
  dirty = false;
  /** What the index file holds: the bytes and index entries its last good block covers. */
  persistedSizeBytes = 0;
  persistedEntryCount = 0;
  /** The index file cannot be appended to (a torn block, a failed append): rewrite it whole. */
  indexFileNeedsRewrite = false;
  /** Settles when the last index file write started for this segment is done; never rejects. */
  indexWrite: Promise<void> = Promise.resolve();
  /** Index file writes started and not yet done. */
  indexWritesPending = 0;

  #indexOffsets = new Uint32Array(0);
  #indexPositions = new Uint32Array(0);
  #indexTimestamps = new Float64Array(0);
  #indexCount = 0;
  #lastIndexedPosition = -Infinity;

  readonly #context: SegmentContext;
  #handle: Promise<FileHandle> | undefined;
  /** The active segment's second handle, without durable writes, for journaled cycles. */
  #bufferedHandle: Promise<FileHandle> | undefined;
  #users = 0;
  #keepOpen = false;
  /** Deleted or closed: a handle opened after this closes as soon as its last user is done. */
  #released = false;

  constructor(context: SegmentContext, directory: string, baseOffset: number) {
    this.#context = context;
    this.baseOffset = baseOffset;
    this.filePath = path.join(directory, segmentFileName(baseOffset));
    this.indexIntervalBytes = context.indexIntervalBytes;
  }

  get endOffset(): number {
    return this.baseOffset + this.recordCount;
  }

  get indexEntryCount(): number {
    return this.#indexCount;
  }

  /** Entries the index arrays have room for (what they cost in memory, 16 bytes each). */
  get indexCapacity(): number {
    return this.#indexOffsets.length;
  }

  /** Whether a record at `position` should get an index entry. */
  wantsIndexEntry(position: number): boolean {
    return position - this.#lastIndexedPosition >= this.indexIntervalBytes;
  }

  addIndexEntry(offset: number, position: number, timestampMs: number): void {
    const relative = offset - this.baseOffset;
    assert(relative >= 0 && relative <= segmentRelativeMax && position <= segmentRelativeMax);
    if (this.#indexCount === this.#indexOffsets.length) {
      // Grow by a quarter, not double: the spare room of hundreds of active segments adds up.
      this.#resizeIndex(this.#indexCount + Math.max(indexCapacityMin, this.#indexCount >>> 2));
    }
    this.#indexOffsets[this.#indexCount] = relative;
    this.#indexPositions[this.#indexCount] = position;
    this.#indexTimestamps[this.#indexCount] = timestampMs;
    this.#indexCount++;
    this.#lastIndexedPosition = position;
  }

  /** Replaces the (empty) index with one loaded from the index file. */
  loadIndex(index: SparseIndex): void {
    assert(this.#indexCount === 0);
    this.#indexOffsets = index.offsets.slice(0, index.count);
    this.#indexPositions = index.positions.slice(0, index.count);
    this.#indexTimestamps = index.timestamps.slice(0, index.count);
    this.#indexCount = index.count;
    this.#lastIndexedPosition = index.count === 0 ? -Infinity : this.#indexPositions[index.count - 1]!;
  }

  /** Entries `[from, count)` of the index, as views (valid until the next entry is added). */
  indexEntries(from: number): SparseIndex {
    return {
      count: this.#indexCount - from,
      offsets: this.#indexOffsets.subarray(from, this.#indexCount),
      positions: this.#indexPositions.subarray(from, this.#indexCount),
      timestamps: this.#indexTimestamps.subarray(from, this.#indexCount),
    };
  }

  /** No more appends: give back the index arrays' spare room. */
  trimIndexCapacity(): void {
    if (this.#indexOffsets.length > this.#indexCount) this.#resizeIndex(this.#indexCount);
  }

  #resizeIndex(capacity: number): void {
    const offsets = new Uint32Array(capacity);
    const positions = new Uint32Array(capacity);
    const timestamps = new Float64Array(capacity);
    offsets.set(this.#indexOffsets.subarray(0, this.#indexCount));
    positions.set(this.#indexPositions.subarray(0, this.#indexCount));
    timestamps.set(this.#indexTimestamps.subarray(0, this.#indexCount));
    this.#indexOffsets = offsets;
    this.#indexPositions = positions;
    this.#indexTimestamps = timestamps;
  }

  get lastIndexedPosition(): number {
    return this.#lastIndexedPosition;
  }

  /** Counts committed records and bytes (their index entries were added already). */
  commit(recordCount: number, sizeBytes: number, firstTimestampMs: number, lastTimestampMs: number): void {
    if (this.recordCount === 0) this.firstTimestampMs = firstTimestampMs;
    this.recordCount += recordCount;
    this.sizeBytes += sizeBytes;
    this.lastTimestampMs = lastTimestampMs;
  }

  /** The last index entry at or before `offset`. */
  floorEntry(offset: number): IndexEntry {
    const relative = offset - this.baseOffset;
    return this.#entryAt(lastIndexWhere(this.#indexOffsets, this.#indexCount, (value) => value <= relative));
  }

  /** The last index entry whose timestamp is below `timestampMs`: a scan from it finds the first at or after. */
  entryBeforeTimestamp(timestampMs: number): IndexEntry {
    return this.#entryAt(
      lastIndexWhere(this.#indexTimestamps, this.#indexCount, (value) => value < timestampMs),
    );
  }

  #entryAt(index: number): IndexEntry {
    if (index < 0) return { offset: this.baseOffset, position: 0 };
    return { offset: this.baseOffset + this.#indexOffsets[index]!, position: this.#indexPositions[index]! };
  }

  /** Takes the handle a new segment file was created with and keeps it open: the segment written to. */
  adoptHandle(handle: FileHandle): void {
    this.#handle = Promise.resolve(handle);
    this.#keepOpen = true;
  }

  /** Keeps the handle open between uses (the active segment). */
  keepOpen(): void {
    this.#keepOpen = true;
    this.#context.handleCache.forget(this);
  }

  /** Sealed: the handle may stay open, idle, at the handle cache's discretion. */
  unpin(): void {
    this.#keepOpen = false;
    if (this.#users === 0) this.#becameIdle();
  }

  /** Runs `use` with the segment's file handle, opening it if needed. */
  async withHandle<T>(use: (handle: FileHandle) => Promise<T>): Promise<T> {
    this.#users++;
    if (this.#users === 1) this.#context.handleCache.forget(this);
    try {
      return await use(await this.#openHandle());
    } finally {
      this.#users--;
      if (this.#users === 0 && this.#released) await this.#closeHandle();
      else if (this.#users === 0 && !this.#keepOpen) this.#becameIdle();
    }
  }

  #becameIdle(): void {
    if (this.#handle !== undefined) this.#context.handleCache.noteIdle(this);
  }

  async #openHandle(): Promise<FileHandle> {
    const opening = (this.#handle ??= this.#context.fileSystem.open(this.filePath, 'readWrite', {
      durableWrites: this.#context.durableWrites,
    }));
    try {
      return await opening;
    } catch (error) {
      // Forget a failed open so that the next use tries again.
      if (this.#handle === opening) this.#handle = undefined;
      throw error;
    }
  }

  /**
   * Writes `buffer` at `positionBytes` into the page cache, on the calling thread, through a
   * second handle without durable writes: a journaled flush cycle, whose journal record makes
   * the bytes durable (see `write-ahead-journal.ts`). Only the writer of the active segment calls it.
   */
  async writeBuffered(buffer: Uint8Array, positionBytes: number): Promise<void> {
    const opening = (this.#bufferedHandle ??= this.#context.fileSystem.open(this.filePath, 'readWrite'));
    let handle: FileHandle;
    try {
      handle = await opening;
    } catch (error) {
      if (this.#bufferedHandle === opening) this.#bufferedHandle = undefined;
      throw error;
    }
    writeFullySync(handle, buffer, positionBytes);
  }

  /** Sealed, deleted or closing: no more buffered writes. */
  async closeBufferedHandle(): Promise<void> {
    const opening = this.#bufferedHandle;
    this.#bufferedHandle = undefined;
    if (opening === undefined) return;
    // An open that failed leaves nothing to close; its error went to the write that needed it.
    const handle = await opening.catch(() => undefined);
    await handle?.close();
  }

  /** Whether the handle is open (for the cache's bookkeeping and tests). */
  get hasOpenHandle(): boolean {
    return this.#handle !== undefined;
  }

  /** The handle cache evicts this idle segment: close its handle unless a user came back. */
  async closeIdleHandle(): Promise<void> {
    if (this.#users === 0 && !this.#keepOpen) await this.#closeHandle();
  }

  /** Deleted or store closing: close the handle now, or when its last user is done. */
  async release(): Promise<void> {
    await this.closeBufferedHandle();
    this.#keepOpen = false;
    this.#released = true;
    this.#context.handleCache.forget(this);
    if (this.#users === 0) await this.#closeHandle();
  }

  async #closeHandle(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle !== undefined) await (await handle).close();
  }
}

/** Binary search over the first `count` sorted values: the last index whose value satisfies `test`, or -1. */
function lastIndexWhere(
  values: Uint32Array | Float64Array,
  count: number,
  test: (value: number) => boolean,
): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(values[middle]!)) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

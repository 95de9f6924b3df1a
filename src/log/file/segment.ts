/**
 * One segment file of a log, as the store knows it in memory: where it starts, how many
 * committed records and bytes it holds, their first and last timestamps, and a sparse index
 * (offset, file position, timestamp) with an entry every `indexIntervalBytes` of data. All of it
 * is rebuilt from the file by `scanSegment`; none of it holds record data.
 *
 * Invariants: `sizeBytes` and `recordCount` cover only committed frames (a write in flight or a
 * failed one lies past them); index entries are in offset order, the first at (baseOffset, 0).
 *
 * The segment also owns its file handle, shared by the writer and readers and counted, so that
 * a sealed or deleted segment closes its handle once the last reader lets go.
 */

import * as path from 'node:path';
import type { FileHandle, FileSystem } from '../file-system.js';

export const segmentFileSuffix = '.log';
const segmentNamePattern = /^(\d{20})\.log$/;

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

  readonly #indexOffsets: number[] = [];
  readonly #indexPositions: number[] = [];
  readonly #indexTimestamps: number[] = [];
  #lastIndexedPosition = -Infinity;

  readonly #fileSystem: FileSystem;
  #handle: Promise<FileHandle> | undefined;
  #users = 0;
  #keepOpen = false;

  constructor(fileSystem: FileSystem, directory: string, baseOffset: number, indexIntervalBytes: number) {
    this.#fileSystem = fileSystem;
    this.baseOffset = baseOffset;
    this.filePath = path.join(directory, segmentFileName(baseOffset));
    this.indexIntervalBytes = indexIntervalBytes;
  }

  get endOffset(): number {
    return this.baseOffset + this.recordCount;
  }

  /** Whether a record at `position` should get an index entry. */
  wantsIndexEntry(position: number): boolean {
    return position - this.#lastIndexedPosition >= this.indexIntervalBytes;
  }

  addIndexEntry(offset: number, position: number, timestampMs: number): void {
    this.#indexOffsets.push(offset);
    this.#indexPositions.push(position);
    this.#indexTimestamps.push(timestampMs);
    this.#lastIndexedPosition = position;
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
    return this.#entryAt(lastIndexWhere(this.#indexOffsets, (value) => value <= offset));
  }

  /** The last index entry whose timestamp is below `timestampMs`: a scan from it finds the first at or after. */
  entryBeforeTimestamp(timestampMs: number): IndexEntry {
    return this.#entryAt(lastIndexWhere(this.#indexTimestamps, (value) => value < timestampMs));
  }

  #entryAt(index: number): IndexEntry {
    if (index < 0) return { offset: this.baseOffset, position: 0 };
    return { offset: this.#indexOffsets[index]!, position: this.#indexPositions[index]! };
  }

  /** Takes the handle a new segment file was created with and keeps it open: the segment written to. */
  adoptHandle(handle: FileHandle): void {
    this.#handle = Promise.resolve(handle);
    this.#keepOpen = true;
  }

  /** Keeps the handle open between uses (the active segment). */
  keepOpen(): void {
    this.#keepOpen = true;
  }

  /** Runs `use` with the segment's file handle, opening it if needed. */
  async withHandle<T>(use: (handle: FileHandle) => Promise<T>): Promise<T> {
    this.#users++;
    try {
      return await use(await this.#openHandle());
    } finally {
      this.#users--;
      if (this.#users === 0 && !this.#keepOpen) await this.#closeHandle();
    }
  }

  async #openHandle(): Promise<FileHandle> {
    const opening = (this.#handle ??= this.#fileSystem.open(this.filePath, 'readWrite'));
    try {
      return await opening;
    } catch (error) {
      // Forget a failed open so that the next use tries again.
      if (this.#handle === opening) this.#handle = undefined;
      throw error;
    }
  }

  /** Sealed or deleted: close the handle now, or when its last user is done. */
  async release(): Promise<void> {
    this.#keepOpen = false;
    if (this.#users === 0) await this.#closeHandle();
  }

  async #closeHandle(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle !== undefined) await (await handle).close();
  }
}

/** Binary search over a sorted array: the last index whose value satisfies `test`, or -1. */
function lastIndexWhere(values: readonly number[], test: (value: number) => boolean): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(values[middle]!)) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

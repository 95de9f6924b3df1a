/**
 * The hot tail: the newest committed frames of each log kept in memory, so that readers at or
 * near the tip (the common case: consumers polling for new records) are served without a file
 * read, and without waiting behind fsyncs for the I/O threads.
 *
 * Bounds: all logs share `bytesMax` (the blocks' allocated size counts); beyond it the oldest
 * block of any log goes first. Small batches are copied into per-log blocks of `blockBytes`, so
 * that a log appending one record at a time costs a few blocks, not an object per append; a
 * large batch's buffer is kept without a copy, as views of about `blockBytes` each (its memory
 * is freed once its last view is evicted, which follows soon, as they are evicted in order).
 *
 * Invariant: a log's blocks hold consecutive frames, from the first block's `firstOffset` up to
 * the log's committed end (frames are added right after they are committed, in the same tick).
 * Anything that would break that (a batch not following on) drops the log's tail instead.
 *
 * The store drops a log's tail when it rolls to a new segment, so the cache holds only frames
 * of active segments, and data of sealed segments is always read from the file.
 *
 * Frames here were encoded by this process and never read back from disk, so reads from the
 * cache skip the CRC check that file reads make. Records handed out are views into the blocks:
 * callers must not modify them (nor may they records read from files, which are views too).
 */

import { assert } from '../../core/assert.js';
import type { LogRecord } from '../log-store.js';
import {
  frameData,
  frameHeaderBytes,
  frameOffset,
  framePartitionKey,
  frameTimestampMs,
} from './record-frame.js';

interface TailBlock {
  readonly owner: LogTail;
  readonly buffer: Buffer;
  usedBytes: number;
  readonly firstOffset: number;
  endOffset: number;
}

interface LogTail {
  readonly blocks: TailBlock[];
  /** Index of the first live block in `blocks` (evicted ones are dropped lazily). */
  head: number;
}

/** Where a read from the cache stopped. */
export interface TailRead {
  readonly nextOffset: number;
  readonly bytes: number;
  /** A bound (`maxRecords`, `maxBytes`) was reached. */
  readonly full: boolean;
}

export class TailCache {
  readonly #bytesMax: number;
  readonly #blockBytes: number;
  #bytes = 0;
  /** Every live block, oldest first: the eviction order. */
  readonly #blocks = new Set<TailBlock>();
  readonly #tails = new Map<object, LogTail>();

  constructor(bytesMax: number, blockBytes: number) {
    assert(bytesMax >= 0 && blockBytes > 0);
    this.#bytesMax = bytesMax;
    this.#blockBytes = blockBytes;
  }

  /** Bytes the cache holds (allocated block sizes). */
  get bytes(): number {
    return this.#bytes;
  }

  get blockCount(): number {
    return this.#blocks.size;
  }

  /** Adds the frames `frames`, offsets `[firstOffset, endOffset)`, just committed to `log`. */
  add(log: object, frames: Buffer, firstOffset: number, endOffset: number): void {
    if (this.#bytesMax === 0 || frames.length === 0) return;
    let tail = this.#tails.get(log);
    const last = tail?.blocks.at(-1);
    if (tail !== undefined && tail.head < tail.blocks.length && last!.endOffset !== firstOffset) {
      this.drop(log);
      tail = undefined;
    }
    if (tail === undefined) {
      tail = { blocks: [], head: 0 };
      this.#tails.set(log, tail);
    }
    const open = tail.head < tail.blocks.length ? tail.blocks.at(-1) : undefined;
    if (open !== undefined && open.buffer.length - open.usedBytes >= frames.length) {
      frames.copy(open.buffer, open.usedBytes);
      open.usedBytes += frames.length;
      open.endOffset = endOffset;
    } else if (frames.length >= this.#blockBytes / 2) {
      this.#addViews(tail, frames, endOffset);
    } else {
      const buffer = Buffer.allocUnsafeSlow(this.#blockBytes);
      frames.copy(buffer, 0);
      this.#addBlock(tail, buffer, frames.length, firstOffset, endOffset);
    }
    this.#evict();
  }

  /**
   * Keeps a large batch without copying it, as views of about `blockBytes` cut at frame
   * boundaries, so that finding an offset walks at most one block's frames.
   */
  #addViews(tail: LogTail, frames: Buffer, endOffset: number): void {
    let start = 0;
    while (start < frames.length) {
      let end = start;
      do end += frames.readUInt32LE(end) + 4;
      while (end < frames.length && end - start + frames.readUInt32LE(end) + 4 <= this.#blockBytes);
      const next = end < frames.length ? frameOffset(frames, end) : endOffset;
      const view = frames.subarray(start, end);
      this.#addBlock(tail, view, view.length, frameOffset(frames, start), next);
      start = end;
    }
  }

  #addBlock(tail: LogTail, buffer: Buffer, usedBytes: number, firstOffset: number, endOffset: number): void {
    const block: TailBlock = { owner: tail, buffer, usedBytes, firstOffset, endOffset };
    tail.blocks.push(block);
    this.#blocks.add(block);
    this.#bytes += buffer.length;
  }

  #evict(): void {
    while (this.#bytes > this.#bytesMax) {
      const oldest = this.#blocks.values().next().value as TailBlock;
      const tail = oldest.owner;
      // Blocks are created in order within a log too, so the oldest overall is its log's first.
      assert(tail.blocks[tail.head] === oldest, 'tail blocks evicted out of order');
      this.#blocks.delete(oldest);
      this.#bytes -= oldest.buffer.length;
      tail.head++;
      if (tail.head === tail.blocks.length) {
        tail.blocks.length = 0;
        tail.head = 0;
      } else if (tail.head >= 64 && tail.head * 2 >= tail.blocks.length) {
        tail.blocks.splice(0, tail.head);
        tail.head = 0;
      }
    }
  }

  /** Forgets a log's blocks (the log was deleted, or its frames no longer follow on). */
  drop(log: object): void {
    const tail = this.#tails.get(log);
    if (tail === undefined) return;
    this.#tails.delete(log);
    for (let index = tail.head; index < tail.blocks.length; index++) {
      const block = tail.blocks[index]!;
      this.#blocks.delete(block);
      this.#bytes -= block.buffer.length;
    }
  }

  /** Whether a read of `log` from `offset` can be served here (to the log's end). */
  covers(log: object, offset: number): boolean {
    const tail = this.#tails.get(log);
    return (
      tail !== undefined && tail.head < tail.blocks.length && tail.blocks[tail.head]!.firstOffset <= offset
    );
  }

  /**
   * Appends to `records` the frames of `log` from `offset` (which `covers` said is here) until the
   * end or a bound; `bytes` is what `records` already counts against `maxBytes`.
   */
  read(
    log: object,
    offset: number,
    maxRecords: number,
    maxBytes: number,
    records: LogRecord[],
    bytes: number,
  ): TailRead {
    const tail = this.#tails.get(log)!;
    let blockIndex = findBlock(tail, offset);
    let next = offset;
    let total = bytes;
    for (; blockIndex < tail.blocks.length; blockIndex++) {
      const block = tail.blocks[blockIndex]!;
      const buffer = block.buffer;
      let position = 0;
      while (position < block.usedBytes) {
        const frameBytes = buffer.readUInt32LE(position) + 4;
        const frameOffsetValue = frameOffset(buffer, position);
        if (frameOffsetValue >= next) {
          const recordBytes = frameBytes - frameHeaderBytes;
          if (records.length >= maxRecords || (records.length > 0 && total + recordBytes > maxBytes)) {
            return { nextOffset: next, bytes: total, full: true };
          }
          total += recordBytes;
          records.push({
            offset: frameOffsetValue,
            timestampMs: frameTimestampMs(buffer, position),
            partitionKey: framePartitionKey(buffer, position),
            data: frameData(buffer, position, frameBytes),
          });
          next = frameOffsetValue + 1;
        }
        position += frameBytes;
      }
    }
    return { nextOffset: next, bytes: total, full: records.length >= maxRecords };
  }
}

/** The live block holding `offset`: the last whose first offset is at or before it. */
function findBlock(tail: LogTail, offset: number): number {
  let low = tail.head;
  let high = tail.blocks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (tail.blocks[middle]!.firstOffset <= offset) low = middle + 1;
    else high = middle;
  }
  return Math.max(tail.head, low - 1);
}

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
 * Each block lists where its frames start (4 bytes a frame, counted in the budget), so a read
 * finds its first record without walking the frames before it.
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
import type { RecordBatch } from '../record-batch.js';
import { frameHeaderBytes, frameKeyBytes, frameTimestampMs } from './record-frame.js';

interface TailBlock {
  readonly owner: LogTail;
  readonly buffer: Buffer;
  usedBytes: number;
  readonly firstOffset: number;
  /** Frame `i` of the block holds offset `firstOffset + i` and starts at `positions[i]`. */
  positions: Uint32Array;
  frameCount: number;
  /** What the block counts against the budget: its buffer and its positions. */
  costBytes: number;
}

interface LogTail {
  /** Live blocks only, oldest first (an evicted block must not stay reachable: it holds memory). */
  readonly blocks: TailBlock[];
}

const positionsCapacityMin = 64;

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

  /** Bytes the cache holds (block buffers and frame positions). */
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
    if (tail !== undefined && tail.blocks.length > 0 && endOf(tail.blocks.at(-1)!) !== firstOffset) {
      this.drop(log);
      tail = undefined;
    }
    if (tail === undefined) {
      tail = { blocks: [] };
      this.#tails.set(log, tail);
    }
    const open = tail.blocks.at(-1);
    if (open !== undefined && open.buffer.length - open.usedBytes >= frames.length) {
      frames.copy(open.buffer, open.usedBytes);
      this.#indexFrames(open, open.usedBytes, open.usedBytes + frames.length);
    } else if (frames.length >= this.#blockBytes / 2) {
      this.#addViews(tail, frames, firstOffset);
    } else {
      const buffer = Buffer.allocUnsafeSlow(this.#blockBytes);
      frames.copy(buffer, 0);
      const block = this.#addBlock(tail, buffer, firstOffset);
      this.#indexFrames(block, 0, frames.length);
    }
    assert(endOf(tail.blocks.at(-1)!) === endOffset, 'tail frames do not match their offsets');
    this.#evict();
  }

  /**
   * Keeps a large batch without copying it, as views of about `blockBytes` cut at frame
   * boundaries (memory freed once the last view is evicted, which follows soon: in order).
   */
  #addViews(tail: LogTail, frames: Buffer, firstOffset: number): void {
    let start = 0;
    let offset = firstOffset;
    while (start < frames.length) {
      let end = start;
      do end += readLength(frames, end) + 4;
      while (end < frames.length && end - start + readLength(frames, end) + 4 <= this.#blockBytes);
      const block = this.#addBlock(tail, frames.subarray(start, end), offset);
      this.#indexFrames(block, 0, end - start);
      offset = endOf(block);
      start = end;
    }
  }

  #addBlock(tail: LogTail, buffer: Buffer, firstOffset: number): TailBlock {
    const positions = new Uint32Array(positionsCapacityMin);
    const costBytes = buffer.length + positions.byteLength;
    const block: TailBlock = {
      owner: tail,
      buffer,
      usedBytes: 0,
      firstOffset,
      positions,
      frameCount: 0,
      costBytes,
    };
    tail.blocks.push(block);
    this.#blocks.add(block);
    this.#bytes += costBytes;
    return block;
  }

  /** Records the frames in `block.buffer[from, to)` (already there) as the block's next ones. */
  #indexFrames(block: TailBlock, from: number, to: number): void {
    const buffer = block.buffer;
    let position = from;
    while (position < to) {
      if (block.frameCount === block.positions.length) {
        const grown = new Uint32Array(block.positions.length * 2);
        grown.set(block.positions);
        this.#bytes += grown.byteLength - block.positions.byteLength;
        block.costBytes += grown.byteLength - block.positions.byteLength;
        block.positions = grown;
      }
      block.positions[block.frameCount++] = position;
      position += readLength(buffer, position) + 4;
    }
    assert(position === to, 'tail frames cut inside a frame');
    block.usedBytes = to;
  }

  #evict(): void {
    while (this.#bytes > this.#bytesMax) {
      const oldest = this.#blocks.values().next().value as TailBlock;
      const tail = oldest.owner;
      // Blocks are created in order within a log too, so the oldest overall is its log's first.
      assert(tail.blocks[0] === oldest, 'tail blocks evicted out of order');
      this.#blocks.delete(oldest);
      this.#bytes -= oldest.costBytes;
      // A log holds at most bytesMax / blockBytes blocks, so this shift stays cheap.
      tail.blocks.shift();
    }
  }

  /** Forgets a log's blocks (the log was deleted, or its frames no longer follow on). */
  drop(log: object): void {
    const tail = this.#tails.get(log);
    if (tail === undefined) return;
    this.#tails.delete(log);
    for (const block of tail.blocks) {
      this.#blocks.delete(block);
      this.#bytes -= block.costBytes;
    }
  }

  /** Whether a read of `log` from `offset` can be served here (to the log's end). */
  covers(log: object, offset: number): boolean {
    const tail = this.#tails.get(log);
    return tail !== undefined && tail.blocks.length > 0 && tail.blocks[0]!.firstOffset <= offset;
  }

  /**
   * Appends to `batch` the frames of `log` from `offset` (which `covers` said is here, and which
   * is `batch.endOffset`) until the end or a bound; `bytes` is what `batch` already counts
   * against `maxBytes`.
   */
  read(
    log: object,
    offset: number,
    maxRecords: number,
    maxBytes: number,
    batch: RecordBatch,
    bytes: number,
  ): TailRead {
    assert(batch.endOffset === offset, 'tail read does not follow on its batch');
    const tail = this.#tails.get(log)!;
    let next = offset;
    let total = bytes;
    for (let blockIndex = findBlock(tail, offset); blockIndex < tail.blocks.length; blockIndex++) {
      const block = tail.blocks[blockIndex]!;
      const { buffer, positions, frameCount } = block;
      for (let frame = Math.max(0, next - block.firstOffset); frame < frameCount; frame++) {
        const position = positions[frame]!;
        const frameBytes = (frame + 1 < frameCount ? positions[frame + 1]! : block.usedBytes) - position;
        const recordBytes = frameBytes - frameHeaderBytes;
        if (batch.count >= maxRecords || (batch.count > 0 && total + recordBytes > maxBytes)) {
          return { nextOffset: next, bytes: total, full: true };
        }
        total += recordBytes;
        batch.push(
          buffer,
          position + frameHeaderBytes,
          frameKeyBytes(buffer, position),
          position + frameBytes,
          frameTimestampMs(buffer, position),
        );
        next++;
      }
    }
    return { nextOffset: next, bytes: total, full: batch.count >= maxRecords };
  }
}

/** Where a read from the cache stopped. */
export interface TailRead {
  readonly nextOffset: number;
  readonly bytes: number;
  /** A bound (`maxRecords`, `maxBytes`) was reached. */
  readonly full: boolean;
}

function endOf(block: TailBlock): number {
  return block.firstOffset + block.frameCount;
}

/** A frame's length field (what follows it), read without Buffer's argument checks. */
function readLength(buffer: Buffer, position: number): number {
  return (
    (buffer[position]! | (buffer[position + 1]! << 8) | (buffer[position + 2]! << 16)) +
    buffer[position + 3]! * 0x1000000
  );
}

/** The live block holding `offset`: the last whose first offset is at or before it. */
function findBlock(tail: LogTail, offset: number): number {
  let low = 0;
  let high = tail.blocks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (tail.blocks[middle]!.firstOffset <= offset) low = middle + 1;
    else high = middle;
  }
  return Math.max(0, low - 1);
}

/**
 * Walks the frames of a segment file from a known frame boundary, reading ahead in chunks so
 * that a read costs a few positioned reads rather than one per record or one per segment.
 * Each chunk is a fresh buffer (or one from a `ChunkPool`, handed back only once nothing points
 * into it): records handed out are views into it.
 *
 * The cursor only checks framing (length and CRC); what a bad frame means is the caller's call:
 * recovery truncates a bad tail, a read rejects with Corrupt.
 */

import { readFully, type FileHandle } from '../file-system.js';
import { checkFrame, frameCorrupt, frameIncomplete, neededBytes } from './record-frame.js';

/** `frame`: `chunk` holds a checked frame at `position`; `end`: at `limitBytes`; `torn`: the file ends inside a frame. */
export type CursorStep = 'frame' | 'end' | 'torn' | 'corrupt';

export class FrameCursor {
  readonly #handle: FileHandle;
  readonly #limitBytes: number;
  readonly #readAheadBytes: number;
  #chunk: Buffer = Buffer.alloc(0);
  /** File position of the chunk's first byte. */
  #chunkStart: number;
  #chunkLength = 0;
  /** Position in the chunk of the current frame, and its total length. */
  #position = 0;
  #total = 0;

  readonly #allocate: (size: number) => Buffer;

  /** `allocate` makes each chunk (a fresh buffer by default). */
  constructor(
    handle: FileHandle,
    startBytes: number,
    limitBytes: number,
    readAheadBytes: number,
    allocate: (size: number) => Buffer = Buffer.allocUnsafe,
  ) {
    this.#allocate = allocate;
    this.#handle = handle;
    this.#chunkStart = startBytes;
    this.#limitBytes = limitBytes;
    this.#readAheadBytes = readAheadBytes;
  }

  get chunk(): Buffer {
    return this.#chunk;
  }

  /** The current frame's position in `chunk`. */
  get position(): number {
    return this.#position;
  }

  get totalBytes(): number {
    return this.#total;
  }

  /** The current frame's position in the file. */
  get filePosition(): number {
    return this.#chunkStart + this.#position;
  }

  /**
   * Moves past the current frame to the next one and checks it, without reading: `more` when the
   * next frame is not whole in the chunk (then `next()` reads it). Lets a reader walk a chunk's
   * frames synchronously and await only once per chunk.
   */
  step(): CursorStep | 'more' {
    this.#position += this.#total;
    this.#total = 0;
    if (this.filePosition >= this.#limitBytes) return 'end';
    const result = checkFrame(this.#chunk, this.#position, this.#chunkLength - this.#position);
    if (result === frameIncomplete) return 'more';
    if (result === frameCorrupt) return 'corrupt';
    this.#total = result;
    return 'frame';
  }

  /** Moves past the current frame to the next one and checks it, reading a new chunk when needed. */
  async next(): Promise<CursorStep> {
    const stepped = this.step();
    if (stepped !== 'more') return stepped;
    const needed = neededBytes(this.#chunk, this.#position, this.#chunkLength - this.#position);
    if (needed > this.#limitBytes - this.filePosition) return 'torn';
    if (!(await this.#refill(needed))) return 'torn';
    const result = checkFrame(this.#chunk, 0, this.#chunkLength);
    if (result === frameCorrupt || result === frameIncomplete)
      return result === frameCorrupt ? 'corrupt' : 'torn';
    this.#total = result;
    return 'frame';
  }

  /** Reads a new chunk from the current frame on, at least `neededBytes` long; false if the file is shorter. */
  async #refill(needed: number): Promise<boolean> {
    const start = this.filePosition;
    const size = Math.min(Math.max(needed, this.#readAheadBytes), this.#limitBytes - start);
    const chunk = this.#allocate(size);
    const read = await readFully(this.#handle, chunk, size, start);
    this.#chunk = chunk;
    this.#chunkStart = start;
    this.#chunkLength = read;
    this.#position = 0;
    return read >= needed;
  }
}

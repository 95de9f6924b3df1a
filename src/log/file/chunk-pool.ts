/**
 * Read chunks for reads that hand their chunks back once nothing points into them any more
 * (GetRecords, after its answer is written): a drain then reuses a few buffers instead of
 * allocating about 2 MB of external memory per page, which V8 answers with garbage collections
 * ("external memory pressure"). Bounded: at most `countMax` free chunks of `chunkBytes` are kept.
 *
 * Only chunks this pool made can come back (tracked by their ArrayBuffer), so a Buffer carved
 * from Node's shared allocation pool, or one the tail cache owns, is never reused by mistake.
 */
import { assert } from '../../core/assert.js';

/** Smaller reads take a buffer of their own size: a pooled chunk would waste most of itself. */
const pooledBytesMin = 256 * 1024;

export class ChunkPool {
  readonly #chunkBytes: number;
  readonly #countMax: number;
  readonly #free: ArrayBuffer[] = [];
  readonly #made = new WeakSet<ArrayBuffer>();

  constructor(chunkBytes: number, countMax: number) {
    assert(chunkBytes >= pooledBytesMin && countMax >= 0);
    this.#chunkBytes = chunkBytes;
    this.#countMax = countMax;
  }

  /** Free chunks held. */
  get freeCount(): number {
    return this.#free.length;
  }

  /** A buffer of `size` bytes (contents undefined): a pooled chunk when the size suits one. */
  take(size: number): Buffer {
    if (size < pooledBytesMin || size > this.#chunkBytes) return Buffer.allocUnsafe(size);
    let memory = this.#free.pop();
    if (memory === undefined) {
      memory = new ArrayBuffer(this.#chunkBytes);
      this.#made.add(memory);
    }
    return Buffer.from(memory, 0, size);
  }

  /** Whether `chunk` came from `take` as a pooled chunk (so `give` will keep it). */
  owns(chunk: Buffer): boolean {
    return this.#made.has(chunk.buffer as ArrayBuffer);
  }

  /** Hands back a chunk from `take`; the caller must hold no view of it any more. */
  give(chunk: Buffer): void {
    const memory = chunk.buffer as ArrayBuffer;
    if (!this.#made.has(memory) || this.#free.length >= this.#countMax) return;
    assert(!this.#free.includes(memory), 'chunk given back twice');
    this.#free.push(memory);
  }
}

/**
 * The replay point of one shard: a bounded ring of the batches read since it, each with the
 * latest ROWTIME its rows got and the position of its last record. `trim` forgets the batches
 * whose rows no operator can hold any more (every row older than the held-from time, and enough
 * newer records kept for count windows); `replayPoint` is then the position just before the oldest
 * batch kept: reading again after it repeats every record whose rows may sit in an open window.
 *
 * Invariants: at most `batchesMax` batches (past it the oldest is forgotten: its records are not
 * replayed); the replay point only moves forward; a shard with no batch kept needs no replay.
 */
import { assert } from '../../core/assert.js';

interface Batch {
  readonly rowtimeMs: number;
  readonly records: number;
  readonly lastPosition: string;
}

export class ReplayRing {
  /** Position before the oldest batch kept; undefined: the shard's starting position. */
  #replayPoint: string | undefined;
  readonly #batchesMax: number;
  readonly #batches: Batch[] = [];
  #head = 0;
  #records = 0;

  constructor(startPosition: string | undefined, batchesMax: number) {
    assert(batchesMax > 0, 'a replay ring keeps at least one batch');
    this.#replayPoint = startPosition;
    this.#batchesMax = batchesMax;
  }

  /** A batch of `records` records read and pushed, its rows' latest ROWTIME and its last position. */
  add(rowtimeMs: number, records: number, lastPosition: string): void {
    if (records === 0) return;
    this.#batches.push({ rowtimeMs, records, lastPosition });
    this.#records += records;
    if (this.size > this.#batchesMax) this.#dropOldest();
  }

  /** Forgets the oldest batches whose rows are all older than `heldFromMs`, keeping `recordsKept` records. */
  trim(heldFromMs: number, recordsKept: number): void {
    for (;;) {
      const oldest = this.#batches[this.#head];
      if (oldest === undefined || oldest.rowtimeMs >= heldFromMs) return;
      if (this.#records - oldest.records < recordsKept) return;
      this.#dropOldest();
    }
  }

  /** Where reading resumes to replay the batches kept; undefined: from the shard's start. */
  get replayPoint(): string | undefined {
    return this.#replayPoint;
  }

  /** Batches kept. */
  get size(): number {
    return this.#batches.length - this.#head;
  }

  /** Records of the batches kept. */
  get records(): number {
    return this.#records;
  }

  #dropOldest(): void {
    const oldest = this.#batches[this.#head] as Batch;
    this.#replayPoint = oldest.lastPosition;
    this.#records -= oldest.records;
    this.#head++;
    // Compact now and then so the array does not grow without bound.
    if (this.#head >= 1024 && this.#head * 2 >= this.#batches.length) {
      this.#batches.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

/**
 * The replay points of one input: a `ReplayRing` per shard, started at the position the input
 * began reading the shard from. `checkpoint` turns the reader's read position into the checkpoint
 * to store: per shard the replay point while some batch may still be held in an open window,
 * else the read position itself (SHARD_END included). A shard without a replay point (it must be
 * read again from the input's start) is left out, which is how the reader starts such shards.
 */
import { limits } from '../../core/limits.js';
import type { InputCheckpoint } from './checkpoint-store.js';
import { ReplayRing } from './replay-ring.js';

export class InputReplay {
  readonly #start: Readonly<Record<string, string>>;
  readonly #rings = new Map<string, ReplayRing>();

  /** `start`: the checkpoint reading began from. */
  constructor(start: InputCheckpoint) {
    this.#start = start.shards;
  }

  /** A batch of a shard pushed to the engine. */
  add(shardId: string, rowtimeMs: number, records: number, lastPosition: string): void {
    let ring = this.#rings.get(shardId);
    if (ring === undefined) {
      ring = new ReplayRing(this.#start[shardId], limits.analyticsReplayBatchesPerShardMax);
      this.#rings.set(shardId, ring);
    }
    ring.add(rowtimeMs, records, lastPosition);
  }

  /** The checkpoint to store for the reader's position `read`, once rows older than `heldFromMs` left every window. */
  checkpoint(read: InputCheckpoint, heldFromMs: number, recordsKept: number): InputCheckpoint {
    const shards: Record<string, string> = {};
    for (const shardId of this.#rings.keys()) if (!(shardId in read.shards)) this.#rings.delete(shardId);
    for (const [shardId, position] of Object.entries(read.shards)) {
      const ring = this.#rings.get(shardId);
      ring?.trim(heldFromMs, recordsKept);
      if (ring === undefined || ring.size === 0) {
        shards[shardId] = position;
        continue;
      }
      const replayPoint = ring.replayPoint;
      if (replayPoint !== undefined) shards[shardId] = replayPoint;
    }
    return { ...read, shards };
  }
}

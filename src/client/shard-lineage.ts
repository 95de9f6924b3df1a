/**
 * Which shards of a stream a reader reads, and when: a shard becomes ready only when every
 * parent it lists (ParentShardId, AdjacentParentShardId) is finished or not read at all, so a
 * reader goes through a split or merge with parents before children and per-key order kept.
 *
 * States: `waiting` (read once its parents are done), `reading`, `finished` (read to its end or
 * to the reader's stopping point), `excluded` (never read: before the starting position, after
 * a snapshot's end, or gone from the stream). A parent that is not known at all blocks its
 * children until the reader either learns about it or marks it gone.
 */
import { assert } from '../core/assert.js';

export type ShardState = 'waiting' | 'reading' | 'finished' | 'excluded';

interface Entry {
  state: ShardState;
  readonly parentShardIds: readonly string[];
}

export class ShardLineage {
  readonly #shards = new Map<string, Entry>();

  has(shardId: string): boolean {
    return this.#shards.has(shardId);
  }

  stateOf(shardId: string): ShardState | undefined {
    return this.#shards.get(shardId)?.state;
  }

  /** Adds a shard once; later calls for a known shard change nothing. */
  add(shardId: string, parentShardIds: readonly string[], state: 'waiting' | 'excluded'): void {
    if (this.#shards.has(shardId)) return;
    this.#shards.set(shardId, { state, parentShardIds: [...parentShardIds] });
  }

  finish(shardId: string): void {
    const entry = this.#shards.get(shardId);
    assert(entry !== undefined && entry.state === 'reading', `finish of a shard not being read: ${shardId}`);
    entry.state = 'finished';
  }

  /** Parents of waiting shards that are not known at all. */
  unknownParents(): string[] {
    const unknown = new Set<string>();
    for (const entry of this.#shards.values()) {
      if (entry.state !== 'waiting') continue;
      for (const parent of entry.parentShardIds) if (!this.#shards.has(parent)) unknown.add(parent);
    }
    return [...unknown];
  }

  /** Waiting shards whose parents are all done, now marked `reading`, in shard-id order. */
  takeReady(): string[] {
    const ready: string[] = [];
    for (const [shardId, entry] of this.#shards) {
      if (entry.state !== 'waiting') continue;
      const parentsDone = entry.parentShardIds.every((parent) => {
        const state = this.#shards.get(parent)?.state;
        return state === 'finished' || state === 'excluded';
      });
      if (parentsDone) ready.push(shardId);
    }
    ready.sort();
    for (const shardId of ready) (this.#shards.get(shardId) as Entry).state = 'reading';
    return ready;
  }

  /** Whether one of the known ancestors of `shardId` is in `ancestors`. */
  isDescendantOf(shardId: string, ancestors: ReadonlySet<string>): boolean {
    const seen = new Set<string>();
    const pending = [...(this.#shards.get(shardId)?.parentShardIds ?? [])];
    while (pending.length > 0) {
      const parent = pending.pop() as string;
      if (seen.has(parent)) continue;
      seen.add(parent);
      if (ancestors.has(parent)) return true;
      pending.push(...(this.#shards.get(parent)?.parentShardIds ?? []));
    }
    return false;
  }

  count(state: ShardState): number {
    let total = 0;
    for (const entry of this.#shards.values()) if (entry.state === state) total++;
    return total;
  }
}

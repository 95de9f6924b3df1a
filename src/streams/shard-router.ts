/**
 * Routes a hash key to the open shard whose inclusive [start, end] range contains it. The open
 * shards of a stream always partition the whole 128-bit space, so every key has exactly one.
 * Built once per shard-map change; a lookup is a binary search over bigints.
 */
import { assert } from '../core/assert.js';
import type { ShardRecord } from './stream-model.js';

export class ShardRouter {
  readonly #starts: bigint[];
  readonly #shards: ShardRecord[];

  constructor(shards: readonly ShardRecord[]) {
    this.#shards = shards
      .filter((shard) => shard.closedAtMs === undefined)
      .sort((a, b) => (BigInt(a.startingHashKey) < BigInt(b.startingHashKey) ? -1 : 1));
    this.#starts = this.#shards.map((shard) => BigInt(shard.startingHashKey));
    assert(this.#shards.length > 0 && this.#starts[0] === 0n, 'open shards must cover the hash space');
  }

  route(hashKey: bigint): ShardRecord {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.#starts[middle] as bigint) <= hashKey) low = middle;
      else high = middle - 1;
    }
    return this.#shards[low] as ShardRecord;
  }
}

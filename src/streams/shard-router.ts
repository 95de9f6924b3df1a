/**
 * Routes a hash key to the open shard whose inclusive [start, end] range contains it. The open
 * shards of a stream always partition the whole 128-bit space, so every key has exactly one.
 * Built once per shard-map change; a lookup is a binary search over 4-word keys (no BigInt).
 */
import { assert } from '../core/assert.js';
import { compareHashWords, hashKeyToWords } from '../core/hash-key.js';
import type { ShardRecord } from './stream-model.js';

export class ShardRouter {
  readonly #startWords: Uint32Array[];
  readonly #shards: ShardRecord[];

  constructor(shards: readonly ShardRecord[]) {
    this.#shards = shards
      .filter((shard) => shard.closedAtMs === undefined)
      .sort((a, b) => (BigInt(a.startingHashKey) < BigInt(b.startingHashKey) ? -1 : 1));
    this.#startWords = this.#shards.map((shard) => {
      const words = new Uint32Array(4);
      hashKeyToWords(BigInt(shard.startingHashKey), words);
      return words;
    });
    assert(
      this.#shards.length > 0 && BigInt(this.#shards[0]?.startingHashKey ?? -1) === 0n,
      'open shards must cover the hash space',
    );
  }

  /** The open shard for a hash key given as four 32-bit words (most significant first). */
  routeWords(hashWords: Uint32Array): ShardRecord {
    let low = 0;
    let high = this.#startWords.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (compareHashWords(this.#startWords[middle] as Uint32Array, hashWords) <= 0) low = middle;
      else high = middle - 1;
    }
    return this.#shards[low] as ShardRecord;
  }
}

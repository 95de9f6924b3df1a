import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  hashKeyToWords,
  partitionKeyToHashKey,
  partitionKeyToHashWords,
  uniformHashKeyRanges,
} from '../core/hash-key.js';
import { ShardRouter } from './shard-router.js';
import type { ShardRecord } from './stream-model.js';

function shards(count: number): ShardRecord[] {
  return uniformHashKeyRanges(count).map((range, index) => ({
    index,
    startingHashKey: range.startingHashKey.toString(),
    endingHashKey: range.endingHashKey.toString(),
    createdAtMs: 0,
  }));
}

const routeKey = (router: ShardRouter, key: string): number => {
  const words = new Uint32Array(4);
  partitionKeyToHashWords(key, words);
  return router.routeWords(words).index;
};

it('routes the reference vectors (MD5 of the partition key, 4 shards)', () => {
  const router = new ShardRouter(shards(4));
  assert.equal(partitionKeyToHashKey('a'), 16955237001963240173058271559858726497n);
  assert.equal(partitionKeyToHashKey('hello'), 123957004363873451094272536567338222994n);
  assert.equal(partitionKeyToHashKey('pk1'), 329398341438914906102347661116985167824n);
  assert.equal(routeKey(router, 'a'), 0);
  assert.equal(routeKey(router, 'hello'), 1);
  assert.equal(routeKey(router, 'pk1'), 3);
});

it('routes every key to the shard whose inclusive range holds it, at the boundaries too', () => {
  for (const count of [1, 2, 3, 7, 64]) {
    const layout = shards(count);
    const router = new ShardRouter(layout);
    const words = new Uint32Array(4);
    for (const shard of layout) {
      for (const key of [BigInt(shard.startingHashKey), BigInt(shard.endingHashKey)]) {
        hashKeyToWords(key, words);
        assert.equal(router.routeWords(words).index, shard.index);
      }
    }
    for (let trial = 0; trial < 200; trial++) {
      const key = `key-${trial}`;
      const hash = partitionKeyToHashKey(key);
      const expected = layout.find(
        (shard) => BigInt(shard.startingHashKey) <= hash && hash <= BigInt(shard.endingHashKey),
      );
      assert.equal(routeKey(router, key), expected?.index);
    }
  }
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { uniformHashKeyRanges } from '../core/hash-key.js';
import { applyReshard, planUniformScaling } from './reshard.js';
import type { ShardRecord } from './stream-model.js';

function layout(count: number): ShardRecord[] {
  return uniformHashKeyRanges(count).map((range, index) => ({
    index,
    startingHashKey: range.startingHashKey.toString(),
    endingHashKey: range.endingHashKey.toString(),
    createdAtMs: 0,
  }));
}

const openRanges = (shards: readonly ShardRecord[]): string[][] =>
  shards
    .filter((shard) => shard.closedAtMs === undefined)
    .sort((a, b) => (BigInt(a.startingHashKey) < BigInt(b.startingHashKey) ? -1 : 1))
    .map((shard) => [shard.startingHashKey, shard.endingHashKey]);

it('scales to exactly the uniform layout, with only 1→2 splits and 2→1 merges', () => {
  for (const [from, to] of [
    [1, 2],
    [2, 1],
    [3, 5],
    [4, 3],
    [4, 8],
    [8, 4],
    [5, 7],
    [7, 4],
    [6, 11],
  ] as const) {
    const shards = layout(from);
    const steps = planUniformScaling(shards, from, to);
    const applied = applyReshard(shards, from, steps, 1000);
    assert.deepEqual(
      openRanges(applied.shards),
      layout(to).map((shard) => [shard.startingHashKey, shard.endingHashKey]),
      `${from} → ${to}`,
    );
    for (const shard of applied.shards) {
      const children = applied.shards.filter(
        (child) => child.parentIndex === shard.index || child.adjacentParentIndex === shard.index,
      );
      assert.ok(children.length <= 2);
      if (shard.closedAtMs !== undefined)
        assert.ok(children.length >= 1, `closed shard ${shard.index} has no child`);
    }
    assert.equal(applied.closedIndexes.length, from, 'every original shard closes when the layout changes');
  }
});

it('splits and merges with lineage, and marks transient shards empty', () => {
  const split = applyReshard(layout(1), 1, [{ kind: 'split', shardIndex: 0, newStartingHashKey: '1000' }], 5);
  assert.deepEqual(
    split.shards.map((shard) => [shard.index, shard.parentIndex, shard.startingHashKey, shard.closedAtMs]),
    [
      [0, undefined, '0', 5],
      [1, 0, '0', undefined],
      [2, 0, '1000', undefined],
    ],
  );
  assert.equal(split.shards[1]?.endingHashKey, '999');
  const merged = applyReshard(
    split.shards,
    split.nextShardIndex,
    [{ kind: 'merge', shardIndex: 1, adjacentShardIndex: 2 }],
    9,
  );
  const child = merged.shards.find((shard) => shard.index === 3);
  assert.deepEqual([child?.parentIndex, child?.adjacentParentIndex, child?.startingHashKey], [1, 2, '0']);
  const chained = applyReshard(
    layout(1),
    1,
    [
      { kind: 'split', shardIndex: 0, newStartingHashKey: '1000' },
      { kind: 'split', shardIndex: 2, newStartingHashKey: '2000' },
    ],
    7,
  );
  assert.deepEqual(chained.transientIndexes, [2]);
  assert.equal(chained.shards.find((shard) => shard.index === 2)?.endOffset, 0);
  assert.deepEqual(chained.openedIndexes, [1, 3, 4]);
});

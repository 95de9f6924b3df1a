/**
 * Resharding as data: a reshard is a list of steps (split a shard at a hash key, or merge two
 * adjacent shards), applied in order to a stream's shard list when its UPDATING transition
 * completes. UpdateShardCount is planned as such steps, so that every shard's lineage is only
 * ever a split (1 → 2) or a merge (2 → 1), which is what the KCL knows how to follow.
 *
 * Applying steps is pure: it returns the new shard list, the shards that were open before and
 * are closed now (their end offsets must be read from their logs) and the new shards. Shards
 * created and closed by the same reshard (intermediate pieces of UpdateShardCount) never took a
 * write, so they end at offset 0.
 */
import { assert } from '../core/assert.js';
import { hashKeySpaceSize } from '../core/hash-key.js';
import type { ShardRecord } from './stream-model.js';

export type ReshardStep =
  | { readonly kind: 'split'; readonly shardIndex: number; readonly newStartingHashKey: string }
  | { readonly kind: 'merge'; readonly shardIndex: number; readonly adjacentShardIndex: number };

export interface AppliedReshard {
  readonly shards: ShardRecord[];
  readonly nextShardIndex: number;
  /** Shards open before the reshard and closed by it: their end offsets come from their logs. */
  readonly closedIndexes: number[];
  /** Shards the reshard created and left open. */
  readonly openedIndexes: number[];
  /** Shards the reshard created and closed again (empty, end offset 0). */
  readonly transientIndexes: number[];
}

export function applyReshard(
  shards: readonly ShardRecord[],
  nextShardIndex: number,
  steps: readonly ReshardStep[],
  nowMs: number,
): AppliedReshard {
  const byIndex = new Map(shards.map((shard) => [shard.index, { ...shard }]));
  const originallyOpen = new Set(
    shards.filter((shard) => shard.closedAtMs === undefined).map((s) => s.index),
  );
  const created = new Set<number>();
  let next = nextShardIndex;
  const open = (index: number): ShardRecord => {
    const shard = byIndex.get(index);
    assert(
      shard !== undefined && shard.closedAtMs === undefined,
      `reshard step on shard ${index} that is not open`,
    );
    return shard;
  };
  const close = (shard: ShardRecord): void => {
    byIndex.set(shard.index, {
      ...shard,
      closedAtMs: nowMs,
      ...(created.has(shard.index) ? { endOffset: 0 } : {}),
    });
  };
  const add = (shard: ShardRecord): void => {
    byIndex.set(shard.index, shard);
    created.add(shard.index);
  };
  for (const step of steps) {
    if (step.kind === 'split') {
      const parent = open(step.shardIndex);
      const key = BigInt(step.newStartingHashKey);
      close(parent);
      add({
        index: next++,
        parentIndex: parent.index,
        startingHashKey: parent.startingHashKey,
        endingHashKey: (key - 1n).toString(),
        createdAtMs: nowMs,
      });
      add({
        index: next++,
        parentIndex: parent.index,
        startingHashKey: key.toString(),
        endingHashKey: parent.endingHashKey,
        createdAtMs: nowMs,
      });
    } else {
      const left = open(step.shardIndex);
      const right = open(step.adjacentShardIndex);
      assert(
        BigInt(left.endingHashKey) + 1n === BigInt(right.startingHashKey),
        'merge of shards that are not adjacent',
      );
      close(left);
      close(right);
      add({
        index: next++,
        parentIndex: left.index,
        adjacentParentIndex: right.index,
        startingHashKey: left.startingHashKey,
        endingHashKey: right.endingHashKey,
        createdAtMs: nowMs,
      });
    }
  }
  const result = [...byIndex.values()].sort((a, b) => a.index - b.index);
  return {
    shards: result,
    nextShardIndex: next,
    closedIndexes: [...originallyOpen].filter((index) => byIndex.get(index)?.closedAtMs !== undefined),
    openedIndexes: [...created].filter((index) => byIndex.get(index)?.closedAtMs === undefined),
    transientIndexes: [...created].filter((index) => byIndex.get(index)?.closedAtMs !== undefined),
  };
}

/**
 * UNIFORM_SCALING as splits and merges (AWS does not document its choice): split every open shard
 * at each target boundary strictly inside it, then merge the pieces that fall in one target
 * range, left to right. The result is exactly the uniform layout of `targetCount` shards.
 */
export function planUniformScaling(
  shards: readonly ShardRecord[],
  nextShardIndex: number,
  targetCount: number,
): ReshardStep[] {
  const step = hashKeySpaceSize / BigInt(targetCount);
  const boundaries = Array.from({ length: targetCount - 1 }, (_, index) => step * BigInt(index + 1));
  const targetOf = (hashKey: bigint): number => Math.min(targetCount - 1, Number(hashKey / step));
  const steps: ReshardStep[] = [];
  let next = nextShardIndex;
  // Pieces after splitting: [index, start, end] in hash order.
  const pieces: { index: number; start: bigint; end: bigint }[] = [];
  const openShards = shards
    .filter((shard) => shard.closedAtMs === undefined)
    .map((shard) => ({
      index: shard.index,
      start: BigInt(shard.startingHashKey),
      end: BigInt(shard.endingHashKey),
    }))
    .sort((a, b) => (a.start < b.start ? -1 : 1));
  for (const shard of openShards) {
    let current = shard;
    for (const boundary of boundaries) {
      if (boundary <= current.start || boundary > current.end) continue;
      steps.push({ kind: 'split', shardIndex: current.index, newStartingHashKey: boundary.toString() });
      pieces.push({ index: next, start: current.start, end: boundary - 1n });
      current = { index: next + 1, start: boundary, end: current.end };
      next += 2;
    }
    pieces.push(current);
  }
  let group: { index: number; start: bigint; end: bigint } | undefined;
  for (const piece of pieces) {
    if (group !== undefined && targetOf(group.start) === targetOf(piece.start)) {
      steps.push({ kind: 'merge', shardIndex: group.index, adjacentShardIndex: piece.index });
      group = { index: next++, start: group.start, end: piece.end };
    } else {
      group = piece;
    }
  }
  return steps;
}

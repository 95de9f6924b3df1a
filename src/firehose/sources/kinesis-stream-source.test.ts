import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readableShards } from './kinesis-stream-source.js';
import type { SourceShard } from './stream-reader.js';

const shard = (index: number, parentIndexes: number[] = [], endOffset?: number): SourceShard => ({
  index,
  shardId: `shardId-${index}`,
  parentIndexes,
  ...(endOffset === undefined ? {} : { endOffset }),
});

test('children are read only once every parent was read to its end', () => {
  // 0 and 1 were merged into 3; 2 was split into 4 and 5.
  const shards = [
    shard(0, [], 10),
    shard(1, [], 5),
    shard(2, [], 7),
    shard(3, [0, 1]),
    shard(4, [2]),
    shard(5, [2]),
  ];
  const done = new Set<number>();
  const readable = () => readableShards(shards, (candidate) => done.has(candidate.index)).map((s) => s.index);
  assert.deepEqual(readable(), [0, 1, 2]);
  done.add(0);
  assert.deepEqual(readable(), [1, 2]);
  done.add(2);
  assert.deepEqual(readable(), [1, 4, 5]);
  done.add(1);
  assert.deepEqual(readable(), [3, 4, 5]);
});

test('a parent no longer listed (past retention) does not hold its children back', () => {
  assert.deepEqual(
    readableShards([shard(7, [3]), shard(8, [3])], () => false).map((s) => s.index),
    [7, 8],
  );
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ShardLineage } from './shard-lineage.js';

it('reads a split parent before its children, and a merge child after both parents', () => {
  const lineage = new ShardLineage();
  lineage.add('shard-0', [], 'waiting');
  lineage.add('shard-1', [], 'waiting');
  lineage.add('shard-2', ['shard-0'], 'waiting');
  lineage.add('shard-3', ['shard-0'], 'waiting');
  lineage.add('shard-4', ['shard-3', 'shard-1'], 'waiting');
  assert.deepEqual(lineage.takeReady(), ['shard-0', 'shard-1']);
  assert.deepEqual(lineage.takeReady(), []);
  lineage.finish('shard-0');
  assert.deepEqual(lineage.takeReady(), ['shard-2', 'shard-3']);
  lineage.finish('shard-3');
  assert.deepEqual(lineage.takeReady(), [], 'shard-4 still waits for shard-1');
  lineage.finish('shard-1');
  assert.deepEqual(lineage.takeReady(), ['shard-4']);
  assert.equal(lineage.count('reading'), 2);
  assert.equal(lineage.count('finished'), 3);
});

it('treats excluded parents as done and unknown parents as blocking', () => {
  const lineage = new ShardLineage();
  lineage.add('old', [], 'excluded');
  lineage.add('child', ['old'], 'waiting');
  lineage.add('orphan', ['gone'], 'waiting');
  assert.deepEqual(lineage.takeReady(), ['child']);
  assert.deepEqual(lineage.unknownParents(), ['gone']);
  lineage.add('gone', [], 'excluded');
  assert.deepEqual(lineage.unknownParents(), []);
  assert.deepEqual(lineage.takeReady(), ['orphan']);
  lineage.add('child', [], 'waiting');
  assert.equal(lineage.stateOf('child'), 'reading', 'adding a known shard again changes nothing');
  assert.throws(() => lineage.finish('old'), /finish of a shard not being read/);
});

it('finds descendants through any number of generations', () => {
  const lineage = new ShardLineage();
  lineage.add('a', [], 'waiting');
  lineage.add('b', ['a'], 'waiting');
  lineage.add('c', ['b', 'x'], 'waiting');
  assert.ok(lineage.isDescendantOf('c', new Set(['a'])));
  assert.ok(!lineage.isDescendantOf('a', new Set(['c'])));
  assert.ok(!lineage.isDescendantOf('b', new Set(['x'])));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputReplay } from './input-replay.js';
import { ReplayRing } from './replay-ring.js';

test('the replay point stays before the oldest batch whose rows may still be held', () => {
  const ring = new ReplayRing('100', 10);
  ring.add(1_000, 2, '102');
  ring.add(2_000, 3, '105');
  ring.add(3_000, 1, '106');
  ring.trim(1_000, 0);
  assert.equal(ring.replayPoint, '100');
  ring.trim(2_500, 0);
  assert.equal(ring.replayPoint, '105');
  assert.equal(ring.size, 1);
  ring.trim(10_000, 0);
  assert.equal(ring.replayPoint, '106');
  assert.equal(ring.size, 0);
});

test('count windows keep the last records whatever their age', () => {
  const ring = new ReplayRing(undefined, 10);
  ring.add(1_000, 4, '4');
  ring.add(2_000, 4, '8');
  ring.add(3_000, 4, '12');
  ring.trim(10_000, 5);
  // Dropping the second batch would leave 4 < 5 records.
  assert.equal(ring.replayPoint, '4');
  assert.equal(ring.records, 8);
});

test('the ring is bounded: past its size the oldest batch is forgotten', () => {
  const ring = new ReplayRing(undefined, 3);
  for (let i = 1; i <= 2_500; i++) ring.add(i, 1, String(i));
  assert.equal(ring.size, 3);
  assert.equal(ring.replayPoint, '2497');
  ring.add(1, 0, 'ignored');
  assert.equal(ring.size, 3);
});

test('an input checkpoint: replay points per shard, read positions once nothing is held', () => {
  const replay = new InputReplay({
    streamArn: 'arn',
    startAtMs: 0,
    shards: { 'shardId-000000000000': '10' },
  });
  replay.add('shardId-000000000000', 1_000, 5, '15');
  replay.add('shardId-000000000001', 1_000, 2, '22');
  const read = {
    streamArn: 'arn',
    startAtMs: 0,
    shards: {
      'shardId-000000000000': '15',
      'shardId-000000000001': '22',
      'shardId-000000000002': 'SHARD_END',
    },
  };
  // Everything still held: shard 0 from its start checkpoint, shard 1 from the input's start (left out).
  assert.deepEqual(replay.checkpoint(read, 500, 0), {
    streamArn: 'arn',
    startAtMs: 0,
    shards: { 'shardId-000000000000': '10', 'shardId-000000000002': 'SHARD_END' },
  });
  // Windows closed: the read positions.
  assert.deepEqual(replay.checkpoint(read, 2_000, 0), read);
});

import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { it } from 'node:test';
import { ManualClock } from '../../core/clock.js';
import { TokenPacer } from './token-pacer.js';

const MiB = 1024 * 1024;
const subscription = {
  consumerArn: 'arn:aws:kinesis:us-east-1:1:stream/s/consumer/c:1',
  shardId: 'shardId-000000000000',
};

it('pushes 2 MiB at once, then holds the next push until its bytes have accrued', async () => {
  const clock = new ManualClock();
  const pacer = new TokenPacer(clock);
  await pacer.beforeEvent(subscription, 2 * MiB);
  let released = false;
  const next = pacer.beforeEvent(subscription, 1 * MiB).then(() => (released = true));
  await turn();
  assert.equal(released, false);
  clock.advance(499);
  await turn();
  assert.equal(released, false);
  clock.advance(1);
  await next;
  assert.equal(released, true);
});

it('paces each subscription on its own, and forgets one that ended', async () => {
  const clock = new ManualClock();
  const pacer = new TokenPacer(clock);
  const other = { ...subscription, shardId: 'shardId-000000000001' };
  await pacer.beforeEvent(subscription, 2 * MiB);
  await pacer.beforeEvent(other, 2 * MiB);
  pacer.ended(subscription);
  await pacer.beforeEvent(subscription, 2 * MiB);
  await pacer.beforeEvent(subscription, 0);
});

it('lets one push larger than the bucket through when full, and holds the next for the debt', async () => {
  const clock = new ManualClock();
  const pacer = new TokenPacer(clock);
  await pacer.beforeEvent(subscription, 6 * MiB);
  let released = false;
  const next = pacer.beforeEvent(subscription, 1).then(() => (released = true));
  clock.advance(1999);
  await turn();
  assert.equal(released, false);
  clock.advance(2);
  await next;
});

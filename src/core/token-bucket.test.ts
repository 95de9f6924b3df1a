import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from './clock.js';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('admits its capacity at once, then refills at its rate', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(5, 5, clock);
    for (let call = 0; call < 5; call++) assert.equal(bucket.tryTake(1), true, `call ${call}`);
    assert.equal(bucket.tryTake(1), false);
    assert.equal(bucket.msUntil(1), 200);
    clock.advance(199);
    assert.equal(bucket.tryTake(1), false);
    clock.advance(1);
    assert.equal(bucket.tryTake(1), true);
    assert.equal(bucket.tryTake(1), false);
  });

  it('never holds more than its capacity, however long it idles', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(1000, 1000, clock);
    clock.advance(3_600_000);
    assert.equal(bucket.available(), 1000);
    assert.equal(bucket.tryTake(1000), true);
    assert.equal(bucket.tryTake(1), false);
  });

  it('admits an amount over its capacity only when full, and leaves a debt', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(2, 2, clock);
    assert.equal(bucket.tryTake(1), true);
    assert.equal(bucket.canTake(10), false, 'not full');
    clock.advance(500);
    assert.equal(bucket.tryTake(10), true, 'full: admitted');
    assert.equal(bucket.available(), -8);
    assert.equal(bucket.msUntil(1), 4500);
    clock.advance(4000);
    assert.equal(bucket.available(), 0);
    assert.equal(bucket.tryTake(1), false);
  });

  it('takes into debt unconditionally with take()', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(1, 1, clock);
    bucket.take(3);
    assert.equal(bucket.available(), -2);
    assert.equal(bucket.isFull(), false);
    clock.advance(3000);
    assert.equal(bucket.isFull(), true);
  });
});

/**
 * A token bucket on the injected clock: `ratePerSecond` tokens arrive continuously up to
 * `capacity`. The rate limits of Tributary (shard throughput, control-plane calls, fan-out
 * pacing) are all buckets of this kind.
 *
 * Amounts larger than the capacity (a 10 MiB record on a 1 MiB/s shard, a GetRecords that read
 * 10 MiB) are admitted when the bucket is full and leave it in debt, so the next admission waits
 * until the debt is paid back: AWS's "subsequent calls made within the next 5 seconds throw".
 */
import { assert } from './assert.js';
import type { Clock } from './clock.js';

export class TokenBucket {
  readonly ratePerSecond: number;
  readonly capacity: number;
  readonly #clock: Clock;
  #tokens: number;
  #updatedMs: number;

  constructor(ratePerSecond: number, capacity: number, clock: Clock) {
    assert(ratePerSecond > 0 && capacity > 0, 'a token bucket needs a positive rate and capacity');
    this.ratePerSecond = ratePerSecond;
    this.capacity = capacity;
    this.#clock = clock;
    this.#tokens = capacity;
    this.#updatedMs = clock.nowMs();
  }

  /** Tokens now (negative while in debt). */
  available(): number {
    const nowMs = this.#clock.nowMs();
    if (nowMs > this.#updatedMs) {
      this.#tokens = Math.min(
        this.capacity,
        this.#tokens + ((nowMs - this.#updatedMs) * this.ratePerSecond) / 1000,
      );
      this.#updatedMs = nowMs;
    }
    return this.#tokens;
  }

  /** True when `amount` could be taken now (amounts over the capacity need a full bucket). */
  canTake(amount: number): boolean {
    return this.available() >= Math.min(amount, this.capacity);
  }

  /** Takes `amount` if `canTake(amount)`; answers whether it did. */
  tryTake(amount: number): boolean {
    if (!this.canTake(amount)) return false;
    this.#tokens -= amount;
    return true;
  }

  /** Takes `amount` unconditionally, into debt if need be (bytes already read or pushed). */
  take(amount: number): void {
    this.available();
    this.#tokens -= amount;
  }

  /** Milliseconds until `canTake(amount)` holds (0 when it holds now). */
  msUntil(amount: number): number {
    const missing = Math.min(amount, this.capacity) - this.available();
    return missing <= 0 ? 0 : Math.ceil((missing * 1000) / this.ratePerSecond);
  }

  /** True when the bucket is full: it holds no state worth keeping. */
  isFull(): boolean {
    return this.available() >= this.capacity;
  }
}

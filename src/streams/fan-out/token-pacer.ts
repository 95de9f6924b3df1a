/**
 * The enforcing `SubscriptionPacer`: a 2 MiB/s token bucket per (consumer, shard) subscription.
 * A push waits until its bytes fit (a push larger than the bucket waits for a full bucket and
 * leaves it in debt), so records are delayed, never dropped, as AWS paces a consumer that
 * reads faster than its share.
 */
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import { TokenBucket } from '../../core/token-bucket.js';
import type { SubscriptionIdentity, SubscriptionPacer } from './subscription-pacer.js';

export class TokenPacer implements SubscriptionPacer {
  readonly #clock: Clock;
  readonly #bytesPerSecond: number;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(clock: Clock, bytesPerSecond: number = limits.subscriptionBytesPerSecond) {
    this.#clock = clock;
    this.#bytesPerSecond = bytesPerSecond;
  }

  async beforeEvent(subscription: SubscriptionIdentity, recordBytes: number): Promise<void> {
    if (recordBytes === 0) return;
    const key = keyOf(subscription);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.#bytesPerSecond, this.#bytesPerSecond * limits.burstSeconds, this.#clock);
      this.#buckets.set(key, bucket);
    }
    for (let waitMs = bucket.msUntil(recordBytes); waitMs > 0; waitMs = bucket.msUntil(recordBytes)) {
      await new Promise<void>((resolve) => this.#clock.schedule(waitMs, resolve));
    }
    bucket.take(recordBytes);
  }

  ended(subscription: SubscriptionIdentity): void {
    this.#buckets.delete(keyOf(subscription));
  }
}

const keyOf = (subscription: SubscriptionIdentity): string =>
  `${subscription.consumerArn} ${subscription.shardId}`;

/**
 * The live SubscribeToShard responses, one per (consumer, shard) at most, as AWS allows:
 * a second subscription within `subscriptionTakeoverMs` of the live one is refused with
 * ResourceInUseException; a later one takes over, and the older one ends with that exception as
 * an event. At server stop every subscription ends normally (clients subscribe again).
 */
import type { Clock } from '../../core/clock.js';
import { resourceInUse, serviceUnavailable } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import type { Subscription } from './subscription.js';

const anotherSubscription = 'Another active subscription exists for this consumer';

export class SubscriptionHub {
  readonly #clock: Clock;
  readonly #live = new Map<string, Subscription>();
  #closed = false;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get size(): number {
    return this.#live.size;
  }

  /** Makes `subscription` the live one of its (consumer, shard), or refuses it. */
  claim(subscription: Subscription): void {
    if (this.#closed) throw serviceUnavailable('The server is stopping; subscribe again shortly.');
    const key = `${subscription.identity.consumerArn} ${subscription.identity.shardId}`;
    const existing = this.#live.get(key);
    if (existing !== undefined) {
      if (this.#clock.nowMs() - existing.startedAtMs < limits.subscriptionTakeoverMs) {
        throw resourceInUse(anotherSubscription);
      }
      existing.stop({ kind: 'exception', code: 'ResourceInUseException', message: anotherSubscription });
    }
    this.#live.set(key, subscription);
    void subscription.finished.then(() => {
      if (this.#live.get(key) === subscription) this.#live.delete(key);
    });
  }

  /** Ends every subscription normally; waits up to `graceMs` for their responses to close. */
  async close(graceMs = 1000): Promise<void> {
    this.#closed = true;
    const subscriptions = [...this.#live.values()];
    for (const subscription of subscriptions) subscription.stop();
    let cancel: () => void = () => undefined;
    const deadline = new Promise<void>((resolve) => (cancel = this.#clock.schedule(graceMs, resolve)));
    await Promise.race([Promise.all(subscriptions.map((subscription) => subscription.finished)), deadline]);
    cancel();
  }
}

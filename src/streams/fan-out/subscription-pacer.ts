/**
 * The throughput hook of enhanced fan-out: AWS gives each (consumer, shard) subscription 2 MiB/s
 * of its own. A subscription awaits `beforeEvent` with the size of the records it is about to
 * push; a pacer that enforces the limit delays the promise (pacing the push, as AWS does, never
 * dropping records). The default paces nothing.
 */

export interface SubscriptionPacer {
  /** Resolves when `recordBytes` (data plus partition keys) may be pushed to this subscription. */
  beforeEvent(subscription: SubscriptionIdentity, recordBytes: number): Promise<void>;
  /** The subscription ended: drop what the pacer keeps for it. */
  ended(subscription: SubscriptionIdentity): void;
}

export interface SubscriptionIdentity {
  readonly consumerArn: string;
  readonly shardId: string;
}

export const unpaced: SubscriptionPacer = {
  beforeEvent: () => Promise.resolve(),
  ended: () => undefined,
};

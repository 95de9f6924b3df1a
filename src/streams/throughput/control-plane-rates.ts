/**
 * Control-plane call rates (`controlPlaneRates` in core/limits.ts): one token bucket per
 * account, region and operation, or per stream for the operations AWS limits per stream.
 * A call over the rate answers LimitExceededException, which the SDKs retry with backoff.
 */
import type { Clock } from '../../core/clock.js';
import { limitExceeded } from '../../core/errors.js';
import { controlPlaneRates, limits } from '../../core/limits.js';
import type { RequestScope } from '../../core/request-scope.js';
import { TokenBucket } from '../../core/token-bucket.js';

/** Buckets kept before idle (full) ones are swept. */
const trackedBucketsBeforeSweep = 4096;

export class ControlPlaneRates {
  readonly #clock: Clock;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Admits one call of `operation`, or throws LimitExceededException. */
  admit(operation: string, scope: RequestScope, input: Readonly<Record<string, unknown>>): void {
    const rate = controlPlaneRates[operation];
    if (rate === undefined) return;
    const streamName = typeof input.StreamName === 'string' ? input.StreamName : undefined;
    const streamPart = rate.perStream === true ? streamOf(input) : '';
    const key = `${scope.accountId}/${scope.region}/${operation}/${streamPart}`;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= trackedBucketsBeforeSweep) this.#sweepIdle();
      bucket = new TokenBucket(rate.perSecond, rate.perSecond * limits.burstSeconds, this.#clock);
      this.#buckets.set(key, bucket);
    }
    if (bucket.tryTake(1)) return;
    throw limitExceeded(
      streamName === undefined
        ? `Rate exceeded for account ${scope.accountId}.`
        : `Rate exceeded for stream ${streamName} under account ${scope.accountId}.`,
    );
  }

  #sweepIdle(): void {
    for (const [key, bucket] of this.#buckets) if (bucket.isFull()) this.#buckets.delete(key);
  }
}

/** The stream a per-stream call names: its ARN (or a consumer's, up to `/consumer/`) or name. */
function streamOf(input: Readonly<Record<string, unknown>>): string {
  for (const member of ['StreamARN', 'ConsumerARN', 'StreamName'] as const) {
    const value = input[member];
    if (typeof value === 'string') {
      const consumerAt = value.indexOf('/consumer/');
      return consumerAt === -1 ? value : value.slice(0, consumerAt);
    }
  }
  return '';
}

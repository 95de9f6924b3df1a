/**
 * Per-shard throughput limits, as AWS publishes them: writes 1 MiB/s and 1,000 records/s,
 * GetRecords 5 calls/s and 2 MiB/s, GetShardIterator 5 calls/s, each a token bucket on the
 * injected clock (burst: one second of the rate, `limits.burstSeconds`).
 *
 * Every throttle goes through `#throttled`, the one place that reports it (`onThrottle`), so the
 * WriteProvisionedThroughputExceeded / ReadProvisionedThroughputExceeded metrics hook in there.
 * Memory is bounded: buckets of idle shards (full again) are dropped once there are many.
 */
import type { Clock } from '../../core/clock.js';
import { ServiceError } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { TokenBucket } from '../../core/token-bucket.js';
import { shardIdOf, type StreamRecord } from '../stream-model.js';

export type StreamIdentity = Pick<StreamRecord, 'accountId' | 'region' | 'name'>;

/** One throttle: `count` records refused (writes) or one call refused (reads). */
export interface ThrottleEvent {
  readonly kind: 'write' | 'read';
  readonly operation: 'PutRecord' | 'PutRecords' | 'GetRecords' | 'GetShardIterator';
  readonly accountId: string;
  readonly region: string;
  readonly streamName: string;
  readonly shardId: string;
  readonly count: number;
}

export type ThrottleListener = (event: ThrottleEvent) => void;

interface ShardBuckets {
  writeBytes?: TokenBucket;
  writeRecords?: TokenBucket;
  readCalls?: TokenBucket;
  readBytes?: TokenBucket;
  iteratorCalls?: TokenBucket;
}

/** Shards whose buckets are kept before idle ones are swept. */
const trackedShardsBeforeSweep = 4096;

export class ShardThroughput {
  readonly #clock: Clock;
  readonly #onThrottle: ThrottleListener;
  readonly #shards = new Map<string, ShardBuckets>();

  constructor(clock: Clock, onThrottle: ThrottleListener) {
    this.#clock = clock;
    this.#onThrottle = onThrottle;
  }

  /**
   * Admits one record of `bytes` (data plus partition key) to the shard, or reports the throttle
   * and answers the per-record error PutRecords returns.
   */
  admitWrite(
    stream: StreamIdentity,
    shardIndex: number,
    logId: string,
    bytes: number,
    operation: 'PutRecord' | 'PutRecords',
  ): { errorCode: string; errorMessage: string } | undefined {
    const buckets = this.#bucketsOf(logId);
    buckets.writeBytes ??= this.#bucket(limits.shardWriteBytesPerSecond);
    buckets.writeRecords ??= this.#bucket(limits.shardWriteRecordsPerSecond);
    if (buckets.writeBytes.canTake(bytes) && buckets.writeRecords.canTake(1)) {
      buckets.writeBytes.take(bytes);
      buckets.writeRecords.take(1);
      return undefined;
    }
    const error = writeThrottled(stream, shardIndex);
    this.#throttled('write', operation, stream, shardIndex, 1);
    return { errorCode: error.code, errorMessage: error.message };
  }

  /**
   * Admits a GetRecords call: the shard's read bytes must not be in debt and a call must be
   * left this second. Throws ProvisionedThroughputExceededException otherwise.
   */
  admitRead(stream: StreamIdentity, shardIndex: number, logId: string): void {
    const buckets = this.#bucketsOf(logId);
    buckets.readBytes ??= this.#bucket(limits.shardReadBytesPerSecond);
    buckets.readCalls ??= this.#bucket(limits.shardReadCallsPerSecond);
    if (buckets.readBytes.available() > 0 && buckets.readCalls.tryTake(1)) return;
    this.#throttled('read', 'GetRecords', stream, shardIndex, 1);
    throw new ServiceError(
      'ProvisionedThroughputExceededException',
      `Rate exceeded for Shard - ${stream.accountId}/${stream.name}/${shardIdOf(shardIndex)}`,
    );
  }

  /** Charges the bytes a GetRecords returned (data plus partition keys); may leave a debt. */
  chargeRead(logId: string, bytes: number): void {
    const buckets = this.#bucketsOf(logId);
    buckets.readBytes ??= this.#bucket(limits.shardReadBytesPerSecond);
    buckets.readBytes.take(bytes);
  }

  /** Admits a GetShardIterator call, or throws ProvisionedThroughputExceededException. */
  admitIterator(stream: StreamIdentity, shardIndex: number, logId: string): void {
    const buckets = this.#bucketsOf(logId);
    buckets.iteratorCalls ??= this.#bucket(limits.shardIteratorCallsPerSecond);
    if (buckets.iteratorCalls.tryTake(1)) return;
    this.#throttled('read', 'GetShardIterator', stream, shardIndex, 1);
    throw writeThrottled(stream, shardIndex);
  }

  /** The one place a data-plane throttle happens: reported for metrics. */
  #throttled(
    kind: ThrottleEvent['kind'],
    operation: ThrottleEvent['operation'],
    stream: StreamIdentity,
    shardIndex: number,
    count: number,
  ): void {
    this.#onThrottle({
      kind,
      operation,
      accountId: stream.accountId,
      region: stream.region,
      streamName: stream.name,
      shardId: shardIdOf(shardIndex),
      count,
    });
  }

  #bucket(perSecond: number): TokenBucket {
    return new TokenBucket(perSecond, perSecond * limits.burstSeconds, this.#clock);
  }

  #bucketsOf(logId: string): ShardBuckets {
    let buckets = this.#shards.get(logId);
    if (buckets === undefined) {
      if (this.#shards.size >= trackedShardsBeforeSweep) this.#sweepIdle();
      buckets = {};
      this.#shards.set(logId, buckets);
    }
    return buckets;
  }

  /** Drops the buckets of shards that are full again: they would admit as a new bucket does. */
  #sweepIdle(): void {
    for (const [logId, buckets] of this.#shards) {
      const all = [
        buckets.writeBytes,
        buckets.writeRecords,
        buckets.readCalls,
        buckets.readBytes,
        buckets.iteratorCalls,
      ];
      if (all.every((bucket) => bucket === undefined || bucket.isFull())) this.#shards.delete(logId);
    }
  }
}

/** AWS's text for a throttled write (and, in its older form, for any per-shard throttle). */
export function writeThrottled(stream: StreamIdentity, shardIndex: number): ServiceError {
  return new ServiceError(
    'ProvisionedThroughputExceededException',
    `Rate exceeded for shard ${shardIdOf(shardIndex)} in stream ${stream.name} under account ${stream.accountId}.`,
  );
}

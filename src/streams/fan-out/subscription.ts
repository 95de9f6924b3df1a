/**
 * One SubscribeToShard response: pushes a shard's records to one consumer, from a starting
 * offset, as events on an event stream.
 *
 * Invariants:
 * - `initial-response` first, then SubscribeToShardEvents in offset order: every record from the
 *   start on exactly once, none skipped (a reader that resubscribes AFTER the last
 *   ContinuationSequenceNumber continues exactly where this one stopped);
 * - records are pushed when their append is durable: the write path notifies the shard's log
 *   id, the loop wakes (no polling timer); an event goes out at least every
 *   `subscriptionHeartbeatMs`, with no records when there are none;
 * - at the end of a closed shard, one last event carries ChildShards and no
 *   ContinuationSequenceNumber, and the stream ends;
 * - memory is bounded: one read (≤ `subscribeEventBytesMax`, the first record always fits) is
 *   held at a time, and the next is made only once the transport took the event (`drain`);
 * - the response ends after `subscriptionLifetimeMs`, when the consumer or stream goes away (an
 *   exception event first), when another subscription takes over, or when the server stops.
 */
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import { LogStoreError, type LogRecord } from '../../log/log-store.js';
import type { EventStreamSink } from '../../protocol/event-stream-reply.js';
import { childShards, sequenceNumbersOf, wireRecords } from '../actions/get-records.js';
import { formatSequenceNumber } from '../sequence-number.js';
import { shardCreatedSeconds, shardIdOf, type ShardRecord, type StreamRecord } from '../stream-model.js';
import type { Logger, StreamsService } from '../streams-service.js';
import type { ConsumerRecord } from './consumer-model.js';
import type { SubscriptionIdentity, SubscriptionPacer } from './subscription-pacer.js';

export interface SubscriptionTarget {
  readonly consumerKey: string;
  readonly consumer: ConsumerRecord;
  readonly streamKey: string;
  readonly stream: StreamRecord;
  readonly shardIndex: number;
  readonly logId: string;
  readonly startOffset: number;
}

export interface SubscriptionDeps {
  readonly service: StreamsService;
  readonly currentConsumer: (key: string, createdAtMs: number) => ConsumerRecord | undefined;
  readonly pacer: SubscriptionPacer;
  readonly identity: SubscriptionIdentity;
  readonly log: Logger;
}

/** An event to send, with what the pacer and the metrics count of it. */
interface EventOut {
  readonly payload: object;
  readonly records: number;
  /** Data plus partition keys, after decryption. */
  readonly recordBytes: number;
  readonly millisBehindLatest: number;
}

type Ending =
  | { readonly kind: 'normal' }
  | { readonly kind: 'exception'; readonly code: string; readonly message: string };

export class Subscription {
  readonly identity: SubscriptionIdentity;
  readonly startedAtMs: number;
  readonly #deps: SubscriptionDeps;
  readonly #target: SubscriptionTarget;
  readonly #clock: Clock;
  #offset: number;
  /** The sequence number of the record just before `#offset`, once known. */
  #continuation: string | undefined;
  #woken = false;
  #wake: (() => void) | undefined;
  #stopRequest: Ending | undefined;
  readonly #finished: Promise<void>;
  #resolveFinished: () => void = () => undefined;

  constructor(deps: SubscriptionDeps, target: SubscriptionTarget) {
    this.#deps = deps;
    this.#target = target;
    this.#clock = deps.service.clock;
    this.identity = deps.identity;
    this.startedAtMs = this.#clock.nowMs();
    this.#offset = target.startOffset;
    this.#finished = new Promise((resolve) => (this.#resolveFinished = resolve));
  }

  /** Resolves when the loop has ended and the response is closed. */
  get finished(): Promise<void> {
    return this.#finished;
  }

  /** Ends the subscription at its next step: normally, or with an exception event. */
  stop(ending: Ending = { kind: 'normal' }): void {
    this.#stopRequest ??= ending;
    this.#signal();
  }

  #signal(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Runs the push loop on `sink` until one of the endings; never rejects (failures are logged). */
  async run(sink: EventStreamSink): Promise<void> {
    const { service } = this.#deps;
    const stopListening = [
      service.changes.listen(this.#target.logId, () => this.#signal()),
      service.changes.listen(this.#target.streamKey, () => this.#signal()),
      service.changes.listen(this.#target.consumerKey, () => this.#signal()),
    ];
    const cancelLifetime = this.#clock.schedule(limits.subscriptionLifetimeMs, () => this.stop());
    sink.onClose(() => this.stop());
    let ending: Ending;
    try {
      ending = await this.#loop(sink);
    } catch (error) {
      // A record that fails its checksum (or any other failure) ends this subscription only.
      this.#report(error);
      if (error instanceof LogStoreError && error.code === 'Corrupt') {
        service.reportCorruption(error, { stream: this.#target.stream.name, shard: this.identity.shardId });
      }
      ending = { kind: 'exception', code: 'InternalFailureException', message: 'Internal Service Failure' };
    }
    try {
      if (ending.kind === 'exception' && !sink.closed) await sink.exception(ending.code, ending.message);
    } catch (error) {
      this.#report(error);
    } finally {
      for (const stop of stopListening) stop();
      cancelLifetime();
      this.#deps.pacer.ended(this.identity);
      sink.end();
      this.#resolveFinished();
    }
  }

  #report(error: unknown): void {
    this.#deps.log('subscription failed', {
      consumer: this.identity.consumerArn,
      shard: this.identity.shardId,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }

  async #loop(sink: EventStreamSink): Promise<Ending> {
    if (!(await sink.event('initial-response', {}))) return { kind: 'normal' };
    let lastEventMs = this.#clock.nowMs();
    for (;;) {
      this.#woken = false;
      if (this.#stopRequest !== undefined) return this.#stopRequest;
      const gone = this.#checkStillThere();
      if (gone !== undefined) return gone;
      const stream = this.#currentStream();
      const shard = stream?.shards.find((candidate) => candidate.index === this.#target.shardIndex);
      if (stream === undefined || shard === undefined) return this.#shardGone();

      const batch = await this.#read(stream, shard);
      const atShardEnd = shard.endOffset !== undefined && batch.nextOffset >= shard.endOffset;
      const nowMs = this.#clock.nowMs();
      if (batch.records.length > 0 || atShardEnd || nowMs - lastEventMs >= limits.subscriptionHeartbeatMs) {
        const event = await this.#eventOf(stream, shard, batch, atShardEnd);
        await this.#deps.pacer.beforeEvent(this.identity, event.recordBytes);
        if (!(await sink.event('SubscribeToShardEvent', event.payload))) {
          return { kind: 'normal' };
        }
        this.#count(event);
        lastEventMs = this.#clock.nowMs();
        if (atShardEnd) return { kind: 'normal' };
        if (batch.records.length > 0) continue;
      }
      if (this.#woken) continue;
      await this.#sleep(Math.max(0, lastEventMs + limits.subscriptionHeartbeatMs - this.#clock.nowMs()));
    }
  }

  #currentStream(): StreamRecord | undefined {
    const { stream } = this.#target;
    const loaded = this.#deps.service.lookup(stream.accountId, stream.region, stream.name);
    return loaded?.record.streamId === stream.streamId ? loaded.record : undefined;
  }

  /** An exception ending when the consumer or the stream went away, else undefined. */
  #checkStillThere(): Ending | undefined {
    const { consumer, consumerKey } = this.#target;
    const current = this.#deps.currentConsumer(consumerKey, consumer.createdAtMs);
    if (current === undefined || current.status !== 'ACTIVE') {
      return {
        kind: 'exception',
        code: 'ResourceNotFoundException',
        message: `Consumer ${this.identity.consumerArn} not found.`,
      };
    }
    return this.#currentStream() === undefined ? this.#shardGone() : undefined;
  }

  #shardGone(): Ending {
    const { stream, shardIndex } = this.#target;
    return {
      kind: 'exception',
      code: 'ResourceNotFoundException',
      message: `Shard ${shardIdOf(shardIndex)} in stream ${stream.name} under account ${stream.accountId} does not exist`,
    };
  }

  async #read(
    stream: StreamRecord,
    shard: ShardRecord,
  ): Promise<{ records: LogRecord[]; nextOffset: number; endOffset: number }> {
    const { service } = this.#deps;
    const { logId } = this.#target;
    const [bounds, stored] = await Promise.all([
      service.logStore.bounds(logId),
      service.logStore.read(logId, this.#offset, {
        maxRecords: limits.subscribeEventRecordsMax,
        maxBytes: limits.subscribeEventBytesMax,
      }),
    ]);
    if (this.#continuation === undefined) await this.#learnContinuation(shard, bounds.startOffset);
    const last = stored[stored.length - 1];
    const nextOffset = last !== undefined ? last.offset + 1 : Math.max(this.#offset, bounds.startOffset);
    const retentionCutMs = this.#clock.nowMs() - service.retentionMs(stream);
    const records = stored.filter((entry) => entry.timestampMs >= retentionCutMs);
    return { records, nextOffset, endOffset: bounds.endOffset };
  }

  /**
   * The ContinuationSequenceNumber before any record was pushed: the sequence number of the
   * record just before the start (AFTER it resumes exactly here), or the shard's
   * StartingSequenceNumber (counter 0) at the shard's beginning.
   */
  async #learnContinuation(shard: ShardRecord, startOffset: number): Promise<void> {
    const createdSeconds = shardCreatedSeconds(shard);
    const previousOffset = Math.max(this.#offset, startOffset) - 1;
    let arrivalSeconds = createdSeconds;
    if (previousOffset >= startOffset) {
      const [previous] = await this.#deps.service.logStore.read(this.#target.logId, previousOffset, {
        maxRecords: 1,
        maxBytes: 1,
      });
      if (previous !== undefined) arrivalSeconds = Math.floor(previous.timestampMs / 1000);
    }
    this.#continuation = formatSequenceNumber({
      shardCreatedSeconds: createdSeconds,
      shardIndex: shard.index,
      counter: BigInt(previousOffset + 1),
      arrivalSeconds,
    });
  }

  /**
   * The event for a batch, with the bytes of its records (data plus partition keys, after
   * decryption) for the pacer; moves the position past the batch.
   */
  async #eventOf(
    stream: StreamRecord,
    shard: ShardRecord,
    batch: { records: LogRecord[]; nextOffset: number; endOffset: number },
    atShardEnd: boolean,
  ): Promise<EventOut> {
    const sequenceNumbers = sequenceNumbersOf(shard, batch.records);
    // As GetRecords returns them: sealed records opened, EncryptionType as AWS sets it.
    const records = (await wireRecords(
      this.#deps.service,
      stream,
      shard,
      batch.records,
      sequenceNumbers,
    )) as {
      Data: Buffer;
      PartitionKey: string;
    }[];
    let recordBytes = 0;
    for (const record of records)
      recordBytes += record.Data.length + Buffer.byteLength(record.PartitionKey, 'utf8');
    this.#offset = batch.nextOffset;
    // The last record read, even one not returned (past its key's retention), is where to resume.
    const lastSequenceNumber = sequenceNumbers[sequenceNumbers.length - 1];
    if (lastSequenceNumber !== undefined) this.#continuation = lastSequenceNumber;
    const lastRecord = batch.records[batch.records.length - 1];
    const millisBehindLatest =
      batch.nextOffset >= batch.endOffset || lastRecord === undefined
        ? 0
        : Math.max(0, this.#clock.nowMs() - lastRecord.timestampMs);
    if (atShardEnd) {
      return {
        payload: { Records: records, MillisBehindLatest: 0, ChildShards: childShards(stream, shard) },
        records: records.length,
        recordBytes,
        millisBehindLatest: 0,
      };
    }
    return {
      payload: {
        Records: records,
        ContinuationSequenceNumber: this.#continuation,
        MillisBehindLatest: millisBehindLatest,
      },
      records: records.length,
      recordBytes,
      millisBehindLatest,
    };
  }

  /** The SubscribeToShardEvent.* metrics (and shard-level Outgoing*) of an event sent. */
  #count(event: EventOut): void {
    const metrics = this.#deps.service.metrics;
    const series = metrics.series(this.#target.streamKey);
    if (series === undefined || series.record.streamId !== this.#target.stream.streamId) return;
    metrics.recordSubscribeEvent(series, this.#target.shardIndex, {
      records: event.records,
      bytes: event.recordBytes,
      millisBehindLatest: event.millisBehindLatest,
    });
  }

  /** Waits for a notification (or a stop) or for `delayMs`, whichever comes first. */
  async #sleep(delayMs: number): Promise<void> {
    if (this.#woken) return;
    await new Promise<void>((resolve) => {
      const cancel = this.#clock.schedule(delayMs, () => {
        this.#wake = undefined;
        resolve();
      });
      this.#wake = () => {
        this.#wake = undefined;
        cancel();
        resolve();
      };
    });
  }
}

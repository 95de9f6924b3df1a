/**
 * Enhanced fan-out's time-dependent rules, in process with a manual clock (no sleeping minutes):
 * consumer transitions CREATING → ACTIVE → DELETING → gone, also across a restart in the middle;
 * consumers deleted with their stream; a subscription's heartbeat every 5 s, its 5-minute end,
 * the 5-second takeover rule, and a push on append without any clock movement.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { MemoryCatalog } from '../../src/catalog/memory-catalog.js';
import { ManualClock } from '../../src/core/clock.js';
import { ServiceError } from '../../src/core/errors.js';
import { MemoryLogStore } from '../../src/log/memory/memory-log-store.js';
import { EventStreamReply, type EventStreamSink } from '../../src/protocol/event-stream-reply.js';
import type { ActionContext } from '../../src/streams/actions/action.js';
import { createStream } from '../../src/streams/actions/create-stream.js';
import { deleteStream } from '../../src/streams/actions/delete-stream.js';
import { deregisterStreamConsumer } from '../../src/streams/actions/deregister-stream-consumer.js';
import { describeStreamConsumer } from '../../src/streams/actions/describe-stream-consumer.js';
import { putRecord } from '../../src/streams/actions/put-record.js';
import { registerStreamConsumer } from '../../src/streams/actions/register-stream-consumer.js';
import { subscribeToShard } from '../../src/streams/actions/subscribe-to-shard.js';
import { FanOut } from '../../src/streams/fan-out/fan-out.js';
import { StreamsService } from '../../src/streams/streams-service.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const streamArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/s';

interface SinkEvent {
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

/** A sink that records what a subscription sends, as the HTTP one would frame it. */
class RecordingSink implements EventStreamSink {
  readonly events: SinkEvent[] = [];
  readonly #listeners: (() => void)[] = [];
  closed = false;

  async event(eventType: string, payload: object): Promise<boolean> {
    if (this.closed) return false;
    this.events.push({ type: eventType, payload: payload as Record<string, unknown> });
    return true;
  }

  async exception(code: string, message: string): Promise<void> {
    this.events.push({ type: `exception:${code}`, payload: { message } });
    this.end();
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.#listeners.splice(0)) listener();
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.#listeners.push(listener);
  }

  records(): string[] {
    return this.events
      .filter((event) => event.type === 'SubscribeToShardEvent')
      .flatMap((event) =>
        (event.payload.Records as { Data: Buffer }[]).map((record) => record.Data.toString()),
      );
  }
}

/** Lets promise chains and I/O callbacks run. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe('enhanced fan-out with a manual clock', () => {
  let clock: ManualClock;
  let catalog: MemoryCatalog;
  let logStore: MemoryLogStore;
  let context: ActionContext & { fanOut: FanOut };

  async function boot(): Promise<void> {
    const service = new StreamsService({
      catalog,
      logStore,
      clock,
      logger: () => undefined,
      options: { transitionDelayMs: 500, accountShardLimit: 500 },
    });
    await service.open();
    const fanOut = new FanOut({ service, logger: () => undefined });
    await fanOut.open();
    context = { service, scope, fanOut };
  }

  async function advance(ms: number): Promise<void> {
    clock.advance(ms);
    await settle();
  }

  async function register(name: string): Promise<string> {
    const output = (await registerStreamConsumer.run(context, {
      StreamARN: streamArn,
      ConsumerName: name,
    })) as {
      Consumer: { ConsumerARN: string };
    };
    return output.Consumer.ConsumerARN;
  }

  async function status(consumerArn: string): Promise<string | undefined> {
    try {
      const output = (await describeStreamConsumer.run(context, { ConsumerARN: consumerArn })) as {
        ConsumerDescription: { ConsumerStatus: string };
      };
      return output.ConsumerDescription.ConsumerStatus;
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  async function subscribe(consumerArn: string, type = 'LATEST'): Promise<RecordingSink> {
    const reply = await subscribeToShard.run(context, {
      ConsumerARN: consumerArn,
      ShardId: 'shardId-000000000000',
      StartingPosition: { Type: type as 'LATEST' },
    });
    assert.ok(reply instanceof EventStreamReply);
    const sink = new RecordingSink();
    reply.start(sink);
    await settle();
    return sink;
  }

  const put = (data: string): Promise<unknown> =>
    putRecord.run(context, { StreamName: 's', PartitionKey: 'k', Data: Buffer.from(data) });

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1));
    catalog = new MemoryCatalog();
    logStore = new MemoryLogStore();
    await catalog.open();
    await logStore.open();
    await boot();
    await createStream.run(context, { StreamName: 's', ShardCount: 1 });
    await advance(500);
  });

  it('moves a consumer CREATING → ACTIVE → DELETING → gone, resuming after a restart', async () => {
    const arn = await register('c');
    assert.equal(await status(arn), 'CREATING');
    // A restart in the middle: a new service and fan-out over the same catalog finish the job.
    context.fanOut.consumers.close();
    context.service.close();
    await boot();
    assert.equal(await status(arn), 'CREATING');
    await advance(499);
    assert.equal(await status(arn), 'CREATING');
    await advance(1);
    assert.equal(await status(arn), 'ACTIVE');
    await deregisterStreamConsumer.run(context, { ConsumerARN: arn });
    assert.equal(await status(arn), 'DELETING');
    context.fanOut.consumers.close();
    context.service.close();
    await boot();
    await advance(500);
    assert.equal(await status(arn), undefined);
    assert.deepEqual(await catalog.list('consumers/'), []);
  });

  it('allows 5 consumers CREATING at once and 20 per stream (LimitExceededException)', async () => {
    for (let index = 0; index < 5; index++) await register(`c${index}`);
    await assert.rejects(
      register('sixth'),
      (error: unknown) =>
        error instanceof ServiceError &&
        error.code === 'LimitExceededException' &&
        error.message ===
          'Only 5 consumers can be in CREATING status at the same time; stream s under account 000000000000.',
    );
    for (let index = 5; index < 20; index++) {
      if (index % 5 === 0) await advance(500);
      await register(`c${index}`);
    }
    await advance(500);
    await assert.rejects(
      register('twenty-first'),
      (error: unknown) =>
        error instanceof ServiceError &&
        error.code === 'LimitExceededException' &&
        error.message === 'Consumer limit of 20 exceeded for stream s under account 000000000000.',
    );
  });

  it('refuses to subscribe a consumer that is not ACTIVE, with AWS text', async () => {
    const arn = await register('early');
    const created = arn.slice(arn.lastIndexOf(':') + 1);
    await assert.rejects(
      subscribe(arn),
      (error: unknown) =>
        error instanceof ServiceError &&
        error.code === 'ResourceInUseException' &&
        error.message ===
          `Consumer early with creation timestamp ${created} under stream s and account 000000000000 is not in ACTIVE status.`,
    );
  });

  it('refuses consumers on a stream that is CREATING', async () => {
    await createStream.run(context, { StreamName: 'young', ShardCount: 1 });
    await assert.rejects(
      registerStreamConsumer.run(context, {
        StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/young',
        ConsumerName: 'c',
      }),
      (error: unknown) =>
        error instanceof ServiceError &&
        error.code === 'ResourceInUseException' &&
        error.message === 'Stream young under account 000000000000 not ACTIVE, instead in state CREATING',
    );
  });

  it('deletes consumers with their stream, and only with EnforceConsumerDeletion', async () => {
    const arn = await register('c');
    await advance(500);
    await assert.rejects(
      deleteStream.run(context, { StreamName: 's' }),
      (error: unknown) => error instanceof ServiceError && error.code === 'ResourceInUseException',
    );
    await deleteStream.run(context, { StreamName: 's', EnforceConsumerDeletion: true });
    await advance(500);
    assert.deepEqual(await catalog.list('consumers/'), []);
    await createStream.run(context, { StreamName: 's', ShardCount: 1 });
    await advance(500);
    assert.equal(await status(arn), undefined, 'a consumer of the old stream is not one of the new');
  });

  it('pushes on append with no clock movement, sends a heartbeat every 5 s, ends after 5 minutes', async () => {
    const arn = await register('c');
    await advance(500);
    const sink = await subscribe(arn);
    assert.deepEqual(sink.events, [{ type: 'initial-response', payload: {} }]);
    await put('one');
    await settle();
    assert.deepEqual(sink.records(), ['one']);
    const afterPush = sink.events.length;
    await advance(4_999);
    assert.equal(sink.events.length, afterPush, 'no heartbeat before 5 s');
    await advance(1);
    assert.equal(sink.events.length, afterPush + 1);
    const heartbeat = sink.events[sink.events.length - 1]?.payload as {
      Records: unknown[];
      ContinuationSequenceNumber: string;
    };
    assert.deepEqual(heartbeat.Records, []);
    const first = sink.events[1]?.payload as { ContinuationSequenceNumber: string };
    assert.equal(heartbeat.ContinuationSequenceNumber, first.ContinuationSequenceNumber);
    // 295 s in all: still open; at 300 s it ends.
    for (let second = 5; second < 295; second += 5) await advance(5_000);
    assert.equal(sink.closed, false);
    await advance(5_000);
    assert.equal(sink.closed, true, 'ended normally after 300 s');
    assert.ok(!sink.events.some((event) => event.type.startsWith('exception')));
    assert.equal(context.fanOut.subscriptions.size, 0);
  });

  it('starts AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER and AT_TIMESTAMP where GetShardIterator would', async () => {
    const arn = await register('c');
    await advance(500);
    const sequenceNumbers: string[] = [];
    for (const data of ['a', 'b', 'c']) {
      const output = (await put(data)) as { SequenceNumber: string };
      sequenceNumbers.push(output.SequenceNumber);
      await advance(1_000);
    }
    const startAt = async (position: Record<string, unknown>): Promise<string[]> => {
      const reply = await subscribeToShard.run(context, {
        ConsumerARN: arn,
        ShardId: 'shardId-000000000000',
        StartingPosition: position as { Type: 'LATEST' },
      });
      assert.ok(reply instanceof EventStreamReply);
      const sink = new RecordingSink();
      reply.start(sink);
      await settle();
      const records = sink.records();
      // A fresh server for the next position (the takeover rule would refuse it for 5 s).
      await context.fanOut.close();
      context.service.close();
      await boot();
      return records;
    };
    assert.deepEqual(await startAt({ Type: 'AT_SEQUENCE_NUMBER', SequenceNumber: sequenceNumbers[1] }), [
      'b',
      'c',
    ]);
    assert.deepEqual(await startAt({ Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: sequenceNumbers[1] }), [
      'c',
    ]);
    assert.deepEqual(await startAt({ Type: 'AT_TIMESTAMP', Timestamp: new Date(clock.nowMs() - 2_000) }), [
      'b',
      'c',
    ]);
    assert.deepEqual(await startAt({ Type: 'TRIM_HORIZON' }), ['a', 'b', 'c']);
    assert.deepEqual(await startAt({ Type: 'LATEST' }), []);
  });

  it('refuses a second subscription within 5 s and lets a later one take over', async () => {
    const arn = await register('c');
    await advance(500);
    const first = await subscribe(arn);
    await advance(4_000);
    await assert.rejects(
      subscribe(arn),
      (error: unknown) =>
        error instanceof ServiceError &&
        error.code === 'ResourceInUseException' &&
        error.message === 'Another active subscription exists for this consumer',
    );
    await advance(1_000);
    const second = await subscribe(arn, 'TRIM_HORIZON');
    assert.equal(first.closed, true);
    assert.equal(first.events[first.events.length - 1]?.type, 'exception:ResourceInUseException');
    assert.equal(second.closed, false);
    await put('two');
    await settle();
    assert.deepEqual(second.records(), ['two']);
    assert.deepEqual(first.records(), []);
  });

  it('ends a subscription with ResourceNotFoundException when its consumer is deregistered', async () => {
    const arn = await register('c');
    await advance(500);
    const sink = await subscribe(arn);
    await deregisterStreamConsumer.run(context, { ConsumerARN: arn });
    await settle();
    assert.equal(sink.closed, true);
    assert.deepEqual(sink.events[sink.events.length - 1], {
      type: 'exception:ResourceNotFoundException',
      payload: { message: `Consumer ${arn} not found.` },
    });
  });

  it('reads nothing more while the transport is full (backpressure), then catches up in one event', async () => {
    const arn = await register('c');
    await advance(500);
    const sink = new RecordingSink();
    let release: () => void = () => undefined;
    let blocked = false;
    const event = sink.event.bind(sink);
    sink.event = async (eventType, payload) => {
      const sent = await event(eventType, payload);
      if (eventType === 'SubscribeToShardEvent' && !blocked) {
        blocked = true;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return sent;
    };
    const reply = await subscribeToShard.run(context, {
      ConsumerARN: arn,
      ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'LATEST' },
    });
    assert.ok(reply instanceof EventStreamReply);
    reply.start(sink);
    await settle();
    await put('one');
    await settle();
    await put('two');
    await put('three');
    await settle();
    assert.equal(sink.events.length, 2, 'one event in flight, nothing read or queued behind it');
    release();
    await settle();
    assert.deepEqual(
      sink.events
        .slice(1)
        .map((sent) => (sent.payload.Records as { Data: Buffer }[]).map((record) => record.Data.toString())),
      [['one'], ['two', 'three']],
    );
  });

  it('asks the pacer before each push, with the size of its records, and waits for it', async () => {
    const asked: number[] = [];
    let allow: () => void = () => undefined;
    const ended: string[] = [];
    const paced = new FanOut({
      service: context.service,
      logger: () => undefined,
      pacer: {
        beforeEvent: async (_subscription, recordBytes) => {
          asked.push(recordBytes);
          if (recordBytes > 0) await new Promise<void>((resolve) => (allow = resolve));
        },
        ended: (subscription) => ended.push(subscription.shardId),
      },
    });
    await paced.open();
    context = { ...context, fanOut: paced };
    const arn = await register('paced');
    await advance(500);
    const sink = await subscribe(arn);
    await put('abc');
    await settle();
    assert.deepEqual(asked, ['abc'.length + 'k'.length]);
    assert.equal(sink.events.length, 1, 'held until the pacer allows it');
    allow();
    await settle();
    assert.deepEqual(sink.records(), ['abc']);
    await paced.close();
    assert.deepEqual(ended, ['shardId-000000000000']);
  });

  it('ends every subscription normally when fan-out closes (server stop)', async () => {
    const arn = await register('c');
    await advance(500);
    const sink = await subscribe(arn);
    await context.fanOut.close();
    assert.equal(sink.closed, true);
    assert.ok(!sink.events.some((event) => event.type.startsWith('exception')));
  });
});

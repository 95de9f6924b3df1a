/**
 * Enhanced fan-out end to end with the JavaScript SDK v3 (HTTP/2 cleartext, its default): a
 * consumer subscribes to a shard with `for await` over the EventStream while writers keep
 * putting records and the shard is split. Every record acknowledged in the parent arrives once,
 * in sequence order, then one last event with ChildShards and no ContinuationSequenceNumber, and
 * the stream ends; subscribing to the children delivers the rest. Also: the wire form of the
 * stream over HTTP/1.1 and with CBOR payloads, as boto3 and the Java SDK read it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  ResourceInUseException,
  SplitShardCommand,
  StartStreamEncryptionCommand,
  SubscribeToShardCommand,
  type ChildShard,
  type KinesisClient,
  type SubscribeToShardEvent,
} from '@aws-sdk/client-kinesis';
import { decodeCbor, encodeCbor } from '../../src/protocol/cbor.js';
import { EventStreamDecoder, stringHeader } from '../../src/protocol/event-stream.js';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { http1Request, http2Request } from '../helpers/raw-request.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

interface Acked {
  readonly id: number;
  readonly key: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
}

interface Received {
  readonly data: string;
  readonly sequenceNumber: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('enhanced fan-out with the JavaScript SDK', () => {
  let server: ServerProcess;
  let client: KinesisClient;

  before(async () => {
    // Writers run flat out while subscriptions read: AWS's per-shard rates are not tested here.
    server = await startServer({ extraArgs: ['--limits', 'off'] });
    client = kinesisClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  async function createWithConsumer(
    name: string,
    consumerName: string,
  ): Promise<{ streamArn: string; consumerArn: string }> {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await waitForActive(client, name);
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    const streamArn = summary.StreamDescriptionSummary?.StreamARN as string;
    const registered = await client.send(
      new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: consumerName }),
    );
    const consumerArn = registered.Consumer?.ConsumerARN as string;
    assert.match(consumerArn, new RegExp(`^${streamArn}/consumer/${consumerName}:\\d{10}$`));
    await waitForConsumerActive(consumerArn);
    return { streamArn, consumerArn };
  }

  async function waitForConsumerActive(consumerArn: string): Promise<void> {
    for (let attempt = 0; attempt < 400; attempt++) {
      const described = await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }));
      if (described.ConsumerDescription?.ConsumerStatus === 'ACTIVE') return;
      await sleep(25);
    }
    throw new Error(`consumer ${consumerArn} did not become ACTIVE`);
  }

  /** Reads one subscription to its end (or until `enough` says so); returns what arrived. */
  async function readSubscription(
    consumerArn: string,
    shardId: string,
    enough: (received: readonly Received[]) => boolean = () => false,
  ): Promise<{
    received: Received[];
    events: SubscribeToShardEvent[];
    childShards: ChildShard[] | undefined;
  }> {
    const response = await client.send(
      new SubscribeToShardCommand({
        ConsumerARN: consumerArn,
        ShardId: shardId,
        StartingPosition: { Type: 'TRIM_HORIZON' },
      }),
    );
    const received: Received[] = [];
    const events: SubscribeToShardEvent[] = [];
    let childShards: ChildShard[] | undefined;
    for await (const event of response.EventStream ?? []) {
      const shardEvent = event.SubscribeToShardEvent;
      assert.ok(shardEvent !== undefined, `unexpected event ${JSON.stringify(event)}`);
      events.push(shardEvent);
      for (const record of shardEvent.Records ?? []) {
        received.push({
          data: Buffer.from(record.Data ?? []).toString(),
          sequenceNumber: record.SequenceNumber as string,
        });
      }
      if (shardEvent.ChildShards !== undefined && shardEvent.ChildShards.length > 0)
        childShards = shardEvent.ChildShards;
      if (enough(received)) break;
    }
    return { received, events, childShards };
  }

  it('delivers every record once and in order across a SplitShard, with ChildShards at the parent end', async () => {
    const { consumerArn } = await createWithConsumer('split-me', 'reader');
    const parentReading = readSubscription(consumerArn, 'shardId-000000000000');

    const acked: Acked[] = [];
    let nextId = 0;
    let writing = true;
    const writer = async (writerIndex: number): Promise<void> => {
      const keys = Array.from({ length: 6 }, (_, index) => `w${writerIndex}-k${index}`);
      while (writing) {
        const batch = Array.from({ length: 20 }, (_, index) => ({
          id: nextId++,
          key: keys[index % keys.length] as string,
        }));
        const result = await client.send(
          new PutRecordsCommand({
            StreamName: 'split-me',
            Records: batch.map((entry) => ({ PartitionKey: entry.key, Data: Buffer.from(String(entry.id)) })),
          }),
        );
        assert.equal(result.FailedRecordCount, 0);
        (result.Records ?? []).forEach((entry, index) => {
          const sent = batch[index];
          assert.ok(sent !== undefined && entry.ShardId !== undefined && entry.SequenceNumber !== undefined);
          acked.push({ ...sent, shardId: entry.ShardId, sequenceNumber: entry.SequenceNumber });
        });
        await sleep(5);
      }
    };
    const writers = [writer(0), writer(1)];
    await sleep(300);
    await client.send(
      new SplitShardCommand({
        StreamName: 'split-me',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: '170141183460469231731687303715884105728',
      }),
    );
    await waitForActive(client, 'split-me');
    await sleep(300);
    writing = false;
    await Promise.all(writers);

    const parent = await parentReading;
    const ackedIn = (shardId: string): Acked[] =>
      acked
        .filter((entry) => entry.shardId === shardId)
        .sort((a, b) => (BigInt(a.sequenceNumber) < BigInt(b.sequenceNumber) ? -1 : 1));
    const parentAcked = ackedIn('shardId-000000000000');
    assert.ok(
      parentAcked.length > 0 && parentAcked.length < acked.length,
      'records on both sides of the split',
    );
    assert.deepEqual(
      parent.received.map((record) => record.sequenceNumber),
      parentAcked.map((entry) => entry.sequenceNumber),
      'the parent delivers exactly its acknowledged records, in sequence order',
    );
    assert.deepEqual(
      parent.received.map((record) => record.data),
      parentAcked.map((entry) => String(entry.id)),
    );

    const last = parent.events[parent.events.length - 1];
    assert.equal(last?.ContinuationSequenceNumber, undefined, 'the shard-end event has no continuation');
    assert.deepEqual(
      parent.childShards?.map((child) => ({ id: child.ShardId, parents: child.ParentShards })),
      [
        { id: 'shardId-000000000001', parents: ['shardId-000000000000'] },
        { id: 'shardId-000000000002', parents: ['shardId-000000000000'] },
      ],
    );
    for (const event of parent.events.slice(0, -1)) {
      assert.ok(event.ContinuationSequenceNumber !== undefined && (event.ChildShards ?? []).length === 0);
    }

    const deliveredInOrder = [...parent.received];
    for (const childId of ['shardId-000000000001', 'shardId-000000000002']) {
      const childAcked = ackedIn(childId);
      const child = await readSubscription(
        consumerArn,
        childId,
        (received) => received.length >= childAcked.length,
      );
      assert.deepEqual(
        child.received.map((record) => record.sequenceNumber),
        childAcked.map((entry) => entry.sequenceNumber),
        `${childId} delivers exactly its acknowledged records`,
      );
      deliveredInOrder.push(...child.received);
    }

    // The KCL resubscribes to a finished parent at LATEST: the shard-end event comes at once.
    const again = await client.send(
      new SubscribeToShardCommand({
        ConsumerARN: consumerArn,
        ShardId: 'shardId-000000000000',
        StartingPosition: { Type: 'LATEST' },
      }),
    );
    const endEvents: SubscribeToShardEvent[] = [];
    for await (const event of again.EventStream ?? []) {
      if (event.SubscribeToShardEvent !== undefined) endEvents.push(event.SubscribeToShardEvent);
    }
    assert.equal(endEvents.length, 1);
    assert.deepEqual(endEvents[0]?.Records, []);
    assert.equal(endEvents[0]?.ContinuationSequenceNumber, undefined);
    assert.equal(endEvents[0]?.ChildShards?.length, 2);

    // Nothing lost or duplicated overall; per partition key, reading the parent and then the
    // children gives the keys' records in the order they were written.
    assert.equal(new Set(deliveredInOrder.map((record) => record.data)).size, acked.length);
    assert.equal(deliveredInOrder.length, acked.length);
    const byId = new Map(acked.map((entry) => [String(entry.id), entry]));
    const perKey = new Map<string, number[]>();
    for (const record of deliveredInOrder) {
      const entry = byId.get(record.data) as Acked;
      perKey.set(entry.key, [...(perKey.get(entry.key) ?? []), entry.id]);
    }
    for (const [key, ids] of perKey)
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        key,
      );
  });

  it('refuses a second subscription of the same consumer and shard within 5 s', async () => {
    const { consumerArn } = await createWithConsumer('twice', 'reader');
    const first = await client.send(
      new SubscribeToShardCommand({
        ConsumerARN: consumerArn,
        ShardId: 'shardId-000000000000',
        StartingPosition: { Type: 'LATEST' },
      }),
    );
    await assert.rejects(
      client.send(
        new SubscribeToShardCommand({
          ConsumerARN: consumerArn,
          ShardId: 'shardId-000000000000',
          StartingPosition: { Type: 'LATEST' },
        }),
      ),
      (error: unknown) =>
        error instanceof ResourceInUseException &&
        error.message === 'Another active subscription exists for this consumer',
    );
    // Reading the first one still works.
    const iterator = (first.EventStream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    await client.send(
      new PutRecordsCommand({
        StreamName: 'twice',
        Records: [{ PartitionKey: 'k', Data: Buffer.from('x') }],
      }),
    );
    const next = (await iterator.next()) as IteratorResult<{ SubscribeToShardEvent?: SubscribeToShardEvent }>;
    assert.equal(Buffer.from(next.value?.SubscribeToShardEvent?.Records?.[0]?.Data ?? []).toString(), 'x');
    await iterator.return?.();
  });

  it('frames the stream as AWS does over HTTP/1.1 (JSON) and HTTP/2 (CBOR)', async () => {
    const { consumerArn, streamArn } = await createWithConsumer('wire', 'reader');
    await client.send(
      new PutRecordsCommand({
        StreamName: 'wire',
        Records: [{ PartitionKey: 'k', Data: Buffer.from([0, 1, 255]) }],
      }),
    );
    const input = {
      ConsumerARN: consumerArn,
      ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'TRIM_HORIZON' },
    };
    // The raw requests end the read after the first two messages by closing the connection.
    const json = await readRaw(
      'http1',
      'application/x-amz-json-1.1',
      Buffer.from(JSON.stringify(input)),
      consumerArn,
      'wire',
    );
    assert.equal(json.status, 200);
    assert.equal(json.contentType, 'application/vnd.amazon.eventstream');
    assert.equal(json.contentLength, undefined);
    assert.equal(json.transferEncoding, 'chunked');
    assert.deepEqual(json.messages[0], {
      type: 'event',
      event: 'initial-response',
      contentType: 'application/json',
      payload: '{}',
    });
    const jsonEvent = JSON.parse(json.messages[1]?.payload ?? '') as {
      Records: { Data: string; ApproximateArrivalTimestamp: number }[];
    };
    assert.equal(json.messages[1]?.event, 'SubscribeToShardEvent');
    assert.equal(jsonEvent.Records[0]?.Data, Buffer.from([0, 1, 255]).toString('base64'));
    assert.equal(typeof jsonEvent.Records[0]?.ApproximateArrivalTimestamp, 'number');

    // A second consumer: the first one's subscription may still be live for a moment.
    const second = await client.send(
      new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'second' }),
    );
    const secondArn = second.Consumer?.ConsumerARN as string;
    await waitForConsumerActive(secondArn);
    const cbor = await readRaw(
      'http2',
      'application/x-amz-cbor-1.1',
      encodeCbor({ ...input, ConsumerARN: secondArn }),
      secondArn,
      'wire',
    );
    assert.equal(cbor.status, 200);
    assert.equal(cbor.contentType, 'application/vnd.amazon.eventstream');
    assert.equal(cbor.messages[0]?.event, 'initial-response');
    assert.equal(cbor.messages[1]?.contentType, 'application/cbor');
    const cborEvent = decodeCbor(Buffer.from(cbor.messages[1]?.payload ?? '', 'latin1')) as {
      Records: { Data: Buffer; ApproximateArrivalTimestamp: Date }[];
    };
    assert.deepEqual([...(cborEvent.Records[0]?.Data ?? [])], [0, 1, 255]);
  });

  it('pushes records of an encrypted stream opened, with EncryptionType KMS', async () => {
    const { consumerArn } = await createWithConsumer('sealed', 'reader');
    await client.send(
      new StartStreamEncryptionCommand({
        StreamName: 'sealed',
        EncryptionType: 'KMS',
        KeyId: 'alias/aws/kinesis',
      }),
    );
    await waitForActive(client, 'sealed');
    await client.send(
      new PutRecordsCommand({
        StreamName: 'sealed',
        Records: [{ PartitionKey: 'secret-key', Data: Buffer.from('secret') }],
      }),
    );
    const { events } = await readSubscription(
      consumerArn,
      'shardId-000000000000',
      (received) => received.length >= 1,
    );
    const record = events.flatMap((event) => event.Records ?? [])[0];
    assert.equal(Buffer.from(record?.Data ?? []).toString(), 'secret');
    assert.equal(record?.PartitionKey, 'secret-key');
    assert.equal(record?.EncryptionType, 'KMS');
  });

  it('ends live subscriptions normally when the server stops', async () => {
    const own = await startServer();
    const ownClient = kinesisClient(own.endpoint);
    try {
      await ownClient.send(new CreateStreamCommand({ StreamName: 'stopping', ShardCount: 1 }));
      await waitForActive(ownClient, 'stopping');
      const summary = await ownClient.send(new DescribeStreamSummaryCommand({ StreamName: 'stopping' }));
      const registered = await ownClient.send(
        new RegisterStreamConsumerCommand({
          StreamARN: summary.StreamDescriptionSummary?.StreamARN,
          ConsumerName: 'reader',
        }),
      );
      const consumerArn = registered.Consumer?.ConsumerARN as string;
      for (;;) {
        const described = await ownClient.send(
          new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }),
        );
        if (described.ConsumerDescription?.ConsumerStatus === 'ACTIVE') break;
        await sleep(25);
      }
      const subscription = await ownClient.send(
        new SubscribeToShardCommand({
          ConsumerARN: consumerArn,
          ShardId: 'shardId-000000000000',
          StartingPosition: { Type: 'LATEST' },
        }),
      );
      const reading = (async () => {
        let events = 0;
        for await (const event of subscription.EventStream ?? []) if (event.SubscribeToShardEvent) events++;
        return events;
      })();
      await sleep(200);
      assert.equal(await own.stop(), 0, 'a clean exit');
      assert.equal(await reading, 0, 'the stream ended without an error and without events');
    } finally {
      ownClient.destroy();
      await own.stop();
      await removeDataDir(own.dataDir);
    }
  });

  /** One raw SubscribeToShard: status, headers and the first two messages. */
  async function readRaw(
    transport: 'http1' | 'http2',
    contentType: string,
    body: Buffer,
    consumerArn: string,
    streamName: string,
  ): Promise<{
    status: number;
    contentType: unknown;
    contentLength: unknown;
    transferEncoding: unknown;
    messages: { type?: string; event?: string; contentType?: string; payload: string }[];
  }> {
    assert.ok(consumerArn.includes(streamName));
    const decoder = new EventStreamDecoder();
    const messages: { type?: string; event?: string; contentType?: string; payload: string }[] = [];
    const request = transport === 'http1' ? http1Request : http2Request;
    const response = await request(server.endpoint, {
      target: 'Kinesis_20131202.SubscribeToShard',
      contentType,
      body,
      stopWhen: (chunk: Buffer) => {
        for (const message of decoder.push(chunk)) {
          messages.push({
            type: stringHeader(message, ':message-type'),
            event: stringHeader(message, ':event-type'),
            contentType: stringHeader(message, ':content-type'),
            payload: message.payload.toString(contentType.includes('cbor') ? 'latin1' : 'utf8'),
          });
        }
        return messages.length >= 2;
      },
    });
    return {
      status: response.status,
      contentType: response.headers['content-type'],
      contentLength: response.headers['content-length'],
      transferEncoding: response.headers['transfer-encoding'],
      messages,
    };
  }
});

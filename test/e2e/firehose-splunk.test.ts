/**
 * The Splunk destination against a local HTTP Event Collector, with the JavaScript SDK v3 against
 * a real server: raw and event endpoints, the token and channel headers, the body as the records
 * concatenated, indexer acknowledgements polled until confirmed, HEC errors mapped to AWS's codes,
 * a collector that stays down (records under `splunk-failed/` in AWS's envelope), AllEvents
 * backup and its one-way switch; exact DeliveryToSplunk.* counts in GET /metrics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  InvalidArgumentException,
  PutRecordBatchCommand,
  UpdateDestinationCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { firehoseClient, waitForBucket, waitForDeliveryStreamActive } from '../helpers/firehose-client.js';
import { parsePrometheusText, valueOf } from '../helpers/prometheus-text.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';
import {
  startReceiver,
  waitUntil,
  type ReceivedRequest,
  type Receiver,
  type Reply,
} from '../helpers/destination-receiver.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A collector that acknowledges ack id 7 on the third poll. */
function acknowledgingCollector(): (request: ReceivedRequest) => Reply {
  let polls = 0;
  return (request) => {
    if (request.url === '/services/collector/ack') {
      polls += 1;
      return { status: 200, body: JSON.stringify({ acks: { '7': polls >= 3 } }) };
    }
    return { status: 200, body: JSON.stringify({ text: 'Success', code: 0, ackId: 7 }) };
  };
}

describe('Firehose Splunk destination', () => {
  let server: ServerProcess;
  let client: FirehoseClient;
  const collectors: Receiver[] = [];

  before(async () => {
    server = await startServer({ extraArgs: ['--firehose-buffer-interval-ms-max', '300'] });
    client = firehoseClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    for (const collector of collectors) await collector.close();
  });

  async function collector(handler: (request: ReceivedRequest) => Reply): Promise<Receiver> {
    const started = await startReceiver({ handler });
    collectors.push(started);
    return started;
  }

  async function create(name: string, configuration: Record<string, unknown>): Promise<void> {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        SplunkDestinationConfiguration: configuration as never,
      }),
    );
    await waitForDeliveryStreamActive(client, name);
  }

  async function put(name: string, lines: readonly string[]): Promise<void> {
    const result = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: name,
        Records: lines.map((line) => ({ Data: Buffer.from(line) })),
      }),
    );
    assert.equal(result.FailedPutCount, 0);
  }

  it('posts raw records with the token and a channel, and waits for the indexer acknowledgement', async () => {
    const hec = await collector(acknowledgingCollector());
    await create('splunk-raw', {
      HECEndpoint: hec.url,
      HECEndpointType: 'Raw',
      HECToken: 'token-1',
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 30 },
      S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::splunk-raw-backup' },
    });
    const described = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'splunk-raw' }),
    );
    assert.deepEqual(described.DeliveryStreamDescription?.Destinations?.[0]?.SplunkDestinationDescription, {
      HECEndpoint: hec.url,
      HECEndpointType: 'Raw',
      HECToken: 'token-1',
      HECAcknowledgmentTimeoutInSeconds: 180,
      RetryOptions: { DurationInSeconds: 300 },
      S3BackupMode: 'FailedEventsOnly',
      CloudWatchLoggingOptions: { Enabled: false },
      BufferingHints: { IntervalInSeconds: 30, SizeInMBs: 1 },
      S3DestinationDescription: {
        RoleARN: roleArn,
        BucketARN: 'arn:aws:s3:::splunk-raw-backup',
        BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
        CompressionFormat: 'UNCOMPRESSED',
        EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
        CloudWatchLoggingOptions: { Enabled: false },
      },
    });
    await put('splunk-raw', ['line one\n', 'line two\n', 'line three\n']);
    await waitUntil(
      () => hec.requests.filter((request) => request.url === '/services/collector/ack').length >= 3,
      () => hec.requests.map((request) => request.url).join(', '),
    );
    const [send, ...polls] = hec.requests;
    assert.equal(send?.method, 'POST');
    assert.equal(send?.url, '/services/collector/raw');
    assert.equal(send?.headers.authorization, 'Splunk token-1');
    const channel = send?.headers['x-splunk-request-channel'] as string;
    assert.match(channel, uuidPattern);
    assert.equal(send?.body.toString('utf8'), 'line one\nline two\nline three\n');
    assert.equal(polls.length, 3, 'polling stops once the ack is confirmed');
    for (const poll of polls) {
      assert.equal(poll.method, 'POST');
      assert.equal(poll.headers['x-splunk-request-channel'], channel);
      assert.equal(poll.headers.authorization, 'Splunk token-1');
      assert.deepEqual(JSON.parse(poll.body.toString('utf8')), { acks: [7] });
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(hec.requests.length, 4, 'an acknowledged batch is not sent again');
    // One batch of three records delivered (counted once acknowledged, before the checkpoint).
    const labels = { account: '000000000000', region: 'us-east-1', delivery_stream: 'splunk-raw' };
    const deadline = Date.now() + 30_000;
    for (;;) {
      const metrics = parsePrometheusText(await (await fetch(`${server.endpoint}/metrics`)).text());
      const value = (metric: string): number =>
        valueOf(metrics, `tributary_firehose_delivery_to_splunk_${metric}_total`, labels);
      if (value('records') >= 3 || Date.now() > deadline) {
        assert.deepEqual(
          [value('records'), value('bytes'), value('success')],
          [3, Buffer.byteLength('line one\nline two\nline three\n'), 1],
        );
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('backs up events in AWS envelope under splunk-failed/ when the collector stays busy', async () => {
    const hec = await collector(() => ({ status: 503, body: '{"text":"Server is busy","code":9}' }));
    await create('splunk-busy', {
      HECEndpoint: hec.url,
      HECEndpointType: 'Event',
      HECToken: 'token-2',
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 30 },
      RetryOptions: { DurationInSeconds: 2 },
      S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::splunk-busy-backup', Prefix: 'hec/' },
    });
    const events = ['{"event":"a","time":1}', '{"event":{"b":2}}'];
    await put('splunk-busy', events);
    const objects = await waitForBucket(server.dataDir, 'splunk-busy-backup', (found) => found.length > 0);
    assert.ok(hec.requests.length >= 2, `${hec.requests.length} attempts`);
    for (const request of hec.requests) {
      assert.equal(request.url, '/services/collector/event');
      assert.equal(request.body.toString('utf8'), events.join(''));
    }
    assert.equal(new Set(hec.requests.map((request) => request.headers['x-splunk-request-channel'])).size, 1);
    assert.match(objects[0]?.key ?? '', /^hec\/splunk-failed\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/splunk-busy-1-/);
    const documents = (objects[0]?.body.toString('utf8') ?? '')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      documents.map((document) => Buffer.from(document.rawData as string, 'base64').toString('utf8')).sort(),
      [...events].sort(),
    );
    for (const document of documents) {
      assert.deepEqual(Object.keys(document), [
        'attemptsMade',
        'arrivalTimestamp',
        'errorCode',
        'errorMessage',
        'attemptEndingTimestamp',
        'rawData',
        'EventId',
      ]);
      assert.equal(document.errorCode, 'Splunk.ServerError');
      assert.equal(document.attemptsMade, hec.requests.length);
    }
    assert.equal(new Set(documents.map((document) => document.EventId)).size, documents.length);
  });

  it('maps an invalid token to Splunk.InvalidToken; AllEvents backs up all and cannot be undone', async () => {
    const hec = await collector(() => ({ status: 403, body: '{"text":"Invalid token","code":4}' }));
    await create('splunk-token', {
      HECEndpoint: hec.url,
      HECEndpointType: 'Raw',
      HECToken: 'wrong',
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 30 },
      RetryOptions: { DurationInSeconds: 0 },
      S3BackupMode: 'AllEvents',
      S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::splunk-token-backup', Prefix: 'all/' },
    });
    await put('splunk-token', ['x\n']);
    const objects = await waitForBucket(server.dataDir, 'splunk-token-backup', (found) => found.length >= 2);
    assert.equal(hec.requests.length, 1, 'RetryDuration 0: one attempt');
    const failed = objects.find((object) => object.key.startsWith('all/splunk-failed/'));
    assert.equal(
      (JSON.parse(failed?.body.toString('utf8') ?? '{}') as Record<string, unknown>).errorCode,
      'Splunk.InvalidToken',
    );
    const all = objects.find((object) => !object.key.startsWith('all/splunk-failed/'));
    assert.equal(all?.body.toString('utf8'), 'x\n');
    const refused = await client
      .send(
        new UpdateDestinationCommand({
          DeliveryStreamName: 'splunk-token',
          CurrentDeliveryStreamVersionId: '1',
          DestinationId: 'destinationId-000000000001',
          SplunkDestinationUpdate: { S3BackupMode: 'FailedEventsOnly' },
        }),
      )
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    assert.ok(refused instanceof InvalidArgumentException, String(refused));
    assert.equal(refused.message, 'S3BackupMode can only be changed from FailedEventsOnly to AllEvents.');
  });
});

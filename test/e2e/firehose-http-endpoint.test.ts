/**
 * The HTTP endpoint destination against a local HTTPS server, with the JavaScript SDK v3 against a
 * real server: the request byte for byte (headers, access key, common attributes, gzip, body),
 * Describe's view and defaults, an endpoint that fails then recovers (retries with the same
 * request id, nothing in the backup), one that stays down past RetryDuration (records in the
 * backup bucket under `http-endpoint-failed/` in AWS's envelope), a reply that breaks the
 * contract, and AllData backup; a Lambda processor (a module function from `--functions`) whose
 * transformed records reach the endpoint, failed ones under `processing-failed/` in the backup
 * bucket, with exact DeliveryToHttpEndpoint.* counts in GET /metrics.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  PutRecordBatchCommand,
  UpdateDestinationCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import {
  firehoseClient,
  readBucket,
  waitForBucket,
  waitForDeliveryStreamActive,
} from '../helpers/firehose-client.js';
import { parsePrometheusText, samplesOf, valueOf } from '../helpers/prometheus-text.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';
import {
  makeTestCertificate,
  startReceiver,
  trustEnvironment,
  waitUntil,
  type ReceivedRequest,
  type Receiver,
  type Reply,
  type TestCertificate,
} from '../helpers/destination-receiver.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A Lambda processor: Ok with the data upper-cased, ProcessingFailed for records saying "fail". */
const upperModule = `
export async function handler(event) {
  return {
    records: event.records.map((record) => {
      const text = Buffer.from(record.data, 'base64').toString('utf8');
      if (text.includes('fail')) return { recordId: record.recordId, result: 'ProcessingFailed', data: record.data };
      return { recordId: record.recordId, result: 'Ok', data: Buffer.from(text.toUpperCase()).toString('base64') };
    }),
  };
}
`;

/** The answer AWS requires: 200, application/json, the request id echoed, a numeric timestamp. */
function acknowledge(request: ReceivedRequest): Reply {
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      requestId: request.headers['x-amz-firehose-request-id'],
      timestamp: Date.now(),
    }),
  };
}

function recordsOf(request: ReceivedRequest): string[] {
  const body = JSON.parse(request.body.toString('utf8')) as { records: { data: string }[] };
  return body.records.map((record) => Buffer.from(record.data, 'base64').toString('utf8'));
}

describe('Firehose HTTP endpoint destination', () => {
  let certificate: TestCertificate;
  let server: ServerProcess;
  let client: FirehoseClient;
  let functionsDirectory: string;
  const receivers: Receiver[] = [];

  before(async () => {
    certificate = makeTestCertificate();
    functionsDirectory = mkdtempSync(path.join(tmpdir(), 'tributary-http-functions-'));
    writeFileSync(path.join(functionsDirectory, 'upper.mjs'), upperModule);
    writeFileSync(
      path.join(functionsDirectory, 'functions.json'),
      JSON.stringify({ upper: { module: './upper.mjs', timeoutSeconds: 30 } }),
    );
    server = await startServer({
      extraArgs: [
        '--firehose-buffer-interval-ms-max',
        '300',
        '--functions',
        path.join(functionsDirectory, 'functions.json'),
      ],
      env: trustEnvironment(certificate),
    });
    client = firehoseClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    for (const receiver of receivers) await receiver.close();
    certificate?.remove();
    if (functionsDirectory !== undefined) rmSync(functionsDirectory, { recursive: true, force: true });
  });

  async function receiver(handler: (request: ReceivedRequest, index: number) => Reply): Promise<Receiver> {
    const started = await startReceiver({ certificate, handler });
    receivers.push(started);
    return started;
  }

  async function create(name: string, configuration: Record<string, unknown>): Promise<void> {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        HttpEndpointDestinationConfiguration: configuration as never,
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

  it('sends AWS request: headers, access key, common attributes, gzip body; Describe hides the key', async () => {
    const endpoint = await receiver((request) => acknowledge(request));
    const beforeMs = Date.now();
    await create('http-exact', {
      EndpointConfiguration: {
        Url: `${endpoint.url}/ingest?x=1`,
        Name: 'my endpoint',
        AccessKey: 'secret-key',
      },
      RequestConfiguration: {
        ContentEncoding: 'GZIP',
        CommonAttributes: [
          { AttributeName: 'team', AttributeValue: 'data' },
          { AttributeName: 'env', AttributeValue: 'test' },
        ],
      },
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      RoleARN: roleArn,
      S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::http-exact-backup' },
    });
    const lines = Array.from({ length: 50 }, (_, index) => `{"n":${index}}`);
    await put('http-exact', [...lines, '']);
    await waitUntil(
      () => endpoint.requests.flatMap(recordsOf).length >= lines.length + 1,
      () => `${endpoint.requests.length} requests`,
    );
    const request = endpoint.requests[0] as ReceivedRequest;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/ingest?x=1');
    const requestId = request.headers['x-amz-firehose-request-id'] as string;
    assert.match(requestId, uuidPattern);
    assert.equal(request.headers['x-amz-firehose-protocol-version'], '1.0');
    assert.equal(request.headers['x-amz-firehose-access-key'], 'secret-key');
    assert.equal(
      request.headers['x-amz-firehose-source-arn'],
      'arn:aws:firehose:us-east-1:000000000000:deliverystream/http-exact',
    );
    assert.deepEqual(JSON.parse(request.headers['x-amz-firehose-common-attributes'] as string), {
      commonAttributes: { team: 'data', env: 'test' },
    });
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['content-encoding'], 'gzip');
    assert.equal(Number(request.headers['content-length']), request.rawBody.length);
    assert.deepEqual(request.rawBody.subarray(0, 2), Buffer.from([0x1f, 0x8b]));
    const body = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['requestId', 'timestamp', 'records']);
    assert.equal(body.requestId, requestId);
    assert.equal(typeof body.timestamp, 'number');
    assert.ok((body.timestamp as number) >= beforeMs && (body.timestamp as number) <= Date.now());
    for (const record of body.records as Record<string, unknown>[])
      assert.deepEqual(Object.keys(record), ['data']);
    assert.deepEqual(endpoint.requests.flatMap(recordsOf).sort(), [...lines, ''].sort());

    const described = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'http-exact' }),
    );
    const destination = described.DeliveryStreamDescription?.Destinations?.[0];
    assert.equal(destination?.DestinationId, 'destinationId-000000000001');
    assert.equal(destination?.ExtendedS3DestinationDescription, undefined);
    assert.deepEqual(destination?.HttpEndpointDestinationDescription, {
      EndpointConfiguration: { Url: `${endpoint.url}/ingest?x=1`, Name: 'my endpoint' },
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      CloudWatchLoggingOptions: { Enabled: false },
      RequestConfiguration: {
        ContentEncoding: 'GZIP',
        CommonAttributes: [
          { AttributeName: 'team', AttributeValue: 'data' },
          { AttributeName: 'env', AttributeValue: 'test' },
        ],
      },
      RetryOptions: { DurationInSeconds: 300 },
      S3BackupMode: 'FailedDataOnly',
      RoleARN: roleArn,
      S3DestinationDescription: {
        RoleARN: roleArn,
        BucketARN: 'arn:aws:s3:::http-exact-backup',
        BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
        CompressionFormat: 'UNCOMPRESSED',
        EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
        CloudWatchLoggingOptions: { Enabled: false },
      },
    });
  });

  it('accepts AppendDelimiterToRecord and sends each record as it is (the delimiter joins records in S3 objects only)', async () => {
    const endpoint = await receiver((request) => acknowledge(request));
    await create('http-delimiter', {
      EndpointConfiguration: { Url: endpoint.url },
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
      S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::http-delimiter-backup' },
    });
    const lines = ['first', 'second\n', '{"third":3}'];
    await put('http-delimiter', lines);
    await waitUntil(
      () => endpoint.requests.flatMap(recordsOf).length >= lines.length,
      () => `${endpoint.requests.length} requests`,
    );
    assert.deepEqual(endpoint.requests.flatMap(recordsOf).sort(), [...lines].sort());
    const described = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'http-delimiter' }),
    );
    assert.deepEqual(
      described.DeliveryStreamDescription?.Destinations?.[0]?.HttpEndpointDestinationDescription
        ?.ProcessingConfiguration,
      { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord', Parameters: [] }] },
    );
  });

  it('runs a Lambda processor before the endpoint: transformed records sent, failed ones backed up, exact metrics', async () => {
    const endpoint = await receiver((request) => acknowledge(request));
    const functionArn = 'arn:aws:lambda:us-east-1:000000000000:function:upper';
    await create('http-lambda', {
      EndpointConfiguration: { Url: endpoint.url },
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          { Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: functionArn }] },
        ],
      },
      S3Configuration: {
        RoleARN: roleArn,
        BucketARN: 'arn:aws:s3:::http-lambda-backup',
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      },
    });
    const lines = Array.from({ length: 20 }, (_, index) =>
      index % 5 === 2 ? `{"n":${index},"please":"fail"}` : `{"n":${index},"v":"abc"}`,
    );
    const expectedOk = lines.filter((line) => !line.includes('fail')).map((line) => line.toUpperCase());
    const expectedFailed = lines.filter((line) => line.includes('fail'));
    await put('http-lambda', lines);
    await waitUntil(
      () => endpoint.requests.flatMap(recordsOf).length >= expectedOk.length,
      () => `${endpoint.requests.length} requests`,
    );
    assert.deepEqual(endpoint.requests.flatMap(recordsOf).sort(), [...expectedOk].sort());
    const objects = await waitForBucket(server.dataDir, 'http-lambda-backup', (found) => found.length > 0);
    const failedDocuments = objects.flatMap((object) => {
      assert.match(
        object.key,
        /^errors\/processing-failed\/http-lambda-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}$/,
      );
      return object.body
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    });
    assert.deepEqual(
      failedDocuments
        .map((document) => Buffer.from(document.rawData as string, 'base64').toString('utf8'))
        .sort(),
      [...expectedFailed].sort(),
    );
    for (const document of failedDocuments) {
      assert.equal(document.errorCode, 'Lambda.ProcessingFailed');
      assert.equal(document.lambdaArn, functionArn);
    }

    // Metrics: what the endpoint accepted, one Success per sealed batch (one request id each).
    const labels = { account: '000000000000', region: 'us-east-1', delivery_stream: 'http-lambda' };
    const expectedBytes = expectedOk.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
    const batches = new Set(endpoint.requests.map((request) => request.headers['x-amz-firehose-request-id']));
    let text = '';
    const deadline = Date.now() + 30_000;
    for (;;) {
      text = await (await fetch(`${server.endpoint}/metrics`)).text();
      const metrics = parsePrometheusText(text);
      if (
        valueOf(metrics, 'tributary_firehose_delivery_to_http_endpoint_records_total', labels) >=
        expectedOk.length
      )
        break;
      assert.ok(Date.now() < deadline, 'DeliveryToHttpEndpoint.Records not counted');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const metrics = parsePrometheusText(text);
    assert.equal(
      valueOf(metrics, 'tributary_firehose_delivery_to_http_endpoint_records_total', labels),
      expectedOk.length,
    );
    assert.equal(
      valueOf(metrics, 'tributary_firehose_delivery_to_http_endpoint_bytes_total', labels),
      expectedBytes,
    );
    assert.equal(
      valueOf(metrics, 'tributary_firehose_delivery_to_http_endpoint_success_total', labels),
      batches.size,
    );
    assert.equal(
      valueOf(metrics, 'tributary_firehose_delivery_to_http_endpoint_data_freshness_seconds', labels),
      0,
    );
    // Every request was accepted at once: what was attempted is what was delivered.
    assert.equal(
      valueOf(metrics, 'tributary_firehose_delivery_to_http_endpoint_processed_records_total', labels),
      expectedOk.length,
    );
    assert.equal(
      valueOf(metrics, 'tributary_firehose_delivery_to_http_endpoint_processed_bytes_total', labels),
      expectedBytes,
    );
    // The Lambda processor's metrics: records it answered Ok, each invocation answered.
    assert.equal(
      valueOf(metrics, 'tributary_firehose_succeed_processing_records_total', labels),
      expectedOk.length,
    );
    assert.equal(
      valueOf(metrics, 'tributary_firehose_succeed_processing_bytes_total', labels),
      expectedBytes,
    );
    assert.equal(
      valueOf(metrics, 'tributary_firehose_execute_processing_success_total', labels),
      valueOf(metrics, 'tributary_firehose_execute_processing_duration_seconds_count', labels),
    );
    // Nothing is counted as an S3 delivery (the backup bucket is not the destination).
    assert.deepEqual(
      samplesOf(metrics, 'tributary_firehose_delivery_to_s3_data_freshness_seconds', labels),
      [],
    );
    assert.deepEqual(samplesOf(metrics, 'tributary_firehose_delivery_to_s3_records_total', labels), []);
  });

  it('retries a failing endpoint with the same request id until it recovers; nothing is backed up', async () => {
    const endpoint = await receiver((request, index) =>
      index < 2 ? { status: 503, body: 'busy' } : acknowledge(request),
    );
    await create('http-recovers', {
      EndpointConfiguration: { Url: endpoint.url },
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      RetryOptions: { DurationInSeconds: 120 },
      S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::http-recovers-backup' },
    });
    const lines = ['a', 'b', 'c'];
    await put('http-recovers', lines);
    await waitUntil(
      () => endpoint.requests.length >= 3,
      () => `${endpoint.requests.length} requests`,
    );
    const ids = endpoint.requests.slice(0, 3).map((request) => request.headers['x-amz-firehose-request-id']);
    assert.equal(new Set(ids).size, 1, `request ids ${ids.join(', ')}`);
    for (const request of endpoint.requests.slice(0, 3)) {
      assert.deepEqual(recordsOf(request).sort(), lines);
      assert.equal(request.headers['x-amz-firehose-access-key'], undefined);
      assert.equal(request.headers['x-amz-firehose-common-attributes'], undefined);
      assert.equal(request.headers['content-encoding'], undefined);
    }
    // Retries wait (1 s, then 2 s, ±15 %): the third request comes at least ~2.5 s after the first.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(endpoint.requests.length, 3, 'no request after the accepted one');
    assert.deepEqual(await readBucket(server.dataDir, 'http-recovers-backup'), []);
    // Three attempts of the three records; delivered once.
    const labels = { account: '000000000000', region: 'us-east-1', delivery_stream: 'http-recovers' };
    const scrape = async () => parsePrometheusText(await (await fetch(`${server.endpoint}/metrics`)).text());
    let metrics = await scrape();
    const value = (metric: string): number =>
      samplesOf(metrics, `tributary_firehose_delivery_to_http_endpoint_${metric}_total`, labels).length === 0
        ? 0
        : valueOf(metrics, `tributary_firehose_delivery_to_http_endpoint_${metric}_total`, labels);
    const deadline = Date.now() + 30_000;
    while (value('records') < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      metrics = await scrape();
    }
    assert.deepEqual(
      [
        value('processed_records'),
        value('processed_bytes'),
        value('records'),
        value('bytes'),
        value('success'),
      ],
      [9, 9, 3, 3, 1],
    );
  });

  it('writes the records to the backup bucket in AWS envelope when the endpoint stays down', async () => {
    const endpoint = await receiver(() => ({ status: 500, body: '{"errorMessage":"down"}' }));
    await create('http-down', {
      EndpointConfiguration: { Url: endpoint.url },
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      RetryOptions: { DurationInSeconds: 2 },
      S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::http-down-backup', Prefix: 'backup/' },
    });
    const beforeMs = Date.now();
    const lines = ['one', 'two', '{"three":3}'];
    await put('http-down', lines);
    const objects = await waitForBucket(server.dataDir, 'http-down-backup', (found) => found.length > 0);
    assert.equal(objects.length, 1);
    const object = objects[0] as { key: string; body: Buffer };
    assert.match(
      object.key,
      /^backup\/http-endpoint-failed\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/http-down-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}$/,
    );
    const text = object.body.toString('utf8');
    assert.ok(text.endsWith('\n'));
    const documents = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      documents.map((document) => Buffer.from(document.rawData as string, 'base64').toString('utf8')).sort(),
      [...lines].sort(),
    );
    for (const document of documents) {
      assert.deepEqual(Object.keys(document), [
        'attemptsMade',
        'arrivalTimestamp',
        'errorCode',
        'errorMessage',
        'attemptEndingTimestamp',
        'rawData',
      ]);
      assert.equal(document.errorCode, 'HttpEndpoint.DestinationException');
      assert.equal(
        document.errorMessage,
        'The following response was received from the endpoint destination. 500: {"errorMessage":"down"}',
      );
      assert.ok((document.attemptsMade as number) >= 2, `attemptsMade ${String(document.attemptsMade)}`);
      assert.equal(document.attemptsMade, endpoint.requests.length);
      assert.ok((document.arrivalTimestamp as number) >= beforeMs);
      assert.ok((document.attemptEndingTimestamp as number) >= (document.arrivalTimestamp as number) + 1000);
    }
    const ids = new Set(endpoint.requests.map((request) => request.headers['x-amz-firehose-request-id']));
    assert.equal(ids.size, 1);
    // The backup object counts as BackupToS3; nothing reached the endpoint.
    const labels = { account: '000000000000', region: 'us-east-1', delivery_stream: 'http-down' };
    const deadline = Date.now() + 30_000;
    let metrics = parsePrometheusText(await (await fetch(`${server.endpoint}/metrics`)).text());
    while (samplesOf(metrics, 'tributary_firehose_backup_to_s3_records_total', labels).length === 0) {
      assert.ok(Date.now() < deadline, 'BackupToS3.Records not counted');
      await new Promise((resolve) => setTimeout(resolve, 100));
      metrics = parsePrometheusText(await (await fetch(`${server.endpoint}/metrics`)).text());
    }
    assert.equal(valueOf(metrics, 'tributary_firehose_backup_to_s3_records_total', labels), lines.length);
    assert.equal(valueOf(metrics, 'tributary_firehose_backup_to_s3_bytes_total', labels), object.body.length);
    assert.equal(valueOf(metrics, 'tributary_firehose_backup_to_s3_success_total', labels), 1);
    assert.deepEqual(
      samplesOf(metrics, 'tributary_firehose_delivery_to_http_endpoint_records_total', labels),
      [],
    );
  });

  it('counts a 200 that does not echo the request id as InvalidResponseFromDestination; AllData backs up all', async () => {
    const endpoint = await receiver(() => ({
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ requestId: 'someone-else', timestamp: Date.now() }),
    }));
    await create('http-invalid', {
      EndpointConfiguration: { Url: endpoint.url },
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      RetryOptions: { DurationInSeconds: 0 },
      S3BackupMode: 'AllData',
      S3Configuration: {
        RoleARN: roleArn,
        BucketARN: 'arn:aws:s3:::http-invalid-backup',
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
        Prefix: 'all/',
      },
    });
    await put('http-invalid', ['x', 'y']);
    const objects = await waitForBucket(server.dataDir, 'http-invalid-backup', (found) => found.length >= 2);
    assert.equal(endpoint.requests.length, 1, 'RetryDuration 0: one attempt');
    const failed = objects.find((object) => object.key.startsWith('errors/http-endpoint-failed/'));
    const all = objects.find((object) => object.key.startsWith('all/'));
    assert.ok(failed !== undefined && all !== undefined, objects.map((object) => object.key).join(', '));
    const documents = failed.body
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      documents.map((document) => [document.errorCode, document.attemptsMade]),
      [
        ['HttpEndpoint.InvalidResponseFromDestination', 1],
        ['HttpEndpoint.InvalidResponseFromDestination', 1],
      ],
    );
    assert.equal(all.body.toString('utf8'), 'xy');
  });

  it('UpdateDestination merges member-wise and the next request uses the new access key', async () => {
    const endpoint = await receiver((request) => acknowledge(request));
    await create('http-update', {
      EndpointConfiguration: { Url: endpoint.url, AccessKey: 'old' },
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::http-update-backup' },
    });
    await client.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: 'http-update',
        CurrentDeliveryStreamVersionId: '1',
        DestinationId: 'destinationId-000000000001',
        HttpEndpointDestinationUpdate: {
          EndpointConfiguration: { Url: endpoint.url, AccessKey: 'new' },
          RetryOptions: { DurationInSeconds: 60 },
          S3Update: { Prefix: 'p/' },
        },
      }),
    );
    const described = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'http-update' }),
    );
    assert.equal(described.DeliveryStreamDescription?.VersionId, '2');
    const view = described.DeliveryStreamDescription?.Destinations?.[0]?.HttpEndpointDestinationDescription;
    assert.deepEqual(view?.RetryOptions, { DurationInSeconds: 60 });
    assert.deepEqual(view?.BufferingHints, { SizeInMBs: 1, IntervalInSeconds: 60 });
    assert.equal(view?.S3DestinationDescription?.Prefix, 'p/');
    assert.equal(view?.S3DestinationDescription?.BucketARN, 'arn:aws:s3:::http-update-backup');
    await put('http-update', ['after']);
    await waitUntil(
      () => endpoint.requests.length >= 1,
      () => 'no request',
    );
    assert.equal(endpoint.requests[0]?.headers['x-amz-firehose-access-key'], 'new');
  });
});

describe('Firehose HTTP endpoint destination across restarts', () => {
  let certificate: TestCertificate;
  let endpoint: Receiver;
  let dataDir: string | undefined;
  let server: ServerProcess | undefined;
  /** What the endpoint does now: hang (never answer), fail, or acknowledge. */
  let mode: 'hang' | 'fail' | 'ack' = 'hang';

  before(async () => {
    certificate = makeTestCertificate();
    endpoint = await startReceiver({
      certificate,
      handler: (request) => {
        if (mode === 'ack') return acknowledge(request);
        if (mode === 'fail') return { status: 500 };
        return new Promise<Reply>(() => undefined);
      },
    });
  });

  after(async () => {
    await server?.kill();
    if (dataDir !== undefined) await removeDataDir(dataDir);
    await endpoint?.close();
    certificate?.remove();
  });

  const start = async (): Promise<ServerProcess> =>
    startServer({
      ...(dataDir === undefined ? {} : { dataDir }),
      extraArgs: ['--firehose-buffer-interval-ms-max', '300'],
      env: trustEnvironment(certificate),
    });

  it('stops at once while a request hangs, then delivers after SIGKILL mid-retry; nothing lost or backed up', async () => {
    server = await start();
    dataDir = server.dataDir;
    let client = firehoseClient(server.endpoint);
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'http-restart',
        HttpEndpointDestinationConfiguration: {
          EndpointConfiguration: { Url: endpoint.url },
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          RetryOptions: { DurationInSeconds: 600 },
          S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::http-restart-backup' },
        },
      }),
    );
    await waitForDeliveryStreamActive(client, 'http-restart');
    const lines = Array.from({ length: 30 }, (_, index) => `record-${index}`);
    const result = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: 'http-restart',
        Records: lines.map((line) => ({ Data: Buffer.from(line) })),
      }),
    );
    assert.equal(result.FailedPutCount, 0);
    client.destroy();
    await waitUntil(
      () => endpoint.requests.length >= 1,
      () => 'no request',
    );
    // A request hangs (the response timeout is 3 minutes): a clean stop must not wait for it.
    const stopStartedMs = Date.now();
    assert.equal(await server.stop(), 0);
    assert.ok(Date.now() - stopStartedMs < 15_000, `stop took ${Date.now() - stopStartedMs} ms`);

    mode = 'fail';
    const failedBefore = endpoint.requests.length;
    server = await start();
    await waitUntil(
      () => endpoint.requests.length >= failedBefore + 2,
      () => `${endpoint.requests.length - failedBefore} requests after the restart`,
    );
    await server.kill();

    mode = 'ack';
    const acknowledgedFrom = endpoint.requests.length;
    server = await start();
    client = firehoseClient(server.endpoint);
    await waitUntil(
      () =>
        endpoint.requests
          .slice(acknowledgedFrom)
          .flatMap(recordsOf)
          .filter((record) => record.startsWith('record-')).length >= lines.length,
      () => `${endpoint.requests.length - acknowledgedFrom} requests after the second restart`,
    );
    client.destroy();
    assert.deepEqual(endpoint.requests.slice(acknowledgedFrom).flatMap(recordsOf).sort(), [...lines].sort());
    assert.deepEqual(await readBucket(server.dataDir, 'http-restart-backup'), []);
  });

  it('keeps counting attempts and RetryDuration across a SIGKILL while the endpoint stays down, then backs everything up', async () => {
    await server?.kill();
    mode = 'fail';
    server = await start();
    dataDir = server.dataDir;
    let client = firehoseClient(server.endpoint);
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'http-stays-down',
        HttpEndpointDestinationConfiguration: {
          EndpointConfiguration: { Url: endpoint.url },
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          RetryOptions: { DurationInSeconds: 15 },
          S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::http-stays-down-backup' },
        },
      }),
    );
    await waitForDeliveryStreamActive(client, 'http-stays-down');
    const lines = Array.from({ length: 10 }, (_, index) => `down-${index}`);
    const result = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: 'http-stays-down',
        Records: lines.map((line) => ({ Data: Buffer.from(line) })),
      }),
    );
    assert.equal(result.FailedPutCount, 0);
    client.destroy();
    const ofThisStream = (): ReceivedRequest[] =>
      endpoint.requests.filter((request) =>
        String(request.headers['x-amz-firehose-source-arn']).endsWith('/http-stays-down'),
      );
    // Attempts at 0 s, 1 s and 3 s fail; then the server dies in the middle of its retries.
    await waitUntil(
      () => ofThisStream().length >= 3,
      () => `${ofThisStream().length} requests`,
    );
    await server.kill();
    const beforeRestart = ofThisStream().length;

    server = await start();
    client = firehoseClient(server.endpoint);
    const objects = await waitForBucket(
      server.dataDir,
      'http-stays-down-backup',
      (found) => found.length > 0,
      90_000,
    );
    client.destroy();
    const documents = objects.flatMap((object) => {
      assert.match(object.key, /^http-endpoint-failed\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/http-stays-down-1-/);
      return object.body
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { attemptsMade: number; rawData: string });
    });
    // Nothing lost, nothing delivered: every record once in the backup.
    assert.deepEqual(
      documents.map((document) => Buffer.from(document.rawData, 'base64').toString('utf8')).sort(),
      [...lines].sort(),
    );
    // The attempts made before the kill count (one may have been in flight, unrecorded, at the kill).
    const total = ofThisStream().length;
    const afterRestart = total - beforeRestart;
    for (const document of documents) {
      assert.ok(
        document.attemptsMade >= total - 1 && document.attemptsMade <= total,
        `attemptsMade ${document.attemptsMade}, ${total} requests`,
      );
      assert.ok(
        document.attemptsMade > afterRestart,
        `attemptsMade ${document.attemptsMade}, ${afterRestart} requests after the restart`,
      );
    }
  });
});

/**
 * Firehose record processing against a real server with the JavaScript SDK v3: Lambda processors
 * resolved through the function registry (`--functions`) to local JavaScript modules run in worker
 * threads and to an HTTP URL served by this test; Ok / Dropped / ProcessingFailed results, a
 * function that times out, one that crashes, one that is not registered (processing-failed
 * objects with AWS's envelope); jq MetadataExtraction and dynamic partitioning into per-customer
 * prefixes (partitioning-failed for records without keys); RecordDeAggregation of JSON,
 * delimited and KPL aggregated records.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  PutRecordBatchCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { CreateStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { aggregate } from '../../src/core/kpl-aggregation.js';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import {
  firehoseClient,
  linesOf,
  waitForBucket,
  waitForDeliveryStreamActive,
  type BucketObject,
} from '../helpers/firehose-client.js';
import { parsePrometheusText, samplesOf, valueOf, type Exposition } from '../helpers/prometheus-text.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const lambdaArn = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const delimiter = { Type: 'AppendDelimiterToRecord' as const };

/** Ok with upper-cased data, Dropped for "drop", ProcessingFailed for "fail"; saves each event. */
const transformModule = `
import { writeFileSync } from 'node:fs';
import path from 'node:path';
export async function handler(event, context) {
  writeFileSync(path.join(process.env.TEST_EVENTS_DIR, event.invocationId + '.json'),
    JSON.stringify({ event, functionName: context.functionName, remainingMs: context.getRemainingTimeInMillis() }));
  return {
    records: event.records.map((record) => {
      const text = Buffer.from(record.data, 'base64').toString('utf8');
      if (text.includes('drop')) return { recordId: record.recordId, result: 'Dropped' };
      if (text.includes('fail')) return { recordId: record.recordId, result: 'ProcessingFailed', data: record.data };
      return { recordId: record.recordId, result: 'Ok', data: Buffer.from(text.toUpperCase()).toString('base64') };
    }),
  };
}
`;
const spinModule = `export function handler() { for (;;) {} }`;
const crashModule = `export async function handler() { process.exit(3); }`;
/** A response that forgets every other record and names an unknown one. */
const forgetfulModule = `
export async function handler(event) {
  return { records: event.records.filter((_, index) => index % 2 === 0)
    .map((record) => ({ recordId: record.recordId, result: 'Ok', data: record.data }))
    .concat([{ recordId: 'not-a-record', result: 'Ok', data: '' }]) };
}
`;

interface ErrorDocument {
  readonly attemptsMade: number;
  readonly arrivalTimestamp: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attemptEndingTimestamp: number;
  readonly rawData: string;
  readonly lambdaArn?: string;
}

const documentsOf = (objects: readonly BucketObject[]): ErrorDocument[] =>
  linesOf(objects).map((line) => JSON.parse(line) as ErrorDocument);

describe('Firehose record processing', () => {
  let server: ServerProcess;
  let client: FirehoseClient;
  let kinesis: KinesisClient;
  let directory: string;
  let eventsDirectory: string;
  let http: Server;
  const httpEvents: unknown[] = [];

  before(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'tributary-functions-'));
    eventsDirectory = path.join(directory, 'events');
    mkdirSync(eventsDirectory);
    writeFileSync(path.join(directory, 'transform.mjs'), transformModule);
    writeFileSync(path.join(directory, 'spin.mjs'), spinModule);
    writeFileSync(path.join(directory, 'crash.mjs'), crashModule);
    writeFileSync(path.join(directory, 'forgetful.mjs'), forgetfulModule);
    // The HTTP function: upper-cases, and gives the customer as a Lambda partition key.
    http = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          records: { recordId: string; data: string }[];
        };
        httpEvents.push(event);
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            records: event.records.map((record) => {
              const parsed = JSON.parse(Buffer.from(record.data, 'base64').toString('utf8')) as {
                customer: string;
              };
              return {
                recordId: record.recordId,
                result: 'Ok',
                data: Buffer.from(JSON.stringify(parsed).toUpperCase()).toString('base64'),
                metadata: { partitionKeys: { customer: parsed.customer } },
              };
            }),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const address = http.address() as { port: number };
    writeFileSync(
      path.join(directory, 'functions.json'),
      JSON.stringify({
        // By full ARN, by name, and by URL.
        [lambdaArn('transform')]: { module: './transform.mjs', timeoutSeconds: 30 },
        spin: { module: './spin.mjs', timeoutSeconds: 1, concurrency: 1 },
        crash: { module: './crash.mjs' },
        forgetful: { module: './forgetful.mjs' },
        enrich: { url: `http://127.0.0.1:${address.port}/enrich`, timeoutSeconds: 30 },
      }),
    );
    server = await startServer({
      extraArgs: [
        '--functions',
        path.join(directory, 'functions.json'),
        '--firehose-buffer-interval-ms-max',
        '1000',
      ],
      env: { TEST_EVENTS_DIR: eventsDirectory },
    });
    client = firehoseClient(server.endpoint);
    kinesis = kinesisClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    kinesis?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    await new Promise((resolve) => http?.close(resolve));
    rmSync(directory, { recursive: true, force: true });
  });

  async function create(name: string, s3: Record<string, unknown>): Promise<void> {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: `arn:aws:s3:::${name}`,
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          ...s3,
        } as never,
      }),
    );
    await waitForDeliveryStreamActive(client, name);
  }

  async function put(name: string, records: readonly (string | Buffer)[]): Promise<void> {
    const result = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: name,
        Records: records.map((data) => ({ Data: typeof data === 'string' ? Buffer.from(data) : data })),
      }),
    );
    assert.equal(result.FailedPutCount, 0);
  }

  const scrape = async (): Promise<Exposition> =>
    parsePrometheusText(await (await fetch(`${server.endpoint}/metrics`)).text());

  const lambdaProcessor = (arn: string, extra: { ParameterName: string; ParameterValue: string }[] = []) => ({
    Type: 'Lambda' as const,
    Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: arn }, ...extra],
  });

  it('transforms with a module function: Ok records upper-cased, Dropped gone, ProcessingFailed to the error output', async () => {
    await create('transform', {
      Prefix: 'out/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [lambdaProcessor(lambdaArn('transform')), delimiter],
      },
    });
    const beforeMs = Date.now();
    const records = Array.from({ length: 30 }, (_, index) =>
      index % 10 === 3
        ? `{"n":${index},"action":"drop"}`
        : index % 10 === 7
          ? `{"n":${index},"action":"fail"}`
          : `{"n":${index}}`,
    );
    await put('transform', records);
    const objects = await waitForBucket(server.dataDir, 'transform', (found) => {
      const out = found.filter((object) => object.key.startsWith('out/'));
      const errors = found.filter((object) => object.key.startsWith('errors/'));
      return linesOf(out).length >= 24 && linesOf(errors).length >= 3;
    });
    const out = objects.filter((object) => object.key.startsWith('out/'));
    const errors = objects.filter((object) => object.key.startsWith('errors/'));
    const expectedOk = records
      .filter((_, index) => index % 10 !== 3 && index % 10 !== 7)
      .map((text) => text.toUpperCase());
    assert.deepEqual(linesOf(out), expectedOk.sort());
    for (const object of errors) {
      assert.match(
        object.key,
        /^errors\/processing-failed\/transform-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}$/,
      );
    }
    const documents = documentsOf(errors);
    assert.deepEqual(
      documents.map((document) => Buffer.from(document.rawData, 'base64').toString('utf8')).sort(),
      records.filter((_, index) => index % 10 === 7).sort(),
    );
    for (const document of documents) {
      assert.deepEqual(Object.keys(document), [
        'attemptsMade',
        'arrivalTimestamp',
        'errorCode',
        'errorMessage',
        'attemptEndingTimestamp',
        'rawData',
        'lambdaArn',
      ]);
      assert.equal(document.attemptsMade, 1);
      assert.equal(document.errorCode, 'Lambda.ProcessingFailed');
      assert.equal(document.lambdaArn, lambdaArn('transform'));
      assert.ok(
        document.arrivalTimestamp >= beforeMs - 1000 &&
          document.arrivalTimestamp <= document.attemptEndingTimestamp,
      );
    }
    // The events the function saw: the Lambda contract for a Direct PUT delivery stream.
    const events = readdirSync(eventsDirectory).map(
      (name) =>
        JSON.parse(readFileSync(path.join(eventsDirectory, name), 'utf8')) as {
          event: Record<string, unknown> & { records: Record<string, unknown>[] };
          functionName: string;
          remainingMs: number;
        },
    );
    assert.ok(events.length >= 1);
    const seen: string[] = [];
    for (const { event, functionName, remainingMs } of events) {
      assert.equal(functionName, 'transform');
      assert.ok(remainingMs > 0 && remainingMs <= 30_000);
      assert.deepEqual(Object.keys(event), ['invocationId', 'deliveryStreamArn', 'region', 'records']);
      assert.match(event.invocationId as string, uuidPattern);
      assert.equal(
        event.deliveryStreamArn,
        'arn:aws:firehose:us-east-1:000000000000:deliverystream/transform',
      );
      assert.equal(event.region, 'us-east-1');
      for (const record of event.records) {
        assert.deepEqual(Object.keys(record), ['recordId', 'approximateArrivalTimestamp', 'data']);
        assert.match(record.recordId as string, /^\d{56}$/);
        assert.equal(typeof record.approximateArrivalTimestamp, 'number');
        seen.push(Buffer.from(record.data as string, 'base64').toString('utf8'));
      }
    }
    assert.deepEqual(seen.sort(), [...records].sort());
    // ExecuteProcessing.* per invocation (each answered), SucceedProcessing.* for the Ok records.
    const labels = { account: '000000000000', region: 'us-east-1', delivery_stream: 'transform' };
    const metrics = await scrape();
    assert.equal(
      valueOf(metrics, 'tributary_firehose_execute_processing_success_total', labels),
      events.length,
    );
    assert.equal(
      valueOf(metrics, 'tributary_firehose_execute_processing_duration_seconds_count', labels),
      events.length,
    );
    assert.equal(
      valueOf(metrics, 'tributary_firehose_succeed_processing_records_total', labels),
      expectedOk.length,
    );
    assert.equal(
      valueOf(metrics, 'tributary_firehose_succeed_processing_bytes_total', labels),
      expectedOk.reduce((sum, line) => sum + Buffer.byteLength(line), 0),
    );
  });

  it('sends every record to processing-failed after the retries when the function times out, crashes or is not registered', async () => {
    const errorOutput = { Prefix: 'out/', ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/' };
    await create('spinning', {
      ...errorOutput,
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          lambdaProcessor(lambdaArn('spin'), [{ ParameterName: 'NumberOfRetries', ParameterValue: '1' }]),
        ],
      },
    });
    await create('crashing', {
      ...errorOutput,
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          lambdaProcessor(lambdaArn('crash'), [{ ParameterName: 'NumberOfRetries', ParameterValue: '2' }]),
        ],
      },
    });
    await create('unregistered', {
      ...errorOutput,
      ProcessingConfiguration: { Enabled: true, Processors: [lambdaProcessor(lambdaArn('nowhere'))] },
    });
    await put('spinning', ['s1', 's2']);
    await put('crashing', ['c1', 'c2', 'c3']);
    await put('unregistered', ['u1']);
    const expectations = [
      {
        name: 'spinning',
        records: ['s1', 's2'],
        attempts: 2,
        code: 'Lambda.FunctionError',
        message: /timeout/,
      },
      {
        name: 'crashing',
        records: ['c1', 'c2', 'c3'],
        attempts: 3,
        code: 'Lambda.FunctionError',
        message: /exited with code 3/,
      },
      {
        name: 'unregistered',
        records: ['u1'],
        attempts: 4,
        code: 'Lambda.ResourceNotFound',
        message: /not found/,
      },
    ];
    for (const expected of expectations) {
      const objects = await waitForBucket(
        server.dataDir,
        expected.name,
        (found) => linesOf(found).length >= expected.records.length,
        60_000,
      );
      assert.ok(
        objects.every((object) => object.key.startsWith('errors/processing-failed/')),
        expected.name,
      );
      const documents = documentsOf(objects);
      assert.deepEqual(
        documents.map((document) => Buffer.from(document.rawData, 'base64').toString('utf8')).sort(),
        expected.records,
      );
      for (const document of documents) {
        assert.equal(document.attemptsMade, expected.attempts, expected.name);
        assert.equal(document.errorCode, expected.code, expected.name);
        assert.match(document.errorMessage, expected.message);
      }
      // One batch: every attempt is an invocation, none answered, no record succeeded.
      const labels = { account: '000000000000', region: 'us-east-1', delivery_stream: expected.name };
      const metrics = await scrape();
      assert.equal(
        valueOf(metrics, 'tributary_firehose_execute_processing_duration_seconds_count', labels),
        expected.attempts,
        expected.name,
      );
      assert.deepEqual(samplesOf(metrics, 'tributary_firehose_execute_processing_success_total', labels), []);
      assert.equal(valueOf(metrics, 'tributary_firehose_succeed_processing_records_total', labels), 0);
    }
  });

  it('fails the records a response does not name, and keeps the others', async () => {
    await create('forgetful', {
      Prefix: 'out/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [lambdaProcessor(lambdaArn('forgetful')), delimiter],
      },
    });
    await put('forgetful', ['r0', 'r1', 'r2', 'r3']);
    const objects = await waitForBucket(server.dataDir, 'forgetful', (found) => linesOf(found).length >= 4);
    assert.deepEqual(linesOf(objects.filter((object) => object.key.startsWith('out/'))), ['r0', 'r2']);
    const documents = documentsOf(
      objects.filter((object) => object.key.startsWith('errors/processing-failed/')),
    );
    assert.deepEqual(
      documents.map((document) => document.errorCode),
      ['Lambda.MissingRecordId', 'Lambda.MissingRecordId'],
    );
    assert.deepEqual(documents.map((document) => Buffer.from(document.rawData, 'base64').toString()).sort(), [
      'r1',
      'r3',
    ]);
  });

  it('partitions by the keys an HTTP URL function returns (partitionKeyFromLambda)', async () => {
    await create('by-lambda-key', {
      Prefix: 'customer=!{partitionKeyFromLambda:customer}/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
      DynamicPartitioningConfiguration: { Enabled: true },
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [lambdaProcessor(lambdaArn('enrich')), delimiter],
      },
    });
    const records = ['a', 'b', 'a', 'c', 'b', 'a'].map((customer, n) => JSON.stringify({ customer, n }));
    await put('by-lambda-key', records);
    const objects = await waitForBucket(
      server.dataDir,
      'by-lambda-key',
      (found) => linesOf(found).length >= records.length,
    );
    for (const customer of ['a', 'b', 'c']) {
      const under = objects.filter((object) => object.key.startsWith(`customer=${customer}/`));
      assert.deepEqual(
        linesOf(under),
        records
          .filter((text) => text.includes(`"${customer}"`))
          .map((text) => text.toUpperCase())
          .sort(),
      );
      for (const object of under) assert.match(object.key, /^customer=[abc]\/by-lambda-key-1-\d{4}-/);
    }
    assert.ok(httpEvents.length >= 1);
  });

  it('extracts keys with jq and partitions by them; records without keys go to partitioning-failed', async () => {
    await create('by-query', {
      Prefix: 'customers/!{partitionKeyFromQuery:customer_id}/!{partitionKeyFromQuery:year}/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
      DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 10 } },
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          {
            Type: 'MetadataExtraction',
            Parameters: [
              {
                ParameterName: 'MetadataExtractionQuery',
                ParameterValue: '{customer_id:.customer_id, year:.ts|strftime("%Y")}',
              },
              { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
            ],
          },
          delimiter,
        ],
      },
    });
    const good = [
      { customer_id: 'c1', ts: 1700000000, n: 1 },
      { customer_id: 'c2', ts: 1600000000, n: 2 },
      { customer_id: 'c1', ts: 1700000001, n: 3 },
      { customer_id: 42, ts: 1700000002, n: 4 },
    ].map((value) => JSON.stringify(value));
    const bad = [
      'not json',
      JSON.stringify({ customer_id: null, ts: 1 }),
      JSON.stringify({ customer_id: 'c3' }),
    ];
    await put('by-query', [...good, ...bad]);
    const objects = await waitForBucket(
      server.dataDir,
      'by-query',
      (found) => linesOf(found).length >= good.length + bad.length,
    );
    const linesUnder = (prefix: string): string[] =>
      linesOf(objects.filter((object) => object.key.startsWith(prefix)));
    assert.deepEqual(linesUnder('customers/c1/2023/'), [good[0], good[2]].sort());
    assert.deepEqual(linesUnder('customers/c2/2020/'), [good[1]]);
    assert.deepEqual(linesUnder('customers/42/2023/'), [good[3]]);
    const documents = documentsOf(
      objects.filter((object) => object.key.startsWith('errors/partitioning-failed/')),
    );
    assert.deepEqual(
      documents.map((document) => Buffer.from(document.rawData, 'base64').toString()).sort(),
      [...bad].sort(),
    );
    const codes = new Map(
      documents.map((document) => [Buffer.from(document.rawData, 'base64').toString(), document.errorCode]),
    );
    assert.equal(codes.get('not json'), 'DynamicPartitioning.MetadataExtractionFailed');
    assert.equal(codes.get(bad[1] as string), 'DynamicPartitioning.PartitionKeyMissing');
    // strftime of a missing ts fails inside jq.
    assert.equal(codes.get(bad[2] as string), 'DynamicPartitioning.MetadataExtractionFailed');
    for (const document of documents) assert.equal(document.lambdaArn, undefined);
  });

  it('de-aggregates JSON, delimited and KPL aggregated records before partitioning', async () => {
    const query = {
      Type: 'MetadataExtraction' as const,
      Parameters: [
        { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{c:.c}' },
        { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
      ],
    };
    const partitioned = {
      Prefix: 'c=!{partitionKeyFromQuery:c}/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
      DynamicPartitioningConfiguration: { Enabled: true },
    };
    await create('deagg-json', {
      ...partitioned,
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          {
            Type: 'RecordDeAggregation',
            Parameters: [{ ParameterName: 'SubRecordType', ParameterValue: 'JSON' }],
          },
          query,
          delimiter,
        ],
      },
    });
    await create('deagg-delimited', {
      ...partitioned,
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          {
            Type: 'RecordDeAggregation',
            Parameters: [
              { ParameterName: 'SubRecordType', ParameterValue: 'DELIMITED' },
              { ParameterName: 'Delimiter', ParameterValue: Buffer.from('####').toString('base64') },
            ],
          },
          query,
          delimiter,
        ],
      },
    });
    const kpl = aggregate([
      { partitionKey: 'p', data: Buffer.from('{"c":"x","n":10}') },
      { partitionKey: 'p', data: Buffer.from('{"c":"y","n":11}{"c":"x","n":12}') },
    ]);
    await put('deagg-json', ['{"c":"x","n":1}{"c":"y","n":2}\n{"c":"x","n":3}', ' {"c":"y","n":4} ', kpl]);
    await put('deagg-delimited', ['{"c":"x","n":1}####{"c":"y","n":2}####', '{"c":"x","n":3}']);
    const json = await waitForBucket(server.dataDir, 'deagg-json', (found) => linesOf(found).length >= 7);
    assert.deepEqual(
      linesOf(json.filter((object) => object.key.startsWith('c=x/'))),
      ['{"c":"x","n":1}', '{"c":"x","n":3}', '{"c":"x","n":10}', '{"c":"x","n":12}'].sort(),
    );
    assert.deepEqual(
      linesOf(json.filter((object) => object.key.startsWith('c=y/'))),
      ['{"c":"y","n":2}', '{"c":"y","n":4}', '{"c":"y","n":11}'].sort(),
    );
    const delimited = await waitForBucket(
      server.dataDir,
      'deagg-delimited',
      (found) => linesOf(found).length >= 3,
    );
    assert.deepEqual(linesOf(delimited.filter((object) => object.key.startsWith('c=x/'))), [
      '{"c":"x","n":1}',
      '{"c":"x","n":3}',
    ]);
    assert.deepEqual(linesOf(delimited.filter((object) => object.key.startsWith('c=y/'))), [
      '{"c":"y","n":2}',
    ]);
  });
  it('gives a function the Kinesis metadata of records read from a stream, KPL user records each with its subsequence number', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'lambda-source', ShardCount: 1 }));
    await waitForActive(kinesis, 'lambda-source');
    const streamArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/lambda-source';
    const put = await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'lambda-source',
        Records: [
          { PartitionKey: 'plain-key', Data: Buffer.from('plain') },
          {
            PartitionKey: 'outer-key',
            Data: aggregate([
              { partitionKey: 'inner-a', data: Buffer.from('first') },
              { partitionKey: 'inner-b', data: Buffer.from('second') },
            ]),
          },
        ],
      }),
    );
    assert.equal(put.FailedRecordCount, 0);
    const [plain, aggregated] = put.Records ?? [];
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'from-kinesis',
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn, RoleARN: roleArn },
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: 'arn:aws:s3:::from-kinesis',
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          ProcessingConfiguration: {
            Enabled: true,
            Processors: [lambdaProcessor(lambdaArn('transform')), delimiter],
          },
        } as never,
      }),
    );
    const objects = await waitForBucket(
      server.dataDir,
      'from-kinesis',
      (found) => linesOf(found).length >= 3,
    );
    assert.deepEqual(linesOf(objects), ['FIRST', 'PLAIN', 'SECOND']);
    const records = readdirSync(eventsDirectory)
      .map(
        (name) =>
          JSON.parse(readFileSync(path.join(eventsDirectory, name), 'utf8')) as {
            event: Record<string, unknown>;
          },
      )
      .filter(
        ({ event }) =>
          event.deliveryStreamArn === 'arn:aws:firehose:us-east-1:000000000000:deliverystream/from-kinesis',
      )
      .flatMap(({ event }) => {
        assert.deepEqual(Object.keys(event), [
          'invocationId',
          'deliveryStreamArn',
          'sourceKinesisStreamArn',
          'region',
          'records',
        ]);
        assert.equal(event.sourceKinesisStreamArn, streamArn);
        return event.records as {
          data: string;
          approximateArrivalTimestamp: number;
          kinesisRecordMetadata: Record<string, unknown>;
        }[];
      });
    const byData = new Map(records.map((record) => [Buffer.from(record.data, 'base64').toString(), record]));
    const metadataOf = (data: string) => {
      const metadata = byData.get(data)?.kinesisRecordMetadata;
      assert.ok(metadata !== undefined, data);
      assert.equal(typeof metadata.approximateArrivalTimestamp, 'number');
      const { approximateArrivalTimestamp: _ignored, ...rest } = metadata;
      return rest;
    };
    assert.deepEqual(metadataOf('plain'), {
      shardId: 'shardId-000000000000',
      partitionKey: 'plain-key',
      sequenceNumber: plain?.SequenceNumber,
      subsequenceNumber: 0,
    });
    assert.deepEqual(metadataOf('first'), {
      shardId: 'shardId-000000000000',
      partitionKey: 'inner-a',
      sequenceNumber: aggregated?.SequenceNumber,
      subsequenceNumber: 0,
    });
    assert.deepEqual(metadataOf('second'), {
      shardId: 'shardId-000000000000',
      partitionKey: 'inner-b',
      sequenceNumber: aggregated?.SequenceNumber,
      subsequenceNumber: 1,
    });
  });
});

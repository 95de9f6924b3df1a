/**
 * Input preprocessing by a function (InputLambdaProcessor) end to end, against a `tributary serve`
 * process whose function registry (`--functions`) maps Lambda ARNs to local modules, with the real
 * SQL engine and the official JavaScript SDKs. The function upper-cases a field, adds the record's
 * partition key and the application ARN from the event, drops odd records and marks every fifth
 * one ProcessingFailed: the output stream holds exactly the Ok rows, `error_stream` the failed
 * records (original bytes, ERROR_NAME Lambda_ProcessingFailed), and `/metrics` counts them under
 * the InputProcessing.* names. A function that fails its first invocation is retried: nothing is
 * lost; one that keeps failing is retried with exponential back-off, not on every poll. A LambdaOutput (an HTTP function here) receives the rows
 * in the delivery contract; rows it answers DeliveryFailed are delivered again. DiscoverInputSchema
 * infers the schema of the function's output, for a stream's sample and for an S3 object's records.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateApplicationCommand,
  DiscoverInputSchemaCommand,
  StartApplicationCommand,
  UnableToDetectSchemaException,
  type KinesisAnalyticsClient,
} from '@aws-sdk/client-kinesis-analytics';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { analyticsClient, waitForApplicationStatus } from '../../helpers/analytics-client.js';
import { kinesisClient, waitForActive } from '../../helpers/kinesis-client.js';
import { parsePrometheusText, valueOf } from '../../helpers/prometheus-text.js';
import { removeDataDir, startServer, type ServerProcess } from '../../helpers/server-process.js';

const role = 'arn:aws:iam::000000000000:role/analytics';
const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
const lambdaArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

const shoutModule = `
export async function handler(event) {
  return {
    records: event.records.map((record) => {
      const doc = JSON.parse(Buffer.from(record.data, 'base64').toString('utf8'));
      if (doc.n % 5 === 0) return { recordId: record.recordId, result: 'ProcessingFailed', data: record.data };
      if (doc.n % 2 === 1) return { recordId: record.recordId, result: 'Dropped' };
      const out = {
        who: doc.who.toUpperCase(),
        n: doc.n,
        pk: record.kinesisStreamRecordMetadata.partitionKey,
        app: event.applicationArn,
      };
      return { recordId: record.recordId, result: 'Ok', data: Buffer.from(JSON.stringify(out)).toString('base64') };
    }),
  };
}
`;

/** Fails its first invocation (one worker thread), then answers every record Ok unchanged. */
const flakyModule = `
let calls = 0;
export async function handler(event) {
  calls++;
  if (calls === 1) throw new Error('first call fails');
  return { records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })) };
}
`;

/** Fails every invocation until the file \`stubborn.ok\` exists beside it, then answers Ok unchanged. */
const stubbornModule = `
import { existsSync } from 'node:fs';
export async function handler(event) {
  if (!existsSync(new URL('./stubborn.ok', import.meta.url))) throw new Error('not yet');
  return { records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })) };
}
`;

/** For an S3 object's records: upper-cases \`who\`, drops odd \`n\`, and shows what the event carried. */
const objectsModule = `
export async function handler(event) {
  return {
    records: event.records.map((record) => {
      const doc = JSON.parse(Buffer.from(record.data, 'base64').toString('utf8'));
      if (doc.n % 2 === 1) return { recordId: record.recordId, result: 'Dropped' };
      const out = {
        who: doc.who.toUpperCase(),
        n: doc.n,
        source: event.streamArn,
        arrival: typeof record.kinesisFirehoseRecordMetadata.approximateArrivalTimestamp,
      };
      return { recordId: record.recordId, result: 'Ok', data: Buffer.from(JSON.stringify(out)).toString('base64') };
    }),
  };
}
`;

const code = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
  WHO VARCHAR(16), N INTEGER, PK VARCHAR(32), APP VARCHAR(128));
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM WHO, N, PK, APP FROM "SOURCE_SQL_STREAM_001";
`;

const column = (Name: string, SqlType: string) => ({ Name, SqlType, Mapping: `$.${Name.toLowerCase()}` });

describe('analytics input preprocessing by a function', () => {
  let server: ServerProcess;
  let kinesis: KinesisClient;
  let analytics: KinesisAnalyticsClient;
  let directory: string;
  let http: Server;
  /** Events the HTTP delivery function received. */
  const deliveries: {
    applicationArn: string;
    records: { recordId: string; data: string; lambdaDeliveryRecordMetadata: { retryHint: number } }[];
  }[] = [];
  /** Rows it answered Ok, and the N values it refused once. */
  const delivered: Record<string, unknown>[] = [];
  const refusedOnce = new Set<number>();

  before(async () => {
    // The delivery function: refuses each row with an N divisible by 4 once (DeliveryFailed).
    http = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof deliveries)[number];
        deliveries.push(event);
        const records = event.records.map(({ recordId, data }) => {
          const row = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as Record<string, unknown>;
          const n = row.N as number;
          if (n % 4 === 0 && !refusedOnce.has(n)) {
            refusedOnce.add(n);
            return { recordId, result: 'DeliveryFailed' };
          }
          delivered.push(row);
          return { recordId, result: 'Ok' };
        });
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ records }));
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const address = http.address() as { port: number };
    directory = mkdtempSync(path.join(tmpdir(), 'tributary-preprocess-'));
    writeFileSync(path.join(directory, 'shout.mjs'), shoutModule);
    writeFileSync(path.join(directory, 'flaky.mjs'), flakyModule);
    writeFileSync(path.join(directory, 'stubborn.mjs'), stubbornModule);
    writeFileSync(path.join(directory, 'objects.mjs'), objectsModule);
    writeFileSync(
      path.join(directory, 'functions.json'),
      JSON.stringify({
        [lambdaArn('shout')]: { module: './shout.mjs', timeoutSeconds: 30 },
        flaky: { module: './flaky.mjs', timeoutSeconds: 30, concurrency: 1 },
        stubborn: { module: './stubborn.mjs', timeoutSeconds: 30 },
        objects: { module: './objects.mjs', timeoutSeconds: 30 },
        deliver: { url: `http://127.0.0.1:${address.port}/deliver`, timeoutSeconds: 30 },
      }),
    );
    // Limits off: the test, the runners and discovery read the same shards (AWS's 5 GetRecords/s
    // per shard would throttle them); the limits are tested in test/e2e/limits.test.ts.
    server = await startServer({
      extraArgs: [
        '--functions',
        path.join(directory, 'functions.json'),
        '--transition-delay-ms',
        '100',
        '--limits',
        'off',
      ],
    });
    kinesis = kinesisClient(server.endpoint);
    analytics = analyticsClient(server.endpoint);
  });

  after(async () => {
    kinesis?.destroy();
    analytics?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    await new Promise((resolve) => http?.close(resolve));
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  async function createStreams(...names: string[]): Promise<void> {
    for (const name of names)
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    for (const name of names) await waitForActive(kinesis, name);
  }

  /** Every record of a stream so far, parsed as JSON. */
  async function readAll(streamName: string): Promise<Record<string, unknown>[]> {
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
    const records: Record<string, unknown>[] = [];
    for (const shard of shards) {
      let iterator = (
        await kinesis.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shard.ShardId!,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      while (iterator !== undefined) {
        const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
        for (const record of got.Records ?? [])
          records.push(JSON.parse(Buffer.from(record.Data!).toString('utf8')) as Record<string, unknown>);
        if ((got.Records ?? []).length === 0 || got.MillisBehindLatest === 0) break;
        iterator = got.NextShardIterator;
      }
    }
    return records;
  }

  /** Polls a stream until it holds `expected` records (never more). */
  async function waitForRecords(streamName: string, expected: number): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const records = await readAll(streamName);
      assert.ok(records.length <= expected, `${streamName}: ${records.length} records, expected ${expected}`);
      if (records.length === expected) return records;
      if (Date.now() > deadline)
        throw new Error(`${streamName}: ${records.length} of ${expected} records\n${server.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  async function metric(name: string, application: string): Promise<number> {
    const exposition = parsePrometheusText(await (await fetch(`${server.endpoint}/metrics`)).text());
    const labels = { account: '000000000000', region: 'us-east-1', application, input: '1.1' };
    return valueOf(exposition, `tributary_kinesisanalytics_input_processing_${name}`, labels);
  }

  async function startApplication(name: string, source: string, outputs: Record<string, string>, fn: string) {
    await analytics.send(
      new CreateApplicationCommand({
        ApplicationName: name,
        ApplicationCode: code,
        Inputs: [
          {
            NamePrefix: 'SOURCE_SQL_STREAM',
            KinesisStreamsInput: { ResourceARN: arnOf(source), RoleARN: role },
            InputProcessingConfiguration: { InputLambdaProcessor: { ResourceARN: fn, RoleARN: role } },
            InputSchema: {
              RecordFormat: {
                RecordFormatType: 'JSON',
                MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
              },
              RecordColumns: [
                column('WHO', 'VARCHAR(16)'),
                column('N', 'INTEGER'),
                column('PK', 'VARCHAR(32)'),
                column('APP', 'VARCHAR(128)'),
              ],
            },
          },
        ],
        // A destination starting with arn:aws:lambda is a LambdaOutput, else a stream's name.
        Outputs: Object.entries(outputs).map(([Name, destination]) => ({
          Name,
          ...(destination.startsWith('arn:aws:lambda:')
            ? { LambdaOutput: { ResourceARN: destination, RoleARN: role } }
            : { KinesisStreamsOutput: { ResourceARN: arnOf(destination), RoleARN: role } }),
          DestinationSchema: { RecordFormatType: 'JSON' },
        })),
      }),
    );
    await analytics.send(
      new StartApplicationCommand({
        ApplicationName: name,
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'TRIM_HORIZON' } },
        ],
      }),
    );
    await waitForApplicationStatus(analytics, name, 'RUNNING');
  }

  async function put(stream: string, docs: readonly Record<string, unknown>[]): Promise<Buffer[]> {
    const data = docs.map((doc) => Buffer.from(JSON.stringify(doc), 'utf8'));
    const result = await kinesis.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: data.map((Data, i) => ({ Data, PartitionKey: `key-${i}` })),
      }),
    );
    assert.equal(result.FailedRecordCount, 0);
    return data;
  }

  it('maps Ok records, skips Dropped ones and sends ProcessingFailed ones to error_stream', async () => {
    await createStreams('events', 'results', 'errors');
    const data = await put(
      'events',
      Array.from({ length: 20 }, (_, n) => ({ who: `user${n}`, n })),
    );
    await startApplication(
      'shouting',
      'events',
      { DESTINATION_SQL_STREAM: 'results', error_stream: 'errors' },
      lambdaArn('shout'),
    );
    const appArn = 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/shouting';
    const kept = [2, 4, 6, 8, 12, 14, 16, 18];
    const rows = await waitForRecords('results', kept.length);
    assert.deepEqual(
      rows.sort((a, b) => (a.N as number) - (b.N as number)),
      kept.map((n) => ({ WHO: `USER${n}`, N: n, PK: `key-${n}`, APP: appArn })),
    );
    const failed = [0, 5, 10, 15];
    const errors = await waitForRecords('errors', failed.length);
    assert.deepEqual(
      errors.map((row) => row.ERROR_NAME),
      failed.map(() => 'Lambda_ProcessingFailed'),
    );
    assert.deepEqual(
      errors.map((row) => row.DATA_ROW).sort(),
      failed.map((n) => (data[n] as Buffer).toString('hex')).sort(),
    );
    // The InputProcessing.* metrics, per input.
    assert.equal(await metric('ok_records_total', 'shouting'), kept.length);
    assert.equal(await metric('dropped_records_total', 'shouting'), 20 - kept.length - failed.length);
    assert.equal(await metric('processing_failed_records_total', 'shouting'), failed.length);
    const okBytes = kept
      .map((n) => Buffer.byteLength(JSON.stringify({ who: `USER${n}`, n, pk: `key-${n}`, app: appArn })))
      .reduce((sum, bytes) => sum + bytes, 0);
    assert.equal(await metric('ok_bytes_total', 'shouting'), okBytes);
    const successes = await metric('success_total', 'shouting');
    assert.ok(successes >= 1);
    assert.equal(await metric('failed_invocations_total', 'shouting'), 0);
    assert.equal(await metric('duration_seconds_count', 'shouting'), successes);
  });

  it('retries a function that keeps failing with exponential back-off, then goes on', async () => {
    await createStreams('stubborn-in', 'stubborn-out');
    await put(
      'stubborn-in',
      Array.from({ length: 3 }, (_, n) => ({ who: `s${n}`, n, pk: 'p', app: 'a' })),
    );
    await startApplication(
      'backing-off',
      'stubborn-in',
      { DESTINATION_SQL_STREAM: 'stubborn-out' },
      lambdaArn('stubborn'),
    );
    const deadline = Date.now() + 30_000;
    while ((await metric('failed_invocations_total', 'backing-off')) === 0) {
      assert.ok(Date.now() < deadline, 'the function was invoked');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    // Every 200 ms poll would make about 20 calls in 4 s; doubling waits from 200 ms make 5
    // (at 0, 0.2, 0.6, 1.4 and 3.0 s).
    const failures = await metric('failed_invocations_total', 'backing-off');
    assert.ok(failures >= 2 && failures <= 7, `${failures} failed invocations in 4 s`);
    assert.equal(await metric('success_total', 'backing-off'), 0);
    assert.equal(await metric('duration_seconds_count', 'backing-off'), failures);
    // The batch is retried until it succeeds (AWS: "continues to retry ... until successful").
    writeFileSync(path.join(directory, 'stubborn.ok'), '');
    const rows = await waitForRecords('stubborn-out', 3);
    assert.deepEqual(rows.map((row) => row.N).sort(), [0, 1, 2]);
    assert.equal(await metric('ok_records_total', 'backing-off'), 3);
  });

  it('retries a failed invocation: the batch is processed once the function answers', async () => {
    await createStreams('flaky-in', 'flaky-out');
    await put(
      'flaky-in',
      Array.from({ length: 5 }, (_, n) => ({ who: `w${n}`, n, pk: 'p', app: 'a' })),
    );
    await startApplication(
      'retrying',
      'flaky-in',
      { DESTINATION_SQL_STREAM: 'flaky-out' },
      lambdaArn('flaky'),
    );
    const rows = await waitForRecords('flaky-out', 5);
    assert.deepEqual(rows.map((row) => row.N).sort(), [0, 1, 2, 3, 4]);
  });

  it('delivers rows to a LambdaOutput, again when the function answers DeliveryFailed', async () => {
    await startApplication(
      'delivering',
      'events',
      { DESTINATION_SQL_STREAM: lambdaArn('deliver') },
      lambdaArn('shout'),
    );
    const kept = [2, 4, 6, 8, 12, 14, 16, 18];
    const deadline = Date.now() + 60_000;
    while (delivered.length < kept.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const appArn = 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/delivering';
    assert.deepEqual(
      [...delivered].sort((a, b) => (a.N as number) - (b.N as number)),
      kept.map((n) => ({ WHO: `USER${n}`, N: n, PK: `key-${n}`, APP: appArn })),
      server.stderr(),
    );
    assert.deepEqual(
      [...refusedOnce].sort((a, b) => a - b),
      [4, 8, 12, 16],
    );
    assert.ok(deliveries.length >= 2, 'the refused rows came in a second invocation');
    for (const event of deliveries) {
      assert.equal(event.applicationArn, appArn);
      for (const record of event.records)
        assert.equal(typeof record.lambdaDeliveryRecordMetadata.retryHint, 'number');
    }
  });

  it('discovers the schema of what the preprocessing function answers', async () => {
    const discovered = await analytics.send(
      new DiscoverInputSchemaCommand({
        ResourceARN: arnOf('events'),
        RoleARN: role,
        InputStartingPositionConfiguration: { InputStartingPosition: 'TRIM_HORIZON' },
        InputProcessingConfiguration: {
          InputLambdaProcessor: { ResourceARN: lambdaArn('shout'), RoleARN: role },
        },
      }),
    );
    assert.deepEqual(
      discovered.InputSchema!.RecordColumns!.map((column) => column.Mapping),
      ['$.who', '$.n', '$.pk', '$.app'],
    );
    assert.equal(discovered.RawInputRecords!.length, 20);
    assert.equal(discovered.ProcessedInputRecords!.length, 8);
    assert.ok(discovered.ProcessedInputRecords!.every((record) => record.includes('"who":"USER')));
    await assert.rejects(
      analytics.send(
        new DiscoverInputSchemaCommand({
          ResourceARN: arnOf('events'),
          RoleARN: role,
          InputStartingPositionConfiguration: { InputStartingPosition: 'TRIM_HORIZON' },
          InputProcessingConfiguration: {
            InputLambdaProcessor: { ResourceARN: lambdaArn('unregistered'), RoleARN: role },
          },
        }),
      ),
      UnableToDetectSchemaException,
    );
  });

  it('discovers the schema of an S3 object after the preprocessing function', async () => {
    const bucket = path.join(server.dataDir, 'buckets', 'samples');
    mkdirSync(bucket, { recursive: true });
    const lines = Array.from({ length: 6 }, (_, n) => JSON.stringify({ who: `person${n}`, n }));
    writeFileSync(path.join(bucket, 'people.json'), `${lines.join('\n')}\n`);
    const discovered = await analytics.send(
      new DiscoverInputSchemaCommand({
        S3Configuration: { BucketARN: 'arn:aws:s3:::samples', FileKey: 'people.json', RoleARN: role },
        InputProcessingConfiguration: {
          InputLambdaProcessor: { ResourceARN: lambdaArn('objects'), RoleARN: role },
        },
      }),
    );
    assert.deepEqual(
      discovered.InputSchema!.RecordColumns!.map((column) => column.Mapping),
      ['$.who', '$.n', '$.source', '$.arrival'],
    );
    assert.deepEqual(discovered.RawInputRecords, lines);
    assert.deepEqual(
      discovered.ProcessedInputRecords!.map((record) => JSON.parse(record) as unknown),
      [0, 2, 4].map((n) => ({ who: `PERSON${n}`, n, source: 'arn:aws:s3:::samples', arrival: 'number' })),
    );
    await assert.rejects(
      analytics.send(
        new DiscoverInputSchemaCommand({
          S3Configuration: { BucketARN: 'arn:aws:s3:::samples', FileKey: 'people.json', RoleARN: role },
          InputProcessingConfiguration: {
            InputLambdaProcessor: { ResourceARN: lambdaArn('unregistered'), RoleARN: role },
          },
        }),
      ),
      UnableToDetectSchemaException,
    );
  });
});

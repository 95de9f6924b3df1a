/**
 * Running applications end to end with the identity engine: a Tributary server started in this
 * process (the engine is wired in code) on 127.0.0.1, driven by the official Kinesis and Kinesis
 * Analytics SDKs. Records put into the source stream come out of the output stream as rows
 * (JSON, with APPROXIMATE_ARRIVAL_TIME), unmappable ones on error_stream (CSV); the runner follows
 * a reshard; stop/start with LAST_STOPPED_POINT and a server restart lose nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  ResourceInUseException,
  StartApplicationCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
  type KinesisAnalyticsClient,
} from '@aws-sdk/client-kinesis-analytics';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
  SplitShardCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { defaultConfig } from '../../../src/server/config.js';
import { createLogger } from '../../../src/server/logger.js';
import { TributaryServer } from '../../../src/server/tributary-server.js';
import { analyticsClient, waitForApplicationStatus } from '../../helpers/analytics-client.js';
import { identityEngine, newIdentityEngineLog } from '../../helpers/identity-engine.js';
import { kinesisClient, waitForActive } from '../../helpers/kinesis-client.js';
import { makeDataDir, removeDataDir } from '../../helpers/server-process.js';

const role = 'arn:aws:iam::000000000000:role/analytics';
/** One CSV line's fields, with RFC 4180 quoting. */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  const pattern = /(?:^|,)(?:"((?:[^"]|"")*)"|([^,\n]*))/g;
  for (const match of line.replace(/\n$/, '').matchAll(pattern)) {
    fields.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : (match[2] ?? ''));
  }
  return fields;
}

const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

describe('running applications (identity engine)', () => {
  let dataDir: string;
  let server: TributaryServer;
  let kinesis: KinesisClient;
  let analytics: KinesisAnalyticsClient;
  const engineLog = newIdentityEngineLog();

  async function startTributary(): Promise<void> {
    // Limits off: the test reads output streams as fast as it can (AWS's 5 GetRecords/s per shard
    // would throttle it); the limits are tested in test/e2e/limits.test.ts.
    server = new TributaryServer(
      { ...defaultConfig, port: 0, dataDir, transitionDelayMs: 300, logLevel: 'quiet', limits: 'off' },
      createLogger('quiet'),
      { analyticsEngine: identityEngine(engineLog) },
    );
    await server.start();
    kinesis = kinesisClient(server.endpoint);
    analytics = analyticsClient(server.endpoint);
  }

  async function stopTributary(): Promise<void> {
    kinesis.destroy();
    analytics.destroy();
    await server.stop();
  }

  before(async () => {
    dataDir = await makeDataDir();
    await startTributary();
    for (const [name, shards] of [
      ['source', 2],
      ['results', 1],
      ['errors', 1],
    ] as const) {
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
      await waitForActive(kinesis, name);
    }
  });

  after(async () => {
    await stopTributary();
    await removeDataDir(dataDir);
  });

  async function put(stream: string, datas: string[]): Promise<void> {
    const result = await kinesis.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: datas.map((data, index) => ({
          Data: Buffer.from(data),
          PartitionKey: `key-${index}-${data}`,
        })),
      }),
    );
    assert.equal(result.FailedRecordCount, 0);
  }

  /** Every record in the stream, over all shards, read from the start. */
  async function readAll(stream: string): Promise<string[]> {
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
    const texts: string[] = [];
    for (const shard of shards) {
      let iterator = (
        await kinesis.send(
          new GetShardIteratorCommand({
            StreamName: stream,
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      while (iterator !== undefined) {
        const batch = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
        texts.push(...(batch.Records ?? []).map((record) => Buffer.from(record.Data!).toString('utf8')));
        if ((batch.Records ?? []).length === 0) break;
        iterator = batch.NextShardIterator;
      }
    }
    return texts;
  }

  async function waitForRecords(stream: string, count: number, timeoutMs = 30_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const texts = await readAll(stream);
      if (texts.length >= count) return texts;
      if (Date.now() > deadline) throw new Error(`${stream} has ${texts.length} records, expected ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const tickers = (texts: string[]) =>
    texts.map((text) => (JSON.parse(text) as { ticker: string }).ticker).sort();

  it('maps records to rows and writes them to the output stream, bad ones to error_stream', async () => {
    await put('source', ['{"ticker":"A1","price":1.5}', '{"ticker":"A2","price":2}']);
    await analytics.send(
      new CreateApplicationCommand({
        ApplicationName: 'identity',
        ApplicationCode: 'CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), price REAL);',
        Inputs: [
          {
            NamePrefix: 'SOURCE_SQL_STREAM',
            KinesisStreamsInput: { ResourceARN: arnOf('source'), RoleARN: role },
            InputSchema: {
              RecordFormat: {
                RecordFormatType: 'JSON',
                MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
              },
              RecordColumns: [
                { Name: 'ticker', Mapping: '$.ticker', SqlType: 'VARCHAR(4)' },
                { Name: 'price', Mapping: '$.price', SqlType: 'REAL' },
              ],
            },
          },
        ],
        Outputs: [
          {
            Name: 'DESTINATION_SQL_STREAM',
            KinesisStreamsOutput: { ResourceARN: arnOf('results'), RoleARN: role },
            DestinationSchema: { RecordFormatType: 'JSON' },
          },
          {
            Name: 'error_stream',
            KinesisStreamsOutput: { ResourceARN: arnOf('errors'), RoleARN: role },
            DestinationSchema: { RecordFormatType: 'CSV' },
          },
        ],
      }),
    );
    await analytics.send(
      new StartApplicationCommand({
        ApplicationName: 'identity',
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'TRIM_HORIZON' } },
        ],
      }),
    );
    assert.equal(
      (await analytics.send(new DescribeApplicationCommand({ ApplicationName: 'identity' })))
        .ApplicationDetail?.ApplicationStatus,
      'STARTING',
    );
    await waitForApplicationStatus(analytics, 'identity', 'RUNNING');
    await put('source', ['{"ticker":"A3","price":3.25}', '{"ticker":"A4","price":"x"}', 'not json']);
    const results = await waitForRecords('results', 3);
    assert.deepEqual(tickers(results), ['A1', 'A2', 'A3']);
    const row = JSON.parse(results.find((text) => text.includes('A3'))!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(row), ['APPROXIMATE_ARRIVAL_TIME', 'ticker', 'price']);
    assert.match(String(row.APPROXIMATE_ARRIVAL_TIME), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    assert.equal(row.price, 3.25);
    const errors = await waitForRecords('errors', 2);
    const fields = errors.map(splitCsvLine);
    assert.deepEqual(fields.map((field) => [field[1], field[2], field[5]]).sort(), [
      ['Error', 'Coercion_Error', Buffer.from('{"ticker":"A4","price":"x"}').toString('hex')],
      ['Error', 'Unparseable_Record', Buffer.from('not json').toString('hex')],
    ]);
    const setup = engineLog.setups[0]!;
    assert.deepEqual(setup.inputs, [
      {
        name: 'SOURCE_SQL_STREAM_001',
        columns: [
          { name: 'APPROXIMATE_ARRIVAL_TIME', sqlType: 'TIMESTAMP' },
          { name: 'ticker', sqlType: 'VARCHAR(4)' },
          { name: 'price', sqlType: 'REAL' },
        ],
      },
    ]);
    const rowtimes = engineLog.pushes.flatMap((push) => push.rows.map((pushed) => pushed.rowtimeMs));
    assert.deepEqual(
      rowtimes,
      [...rowtimes].sort((a, b) => a - b),
    );
  });

  it('follows a reshard: parents first, then children', async () => {
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: 'source' }))).Shards!;
    const parent = shards[0]!;
    const middle =
      (BigInt(parent.HashKeyRange!.StartingHashKey!) + BigInt(parent.HashKeyRange!.EndingHashKey!)) / 2n;
    await kinesis.send(
      new SplitShardCommand({
        StreamName: 'source',
        ShardToSplit: parent.ShardId,
        NewStartingHashKey: middle.toString(),
      }),
    );
    await waitForActive(kinesis, 'source');
    await put(
      'source',
      Array.from({ length: 20 }, (_, index) => `{"ticker":"R${index}","price":1}`),
    );
    const results = await waitForRecords('results', 23);
    assert.equal(results.length, 23);
    assert.deepEqual(
      tickers(results).filter((ticker) => ticker.startsWith('R')),
      Array.from({ length: 20 }, (_, index) => `R${index}`).sort(),
    );
  });

  it('spreads shards over the input streams of InputParallelism, with CSV records', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'csv-source', ShardCount: 2 }));
    await waitForActive(kinesis, 'csv-source');
    await kinesis.send(new CreateStreamCommand({ StreamName: 'csv-results', ShardCount: 1 }));
    await waitForActive(kinesis, 'csv-results');
    await analytics.send(
      new CreateApplicationCommand({
        ApplicationName: 'parallel',
        Inputs: [
          {
            NamePrefix: 'IN',
            InputParallelism: { Count: 2 },
            KinesisStreamsInput: { ResourceARN: arnOf('csv-source'), RoleARN: role },
            InputSchema: {
              RecordFormat: {
                RecordFormatType: 'CSV',
                MappingParameters: {
                  CSVMappingParameters: { RecordRowDelimiter: '\n', RecordColumnDelimiter: ',' },
                },
              },
              RecordColumns: [
                { Name: 'ticker', SqlType: 'VARCHAR(4)' },
                { Name: 'price', SqlType: 'DOUBLE' },
              ],
            },
          },
        ],
        Outputs: [
          {
            Name: 'DESTINATION_SQL_STREAM',
            KinesisStreamsOutput: { ResourceARN: arnOf('csv-results'), RoleARN: role },
            DestinationSchema: { RecordFormatType: 'CSV' },
          },
        ],
      }),
    );
    await analytics.send(
      new StartApplicationCommand({
        ApplicationName: 'parallel',
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'NOW' } },
        ],
      }),
    );
    await waitForApplicationStatus(analytics, 'parallel', 'RUNNING');
    // Two rows per record; enough partition keys that both shards get some.
    await put(
      'csv-source',
      Array.from({ length: 16 }, (_, index) => `C${index},${index}.5\nD${index},1\n`),
    );
    const results = await waitForRecords('csv-results', 32);
    assert.equal(results.length, 32);
    assert.ok(
      results.every((text) => /^\d{4}-\d{2}-\d{2} [\d:.]+,[CD]\d+,\d+(\.5)?\n$/.test(text)),
      results[0],
    );
    const setup = engineLog.setups.find((candidate) => candidate.inputs[0]?.name === 'IN_001')!;
    assert.deepEqual(
      setup.inputs.map((input) => input.name),
      ['IN_001', 'IN_002'],
    );
    const streams = new Set(
      engineLog.pushes.filter((push) => push.streamName.startsWith('IN_')).map((push) => push.streamName),
    );
    assert.deepEqual([...streams].sort(), ['IN_001', 'IN_002']);
    await analytics.send(new StopApplicationCommand({ ApplicationName: 'parallel' }));
    await waitForApplicationStatus(analytics, 'parallel', 'READY');
  });

  it('goes UPDATING and back to RUNNING on a change, with the new configuration', async () => {
    const detail = (await analytics.send(new DescribeApplicationCommand({ ApplicationName: 'identity' })))
      .ApplicationDetail!;
    await analytics.send(
      new UpdateApplicationCommand({
        ApplicationName: 'identity',
        CurrentApplicationVersionId: detail.ApplicationVersionId!,
        ApplicationUpdate: { ApplicationCodeUpdate: '-- no code' },
      }),
    );
    const updating = (await analytics.send(new DescribeApplicationCommand({ ApplicationName: 'identity' })))
      .ApplicationDetail!;
    assert.equal(updating.ApplicationStatus, 'UPDATING');
    assert.equal(updating.ApplicationVersionId, detail.ApplicationVersionId! + 1);
    await assert.rejects(
      analytics.send(new StopApplicationCommand({ ApplicationName: 'identity' })),
      (error: unknown) =>
        error instanceof ResourceInUseException &&
        error.message === 'Application identity is in UPDATING state; the operation is not available.',
    );
    const setups = engineLog.setups.length;
    await waitForApplicationStatus(analytics, 'identity', 'RUNNING');
    assert.equal(engineLog.setups.length, setups + 1);
    assert.equal(engineLog.setups[setups]!.code, '-- no code');
  });

  it('resumes from the last stopped point, and after a server restart, without loss or repeats', async () => {
    await analytics.send(new StopApplicationCommand({ ApplicationName: 'identity' }));
    assert.equal(
      (await analytics.send(new DescribeApplicationCommand({ ApplicationName: 'identity' })))
        .ApplicationDetail?.ApplicationStatus,
      'STOPPING',
    );
    await waitForApplicationStatus(analytics, 'identity', 'READY');
    await put('source', ['{"ticker":"S1","price":1}', '{"ticker":"S2","price":1}']);
    await analytics.send(
      new StartApplicationCommand({
        ApplicationName: 'identity',
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'LAST_STOPPED_POINT' } },
        ],
      }),
    );
    await waitForApplicationStatus(analytics, 'identity', 'RUNNING');
    await waitForRecords('results', 25);

    await stopTributary();
    await startTributary();
    assert.equal(
      (await analytics.send(new DescribeApplicationCommand({ ApplicationName: 'identity' })))
        .ApplicationDetail?.ApplicationStatus,
      'RUNNING',
    );
    await put('source', ['{"ticker":"T1","price":1}']);
    const results = await waitForRecords('results', 26);
    // Give a repeat the time to show up before checking there is none.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const final = await readAll('results');
    assert.equal(final.length, 26, `results: ${tickers(final).join(' ')}`);
    assert.deepEqual(
      tickers(results),
      ['A1', 'A2', 'A3', 'S1', 'S2', 'T1', ...Array.from({ length: 20 }, (_, index) => `R${index}`)].sort(),
    );
  });
});

/**
 * An application restarted loses no input held in open windows, end to end with the official SDKs
 * against a `tributary serve` process: records read into a tumbling window that had not closed
 * are read again after StopApplication + StartApplication (LAST_STOPPED_POINT) and after `kill -9`
 * and a restart of the server, and after UpdateApplication, so the counts summed over every window emitted equal the records
 * put (none lost, none counted twice: windows already emitted are not replayed). A plain
 * projection restarted the same ways outputs every record at least once. An application reading a
 * delivery stream finds the records to replay still in its log, though Firehose delivered them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
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
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import {
  CreateDeliveryStreamCommand,
  PutRecordBatchCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import {
  firehoseClient,
  linesOf,
  waitForBucket,
  waitForDeliveryStreamActive,
} from '../../helpers/firehose-client.js';
import { analyticsClient, waitForApplicationStatus } from '../../helpers/analytics-client.js';
import { kinesisClient, waitForActive } from '../../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../../helpers/server-process.js';

const role = 'arn:aws:iam::000000000000:role/analytics';
const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
const deliveryStreamArnOf = (name: string) =>
  `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`;
// Tiny log segments and quick Firehose deliveries: a delivery drops every delivered segment not held.
const serverArgs = [
  '--limits',
  'off',
  '--transition-delay-ms',
  '100',
  '--log-segment-bytes-max',
  '256',
  '--firehose-buffer-interval-ms-max',
  '300',
];

const countingCode = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER VARCHAR(8), N BIGINT);
CREATE OR REPLACE PUMP "COUNT_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM TICKER, COUNT(*) FROM "SOURCE_SQL_STREAM_001"
GROUP BY TICKER, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);
`;

const projectionCode = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ID INTEGER);
CREATE OR REPLACE PUMP "COPY_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM ID FROM "SOURCE_SQL_STREAM_001";
`;

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a restarted application replays what open windows held', () => {
  let server: ServerProcess;
  let kinesis: KinesisClient;
  let analytics: KinesisAnalyticsClient;
  let firehose: FirehoseClient;

  function connect(): void {
    kinesis = kinesisClient(server.endpoint);
    analytics = analyticsClient(server.endpoint);
    firehose = firehoseClient(server.endpoint);
  }

  function disconnect(): void {
    kinesis?.destroy();
    analytics?.destroy();
    firehose?.destroy();
  }

  async function killAndRestart(): Promise<void> {
    disconnect();
    await server.kill();
    server = await startServer({ dataDir: server.dataDir, extraArgs: serverArgs });
    connect();
  }

  before(async () => {
    server = await startServer({ extraArgs: serverArgs });
    connect();
    for (const [name, shards] of [
      ['counted-in', 2],
      ['counted-out', 1],
      ['copied-in', 2],
      ['copied-out', 1],
      ['tally-out', 1],
    ] as const) {
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
      await waitForActive(kinesis, name);
    }
  });

  after(async () => {
    disconnect();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  async function createApplication(
    name: string,
    code: string,
    input: string,
    output: string,
    firehoseInput = false,
  ) {
    const source = firehoseInput
      ? { KinesisFirehoseInput: { ResourceARN: deliveryStreamArnOf(input), RoleARN: role } }
      : { KinesisStreamsInput: { ResourceARN: arnOf(input), RoleARN: role } };
    await analytics.send(
      new CreateApplicationCommand({
        ApplicationName: name,
        ApplicationCode: code,
        Inputs: [
          {
            NamePrefix: 'SOURCE_SQL_STREAM',
            ...source,
            InputSchema: {
              RecordFormat: {
                RecordFormatType: 'JSON',
                MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
              },
              RecordColumns: [
                { Name: 'TICKER', Mapping: '$.ticker', SqlType: 'VARCHAR(8)' },
                { Name: 'ID', Mapping: '$.id', SqlType: 'INTEGER' },
              ],
            },
          },
        ],
        Outputs: [
          {
            Name: 'DESTINATION_SQL_STREAM',
            KinesisStreamsOutput: { ResourceARN: arnOf(output), RoleARN: role },
            DestinationSchema: { RecordFormatType: 'JSON' },
          },
        ],
      }),
    );
  }

  async function start(name: string, position: 'NOW' | 'LAST_STOPPED_POINT'): Promise<void> {
    await analytics.send(
      new StartApplicationCommand({
        ApplicationName: name,
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: position } },
        ],
      }),
    );
    await waitForApplicationStatus(analytics, name, 'RUNNING');
  }

  async function stop(name: string): Promise<void> {
    await analytics.send(new StopApplicationCommand({ ApplicationName: name }));
    await waitForApplicationStatus(analytics, name, 'READY');
  }

  async function put(stream: string, ids: readonly number[]): Promise<void> {
    const result = await kinesis.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: ids.map((id) => ({
          Data: Buffer.from(JSON.stringify({ ticker: `T${id % 3}`, id })),
          PartitionKey: `key-${id}`,
        })),
      }),
    );
    assert.equal(result.FailedRecordCount, 0);
  }

  /** Records the application read since the server started (its /metrics counter). */
  async function recordsRead(application: string): Promise<number> {
    const text = await (await fetch(`${server.endpoint}/metrics`)).text();
    let total = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith('tributary_kinesisanalytics_input_records_total{')) continue;
      if (!line.includes(`application="${application}"`)) continue;
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return total;
  }

  /** Waits until the application read `count` records since the server started: they sit in its state. */
  async function waitForRead(application: string, count: number): Promise<void> {
    const deadline = Date.now() + 30_000;
    while ((await recordsRead(application)) < count) {
      if (Date.now() > deadline) throw new Error(`${application} read fewer than ${count} records`);
      await sleep(100);
    }
  }

  /** Every record of a stream, all shards, from the start. */
  async function readAll(stream: string): Promise<Record<string, unknown>[]> {
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
    const rows: Record<string, unknown>[] = [];
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
        const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
        for (const record of got.Records ?? [])
          rows.push(JSON.parse(Buffer.from(record.Data!).toString('utf8')) as Record<string, unknown>);
        if ((got.Records ?? []).length === 0) break;
        iterator = got.NextShardIterator;
      }
    }
    return rows;
  }

  /** The counts summed over every window emitted so far. */
  async function countedSoFar(stream: string): Promise<number> {
    return (await readAll(stream)).reduce((sum, row) => sum + Number(row.N), 0);
  }

  /** Waits until the windows emitted count `expected` records (60 s at most), then a window more to see any surplus. */
  async function waitForCounted(expected: number, stream = 'counted-out'): Promise<number> {
    const deadline = Date.now() + 60_000;
    while ((await countedSoFar(stream)) < expected) {
      if (Date.now() > deadline) break;
      await sleep(500);
    }
    // A record counted twice would come with a later window: wait past one more window end.
    await sleep(11_000);
    return countedSoFar(stream);
  }

  it('counts every record of a window open at StopApplication, once, after StartApplication from LAST_STOPPED_POINT', async () => {
    await createApplication('counter', countingCode, 'counted-in', 'counted-out');
    await start('counter', 'NOW');
    await put('counted-in', range(1, 30));
    await waitForRead('counter', 30);
    // Stopped at once: the 10-second window holding the records is (almost always) still open.
    await stop('counter');
    await put('counted-in', range(31, 40));
    await start('counter', 'LAST_STOPPED_POINT');
    assert.equal(await waitForCounted(40), 40, server.stderr().slice(-2000));
  });

  it('counts every record of a window open at kill -9, once, after the server restarts', async () => {
    const readBefore = await recordsRead('counter');
    await put('counted-in', range(41, 60));
    await waitForRead('counter', readBefore + 20);
    await killAndRestart();
    await waitForApplicationStatus(analytics, 'counter', 'RUNNING');
    assert.equal(await waitForCounted(60), 60, server.stderr().slice(-2000));
  });

  it('counts every record of a window open at UpdateApplication, once, after the update', async () => {
    const readBefore = await recordsRead('counter');
    await put('counted-in', range(61, 75));
    await waitForRead('counter', readBefore + 15);
    const described = await analytics.send(new DescribeApplicationCommand({ ApplicationName: 'counter' }));
    await analytics.send(
      new UpdateApplicationCommand({
        ApplicationName: 'counter',
        CurrentApplicationVersionId: described.ApplicationDetail!.ApplicationVersionId!,
        ApplicationUpdate: { ApplicationCodeUpdate: `-- updated\n${countingCode}` },
      }),
    );
    await waitForApplicationStatus(analytics, 'counter', 'RUNNING');
    assert.equal(await waitForCounted(75), 75, server.stderr().slice(-2000));
  });

  it('outputs every row of a plain projection at least once across a stop and a kill -9', async () => {
    await createApplication('copier', projectionCode, 'copied-in', 'copied-out');
    await start('copier', 'NOW');
    await put('copied-in', range(1, 20));
    await waitForRead('copier', 20);
    await stop('copier');
    await put('copied-in', range(21, 30));
    await start('copier', 'LAST_STOPPED_POINT');
    const readBefore = await recordsRead('copier');
    await put('copied-in', range(31, 40));
    await waitForRead('copier', readBefore + 10);
    await killAndRestart();
    await waitForApplicationStatus(analytics, 'copier', 'RUNNING');
    await put('copied-in', range(41, 50));
    const deadline = Date.now() + 30_000;
    let ids = new Set<number>();
    while (ids.size < 50 && Date.now() < deadline) {
      ids = new Set((await readAll('copied-out')).map((row) => Number(row.ID)));
      if (ids.size < 50) await sleep(300);
    }
    assert.deepEqual(
      [...ids].sort((a, b) => a - b),
      range(1, 50),
    );
  });

  it('keeps the records of a delivery stream input that open windows held, though Firehose delivered them', async () => {
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'tally-in',
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: {
          BucketARN: 'arn:aws:s3:::tally-archive',
          RoleARN: role,
          BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 1 },
        },
      }),
    );
    await waitForDeliveryStreamActive(firehose, 'tally-in');
    await createApplication('tally', countingCode, 'tally-in', 'tally-out', true);
    await start('tally', 'NOW');
    const line = (id: number) => JSON.stringify({ ticker: `T${id % 3}`, id });
    const putBatch = async (ids: readonly number[]) => {
      const result = await firehose.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: 'tally-in',
          Records: ids.map((id) => ({ Data: Buffer.from(`${line(id)}\n`) })),
        }),
      );
      assert.equal(result.FailedPutCount, 0);
    };
    await putBatch(range(1, 20));
    await waitForRead('tally', 20);
    await stop('tally');
    // Delivered to the bucket (each delivery drops the delivered segments the hold allows).
    await putBatch(range(21, 30));
    await waitForBucket(server.dataDir, 'tally-archive', (objects) => linesOf(objects).length >= 30);
    await start('tally', 'LAST_STOPPED_POINT');
    assert.equal(await waitForCounted(30, 'tally-out'), 30, server.stderr().slice(-2000));
  });
});

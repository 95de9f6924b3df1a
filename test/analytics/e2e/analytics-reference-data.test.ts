/**
 * An application that reads a Firehose delivery stream (KinesisFirehoseInput, its Direct PUT log)
 * and joins a reference table loaded from the embedded bucket directory, end to end with the
 * official SDKs against a `tributary serve` process:
 * - the join's rows come out of a Kinesis stream exactly, and `/metrics` counts them exactly;
 * - a new reference object is loaded by UpdateApplication (ReferenceDataSourceUpdates);
 * - a reference object that does not exist leaves the application RUNNING with nothing processed
 *   (AWS logs a configuration error) until the object appears;
 * - after `kill -9` and a restart, the RUNNING application resumes from its checkpoint: every
 *   record put is joined, none is lost.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AddApplicationReferenceDataSourceCommand,
  CreateApplicationCommand,
  DescribeApplicationCommand,
  StartApplicationCommand,
  UpdateApplicationCommand,
  type KinesisAnalyticsClient,
  type ReferenceDataSource,
} from '@aws-sdk/client-kinesis-analytics';
import {
  CreateDeliveryStreamCommand,
  PutRecordBatchCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { analyticsClient, waitForApplicationStatus } from '../../helpers/analytics-client.js';
import { firehoseClient, waitForDeliveryStreamActive } from '../../helpers/firehose-client.js';
import { kinesisClient, waitForActive } from '../../helpers/kinesis-client.js';
import { parsePrometheusText, valueOf } from '../../helpers/prometheus-text.js';
import { removeDataDir, startServer, type ServerProcess } from '../../helpers/server-process.js';

const role = 'arn:aws:iam::000000000000:role/analytics';
const ordersArn = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/orders';
const streamArnOf = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
const serverArgs = ['--limits', 'off', '--transition-delay-ms', '100'];

const code = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ORDER_ID INTEGER, TICKER VARCHAR(8), COMPANY VARCHAR(32), QTY INTEGER);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM o.ORDER_ID, o.TICKER, c.COMPANY, o.QTY
FROM "SOURCE_SQL_STREAM_001" AS o
LEFT JOIN "COMPANIES" AS c ON o.TICKER = c.TICKER;
`;

const input = {
  NamePrefix: 'SOURCE_SQL_STREAM',
  KinesisFirehoseInput: { ResourceARN: ordersArn, RoleARN: role },
  InputSchema: {
    RecordFormat: {
      RecordFormatType: 'JSON' as const,
      MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
    },
    RecordColumns: [
      { Name: 'ORDER_ID', Mapping: '$.id', SqlType: 'INTEGER' },
      { Name: 'TICKER', Mapping: '$.ticker', SqlType: 'VARCHAR(8)' },
      { Name: 'QTY', Mapping: '$.qty', SqlType: 'INTEGER' },
    ],
  },
};

function reference(fileKey: string): ReferenceDataSource {
  return {
    TableName: 'COMPANIES',
    S3ReferenceDataSource: {
      BucketARN: 'arn:aws:s3:::reference-data',
      FileKey: fileKey,
      ReferenceRoleARN: role,
    },
    ReferenceSchema: {
      RecordFormat: {
        RecordFormatType: 'CSV',
        MappingParameters: {
          CSVMappingParameters: { RecordRowDelimiter: '\n', RecordColumnDelimiter: ',' },
        },
      },
      RecordColumns: [
        { Name: 'TICKER', SqlType: 'VARCHAR(8)' },
        { Name: 'COMPANY', SqlType: 'VARCHAR(32)' },
      ],
    },
  };
}

interface Joined {
  ORDER_ID: number;
  TICKER: string;
  COMPANY: string | null;
  QTY: number;
}

describe('reference data joined with a Firehose input', () => {
  let server: ServerProcess;
  let kinesis: KinesisClient;
  let firehose: FirehoseClient;
  let analytics: KinesisAnalyticsClient;
  const iterators = new Map<string, string>();
  const received = new Map<string, Joined[]>();

  function connect(): void {
    kinesis = kinesisClient(server.endpoint);
    firehose = firehoseClient(server.endpoint);
    analytics = analyticsClient(server.endpoint);
  }

  function disconnect(): void {
    kinesis?.destroy();
    firehose?.destroy();
    analytics?.destroy();
  }

  before(async () => {
    server = await startServer({ extraArgs: serverArgs });
    connect();
  });

  after(async () => {
    disconnect();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  async function writeObject(key: string, body: string): Promise<void> {
    const file = path.join(server.dataDir, 'buckets', 'reference-data', key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, body);
  }

  async function putOrders(orders: readonly { id: number; ticker: string; qty: number }[]): Promise<void> {
    const result = await firehose.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: 'orders',
        Records: orders.map((order) => ({ Data: Buffer.from(JSON.stringify(order)) })),
      }),
    );
    assert.equal(result.FailedPutCount, 0);
  }

  /** Reads what a one-shard stream got since the last read into `received`. */
  async function readNew(stream: string): Promise<Joined[]> {
    const rows = received.get(stream) ?? [];
    received.set(stream, rows);
    let iterator =
      iterators.get(stream) ??
      (
        await kinesis.send(
          new GetShardIteratorCommand({
            StreamName: stream,
            ShardId: 'shardId-000000000000',
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator!;
    for (;;) {
      const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const record of got.Records ?? [])
        rows.push(JSON.parse(Buffer.from(record.Data!).toString('utf8')) as Joined);
      iterator = got.NextShardIterator!;
      if ((got.Records ?? []).length === 0) break;
    }
    iterators.set(stream, iterator);
    return rows;
  }

  /** Polls a stream until `done` holds for all its rows so far (fails after 30 s). */
  async function waitForRows(stream: string, done: (rows: readonly Joined[]) => boolean): Promise<Joined[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await readNew(stream);
      if (done(rows)) return rows;
      if (Date.now() > deadline)
        throw new Error(`${stream}: ${JSON.stringify(rows)}\n${server.stderr().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Waits for `count` rows in all, and checks that no more came. */
  async function waitForJoined(stream: string, count: number): Promise<Joined[]> {
    const rows = await waitForRows(stream, (all) => all.length >= count);
    assert.equal(rows.length, count, `${stream}: no more rows than expected`);
    return rows;
  }

  async function metrics() {
    const response = await fetch(`${server.endpoint}/metrics`);
    return parsePrometheusText(await response.text());
  }

  async function version(name: string): Promise<number> {
    const described = await analytics.send(new DescribeApplicationCommand({ ApplicationName: name }));
    return described.ApplicationDetail!.ApplicationVersionId!;
  }

  it('joins orders read from a delivery stream with the reference table, and counts them in /metrics', async () => {
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'orders',
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: {
          BucketARN: 'arn:aws:s3:::orders-archive',
          RoleARN: role,
        },
      }),
    );
    await waitForDeliveryStreamActive(firehose, 'orders');
    for (const name of ['joined', 'joined-late']) {
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
      await waitForActive(kinesis, name);
    }
    await writeObject('companies.csv', 'AMZN,Amazon\nMSFT,Microsoft\n');
    await analytics.send(
      new CreateApplicationCommand({
        ApplicationName: 'orders-app',
        Inputs: [input],
        Outputs: [
          {
            Name: 'DESTINATION_SQL_STREAM',
            KinesisStreamsOutput: { ResourceARN: streamArnOf('joined'), RoleARN: role },
            DestinationSchema: { RecordFormatType: 'JSON' },
          },
        ],
      }),
    );
    await analytics.send(
      new AddApplicationReferenceDataSourceCommand({
        ApplicationName: 'orders-app',
        CurrentApplicationVersionId: 1,
        ReferenceDataSource: reference('companies.csv'),
      }),
    );
    // The code names the reference table: it can only be set once the table is configured.
    await analytics.send(
      new UpdateApplicationCommand({
        ApplicationName: 'orders-app',
        CurrentApplicationVersionId: 2,
        ApplicationUpdate: { ApplicationCodeUpdate: code },
      }),
    );
    // Put before the start: TRIM_HORIZON reads the delivery stream's log from its beginning.
    await putOrders([
      { id: 1, ticker: 'AMZN', qty: 10 },
      { id: 2, ticker: 'MSFT', qty: 20 },
    ]);
    await analytics.send(
      new StartApplicationCommand({
        ApplicationName: 'orders-app',
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'TRIM_HORIZON' } },
        ],
      }),
    );
    await waitForApplicationStatus(analytics, 'orders-app', 'RUNNING');
    await putOrders([{ id: 3, ticker: 'IBM', qty: 30 }]);
    await putOrders([{ id: 4, ticker: 'AMZN', qty: 40 }]);
    assert.deepEqual(await waitForJoined('joined', 4), [
      { ORDER_ID: 1, TICKER: 'AMZN', COMPANY: 'Amazon', QTY: 10 },
      { ORDER_ID: 2, TICKER: 'MSFT', COMPANY: 'Microsoft', QTY: 20 },
      { ORDER_ID: 3, TICKER: 'IBM', COMPANY: null, QTY: 30 },
      { ORDER_ID: 4, TICKER: 'AMZN', COMPANY: 'Amazon', QTY: 40 },
    ]);

    await putOrders([{ id: 5, ticker: 'AMZN', qty: 50 }]);
    const notJson = Buffer.from('not json');
    await firehose.send(
      new PutRecordBatchCommand({ DeliveryStreamName: 'orders', Records: [{ Data: notJson }] }),
    );
    await waitForJoined('joined', 5);
    const app = { account: '000000000000', region: 'us-east-1', application: 'orders-app' };
    // The error row is counted in the same pass as the order after it, or an earlier one.
    const deadline = Date.now() + 20_000;
    let exposition = await metrics();
    while (
      valueOf(exposition, 'tributary_kinesisanalytics_input_records_total', { ...app, input: '1.1' }) < 6
    ) {
      assert.ok(Date.now() < deadline, 'the record that is not JSON was read');
      await new Promise((resolve) => setTimeout(resolve, 200));
      exposition = await metrics();
    }
    assert.equal(
      valueOf(exposition, 'tributary_kinesisanalytics_input_records_total', { ...app, input: '1.1' }),
      6,
    );
    assert.equal(
      valueOf(exposition, 'tributary_kinesisanalytics_in_application_stream_rows_total', {
        ...app,
        stream: 'SOURCE_SQL_STREAM_001',
      }),
      5,
    );
    assert.equal(
      valueOf(exposition, 'tributary_kinesisanalytics_output_records_total', {
        ...app,
        output: '2.1',
        stream: 'DESTINATION_SQL_STREAM',
      }),
      5,
    );
    assert.equal(valueOf(exposition, 'tributary_kinesisanalytics_error_rows_total', app), 1);
    assert.equal(valueOf(exposition, 'tributary_kinesisanalytics_running', app), 1);
    assert.equal(
      valueOf(exposition, 'tributary_kinesisanalytics_millis_behind_latest', { ...app, input: '1.1' }),
      0,
    );
  });

  it('loads a new reference object on UpdateApplication', async () => {
    await writeObject('companies-v2.csv', 'AMZN,Amazon.com\nMSFT,Microsoft\nIBM,IBM\n');
    await analytics.send(
      new UpdateApplicationCommand({
        ApplicationName: 'orders-app',
        CurrentApplicationVersionId: await version('orders-app'),
        ApplicationUpdate: {
          ReferenceDataSourceUpdates: [
            {
              ReferenceId: '3.1',
              S3ReferenceDataSourceUpdate: {
                BucketARNUpdate: 'arn:aws:s3:::reference-data',
                FileKeyUpdate: 'companies-v2.csv',
              },
            },
          ],
        },
      }),
    );
    await waitForApplicationStatus(analytics, 'orders-app', 'RUNNING');
    await putOrders([
      { id: 6, ticker: 'IBM', qty: 60 },
      { id: 7, ticker: 'AMZN', qty: 70 },
    ]);
    const rows = await waitForJoined('joined', 7);
    assert.deepEqual(rows.slice(5), [
      { ORDER_ID: 6, TICKER: 'IBM', COMPANY: 'IBM', QTY: 60 },
      { ORDER_ID: 7, TICKER: 'AMZN', COMPANY: 'Amazon.com', QTY: 70 },
    ]);
  });

  it('runs without output until a missing reference object appears', async () => {
    await analytics.send(
      new CreateApplicationCommand({
        ApplicationName: 'late-reference',
        Inputs: [input],
        Outputs: [
          {
            Name: 'DESTINATION_SQL_STREAM',
            KinesisStreamsOutput: { ResourceARN: streamArnOf('joined-late'), RoleARN: role },
            DestinationSchema: { RecordFormatType: 'JSON' },
          },
        ],
      }),
    );
    await analytics.send(
      new AddApplicationReferenceDataSourceCommand({
        ApplicationName: 'late-reference',
        CurrentApplicationVersionId: 1,
        ReferenceDataSource: reference('later/companies.csv'),
      }),
    );
    await analytics.send(
      new UpdateApplicationCommand({
        ApplicationName: 'late-reference',
        CurrentApplicationVersionId: 2,
        ApplicationUpdate: { ApplicationCodeUpdate: code },
      }),
    );
    await analytics.send(
      new StartApplicationCommand({
        ApplicationName: 'late-reference',
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'TRIM_HORIZON' } },
        ],
      }),
    );
    await waitForApplicationStatus(analytics, 'late-reference', 'RUNNING');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const app = { account: '000000000000', region: 'us-east-1', application: 'late-reference' };
    assert.equal(
      valueOf(await metrics(), 'tributary_kinesisanalytics_input_records_total', { ...app, input: '1.1' }),
      0,
    );
    assert.match(server.stderr(), /reference data cannot be loaded/);
    await writeObject('later/companies.csv', 'AMZN,Late Amazon\n');
    const rows = await waitForJoined('joined-late', 7);
    assert.deepEqual(
      rows.map((row) => [row.ORDER_ID, row.COMPANY]),
      [
        [1, 'Late Amazon'],
        [2, null],
        [3, null],
        [4, 'Late Amazon'],
        [5, 'Late Amazon'],
        [6, null],
        [7, 'Late Amazon'],
      ],
    );
  });

  it('resumes after kill -9 and a restart without losing a record', async () => {
    await server.kill();
    disconnect();
    server = await startServer({ dataDir: server.dataDir, extraArgs: serverArgs });
    connect();
    await waitForApplicationStatus(analytics, 'orders-app', 'RUNNING');
    await putOrders([{ id: 8, ticker: 'MSFT', qty: 80 }]);
    // At least once: rows delivered before the kill whose checkpoint was not saved may come again.
    await waitForRows('joined', (rows) => rows.some((row) => row.ORDER_ID === 8));
    const ids = new Set((received.get('joined') ?? []).map((row) => row.ORDER_ID));
    assert.deepEqual(
      [...ids].sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    const last = (received.get('joined') ?? []).find((row) => row.ORDER_ID === 8);
    assert.deepEqual(last, { ORDER_ID: 8, TICKER: 'MSFT', COMPANY: 'Microsoft', QTY: 80 });
  });
});

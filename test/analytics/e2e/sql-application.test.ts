/**
 * A Kinesis Analytics SQL application run by the real engine, end to end: the seed walkthrough
 * (004) without the console, against a `tributary serve` process, with the official JavaScript
 * SDKs. Stock-ticker records go into `test-kinesis` (2 shards); DiscoverInputSchema infers their
 * schema; the developer guide's tumbling-window query counts and averages per ticker; its rows
 * come out of the `results` stream as JSON and must add up to what was put. Input goes quiet after
 * each batch, so windows can only close on the runner's clock. A record that is not JSON comes out
 * on `error_stream`. A server restart resumes the RUNNING application, and a stop/start from
 * LAST_STOPPED_POINT processes what was put while it was stopped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateApplicationCommand,
  DiscoverInputSchemaCommand,
  StartApplicationCommand,
  StopApplicationCommand,
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
import { removeDataDir, startServer, type ServerProcess } from '../../helpers/server-process.js';

const role = 'arn:aws:iam::000000000000:role/analytics';
const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
const tickers = [
  { symbol: 'AMZN', sector: 'TECHNOLOGY' },
  { symbol: 'QXZ', sector: 'RETAIL' },
  { symbol: 'TBV', sector: 'ENERGY' },
];

const code = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
  TICKER_SYMBOL VARCHAR(4), TICKER_COUNT INTEGER, AVG_PRICE DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM TICKER_SYMBOL, COUNT(*) AS TICKER_COUNT, AVG(PRICE) AS AVG_PRICE
FROM "SOURCE_SQL_STREAM_001"
GROUP BY TICKER_SYMBOL, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '2' SECOND);
`;

interface Ticker {
  TICKER_SYMBOL: string;
  SECTOR: string;
  CHANGE: number;
  PRICE: number;
}

interface Aggregate {
  TICKER_SYMBOL: string;
  TICKER_COUNT: number;
  AVG_PRICE: number;
}

/** `perTicker` records for each ticker, prices differing per batch (`seed`). */
function batch(seed: number, perTicker: number): Ticker[] {
  const records: Ticker[] = [];
  for (let i = 0; i < perTicker; i++) {
    for (const [t, ticker] of tickers.entries()) {
      records.push({
        TICKER_SYMBOL: ticker.symbol,
        SECTOR: ticker.sector,
        CHANGE: Math.round((i - perTicker / 2) * 25) / 100,
        PRICE: Math.round((10 + seed * 7 + t * 31 + i * 1.5) * 100) / 100,
      });
    }
  }
  return records;
}

/** Per ticker: how many records, and the sum of their prices. */
function totals(records: readonly { symbol: string; count: number; priceSum: number }[]) {
  const result = new Map<string, { count: number; priceSum: number }>();
  for (const { symbol, count, priceSum } of records) {
    const entry = result.get(symbol) ?? { count: 0, priceSum: 0 };
    entry.count += count;
    entry.priceSum += priceSum;
    result.set(symbol, entry);
  }
  return result;
}

describe('SQL applications on the engine (seed 004 without the console)', () => {
  let server: ServerProcess;
  let kinesis: KinesisClient;
  let analytics: KinesisAnalyticsClient;
  const put: Ticker[] = [];

  function connect(): void {
    kinesis = kinesisClient(server.endpoint);
    analytics = analyticsClient(server.endpoint);
  }

  before(async () => {
    server = await startServer({ extraArgs: ['--transition-delay-ms', '100'] });
    connect();
  });

  after(async () => {
    kinesis?.destroy();
    analytics?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  async function putRecords(data: readonly Buffer[]): Promise<void> {
    const result = await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'test-kinesis',
        Records: data.map((Data, i) => ({ Data, PartitionKey: `key-${i}-${Date.now()}` })),
      }),
    );
    assert.equal(result.FailedRecordCount, 0);
  }

  async function putTickers(records: readonly Ticker[]): Promise<void> {
    await putRecords(records.map((record) => Buffer.from(JSON.stringify(record), 'utf8')));
    put.push(...records);
  }

  /** Every record of a stream so far, from all shards, parsed as JSON. */
  async function readAll<T>(streamName: string): Promise<T[]> {
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
    const records: T[] = [];
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
        // GetRecords allows 5 calls a second per shard: a throttled read is retried after a pause.
        const got = await kinesis
          .send(new GetRecordsCommand({ ShardIterator: iterator }))
          .catch((error: unknown) => {
            if ((error as Error).name !== 'ProvisionedThroughputExceededException') throw error;
            return undefined;
          });
        if (got === undefined) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          continue;
        }
        for (const record of got.Records ?? [])
          records.push(JSON.parse(Buffer.from(record.Data!).toString('utf8')) as T);
        if ((got.Records ?? []).length === 0 || got.MillisBehindLatest === 0) break;
        iterator = got.NextShardIterator;
      }
    }
    return records;
  }

  /** Polls `results` until its counts add up to `expected` records (never more), then returns its rows. */
  async function waitForAggregates(expected: number): Promise<Aggregate[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await readAll<Aggregate>('results');
      const counted = rows.reduce((sum, row) => sum + row.TICKER_COUNT, 0);
      assert.ok(counted <= expected, `more rows counted (${counted}) than records put (${expected})`);
      if (counted === expected) return rows;
      if (Date.now() > deadline)
        throw new Error(`results count ${counted} of ${expected} records\n${server.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  function checkAggregates(rows: readonly Aggregate[]): void {
    const expected = totals(put.map((r) => ({ symbol: r.TICKER_SYMBOL, count: 1, priceSum: r.PRICE })));
    const got = totals(
      rows.map((row) => ({
        symbol: row.TICKER_SYMBOL,
        count: row.TICKER_COUNT,
        priceSum: row.TICKER_COUNT * row.AVG_PRICE,
      })),
    );
    assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort());
    for (const [symbol, { count, priceSum }] of expected) {
      assert.equal(got.get(symbol)!.count, count, symbol);
      assert.ok(
        Math.abs(got.get(symbol)!.priceSum - priceSum) < 0.01 * count,
        `${symbol}: price sum ${got.get(symbol)!.priceSum}, expected ${priceSum}`,
      );
    }
    for (const row of rows) assert.equal(Object.keys(row).join(), 'TICKER_SYMBOL,TICKER_COUNT,AVG_PRICE');
  }

  it('discovers the schema, runs the tumbling-window query and writes its rows and errors', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'test-kinesis', ShardCount: 2 }));
    await kinesis.send(new CreateStreamCommand({ StreamName: 'results', ShardCount: 1 }));
    await kinesis.send(new CreateStreamCommand({ StreamName: 'errors', ShardCount: 1 }));
    for (const name of ['test-kinesis', 'results', 'errors']) await waitForActive(kinesis, name);

    // Samples for discovery; the application starts at NOW, so it never reads them.
    await putRecords(batch(9, 4).map((record) => Buffer.from(JSON.stringify(record), 'utf8')));
    const discovered = await analytics.send(
      new DiscoverInputSchemaCommand({
        ResourceARN: arnOf('test-kinesis'),
        RoleARN: role,
        InputStartingPositionConfiguration: { InputStartingPosition: 'TRIM_HORIZON' },
      }),
    );
    const schema = discovered.InputSchema!;
    assert.deepEqual(
      schema.RecordColumns!.map((column) => [column.Name, column.Mapping]),
      [
        ['TICKER_SYMBOL', '$.TICKER_SYMBOL'],
        ['SECTOR', '$.SECTOR'],
        ['CHANGE', '$.CHANGE'],
        ['PRICE', '$.PRICE'],
      ],
    );

    await analytics.send(
      new CreateApplicationCommand({
        ApplicationName: 'test-analytics',
        ApplicationCode: code,
        Inputs: [
          {
            NamePrefix: 'SOURCE_SQL_STREAM',
            KinesisStreamsInput: { ResourceARN: arnOf('test-kinesis'), RoleARN: role },
            InputSchema: schema,
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
            DestinationSchema: { RecordFormatType: 'JSON' },
          },
        ],
      }),
    );
    await analytics.send(
      new StartApplicationCommand({
        ApplicationName: 'test-analytics',
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'NOW' } },
        ],
      }),
    );
    await waitForApplicationStatus(analytics, 'test-analytics', 'RUNNING');

    await putTickers(batch(1, 8));
    const notJson = Buffer.from('this is not json', 'utf8');
    await putRecords([notJson]);
    // Nothing more is put: the windows close on the runner's clock alone.
    checkAggregates(await waitForAggregates(put.length));

    const deadline = Date.now() + 20_000;
    let errors: Record<string, unknown>[] = [];
    while (errors.length === 0 && Date.now() < deadline) {
      errors = await readAll<Record<string, unknown>>('errors');
      if (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(errors.length, 1, 'one error_stream row for the record that is not JSON');
    assert.deepEqual(Object.keys(errors[0]!), [
      'ERROR_TIME',
      'ERROR_LEVEL',
      'ERROR_NAME',
      'MESSAGE',
      'DATA_ROWTIME',
      'DATA_ROW',
      'PUMP_NAME',
    ]);
    assert.equal(errors[0]!.DATA_ROW, notJson.toString('hex'));
    assert.equal(typeof errors[0]!.ERROR_NAME, 'string');
  });

  it('resumes the RUNNING application after a server restart', async () => {
    kinesis.destroy();
    analytics.destroy();
    await server.stop();
    server = await startServer({ dataDir: server.dataDir, extraArgs: ['--transition-delay-ms', '100'] });
    connect();
    await waitForApplicationStatus(analytics, 'test-analytics', 'RUNNING');
    await putTickers(batch(2, 4));
    checkAggregates(await waitForAggregates(put.length));
  });

  it('processes what was put while stopped when started from LAST_STOPPED_POINT', async () => {
    await analytics.send(new StopApplicationCommand({ ApplicationName: 'test-analytics' }));
    await waitForApplicationStatus(analytics, 'test-analytics', 'READY');
    await putTickers(batch(3, 3));
    await analytics.send(
      new StartApplicationCommand({
        ApplicationName: 'test-analytics',
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'LAST_STOPPED_POINT' } },
        ],
      }),
    );
    await waitForApplicationStatus(analytics, 'test-analytics', 'RUNNING');
    checkAggregates(await waitForAggregates(put.length));
  });
});

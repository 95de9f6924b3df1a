/**
 * The offline runner end to end, as a child process (`tributary sql run`), on the developer
 * guide's stock-ticker examples (TICKER_SYMBOL, SECTOR, CHANGE, PRICE): tumbling, sliding and
 * stagger windows, log parsing and a reference join; and on both seed statements.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin/tributary.js');
const directory = mkdtempSync(join(tmpdir(), 'tributary-sql-run-'));
after(() => rmSync(directory, { recursive: true, force: true }));

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function tributary(args: readonly string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({
        code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
        stdout,
        stderr,
      });
    });
  });
}

const tickerSchema = {
  RecordFormat: {
    RecordFormatType: 'JSON',
    MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
  },
  RecordEncoding: 'UTF-8',
  RecordColumns: [
    { Name: 'TICKER_SYMBOL', SqlType: 'VARCHAR(4)', Mapping: '$.TICKER_SYMBOL' },
    { Name: 'SECTOR', SqlType: 'VARCHAR(16)', Mapping: '$.SECTOR' },
    { Name: 'CHANGE', SqlType: 'REAL', Mapping: '$.CHANGE' },
    { Name: 'PRICE', SqlType: 'REAL', Mapping: '$.PRICE' },
  ],
};

let counter = 0;
async function run(
  application: object,
  lines: readonly object[],
  extra: readonly string[] = [],
): Promise<{ stream: string; rowtime: string; row: Record<string, unknown> }[]> {
  const name = `case-${counter++}`;
  const app = join(directory, `${name}.json`);
  const input = join(directory, `${name}.jsonl`);
  const output = join(directory, `${name}.out.jsonl`);
  writeFileSync(
    app,
    JSON.stringify({
      ApplicationName: name,
      Inputs: [{ NamePrefix: 'SOURCE_SQL_STREAM', InputSchema: tickerSchema }],
      ...application,
    }),
  );
  writeFileSync(input, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const result = await tributary([
    'sql',
    'run',
    '--application',
    app,
    '--input',
    input,
    '--output',
    output,
    ...extra,
  ]);
  assert.equal(result.stderr, '');
  assert.equal(result.code, 0);
  return readFileSync(output, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { stream: string; rowtime: string; row: Record<string, unknown> });
}

const trade = (at: string, TICKER_SYMBOL: string, PRICE: number, CHANGE = 0, SECTOR = 'TECHNOLOGY') => ({
  rowtime: `2026-12-07T${at}Z`,
  data: { TICKER_SYMBOL, SECTOR, CHANGE, PRICE },
});

describe('tributary sql run', () => {
  it('tumbling window (getting started: count per ticker every 10 seconds)', async () => {
    const out = await run(
      {
        ApplicationCode: `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), ticker_symbol_count INTEGER);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM ticker_symbol, COUNT(*) AS ticker_symbol_count
FROM "SOURCE_SQL_STREAM_001"
GROUP BY ticker_symbol, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);`,
      },
      [
        trade('10:00:01', 'AMZN', 10),
        trade('10:00:02', 'AMZN', 11),
        trade('10:00:09', 'QXZ', 5),
        trade('10:00:10', 'AMZN', 12),
        { end: '2026-12-07T10:00:20Z' },
      ],
    );
    assert.deepEqual(out, [
      {
        stream: 'DESTINATION_SQL_STREAM',
        rowtime: '2026-12-07T10:00:10.000Z',
        row: { TICKER_SYMBOL: 'AMZN', TICKER_SYMBOL_COUNT: 2 },
      },
      {
        stream: 'DESTINATION_SQL_STREAM',
        rowtime: '2026-12-07T10:00:10.000Z',
        row: { TICKER_SYMBOL: 'QXZ', TICKER_SYMBOL_COUNT: 1 },
      },
      {
        stream: 'DESTINATION_SQL_STREAM',
        rowtime: '2026-12-07T10:00:20.000Z',
        row: { TICKER_SYMBOL: 'AMZN', TICKER_SYMBOL_COUNT: 1 },
      },
    ]);
  });

  it('sliding window (min, max and average price over the last minute per ticker)', async () => {
    const out = await run(
      {
        ApplicationCode: `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), Min_Price DOUBLE, Max_Price DOUBLE, Avg_Price DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM ticker_symbol, MIN(Price) OVER W1 AS Min_Price, MAX(Price) OVER W1 AS Max_Price, AVG(Price) OVER W1 AS Avg_Price
FROM "SOURCE_SQL_STREAM_001"
WINDOW W1 AS (PARTITION BY ticker_symbol RANGE INTERVAL '1' MINUTE PRECEDING);`,
      },
      [
        trade('10:00:00', 'AMZN', 10),
        trade('10:00:30', 'AMZN', 20),
        trade('10:00:40', 'WMT', 3),
        trade('10:01:00', 'AMZN', 30),
        trade('10:01:00.001', 'AMZN', 60),
      ],
    );
    assert.deepEqual(
      out.map((o) => [o.rowtime.slice(11, 23), ...Object.values(o.row)]),
      [
        ['10:00:00.000', 'AMZN', 10, 10, 10],
        ['10:00:30.000', 'AMZN', 10, 20, 15],
        ['10:00:40.000', 'WMT', 3, 3, 3],
        ['10:01:00.000', 'AMZN', 10, 30, 20],
        ['10:01:00.001', 'AMZN', 20, 60, 110 / 3],
      ],
    );
  });

  it('stagger window (the developer guide example: six records per ticker and event time)', async () => {
    const records = (event: string, ticker: string, times: string[]) =>
      times.map((t) => ({ rowtime: `2018-08-01T${t}Z`, data: { EVENT_TIME: event, TICKER: ticker } }));
    const out = await run(
      {
        Inputs: [
          {
            NamePrefix: 'SOURCE_SQL_STREAM',
            InputSchema: {
              RecordFormat: {
                RecordFormatType: 'JSON',
                MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
              },
              RecordColumns: [
                { Name: 'EVENT_TIME', SqlType: 'TIMESTAMP', Mapping: '$.EVENT_TIME' },
                { Name: 'TICKER', SqlType: 'VARCHAR(4)', Mapping: '$.TICKER' },
              ],
            },
          },
        ],
        ApplicationCode: `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
    event_time TIMESTAMP,
    ticker_symbol    VARCHAR(4),
    ticker_count     INTEGER);

CREATE OR REPLACE PUMP "STREAM_PUMP" AS
  INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM
        EVENT_TIME,
        TICKER,
        COUNT(TICKER) AS ticker_count
    FROM "SOURCE_SQL_STREAM_001"
    WINDOWED BY STAGGER (
            PARTITION BY TICKER, EVENT_TIME RANGE INTERVAL '1' MINUTE);`,
      },
      [
        ...records('2018-08-01T20:17:20.797945', 'AMZN', [
          '20:17:30',
          '20:17:40',
          '20:17:50',
          '20:18:00',
          '20:18:10',
          '20:18:21',
        ]),
        ...records('2018-08-01T20:18:21.043084', 'INTC', [
          '20:18:31',
          '20:18:41',
          '20:18:51',
          '20:19:01',
          '20:19:11',
          '20:19:21',
        ]),
        { end: '2018-08-01T20:20:00Z' },
      ],
    );
    assert.deepEqual(out, [
      {
        stream: 'DESTINATION_SQL_STREAM',
        rowtime: '2018-08-01T20:18:30.000Z',
        row: { EVENT_TIME: '2018-08-01T20:17:20.797Z', TICKER_SYMBOL: 'AMZN', TICKER_COUNT: 6 },
      },
      {
        stream: 'DESTINATION_SQL_STREAM',
        rowtime: '2018-08-01T20:19:31.000Z',
        row: { EVENT_TIME: '2018-08-01T20:18:21.043Z', TICKER_SYMBOL: 'INTC', TICKER_COUNT: 6 },
      },
    ]);
  });

  it('log parsing (the REGEX_LOG_PARSE example; values cut to VARCHAR(24) on insert)', async () => {
    const entry =
      '203.0.113.24 - - [25/Mar/2018:15:25:37 -0700] "GET /index.php HTTP/1.1" 200 125 "-" "Mozilla/5.0 [en] Gecko/20100101 Firefox/52.0"';
    const out = await run(
      {
        Inputs: [
          {
            NamePrefix: 'SOURCE_SQL_STREAM',
            InputSchema: {
              RecordFormat: {
                RecordFormatType: 'JSON',
                MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
              },
              RecordColumns: [{ Name: 'LOGENTRY', SqlType: 'VARCHAR(256)', Mapping: '$.LOGENTRY' }],
            },
          },
        ],
        ApplicationCode: `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (logentry VARCHAR(24), match1 VARCHAR(24), match2 VARCHAR(24));

CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM T.LOGENTRY, T.REC.COLUMN1, T.REC.COLUMN2
    FROM
         (SELECT STREAM LOGENTRY,
             REGEX_LOG_PARSE(LOGENTRY, '(\\w.+) (\\d.+) (\\w.+) (\\w.+)') AS REC
             FROM SOURCE_SQL_STREAM_001) AS T;`,
      },
      [{ rowtime: '2026-12-07T10:00:00Z', data: { LOGENTRY: entry } }],
    );
    assert.deepEqual(out, [
      {
        stream: 'DESTINATION_SQL_STREAM',
        rowtime: '2026-12-07T10:00:00.000Z',
        row: {
          LOGENTRY: '203.0.113.24 - - [25/Mar',
          MATCH1: '203.0.113.24 - - [25/Mar',
          MATCH2: '125 "-" "Mozilla/5.0 [en',
        },
      },
    ]);
  });

  it('reference join (company names from a CSV object in S3)', async () => {
    mkdirSync(join(directory, 's3', 'my-bucket'), { recursive: true });
    writeFileSync(
      join(directory, 's3', 'my-bucket', 'TickerReference.csv'),
      'Ticker, Company\nAMZN,Amazon\nASD, SomeCompanyA\nMMB, SomeCompanyB\nWAS,  SomeCompanyC\n',
    );
    const out = await run(
      {
        ReferenceDataSources: [
          {
            TableName: 'CompanyName',
            S3ReferenceDataSource: {
              BucketARN: 'arn:aws:s3:::my-bucket',
              FileKey: 'TickerReference.csv',
              ReferenceRoleARN: 'arn:aws:iam::123456789012:role/read',
            },
            ReferenceSchema: {
              RecordFormat: {
                RecordFormatType: 'CSV',
                MappingParameters: {
                  CSVMappingParameters: { RecordRowDelimiter: '\n', RecordColumnDelimiter: ',' },
                },
              },
              RecordColumns: [
                { Name: 'Ticker', SqlType: 'VARCHAR(4)' },
                { Name: 'Company', SqlType: 'VARCHAR(16)' },
              ],
            },
          },
        ],
        ApplicationCode: `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), "Company" varchar(20), sector VARCHAR(12), change DOUBLE, price DOUBLE);

CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
   SELECT STREAM ticker_symbol, "c"."Company", sector, change, price
   FROM "SOURCE_SQL_STREAM_001" LEFT JOIN "CompanyName" as "c"
   ON "SOURCE_SQL_STREAM_001".ticker_symbol = "c"."Ticker";`,
      },
      [
        trade('10:00:00', 'AMZN', 10.5, 0.25, 'RETAIL'),
        trade('10:00:01', 'ASD', 2, -0.5, 'ENERGY'),
        trade('10:00:02', 'QXZ', 3, 1, 'HEALTHCARE'),
      ],
      ['--s3-dir', join(directory, 's3')],
    );
    assert.deepEqual(
      out.map((o) => o.row),
      [
        { TICKER_SYMBOL: 'AMZN', Company: 'Amazon', SECTOR: 'RETAIL', CHANGE: 0.25, PRICE: 10.5 },
        { TICKER_SYMBOL: 'ASD', Company: ' SomeCompanyA', SECTOR: 'ENERGY', CHANGE: -0.5, PRICE: 2 },
        { TICKER_SYMBOL: 'QXZ', Company: null, SECTOR: 'HEALTHCARE', CHANGE: 1, PRICE: 3 },
      ],
    );
  });

  it('seed S1 (sensor averages per minute) runs; seed S2 is rejected with CodeValidationException', async () => {
    const sensorInputs = [
      {
        NamePrefix: 'SOURCE_SQL_STREAM',
        InputSchema: {
          RecordFormat: {
            RecordFormatType: 'CSV',
            MappingParameters: {
              CSVMappingParameters: { RecordRowDelimiter: '\n', RecordColumnDelimiter: ',' },
            },
          },
          RecordColumns: [
            { Name: 'sensor_id', SqlType: 'VARCHAR(32)' },
            { Name: 'sensor', SqlType: 'VARCHAR(15)' },
            { Name: 'station_id', SqlType: 'VARCHAR(32)' },
            { Name: 'sensor_value', SqlType: 'DOUBLE' },
            { Name: 'sensor_value_smoothed', SqlType: 'DOUBLE' },
          ],
        },
      },
    ];
    const s1 = join(root, 'test/analytics/seeds/sensor-tumbling.sql');
    const out = await run(
      { Inputs: sensorInputs },
      [
        { rowtime: '2026-12-07T10:00:10Z', data: 's1,temp,st1,10,11' },
        { rowtime: '2026-12-07T10:00:50Z', data: 's1,temp,st1,20,21' },
        { rowtime: '2026-12-07T10:01:05Z', data: 's1,temp,st1,30,31' },
        { end: '2026-12-07T10:02:00Z' },
      ],
      ['--sql', s1],
    );
    assert.deepEqual(out, [
      {
        stream: 'DESTINATION_SQL_STREAM',
        rowtime: '2026-12-07T10:01:00.000Z',
        row: {
          sensor_id: 's1',
          sensor: 'temp',
          station_id: 'st1',
          sensor_avg_value: 15,
          sensor_smooth_avg_value: 16,
          '60sec_sum_of_sensor_value': 30,
          '60sec_number_of_msg': 2,
          record_timestamp: '2026-12-07T10:01:00.000Z',
        },
      },
      {
        stream: 'DESTINATION_SQL_STREAM',
        rowtime: '2026-12-07T10:02:00.000Z',
        row: {
          sensor_id: 's1',
          sensor: 'temp',
          station_id: 'st1',
          sensor_avg_value: 30,
          sensor_smooth_avg_value: 31,
          '60sec_sum_of_sensor_value': 30,
          '60sec_number_of_msg': 1,
          record_timestamp: '2026-12-07T10:02:00.000Z',
        },
      },
    ]);

    const app = join(directory, 's2.json');
    writeFileSync(
      app,
      JSON.stringify({
        ApplicationName: 's2',
        Inputs: [{ NamePrefix: 'SOURCE_SQL_STREAM', InputSchema: tickerSchema }],
      }),
    );
    const input = join(directory, 's2.jsonl');
    writeFileSync(input, '{"end": 0}\n');
    const rejected = await tributary([
      'sql',
      'run',
      '--application',
      app,
      '--input',
      input,
      '--sql',
      join(root, 'test/analytics/seeds/cloudtrail-calls-per-ip.sql'),
    ]);
    assert.deepEqual(rejected, {
      code: 1,
      stdout: '',
      stderr:
        'tributary sql run: CodeValidationException: line 12, column 1: Number of INSERT target columns (6) does not equal number of source items (3)\n',
    });
  });

  it('sends records that do not fit the schema to error_stream and reports bad input lines', async () => {
    const out = await run(
      {
        ApplicationCode:
          'CREATE STREAM "D" (p REAL);\nCREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM price FROM "SOURCE_SQL_STREAM_001";',
      },
      [
        { rowtime: 1_000, data: { TICKER_SYMBOL: 'A', PRICE: 'not a number' } },
        { rowtime: 2_000, data: { TICKER_SYMBOL: 'A', PRICE: 4 } },
      ],
    );
    assert.deepEqual(
      out.map((o) => [o.stream, o.rowtime, o.row.ERROR_NAME ?? o.row.P]),
      [
        ['error_stream', '1970-01-01T00:00:01.000Z', 'ConversionError'],
        ['D', '1970-01-01T00:00:02.000Z', 4],
      ],
    );
    const app = join(directory, 'bad.json');
    writeFileSync(
      app,
      JSON.stringify({
        ApplicationName: 'bad',
        ApplicationCode: 'CREATE STREAM "D" (p REAL);',
        Inputs: [{ NamePrefix: 'SOURCE_SQL_STREAM', InputSchema: tickerSchema }],
      }),
    );
    const input = join(directory, 'bad.jsonl');
    writeFileSync(input, '{"rowtime": "yesterday", "data": {}}\n');
    const result = await tributary(['sql', 'run', '--application', app, '--input', input]);
    assert.deepEqual(result, {
      code: 2,
      stdout: '',
      stderr:
        'tributary sql run: line 1: "rowtime" must be an ISO-8601 UTC time or epoch milliseconds, not "yesterday"\n',
    });
  });
});

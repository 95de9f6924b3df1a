/**
 * Examples of the Amazon Kinesis Data Analytics SQL Reference that show both their input rows and
 * their result rows, run through the offline runner (`tributary sql run`) as a child process and
 * compared with the documented results. Each case names its page. Where a page contradicts itself
 * (reference §18), the comment says so and the test holds our documented choice
 * (docs/analytics-sql.md §6). Pages whose results are screenshots of random demo data (LAG,
 * TOP_K_ITEMS_TUMBLING, COUNT_DISTINCT_ITEMS_TUMBLING, REGEX_LOG_PARSE) have no documented rows to
 * compare; their functions are tested in sql-reference-functions.test.ts and sql-functions.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSql, type Column } from './sql-run-process.js';

const column = (Name: string, SqlType: string): Column => ({ Name, SqlType, Mapping: `$.${Name}` });
const destination = (rows: unknown[][]): unknown[][] => rows.filter((r) => r[0] === 'DESTINATION_SQL_STREAM');

describe('Windowed Aggregation on Streams (WEATHERSTREAM)', () => {
  // https://docs.aws.amazon.com/kinesisanalytics/latest/sqlref/sql-reference-windowed-aggregation-stream.html
  const weather = [
    ['2018-11-01 01:00:00', 'Denver', 29],
    ['2018-11-01 01:00:00', 'Anchorage', 2],
    ['2018-11-01 06:00:00', 'Miami', 65],
    ['2018-11-01 07:00:00', 'Denver', 32],
    ['2018-11-01 09:00:00', 'Anchorage', 9],
    ['2018-11-01 13:00:00', 'Denver', 50],
    ['2018-11-01 17:00:00', 'Anchorage', 10],
    ['2018-11-01 18:00:00', 'Miami', 71],
    ['2018-11-01 19:00:00', 'Denver', 43],
    ['2018-11-02 01:00:00', 'Anchorage', 4],
    ['2018-11-02 01:00:00', 'Denver', 39],
    ['2018-11-02 07:00:00', 'Denver', 46],
    ['2018-11-02 09:00:00', 'Anchorage', 3],
    ['2018-11-02 13:00:00', 'Denver', 56],
    ['2018-11-02 17:00:00', 'Anchorage', 2],
    ['2018-11-02 19:00:00', 'Denver', 50],
    ['2018-11-03 01:00:00', 'Denver', 36],
    ['2018-11-03 01:00:00', 'Anchorage', 1],
  ] as const;
  const lines = weather.map(([t, CITY, TEMP]) => ({
    rowtime: `${t.replace(' ', 'T')}Z`,
    data: { CITY, TEMP },
  }));
  const columns = [column('CITY', 'VARCHAR(16)'), column('TEMP', 'INTEGER')];
  // The page's stream is WEATHERSTREAM: a pump fills it from the application's input.
  const weatherStream = `
    CREATE OR REPLACE STREAM WEATHERSTREAM (CITY VARCHAR(16), TEMP INTEGER);
    CREATE OR REPLACE PUMP "WEATHER_PUMP" AS INSERT INTO WEATHERSTREAM
      SELECT STREAM CITY, TEMP FROM "SOURCE_SQL_STREAM_001";`;
  const iso = (t: string): string => `${t.replace(' ', 'T')}.000Z`;

  it('MIN and MAX over the day preceding each reading, all cities', async () => {
    const out = await runSql(
      `${weatherStream}
    CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (READING_TIME TIMESTAMP, WMIN_TEMP INTEGER, WMAX_TEMP INTEGER);
    CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
     SELECT STREAM
        ROWTIME,
        MIN(TEMP) OVER W1 AS WMIN_TEMP,
        MAX(TEMP) OVER W1 AS WMAX_TEMP
     FROM WEATHERSTREAM
     WINDOW W1 AS (
        RANGE INTERVAL '1' DAY PRECEDING
    );`,
      columns,
      lines,
    );
    const documented = [
      [29, 29],
      [2, 29],
      [2, 65],
      [2, 65],
      [2, 65],
      [2, 65],
      [2, 65],
      [2, 71],
      [2, 71],
      [2, 71],
      [2, 71],
      [4, 71],
      [3, 71],
      [3, 71],
      [2, 71],
      [2, 56],
      [2, 56],
      [1, 56],
    ];
    assert.deepEqual(
      destination(out),
      weather.map(([t], i) => ['DESTINATION_SQL_STREAM', iso(t), iso(t), ...documented[i]!]),
    );
  });

  it('MIN, MAX and AVG over the day preceding each reading, per city', async () => {
    const out = await runSql(
      `${weatherStream}
    CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
        READING_TIME TIMESTAMP, CITY VARCHAR(16), WMIN_TEMP INTEGER, WMAX_TEMP INTEGER, WAVG_TEMP INTEGER);
    CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
     SELECT STREAM
        ROWTIME,
        CITY,
        MIN(TEMP) over W1 AS WMIN_TEMP,
        MAX(TEMP) over W1 AS WMAX_TEMP,
        AVG(TEMP) over W1 AS WAVG_TEMP
     FROM WEATHERSTREAM
     WINDOW W1 AS (
        PARTITION BY CITY
        RANGE INTERVAL '1' DAY PRECEDING
     );`,
      columns,
      lines,
    );
    // The page reads AGGTEST.WEATHERSTREAM (a schema copied from SQLstream); KDA has no schemas.
    // AVG of an INTEGER column is an INTEGER, truncated: (29 + 32) / 2 = 30.
    const documented = [
      [29, 29, 29],
      [2, 2, 2],
      [65, 65, 65],
      [29, 32, 30],
      [2, 9, 5],
      [29, 50, 37],
      [2, 10, 7],
      [65, 71, 68],
      [29, 50, 38],
      [2, 10, 6],
      [29, 50, 38],
      [32, 50, 42],
      [3, 10, 6],
      [39, 56, 46],
      [2, 10, 4],
      [39, 56, 46],
      [36, 56, 45],
      [1, 4, 2],
    ];
    assert.deepEqual(
      destination(out),
      weather.map(([t, city], i) => ['DESTINATION_SQL_STREAM', iso(t), iso(t), city, ...documented[i]!]),
    );
  });

  it('rowtime bounds: hourly volume per ticker (the Trades example)', async () => {
    const out = await runSql(
      `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), amount INTEGER, hourlyVolume INTEGER);
    CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
     SELECT STREAM ticker, amount, SUM(amount)
        OVER (
            PARTITION BY ticker
            RANGE INTERVAL '1' HOUR PRECEDING)
     AS hourlyVolume
     FROM "SOURCE_SQL_STREAM_001";`,
      [column('TICKER', 'VARCHAR(4)'), column('AMOUNT', 'INTEGER')],
      [
        { rowtime: '2026-12-07T10:00:00Z', data: { TICKER: 'IBM', AMOUNT: 10 } },
        { rowtime: '2026-12-07T10:10:00Z', data: { TICKER: 'ORCL', AMOUNT: 20 } },
        { bound: '2026-12-07T10:15:00Z' },
        { rowtime: '2026-12-07T10:25:00Z', data: { TICKER: 'ORCL', AMOUNT: 15 } },
        { rowtime: '2026-12-07T11:05:00Z', data: { TICKER: 'IBM', AMOUNT: 30 } },
        { bound: '2026-12-07T11:10:00Z' },
      ],
    );
    // Documented: IBM 10 10 10:00:00; ORCL 20 20 10:10:00; ORCL 15 35 10:25:00; IBM 30 30 11:05:00
    // (the first IBM trade is outside the hour before 11:05).
    assert.deepEqual(out, [
      ['DESTINATION_SQL_STREAM', '2026-12-07T10:00:00.000Z', 'IBM', 10, 10],
      ['DESTINATION_SQL_STREAM', '2026-12-07T10:10:00.000Z', 'ORCL', 20, 20],
      ['DESTINATION_SQL_STREAM', '2026-12-07T10:25:00.000Z', 'ORCL', 15, 35],
      ['DESTINATION_SQL_STREAM', '2026-12-07T11:05:00.000Z', 'IBM', 30, 30],
    ]);
  });
});

describe('JOIN clause: stream-to-stream joins of orders and shipments', () => {
  // https://docs.aws.amazon.com/kinesisanalytics/latest/sqlref/sql-reference-join-clause.html
  // The example dataset: records {"orderid":"101","orders":"1"} and {"orderid":"101","shipments":"2"}
  // in one input, split into two streams by the page's pumps.
  const streams = `
    CREATE OR REPLACE STREAM "ORDERS_STREAM" ("orderid" int, "orderrowtime" timestamp);
    CREATE OR REPLACE PUMP "ORDERS_STREAM_PUMP" AS INSERT INTO "ORDERS_STREAM"
    SELECT STREAM "orderid", "ROWTIME"
    FROM "SOURCE_SQL_STREAM_001" WHERE "orders" = 1;

    CREATE OR REPLACE STREAM "SHIPMENTS_STREAM" ("orderid" int, "shipmentrowtime" timestamp);
    CREATE OR REPLACE PUMP "SHIPMENTS_STREAM_PUMP" AS INSERT INTO "SHIPMENTS_STREAM"
    SELECT STREAM "orderid", "ROWTIME"
    FROM "SOURCE_SQL_STREAM_001" WHERE "shipments" = 2;
`;
  const columns = [column('orderid', 'INTEGER'), column('orders', 'INTEGER'), column('shipments', 'INTEGER')];
  const order = (t: string, orderid: string) => ({
    rowtime: `2026-12-07T${t}Z`,
    data: { orderid, orders: '1' },
  });
  const shipment = (t: string, orderid: string) => ({
    rowtime: `2026-12-07T${t}Z`,
    data: { orderid, shipments: '2' },
  });
  // The rows of the page's result tables, in their order (order 100 is the late event).
  const lines = [
    order('10:00:00', '101'),
    shipment('10:00:00', '100'),
    order('10:00:20', '102'),
    order('10:00:30', '103'),
    order('10:00:40', '104'),
    shipment('10:00:45', '104'),
    order('10:00:45', '100'),
    shipment('10:00:50', '105'),
    { end: '2026-12-07T10:03:00Z' },
  ];
  const at = (t: string | null): string | null => (t === null ? null : `2026-12-07T${t}.000Z`);
  const outputs = async (join: string): Promise<unknown[][]> =>
    (await runSql(`${streams}${join}`, columns, lines))
      .filter((row) => row[0] === 'OUTPUT_STREAM')
      .map((row) => row.slice(1));
  const joinWithShipmentTime = (from: string): string => `
    CREATE OR REPLACE STREAM "OUTPUT_STREAM" ("resultrowtime" timestamp, "orderid" int, "shipmenttime" timestamp, "ordertime" timestamp);
    CREATE OR REPLACE PUMP "OUTPUT_STREAM_PUMP" AS INSERT INTO "OUTPUT_STREAM"
      SELECT STREAM ROWTIME as "resultrowtime", s."orderid", s.rowtime as "shipmenttime", o.ROWTIME as "ordertime"
        FROM ${from}
            ON o."orderid" = s."orderid";`;
  const joinWithoutShipmentTime = (select: string, from: string): string => `
    CREATE OR REPLACE STREAM "OUTPUT_STREAM" ("resultrowtime" timestamp, "orderid" int, "ordertime" timestamp);
    CREATE OR REPLACE PUMP "OUTPUT_STREAM_PUMP" AS INSERT INTO "OUTPUT_STREAM"
      SELECT STREAM ROWTIME as "resultrowtime", ${select}."orderid", o.ROWTIME as "ordertime"
        FROM ${from}
            ON o."orderid" = s."orderid";`;
  const row = (...values: (string | number | null)[]): unknown[] => {
    const [rowtime, ...rest] = values;
    return [at(rowtime as string), ...rest.map((v) => (typeof v === 'string' ? at(v) : v))];
  };
  const withRowtime = (rows: unknown[][]): unknown[][] => rows.map((r) => [r[0], ...r]);

  it('Example 1: time window on one side of an INNER JOIN', async () => {
    const out = await outputs(
      joinWithShipmentTime(`ORDERS_STREAM OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o
          JOIN SHIPMENTS_STREAM AS s`),
    );
    // Order 100 arrived after its shipment, which has no window: no result for it.
    assert.deepEqual(out, withRowtime([row('10:00:45', 104, '10:00:45', '10:00:40')]));
  });

  it('Example 2: time windows on both sides of an INNER JOIN', async () => {
    const out = await outputs(
      joinWithShipmentTime(`ORDERS_STREAM OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o
          JOIN SHIPMENTS_STREAM OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS s`),
    );
    assert.deepEqual(
      out,
      withRowtime([
        row('10:00:45', 104, '10:00:45', '10:00:40'),
        row('10:00:45', 100, '10:00:00', '10:00:45'),
      ]),
    );
  });

  it('Example 3: time window on one side of a RIGHT JOIN', async () => {
    const out = await outputs(
      joinWithoutShipmentTime(
        's',
        `ORDERS_STREAM OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o
          RIGHT JOIN SHIPMENTS_STREAM AS s`,
      ),
    );
    // The shipments have no window: an unmatched shipment leaves at once, at its own ROWTIME.
    assert.deepEqual(
      out,
      withRowtime([row('10:00:00', 100, null), row('10:00:45', 104, '10:00:40'), row('10:00:50', 105, null)]),
    );
  });

  // Examples 4-6 contradict examples 1-3 and their own SQL (reference §18.7): example 4 swaps the
  // shipment and order times of the matched rows, examples 5 and 6 emit matched orders again as
  // unmatched at the end of their window, and example 6 shows s."orderid" for orders without a
  // shipment. These tests hold the rule of examples 1-3 (docs/analytics-sql.md §6).
  it('Example 4: time windows on both sides of a RIGHT JOIN (unmatched shipment at its window end)', async () => {
    const out = await outputs(
      joinWithShipmentTime(`ORDERS_STREAM OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o
          RIGHT JOIN SHIPMENTS_STREAM OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS s`),
    );
    assert.deepEqual(
      out,
      withRowtime([
        row('10:00:45', 104, '10:00:45', '10:00:40'),
        row('10:00:45', 100, '10:00:00', '10:00:45'),
        row('10:01:50', 105, '10:00:50', null), // as documented
      ]),
    );
  });

  it('Example 5: time window on one side of a LEFT JOIN (unmatched orders at their window end)', async () => {
    const out = await outputs(
      joinWithoutShipmentTime(
        'o',
        `ORDERS_STREAM OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o
          LEFT JOIN SHIPMENTS_STREAM AS s`,
      ),
    );
    assert.deepEqual(
      out,
      withRowtime([
        row('10:00:45', 104, '10:00:40'),
        row('10:01:00', 101, '10:00:00'),
        row('10:01:20', 102, '10:00:20'),
        row('10:01:30', 103, '10:00:30'),
        // (the page also lists 104 at 10:01:40: it was matched at 10:00:45)
        row('10:01:45', 100, '10:00:45'),
      ]),
    );
  });

  it('Example 6: time windows on both sides of a LEFT JOIN', async () => {
    const out = await outputs(
      joinWithShipmentTime(`ORDERS_STREAM OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o
          LEFT JOIN SHIPMENTS_STREAM OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS s`),
    );
    assert.deepEqual(
      out,
      withRowtime([
        row('10:00:45', 104, '10:00:45', '10:00:40'),
        row('10:00:45', 100, '10:00:00', '10:00:45'),
        row('10:01:00', null, null, '10:00:00'),
        row('10:01:20', null, null, '10:00:20'),
        row('10:01:30', null, null, '10:00:30'),
      ]),
    );
  });
});

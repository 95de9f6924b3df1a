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

describe('log parsing functions', () => {
  const lineColumn = [column('LINE', 'VARCHAR(256)')];
  const lines = (...texts: string[]) =>
    texts.map((LINE, i) => ({ rowtime: `2026-12-07T10:00:0${i}Z`, data: { LINE } }));

  // https://docs.aws.amazon.com/kinesisanalytics/latest/sqlref/sql-reference-fast-regex-log-parser.html
  // The page runs `VALUES (FAST_REGEX_LOG_PARSE(...))`; here each input line goes through a pump.
  const fastRegex = async (text: string, pattern: string): Promise<unknown[][]> =>
    destination(
      await runSql(
        `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (COLUMN1 VARCHAR(64), COLUMN2 VARCHAR(64));
    CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM t.r."COLUMN1", t.r."COLUMN2"
      FROM (SELECT STREAM FAST_REGEX_LOG_PARSE(LINE, '${pattern}') AS r FROM "SOURCE_SQL_STREAM_001") AS t
      WHERE t.r IS NOT NULL;`,
        lineColumn,
        lines(text),
      ),
    ).map((row) => row.slice(2));

  it('FAST_REGEX_LOG_PARSER, Examples A, B and C: lazy fields, no backtracking', async () => {
    // A: the first field stops at the first underscore and FRLP cannot go back: no fields.
    assert.deepEqual(await fastRegex('Mary_had_a_little_lamb', '(.*)_+(._.*)'), []);
    // B: the underscores between the fields belong to neither field.
    assert.deepEqual(await fastRegex('Mary____had_a_little_lamb', '(.*)_+(.*)'), [
      ['Mary', 'had_a_little_lamb'],
    ]);
    // C
    assert.deepEqual(await fastRegex('Mary____had_a_little_lamb', '(.*)_+(<Alpha>.*)'), [
      ['Mary', 'had_a_little_lamb'],
    ]);
  });

  it("FAST_REGEX_LOG_PARSER, the first example: the page's own decomposition, not its result table", async () => {
    // The table shows COLUMN2 = a_little_lamb, which the pattern cannot give: its trailing `_.*`
    // needs an underscore after the second field. The decomposition the page describes
    // (`.*_._`, `.*_`, `.*`, each lazy) gives Mary_had and a_little (docs/analytics-sql.md §6).
    assert.deepEqual(await fastRegex('Mary_had_a_little_lamb', '(.*)_(._.*)_.*'), [['Mary_had', 'a_little']]);
  });

  // https://docs.aws.amazon.com/kinesisanalytics/latest/sqlref/sql-reference-w3c-log-parse.html
  const weblog = [
    '192.168.254.30 - John [24/May/2004:22:01:02 -0700] "GET /icons/apache_pb.gif HTTP/1.1" 304 0',
    '192.168.254.30 - Jane [24/May/2004:22:01:02 -0700] "GET /icons/small/dir.gif HTTP/1.1" 304 0',
  ];
  // The page's DDL is a pump without INSERT over "weblog_read" (SQLstream); here the same select
  // feeds a view, as its Example 2 does.
  const weblogView = `
    CREATE OR REPLACE VIEW weblog AS
      SELECT STREAM l.r.COLUMN1, l.r.COLUMN2, l.r.COLUMN3, l.r.COLUMN4, l.r.COLUMN5, l.r.COLUMN6, l.r.COLUMN7
      FROM (SELECT STREAM W3C_LOG_PARSE(LINE, 'COMMON') FROM "SOURCE_SQL_STREAM_001") AS l(r);`;

  it('W3C_LOG_PARSE, Example 1: the COMMON format, seven columns', async () => {
    const out = await runSql(
      `${weblogView}
    CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
      C1 VARCHAR(64), C2 VARCHAR(64), C3 VARCHAR(64), C4 VARCHAR(64), C5 VARCHAR(64), C6 VARCHAR(64), C7 VARCHAR(64));
    CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM * FROM weblog;`,
      lineColumn,
      lines(...weblog),
    );
    assert.deepEqual(
      destination(out).map((row) => row.slice(2)),
      [
        [
          '192.168.254.30',
          '-',
          'John',
          '[24/May/2004:22:01:02 -0700]',
          'GET /icons/apache_pb.gif HTTP/1.1',
          '304',
          '0',
        ],
        [
          '192.168.254.30',
          '-',
          'Jane',
          '[24/May/2004:22:01:02 -0700]',
          'GET /icons/small/dir.gif HTTP/1.1',
          '304',
          '0',
        ],
      ],
    );
  });

  it('W3C_LOG_PARSE, Example 2: columns renamed and cut with CAST in a view', async () => {
    const out = await runSql(
      `${weblogView}
    CREATE OR REPLACE VIEW weblogreduced AS
      SELECT STREAM CAST(s.COLUMN3 AS VARCHAR(5)) AS LOG_USER,
      CAST(s.COLUMN1 AS VARCHAR(15)) AS ADDRESS,
      CAST(s.COLUMN4 AS VARCHAR(30)) as TIME_DATES
      FROM weblog s;
    CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (LOG_USER VARCHAR(5), ADDRESS VARCHAR(15), TIME_DATES VARCHAR(30));
    CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM * FROM weblogreduced;`,
      lineColumn,
      lines(...weblog),
    );
    // The page lists Jane first; the rows come in input order (reference §18.12).
    assert.deepEqual(
      destination(out).map((row) => row.slice(2)),
      [
        ['John', '192.168.254.30', '[24/May/2004:22:01:02 -0700]'],
        ['Jane', '192.168.254.30', '[24/May/2004:22:01:02 -0700]'],
      ],
    );
  });

  // https://docs.aws.amazon.com/kinesisanalytics/latest/sqlref/sql-reference-variable-column-log-parse.html
  it('VARIABLE_COLUMN_LOG_PARSE: "a,b" is two fields, "a\\,b" one, with a backslash escape', async () => {
    const out = await runSql(
      `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (F1 VARCHAR(8), F2 VARCHAR(8));
    CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM t.r.COLUMN1, t.r.COLUMN2
      FROM (SELECT STREAM VARIABLE_COLUMN_LOG_PARSE(LINE, 2, ',', '\\') AS r FROM "SOURCE_SQL_STREAM_001") AS t;`,
      lineColumn,
      lines('a,b', 'a\\,b'),
    );
    assert.deepEqual(
      destination(out).map((row) => row.slice(2)),
      [
        ['a', 'b'],
        ['a,b', null],
      ],
    );
  });
});

describe('T-sorting Stream Input (ORDER BY ... WITHIN) at the end of the input', () => {
  // https://docs.aws.amazon.com/kinesisanalytics/latest/sqlref/sqlrf_T-sorting_Stream_Input.html
  // (the page has no data; this is the runner's `{"end": T}` releasing the rows still held).
  it('emits the rows still inside the interval, in order, at {"end": T}', async () => {
    const event = (rowtime: string, ID: number, EVENT_TIME: string) => ({
      rowtime: `2026-12-07T${rowtime}Z`,
      data: { ID, EVENT_TIME: `2026-12-07 ${EVENT_TIME}` },
    });
    const out = await runSql(
      `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ID INTEGER, ARRIVED TIMESTAMP);
    CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM s.EVENT_TIME AS ROWTIME, s.ID, s.ROWTIME FROM "SOURCE_SQL_STREAM_001" AS s
      ORDER BY s.EVENT_TIME WITHIN INTERVAL '1' MINUTE;`,
      [column('ID', 'INTEGER'), column('EVENT_TIME', 'TIMESTAMP')],
      [
        event('10:00:10', 1, '10:00:05'),
        event('10:00:11', 2, '10:00:01'),
        event('10:00:12', 3, '10:00:03'),
        { end: '2026-12-07T10:00:20Z' },
      ],
    );
    assert.deepEqual(destination(out), [
      ['DESTINATION_SQL_STREAM', '2026-12-07T10:00:01.000Z', 2, '2026-12-07T10:00:11.000Z'],
      ['DESTINATION_SQL_STREAM', '2026-12-07T10:00:03.000Z', 3, '2026-12-07T10:00:12.000Z'],
      ['DESTINATION_SQL_STREAM', '2026-12-07T10:00:05.000Z', 1, '2026-12-07T10:00:10.000Z'],
    ]);
  });
});

describe('COUNT_DISTINCT_ITEMS_TUMBLING page: the exact count written as SQL', () => {
  // https://docs.aws.amazon.com/kinesisanalytics/latest/sqlref/count-distinct-items.html: the
  // page's own query for an exact count of distinct rows per ticker in a 5-second tumbling window
  // (it shows no data; the rows here are ours). Its outer GROUP BY steps the subquery's
  // `rowtime as window_time` column, which must count as ROWTIME-based.
  it('runs the documented query: duplicates of a row within the window count once', async () => {
    const trade = (t: string, TICKER_SYMBOL: string, PRICE: number) => ({
      rowtime: `2026-12-07T10:00:0${t}Z`,
      data: { TICKER_SYMBOL, SECTOR: 'TECHNOLOGY', CHANGE: 1, PRICE },
    });
    const out = await runSql(
      `CREATE OR REPLACE STREAM output_stream (ticker_symbol VARCHAR(4), unique_count BIGINT);


  CREATE OR REPLACE PUMP stream_pump AS
  INSERT INTO output_stream
  SELECT STREAM TICKER_SYMBOL, COUNT(distinct_stream.price) AS unique_count
    FROM (
      SELECT STREAM DISTINCT rowtime as window_time,

        TICKER_SYMBOL,
        CHANGE,
        PRICE,
        STEP((SOURCE_SQL_STREAM_001.rowtime) BY INTERVAL '5' SECOND)

        FROM SOURCE_SQL_STREAM_001) as distinct_stream
    GROUP BY TICKER_SYMBOL,
        STEP((distinct_stream.window_time) BY INTERVAL '5' SECOND);`,
      [
        column('TICKER_SYMBOL', 'VARCHAR(4)'),
        column('SECTOR', 'VARCHAR(16)'),
        column('CHANGE', 'REAL'),
        column('PRICE', 'REAL'),
      ],
      [
        trade('1', 'AMZN', 10),
        trade('1', 'AMZN', 10), // the same row again: DISTINCT drops it
        trade('1', 'WMT', 5),
        trade('2', 'AMZN', 10), // another ROWTIME: a distinct row
        trade('3', 'AMZN', 11),
        trade('6', 'AMZN', 12),
        { end: '2026-12-07T10:00:10Z' },
      ],
    );
    assert.deepEqual(
      out.filter((row) => row[0] === 'OUTPUT_STREAM'),
      [
        ['OUTPUT_STREAM', '2026-12-07T10:00:05.000Z', 'AMZN', 3],
        ['OUTPUT_STREAM', '2026-12-07T10:00:05.000Z', 'WMT', 1],
        ['OUTPUT_STREAM', '2026-12-07T10:00:10.000Z', 'AMZN', 1],
      ],
    );
  });
});

describe('pages whose results are screenshots: the documented SQL over stock-ticker rows', () => {
  // The LAG, TOP_K_ITEMS_TUMBLING, Group Rank and REGEX_LOG_PARSE pages run their SQL over the
  // demo stream and show a screenshot: the SQL must run as written; the results are checked
  // against a recomputation from the rows fed in.
  const tickers = [
    column('TICKER_SYMBOL', 'VARCHAR(4)'),
    column('SECTOR', 'VARCHAR(16)'),
    column('CHANGE', 'REAL'),
    column('PRICE', 'REAL'),
  ];
  const symbols = ['AMZN', 'WMT', 'QXZ', 'AMZN', 'AMZN', 'WMT', 'NFS', 'QXZ', 'AMZN', 'WMT'];
  const sectors = ['ENERGY', 'HEALTHCARE', 'RETAIL'];
  // One trade every 7 seconds for three minutes: several 1-minute windows, every ticker repeated.
  const trades = Array.from({ length: 26 }, (_, i) => ({
    at: Date.UTC(2026, 11, 7, 10, 0, 0) + i * 7_000,
    TICKER_SYMBOL: symbols[i % symbols.length]!,
    SECTOR: sectors[i % 3]!,
    CHANGE: 0.5,
    PRICE: 10 + ((i * 37) % 50),
  }));
  const lines = [
    ...trades.map(({ at, ...data }) => ({ rowtime: at, data })),
    { end: Date.UTC(2026, 11, 7, 10, 4, 0) },
  ];

  // https://docs.aws.amazon.com/kinesisanalytics/latest/sqlref/sql-reference-lag.html, Example 1
  it('LAG: the two previous prices of the ticker within the minute, 0 when there is none', async () => {
    const out = destination(
      await runSql(
        `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
    ticker_symbol VARCHAR(4),
    price     DOUBLE,
    previous_price DOUBLE,
    previous_price_2 DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS
    INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM ticker_symbol,
         price,
         LAG(price, 1, 0) IGNORE NULLS OVER (
            PARTITION BY ticker_symbol
            RANGE INTERVAL '1' MINUTE PRECEDING),
         LAG(price, 2, 0) IGNORE NULLS OVER (
            PARTITION BY ticker_symbol
            RANGE INTERVAL '1' MINUTE PRECEDING)
    FROM "SOURCE_SQL_STREAM_001"
`,
        tickers,
        lines,
      ),
    );
    const expected = trades.map((t) => {
      const before = trades.filter(
        (o) => o.TICKER_SYMBOL === t.TICKER_SYMBOL && o.at < t.at && o.at >= t.at - 60_000,
      );
      const back = (n: number): number => before[before.length - n]?.PRICE ?? 0;
      return [new Date(t.at).toISOString(), t.TICKER_SYMBOL, t.PRICE, back(1), back(2)];
    });
    assert.deepEqual(
      out.map((row) => row.slice(1)),
      expected,
    );
  });

  // https://docs.aws.amazon.com/kinesisanalytics/latest/sqlref/top-k.html, Example 1
  it('TOP_K_ITEMS_TUMBLING: the five most frequent tickers of each minute, with their counts', async () => {
    const out = destination(
      await runSql(
        `CREATE OR REPLACE STREAM DESTINATION_SQL_STREAM (
  "TICKER_SYMBOL" VARCHAR(4),
  "MOST_FREQUENT_VALUES" BIGINT
);

CREATE OR REPLACE PUMP "STREAM_PUMP" AS
    INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM *
        FROM TABLE (TOP_K_ITEMS_TUMBLING(
            CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"),
            'TICKER_SYMBOL',         -- name of column in single quotes
            5,                       -- number of the most frequently occurring values
            60                       -- tumbling window size in seconds
            )
        );
`,
        tickers,
        lines,
      ),
    );
    const expected: unknown[][] = [];
    for (let minute = 0; minute < 4; minute++) {
      const start = Date.UTC(2026, 11, 7, 10, minute, 0);
      const counts = new Map<string, number>();
      for (const t of trades)
        if (t.at >= start && t.at < start + 60_000)
          counts.set(t.TICKER_SYMBOL, (counts.get(t.TICKER_SYMBOL) ?? 0) + 1);
      const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
      for (const [item, count] of top) expected.push([new Date(start + 60_000).toISOString(), item, count]);
    }
    assert.deepEqual(
      out.map((row) => row.slice(1)),
      expected,
    );
  });

  // https://docs.aws.amazon.com/kinesisanalytics/latest/sqlref/sql-reference-group-rank-udx.html
  it('Group Rank, Example 1: the per-second ticker counts ranked, highest first', async () => {
    const out = await runSql(
      `CREATE OR REPLACE STREAM "ticker_grouped" (
    "group_time" TIMESTAMP,
    "ticker" VARCHAR(65520),
    "ticker_count" INTEGER);

CREATE OR REPLACE STREAM "destination_sql_stream" (
    "group_time" TIMESTAMP,
    "ticker" VARCHAR(65520),
    "ticker_count" INTEGER,
    "group_rank" INTEGER);

CREATE OR REPLACE PUMP "ticker_pump" AS
    INSERT INTO "ticker_grouped"
    SELECT STREAM
        FLOOR(SOURCE_SQL_STREAM_001.ROWTIME TO SECOND),
        "TICKER_SYMBOL",
        COUNT(TICKER_SYMBOL)
    FROM SOURCE_SQL_STREAM_001
    GROUP BY FLOOR(SOURCE_SQL_STREAM_001.ROWTIME TO SECOND), TICKER_SYMBOL;

CREATE OR REPLACE PUMP DESTINATION_SQL_STREAM_PUMP AS
    INSERT INTO "destination_sql_stream"
    SELECT STREAM
        "group_time",
        "ticker",
        "ticker_count",
        "groupRank"
    FROM TABLE(
        GROUP_RANK(
            CURSOR(SELECT STREAM * FROM "ticker_grouped"),
            'ticker_count',
            'groupRank',
            'desc',
            'asc',
            5,
            0));
`,
      tickers,
      // Three trades in one second: AMZN twice, WMT once.
      [
        {
          rowtime: '2026-12-07T10:00:00.100Z',
          data: { TICKER_SYMBOL: 'WMT', SECTOR: 'RETAIL', CHANGE: 0, PRICE: 1 },
        },
        {
          rowtime: '2026-12-07T10:00:00.200Z',
          data: { TICKER_SYMBOL: 'AMZN', SECTOR: 'RETAIL', CHANGE: 0, PRICE: 1 },
        },
        {
          rowtime: '2026-12-07T10:00:00.300Z',
          data: { TICKER_SYMBOL: 'AMZN', SECTOR: 'RETAIL', CHANGE: 0, PRICE: 1 },
        },
        { end: '2026-12-07T10:00:05Z' },
      ],
    );
    assert.deepEqual(
      out.filter((row) => row[0] === 'destination_sql_stream'),
      [
        ['destination_sql_stream', '2026-12-07T10:00:01.000Z', '2026-12-07T10:00:00.000Z', 'AMZN', 2, 1],
        ['destination_sql_stream', '2026-12-07T10:00:01.000Z', '2026-12-07T10:00:00.000Z', 'WMT', 1, 2],
      ],
    );
  });
});

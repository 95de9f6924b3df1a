/**
 * Execution, one operator at a time, through the engine: each case binds a small application,
 * feeds rows and rowtime bounds, and checks every row inserted into an in-application stream.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowsOf, runApp, startApp } from './sql-app.js';

const tickerColumns = { TICKER_SYMBOL: 'VARCHAR(4)', SECTOR: 'VARCHAR(16)', CHANGE: 'REAL', PRICE: 'DOUBLE' };
const trade = (at: string, TICKER_SYMBOL: string, PRICE: number, CHANGE = 0, SECTOR = 'TECH') => ({
  at: `2026-01-01T${at}`,
  row: { TICKER_SYMBOL, SECTOR, CHANGE, PRICE },
});

describe('projection and filter', () => {
  it('filters, computes, and sends failing rows to error_stream', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), ratio DOUBLE, half INTEGER);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM ticker_symbol, price / change, CAST(price AS INTEGER) / 2 FROM "SOURCE_SQL_STREAM_001" WHERE sector = 'TECH';`,
      tickerColumns,
      [
        trade('10:00:00', 'AMZN', 9, 3),
        trade('10:00:01', 'XYZ', 9, 3, 'BANK'),
        trade('10:00:02', 'ABC', 7, 0),
      ],
    );
    assert.deepEqual(rowsOf(out), [['10:00:00.000', 'AMZN', 3, 4]]);
    const errors = out.filter((e) => e.stream === 'error_stream');
    assert.equal(errors.length, 1);
    assert.deepEqual(
      {
        name: errors[0]!.row.ERROR_NAME,
        message: errors[0]!.row.MESSAGE,
        pump: errors[0]!.row.PUMP_NAME,
        at: errors[0]!.row.DATA_ROWTIME,
      },
      { name: 'DivisionByZero', message: 'Division by zero', pump: 'P', at: '2026-01-01T10:00:02.000Z' },
    );
  });

  it('truncates strings on insert and fails NOT NULL columns into error_stream', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (short VARCHAR(2), sector VARCHAR(16) NOT NULL);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM ticker_symbol, CASE WHEN price > 5 THEN sector END FROM "SOURCE_SQL_STREAM_001";`,
      tickerColumns,
      [trade('10:00:00', 'AMZN', 9), trade('10:00:01', 'XYZ', 1)],
    );
    assert.deepEqual(rowsOf(out), [['10:00:00.000', 'AM', 'TECH']]);
    assert.equal(out.find((e) => e.stream === 'error_stream')?.row.ERROR_NAME, 'NotNullViolation');
  });
});

describe('tumbling GROUP BY', () => {
  const code = `CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), n INTEGER, avg_price DOUBLE, window_end TIMESTAMP);
    CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM ticker_symbol, COUNT(*), AVG(price), ROWTIME FROM "SOURCE_SQL_STREAM_001"
      GROUP BY ticker_symbol, FLOOR("SOURCE_SQL_STREAM_001".ROWTIME TO MINUTE) HAVING COUNT(*) > 1;`;

  it('emits each window at its end, when a later row or a bound passes it', () => {
    const app = startApp(code, tickerColumns);
    assert.deepEqual(
      app.feed([
        trade('10:00:10', 'AMZN', 10),
        trade('10:00:20', 'AMZN', 20),
        trade('10:00:59.999', 'XYZ', 1),
        trade('10:00:59.999', 'XYZ', 2),
      ]),
      [],
    );
    assert.deepEqual(rowsOf(app.feed([trade('10:01:00', 'AMZN', 30)])), [
      ['10:01:00.000', 'AMZN', 2, 15, '2026-01-01T10:01:00.000Z'],
      ['10:01:00.000', 'XYZ', 2, 1.5, '2026-01-01T10:01:00.000Z'],
    ]);
    assert.deepEqual(app.feed([trade('10:01:30', 'AMZN', 40), { bound: '2026-01-01T10:01:59.999' }]), []);
    assert.deepEqual(rowsOf(app.feed([{ bound: '2026-01-01T10:02:00' }])), [
      ['10:02:00.000', 'AMZN', 2, 35, '2026-01-01T10:02:00.000Z'],
    ]);
  });

  it('runs the seed S1 key FLOOR((ROWTIME - epoch) SECOND / 60 TO SECOND) as one-minute windows', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), total DOUBLE);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol, SUM(price) FROM "SOURCE_SQL_STREAM_001"
       GROUP BY ticker_symbol, FLOOR(("SOURCE_SQL_STREAM_001".ROWTIME - TIMESTAMP '1970-01-01 00:00:00') SECOND / 60 TO SECOND);`,
      tickerColumns,
      [
        trade('10:00:00', 'AMZN', 1),
        trade('10:00:59', 'AMZN', 2),
        trade('10:01:00', 'AMZN', 4),
        { bound: '2026-01-01T10:02:00' },
      ],
    );
    assert.deepEqual(rowsOf(out), [
      ['10:01:00.000', 'AMZN', 3],
      ['10:02:00.000', 'AMZN', 4],
    ]);
  });

  it('groups by ROWTIME and event time together (partial results for late events)', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (event_minute TIMESTAMP, n INTEGER);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM STEP(event_time BY INTERVAL '1' MINUTE), COUNT(*) FROM "SOURCE_SQL_STREAM_001"
         GROUP BY STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '1' MINUTE), STEP(event_time BY INTERVAL '1' MINUTE);`,
      { EVENT_TIME: 'TIMESTAMP' },
      [
        { at: '2026-01-01T10:00:05', row: { EVENT_TIME: Date.parse('2026-01-01T09:59:58Z') } },
        { at: '2026-01-01T10:00:06', row: { EVENT_TIME: Date.parse('2026-01-01T10:00:01Z') } },
        { at: '2026-01-01T10:00:07', row: { EVENT_TIME: Date.parse('2026-01-01T10:00:02Z') } },
        { bound: '2026-01-01T10:01:00' },
      ],
    );
    assert.deepEqual(rowsOf(out), [
      ['10:01:00.000', '2026-01-01T09:59:00.000Z', 1],
      ['10:01:00.000', '2026-01-01T10:00:00.000Z', 2],
    ]);
  });

  it('orders the rows of a window with ORDER BY', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), total DOUBLE);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM ticker_symbol, SUM(price) AS total FROM "SOURCE_SQL_STREAM_001"
         GROUP BY ticker_symbol, FLOOR(ROWTIME TO MINUTE) ORDER BY FLOOR(ROWTIME TO MINUTE), total DESC;`,
      tickerColumns,
      [
        trade('10:00:01', 'A', 1),
        trade('10:00:02', 'B', 5),
        trade('10:00:03', 'C', 3),
        { bound: '2026-01-01T10:01:00' },
        { bound: '2026-01-01T10:01:01' },
      ],
    );
    assert.deepEqual(rowsOf(out), [
      ['10:01:00.000', 'B', 5],
      ['10:01:00.000', 'C', 3],
      ['10:01:00.000', 'A', 1],
    ]);
  });
});

describe('WINDOWED BY STAGGER', () => {
  it('opens a window per key at its first row and emits it a range later', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), n INTEGER, high DOUBLE);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM ticker_symbol, COUNT(*), MAX(price) FROM "SOURCE_SQL_STREAM_001"
         WINDOWED BY STAGGER (PARTITION BY ticker_symbol RANGE INTERVAL '1' MINUTE);`,
      tickerColumns,
      [
        trade('10:00:30', 'AMZN', 1),
        trade('10:00:45', 'INTC', 7),
        trade('10:01:29', 'AMZN', 3),
        trade('10:01:30', 'AMZN', 5),
        { bound: '2026-01-01T10:02:30' },
      ],
    );
    assert.deepEqual(rowsOf(out), [
      ['10:01:30.000', 'AMZN', 2, 3],
      ['10:01:45.000', 'INTC', 1, 7],
      ['10:02:30.000', 'AMZN', 1, 5],
    ]);
  });
});

describe('sliding windows', () => {
  it('RANGE includes its lower bound; ROWS counts rows; PARTITION BY separates keys; LAG looks back', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), n_range INTEGER, sum_rows DOUBLE, previous DOUBLE);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM ticker_symbol, COUNT(*) OVER r, SUM(price) OVER (PARTITION BY ticker_symbol ROWS 1 PRECEDING), LAG(price, 1, -1) OVER r
         FROM "SOURCE_SQL_STREAM_001"
         WINDOW r AS (PARTITION BY ticker_symbol RANGE INTERVAL '10' SECOND PRECEDING);`,
      tickerColumns,
      [
        trade('10:00:00', 'A', 1),
        trade('10:00:05', 'B', 100),
        trade('10:00:10', 'A', 2),
        trade('10:00:10.001', 'A', 4),
        trade('10:00:20.002', 'A', 8),
      ],
    );
    assert.deepEqual(rowsOf(out), [
      ['10:00:00.000', 'A', 1, 1, -1],
      ['10:00:05.000', 'B', 1, 100, -1],
      ['10:00:10.000', 'A', 2, 3, 1],
      ['10:00:10.001', 'A', 2, 6, 2],
      ['10:00:20.002', 'A', 1, 12, -1],
    ]);
  });

  it('computes MIN/MAX/AVG/STDDEV over the window as rows leave it', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (low DOUBLE, high DOUBLE, mean DOUBLE, spread DOUBLE, first_price DOUBLE);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM MIN(price) OVER w, MAX(price) OVER w, AVG(price) OVER w, STDDEV_POP(price) OVER w, FIRST_VALUE(price) OVER w
         FROM "SOURCE_SQL_STREAM_001" WINDOW w AS (ROWS 2 PRECEDING);`,
      tickerColumns,
      [
        trade('10:00:00', 'A', 5),
        trade('10:00:01', 'A', 1),
        trade('10:00:02', 'A', 3),
        trade('10:00:03', 'A', 9),
        trade('10:00:04', 'A', 6),
      ],
    );
    const rounded = (rows: unknown[][]): unknown[][] =>
      rows.map((r) => r.map((v) => (typeof v === 'number' ? Number(v.toFixed(9)) : v)));
    assert.deepEqual(
      rounded(rowsOf(out).map(([, ...v]) => v)),
      rounded([
        [5, 5, 5, 0, 5],
        [1, 5, 3, 2, 5],
        [1, 5, 3, Math.sqrt(8 / 3), 5],
        [1, 9, 13 / 3, Math.sqrt((100 / 9 + 16 / 9 + 196 / 9) / 3), 1],
        [3, 9, 6, Math.sqrt(6), 3],
      ]),
    );
  });
});

describe('joins with a reference table', () => {
  const companies = {
    companies: {
      columns: { TICKER: 'VARCHAR(4)', COMPANY: 'VARCHAR(32)' },
      rows: [
        ['AMZN', 'Amazon'],
        ['XYZ', 'Example Corp'],
      ],
    },
  };
  it('INNER keeps matches, LEFT keeps every stream row', () => {
    const code = (
      kind: string,
    ): string => `CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), company VARCHAR(32), price DOUBLE);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM s.ticker_symbol, c.company, s.price FROM "SOURCE_SQL_STREAM_001" AS s ${kind} JOIN "companies" AS c ON s.ticker_symbol = c.ticker;`;
    const steps = [trade('10:00:00', 'AMZN', 1), trade('10:00:01', 'QQQ', 2), trade('10:00:02', 'XYZ', 3)];
    assert.deepEqual(rowsOf(runApp(code('INNER'), tickerColumns, steps, companies)), [
      ['10:00:00.000', 'AMZN', 'Amazon', 1],
      ['10:00:02.000', 'XYZ', 'Example Corp', 3],
    ]);
    assert.deepEqual(rowsOf(runApp(code('LEFT'), tickerColumns, steps, companies)), [
      ['10:00:00.000', 'AMZN', 'Amazon', 1],
      ['10:00:01.000', 'QQQ', null, 2],
      ['10:00:02.000', 'XYZ', 'Example Corp', 3],
    ]);
  });
});

describe('SELECT STREAM DISTINCT', () => {
  it('passes each row once per value of its monotonic leading column', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (minute_start TIMESTAMP, ticker VARCHAR(4));
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM DISTINCT FLOOR("SOURCE_SQL_STREAM_001".ROWTIME TO MINUTE), ticker_symbol FROM "SOURCE_SQL_STREAM_001";`,
      tickerColumns,
      [
        trade('10:00:01', 'A', 1),
        trade('10:00:02', 'B', 1),
        trade('10:00:03', 'A', 1),
        trade('10:01:00', 'A', 1),
      ],
    );
    assert.deepEqual(
      rowsOf(out).map((r) => r.slice(2)),
      [['A'], ['B'], ['A']],
    );
  });
});

describe('views and comma joins', () => {
  it('reads a view, and joins a table written after a comma in FROM', () => {
    const out = runApp(
      `CREATE VIEW "BIG" AS SELECT STREAM ticker_symbol, price FROM "SOURCE_SQL_STREAM_001" WHERE price > 5;
       CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), company VARCHAR(32), price DOUBLE);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM b.ticker_symbol, c.company, b.price FROM "BIG" AS b, "companies" AS c WHERE b.ticker_symbol = c.ticker;`,
      tickerColumns,
      [trade('10:00:00', 'AMZN', 10), trade('10:00:01', 'AMZN', 1), trade('10:00:02', 'XYZ', 7)],
      {
        companies: {
          columns: { TICKER: 'VARCHAR(4)', COMPANY: 'VARCHAR(32)' },
          rows: [
            ['AMZN', 'Amazon'],
            ['XYZ', 'Example Corp'],
          ],
        },
      },
    );
    assert.deepEqual(rowsOf(out), [
      ['10:00:00.000', 'AMZN', 'Amazon', 10],
      ['10:00:02.000', 'XYZ', 'Example Corp', 7],
    ]);
  });
});

describe('pumps, streams and time', () => {
  it('chains pumps and fans a stream out to several pumps', () => {
    const out = runApp(
      `CREATE STREAM "MOVES" (ticker VARCHAR(4), change REAL);
       CREATE STREAM "UP" (ticker VARCHAR(4));
       CREATE STREAM "DOWN" (ticker VARCHAR(4));
       CREATE PUMP "P1" AS INSERT INTO "MOVES" SELECT STREAM ticker_symbol, change FROM "SOURCE_SQL_STREAM_001" WHERE change <> 0;
       CREATE PUMP "P2" AS INSERT INTO "UP" SELECT STREAM ticker FROM "MOVES" WHERE change > 0;
       CREATE PUMP "P3" AS INSERT INTO "DOWN" SELECT STREAM ticker FROM "MOVES" WHERE change < 0;`,
      tickerColumns,
      [trade('10:00:00', 'A', 1, 1), trade('10:00:01', 'B', 1, 0), trade('10:00:02', 'C', 1, -2)],
    );
    assert.deepEqual(
      out.map((e) => [e.stream, e.row.TICKER]),
      [
        ['MOVES', 'A'],
        ['UP', 'A'],
        ['MOVES', 'C'],
        ['DOWN', 'C'],
      ],
    );
  });

  it('merges UNION ALL inputs in ROWTIME order', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), side VARCHAR(4));
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM ticker_symbol, 'up' FROM "SOURCE_SQL_STREAM_001" WHERE change > 0
         UNION ALL
         SELECT STREAM ticker_symbol, 'down' FROM "SOURCE_SQL_STREAM_001" WHERE change < 0;`,
      tickerColumns,
      [
        trade('10:00:00', 'A', 1, 1),
        trade('10:00:01', 'B', 1, -1),
        trade('10:00:02', 'C', 1, 1),
        { bound: '2026-01-01T10:00:03' },
      ],
    );
    assert.deepEqual(rowsOf(out), [
      ['10:00:00.000', 'A', 'up'],
      ['10:00:01.000', 'B', 'down'],
      ['10:00:02.000', 'C', 'up'],
    ]);
  });

  it('keeps ROWTIME monotonic: a row moved back in time by AS ROWTIME goes to error_stream', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4));
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM ticker_symbol, event_time AS ROWTIME FROM "SOURCE_SQL_STREAM_001";`,
      { TICKER_SYMBOL: 'VARCHAR(4)', EVENT_TIME: 'TIMESTAMP' },
      [
        {
          at: '2026-01-01T10:00:10',
          row: { TICKER_SYMBOL: 'A', EVENT_TIME: Date.parse('2026-01-01T10:00:05Z') },
        },
        {
          at: '2026-01-01T10:00:11',
          row: { TICKER_SYMBOL: 'B', EVENT_TIME: Date.parse('2026-01-01T10:00:01Z') },
        },
        {
          at: '2026-01-01T10:00:12',
          row: { TICKER_SYMBOL: 'C', EVENT_TIME: Date.parse('2026-01-01T10:00:07Z') },
        },
      ],
    );
    assert.deepEqual(rowsOf(out), [
      ['10:00:05.000', 'A'],
      ['10:00:07.000', 'C'],
    ]);
    assert.equal(out.filter((e) => e.stream === 'error_stream')[0]?.row.ERROR_NAME, 'OutOfOrderRow');
  });

  it('closes windows on an explicit bound, without waiting for input (the clock-driven path)', () => {
    const app = startApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (n INTEGER);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM COUNT(*) FROM "SOURCE_SQL_STREAM_001" GROUP BY STEP(ROWTIME BY INTERVAL '10' SECOND);`,
      tickerColumns,
    );
    app.feed([trade('10:00:01', 'A', 1)]);
    app.engine.advance(Date.parse('2026-01-01T10:00:09.999Z'));
    assert.equal(app.out.length, 0);
    app.engine.advance(Date.parse('2026-01-01T10:00:10Z'));
    assert.deepEqual(rowsOf(app.out), [['10:00:10.000', 1]]);
  });

  it('sends input rows earlier than the bound to error_stream', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4));
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol FROM "SOURCE_SQL_STREAM_001";`,
      tickerColumns,
      [trade('10:00:05', 'A', 1), trade('10:00:04', 'B', 1)],
    );
    assert.deepEqual(rowsOf(out), [['10:00:05.000', 'A']]);
    assert.equal(out[1]?.row.ERROR_NAME, 'OutOfOrderRow');
  });
});

describe('tumbling table functions', () => {
  const steps = [
    trade('10:00:01', 'AMZN', 1),
    trade('10:00:02', 'WMT', 1),
    trade('10:00:03', 'AMZN', 1),
    trade('10:00:04', 'ABC', 1),
    trade('10:00:04', 'WMT', 1),
    trade('10:00:05', 'AMZN', 1),
    trade('10:00:11', 'ABC', 1),
    { bound: '2026-01-01T10:00:20' },
  ];
  it('TOP_K_ITEMS_TUMBLING emits the K most frequent items at each window end', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (item VARCHAR(4), item_count INTEGER);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM * FROM TABLE(TOP_K_ITEMS_TUMBLING(CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"), 'TICKER_SYMBOL', 2, 10));`,
      tickerColumns,
      steps,
    );
    assert.deepEqual(rowsOf(out), [
      ['10:00:10.000', 'AMZN', 3],
      ['10:00:10.000', 'WMT', 2],
      ['10:00:20.000', 'ABC', 1],
    ]);
  });

  it('COUNT_DISTINCT_ITEMS_TUMBLING counts distinct values per window', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (distinct_tickers INTEGER);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM NUMBER_OF_DISTINCT_ITEMS FROM TABLE(COUNT_DISTINCT_ITEMS_TUMBLING(CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"), 'TICKER_SYMBOL', 10));`,
      tickerColumns,
      steps,
    );
    assert.deepEqual(rowsOf(out), [
      ['10:00:10.000', 3],
      ['10:00:20.000', 1],
    ]);
  });
});

describe('functions', () => {
  it('date, string, regex and log-parsing functions', () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (a VARCHAR(64), b TIMESTAMP, c BIGINT, d VARCHAR(128), e VARCHAR(64), f VARCHAR(64), g VARCHAR(64), h DECIMAL(5, 3), i VARCHAR(8));
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM TIMESTAMP_TO_CHAR('yyyy-MM-dd hh:mm:ss a', ROWTIME),
           CHAR_TO_TIMESTAMP('dd/MMM/yyyy:HH:mm:ss', '25/Mar/2018:15:25:37'),
           STEP(23 BY 5) + FLOOR(-3.3) + CEIL(5.2),
           REGEX_REPLACE(line, 'o', '0', 1, 0),
           UPPER(SUBSTRING(line FROM 1 FOR 5)) || '|' || INITCAP('hello world'),
           t.w.COLUMN5,
           t.v.COLUMN2,
           EXTRACT(SECOND FROM TIMESTAMP '2004-09-27 13:48:23.456'),
           TRIM(BOTH '*' FROM '**ok**')
         FROM (SELECT STREAM line, W3C_LOG_PARSE(line, 'COMMON') AS w, VARIABLE_COLUMN_LOG_PARSE('a,b\\,c,d', 3, ',', '\\') AS v
               FROM "SOURCE_SQL_STREAM_001") AS t;`,
      { LINE: 'VARCHAR(256)' },
      [
        {
          at: '2026-01-01T15:04:05',
          row: {
            LINE: '192.168.254.30 - John [24/May/2004:22:01:02 -0700] "GET /icons/apache_pb.gif HTTP/1.1" 304 0',
          },
        },
      ],
    );
    assert.deepEqual(rowsOf(out)[0]?.slice(1), [
      '2026-01-01 03:04:05 PM',
      '2018-03-25T15:25:37.000Z',
      20 - 4 + 6,
      '192.168.254.30 - J0hn [24/May/2004:22:01:02 -0700] "GET /ic0ns/apache_pb.gif HTTP/1.1" 304 0',
      '192.1|Hello World',
      'GET /icons/apache_pb.gif HTTP/1.1',
      'b,c',
      23.456,
      'ok',
    ]);
  });
});

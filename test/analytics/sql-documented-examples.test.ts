/**
 * Documented examples of the Kinesis Data Analytics developer guide, run through the offline
 * runner (`tributary sql run`) as a child process: the documented input records and SQL, and the
 * documented results. Each case names its page. (test/analytics/sql-run.test.ts has the getting
 * started tumbling and sliding windows, the stagger page's six-record example, REGEX_LOG_PARSE
 * and the reference-data join.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSql as run, type Column } from './sql-run-process.js';

describe('developer guide examples, with their documented results', () => {
  // https://docs.aws.amazon.com/kinesisanalytics/latest/dev/stagger-window-concepts.html
  // ("Partial Results with Tumbling Windows" and "Complete Results with Stagger Windows").
  const columns: Column[] = [
    { Name: 'EVENT_TIME', SqlType: 'TIMESTAMP', Mapping: '$.EVENT_TIME' },
    { Name: 'TICKER_SYMBOL', SqlType: 'VARCHAR(4)', Mapping: '$.TICKER_SYMBOL' },
  ];
  const events = [
    ['11:00:20', '11:00:10'],
    ['11:00:30', '11:00:20'],
    ['11:01:05', '11:00:55'],
    ['11:01:15', '11:01:05'],
  ].map(([rowtime, event]) => ({
    rowtime: `2018-08-01T${rowtime}Z`,
    data: { EVENT_TIME: `2018-08-01 ${event}`, TICKER_SYMBOL: 'AMZN' },
  }));
  const at = (t: string): string => `2018-08-01T${t}.000Z`;

  it('stagger page, tumbling window: the four trades split into three partial results', async () => {
    // The page's 2020 text inserted three items into a two-column stream; its 2023 correction
    // (EVENT_TIME added to the stream) is what runs here.
    const out = await run(
      `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
    TICKER_SYMBOL VARCHAR(4),
    EVENT_TIME TIMESTAMP,
    TICKER_COUNT     DOUBLE);

CREATE OR REPLACE PUMP "STREAM_PUMP" AS
  INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM
        TICKER_SYMBOL,
        FLOOR(EVENT_TIME TO MINUTE),
        COUNT(TICKER_SYMBOL) AS TICKER_COUNT
    FROM "SOURCE_SQL_STREAM_001"
    GROUP BY ticker_symbol, FLOOR(EVENT_TIME TO MINUTE), STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '1' MINUTE);`,
      columns,
      [...events, { end: '2018-08-01T11:03:00Z' }],
    );
    // Documented: ROWTIME, EVENT_TIME, TICKER_SYMBOL, COUNT = 11:01:00 11:00:00 AMZN 2;
    // 11:02:00 11:00:00 AMZN 1; 11:02:00 11:01:00 AMZN 1.
    assert.deepEqual(out, [
      ['DESTINATION_SQL_STREAM', at('11:01:00'), 'AMZN', at('11:00:00'), 2],
      ['DESTINATION_SQL_STREAM', at('11:02:00'), 'AMZN', at('11:00:00'), 1],
      ['DESTINATION_SQL_STREAM', at('11:02:00'), 'AMZN', at('11:01:00'), 1],
    ]);
  });

  it('stagger page, stagger window: complete results per event minute', async () => {
    const out = await run(
      `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
    ticker_symbol    VARCHAR(4),
    event_time       TIMESTAMP,
    ticker_count     DOUBLE);

CREATE OR REPLACE PUMP "STREAM_PUMP" AS
  INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM
        TICKER_SYMBOL,
        FLOOR(EVENT_TIME TO MINUTE),
        COUNT(TICKER_SYMBOL) AS ticker_count
    FROM "SOURCE_SQL_STREAM_001"
    WINDOWED BY STAGGER (
            PARTITION BY FLOOR(EVENT_TIME TO MINUTE), TICKER_SYMBOL RANGE INTERVAL '1' MINUTE);`,
      columns,
      [...events, { end: '2018-08-01T11:03:00Z' }],
    );
    // Documented: 11:01:20 11:00:00 AMZN 3; 11:02:15 11:01:00 AMZN 1.
    assert.deepEqual(out, [
      ['DESTINATION_SQL_STREAM', at('11:01:20'), 'AMZN', at('11:00:00'), 3],
      ['DESTINATION_SQL_STREAM', at('11:02:15'), 'AMZN', at('11:01:00'), 1],
    ]);
  });

  // https://docs.aws.amazon.com/kinesisanalytics/latest/dev/examples-transforming-strings-substring.html
  // The page shows its result ("amazon" for every record) as a screenshot. The SQL quotes
  // "referrer", so the column is the lower-case name of the 2018 page (reference §18.14).
  it('SUBSTRING example: the company name out of the referrer URL', async () => {
    const out = await run(
      `-- CREATE OR REPLACE STREAM for cleaned up referrer
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
    "ingest_time" TIMESTAMP,
    "referrer" VARCHAR(32));

CREATE OR REPLACE PUMP "myPUMP" AS
   INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM
         "APPROXIMATE_ARRIVAL_TIME",
         SUBSTRING("referrer", 12, (POSITION('.com' IN "referrer") - POSITION('www.' IN "referrer") - 4))
      FROM "SOURCE_SQL_STREAM_001";`,
      [{ Name: 'referrer', SqlType: 'VARCHAR(32)', Mapping: '$.referrer' }],
      [
        {
          rowtime: '2026-12-07T10:00:01Z',
          arrival: '2026-12-07T10:00:00.500Z',
          data: { referrer: 'http://www.amazon.com' },
        },
        { rowtime: '2026-12-07T10:00:02Z', data: { referrer: 'http://www.amazon.com' } },
      ],
    );
    assert.deepEqual(out, [
      ['DESTINATION_SQL_STREAM', '2026-12-07T10:00:01.000Z', '2026-12-07T10:00:00.500Z', 'amazon'],
      ['DESTINATION_SQL_STREAM', '2026-12-07T10:00:02.000Z', '2026-12-07T10:00:02.000Z', 'amazon'],
    ]);
  });

  // https://docs.aws.amazon.com/kinesisanalytics/latest/dev/app-string-datetime-manipulation.html
  // ("Example: Transforming Dates"): the documented records; the page shows the results as a
  // screenshot, so the values here follow the reference's definitions (microseconds cut to
  // milliseconds §18.15, `hh` a 12-hour clock, EXTRACT(SECOND) 41.337 truncated into INTEGER §18.16).
  it('transforming dates: interval arithmetic, UNIX_TIMESTAMP, TIMESTAMP_TO_CHAR, EXTRACT', async () => {
    const out = await run(
      `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
    TICKER VARCHAR(4),
    event_time TIMESTAMP,
    five_minutes_before TIMESTAMP,
    event_unix_timestamp BIGINT,
    event_timestamp_as_char VARCHAR(50),
    event_second INTEGER);

CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"

SELECT STREAM
    TICKER,
    EVENT_TIME,
    EVENT_TIME - INTERVAL '5' MINUTE,
    UNIX_TIMESTAMP(EVENT_TIME),
    TIMESTAMP_TO_CHAR('yyyy-MM-dd hh:mm:ss', EVENT_TIME),
    EXTRACT(SECOND FROM EVENT_TIME)
FROM "SOURCE_SQL_STREAM_001"`,
      [
        { Name: 'EVENT_TIME', SqlType: 'TIMESTAMP', Mapping: '$.EVENT_TIME' },
        { Name: 'TICKER', SqlType: 'VARCHAR(4)', Mapping: '$.TICKER' },
      ],
      [
        {
          rowtime: '2018-05-09T12:50:42Z',
          data: { EVENT_TIME: '2018-05-09T12:50:41.337510', TICKER: 'AAPL' },
        },
        {
          rowtime: '2018-05-09T12:50:42Z',
          data: { EVENT_TIME: '2018-05-09T12:50:41.427227', TICKER: 'MSFT' },
        },
      ],
    );
    assert.deepEqual(out, [
      [
        'DESTINATION_SQL_STREAM',
        '2018-05-09T12:50:42.000Z',
        'AAPL',
        '2018-05-09T12:50:41.337Z',
        '2018-05-09T12:45:41.337Z',
        Date.UTC(2018, 4, 9, 12, 50, 41, 337),
        '2018-05-09 12:50:41',
        41,
      ],
      [
        'DESTINATION_SQL_STREAM',
        '2018-05-09T12:50:42.000Z',
        'MSFT',
        '2018-05-09T12:50:41.427Z',
        '2018-05-09T12:45:41.427Z',
        Date.UTC(2018, 4, 9, 12, 50, 41, 427),
        '2018-05-09 12:50:41',
        41,
      ],
    ]);
  });
});

describe('developer guide concept pages, with their documented results', () => {
  // https://docs.aws.amazon.com/kinesisanalytics/latest/dev/timestamps-rowtime-concepts.html
  // ("Understanding Various Times in Streaming Analytics"): the page shows counts per ticker and
  // minute, grouped by ROWTIME and by APPROXIMATE_ARRIVAL_TIME; the input here is the rows those
  // counts imply, with the last XYZ record ingested in the first minute and read in the second.
  it('two-window strategy: a late record counted under its ingest minute, in the next ROWTIME window', async () => {
    const trade = (rowtime: string, TICKER_SYMBOL: string, arrival = rowtime) => ({
      rowtime: `2016-07-19T${rowtime}Z`,
      arrival: `2016-07-19T${arrival}Z`,
      data: { TICKER_SYMBOL },
    });
    const minute = (m: string, counts: Record<string, number>) =>
      Object.entries(counts).flatMap(([ticker, n]) =>
        Array.from({ length: n }, (_, i) => trade(`17:${m}:${String(i + 10).padStart(2, '0')}`, ticker)),
      );
    const ordered = (rows: ReturnType<typeof trade>[]) =>
      [...rows].sort((a, b) => a.rowtime.localeCompare(b.rowtime));
    const out = await run(
      `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM"
    ("ingest_time"    timestamp,
    "APPROXIMATE_ARRIVAL_TIME" timestamp,
    "ticker_symbol"  VARCHAR(12),
    "symbol_count"        integer);


CREATE OR REPLACE PUMP "STREAM_PUMP" AS
    INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND) AS "ingest_time",
        STEP("SOURCE_SQL_STREAM_001".APPROXIMATE_ARRIVAL_TIME BY INTERVAL '60' SECOND) AS "APPROXIMATE_ARRIVAL_TIME",
        "TICKER_SYMBOL",
        COUNT(*) AS "symbol_count"
    FROM "SOURCE_SQL_STREAM_001"
    GROUP BY "TICKER_SYMBOL",
        STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND),
        STEP("SOURCE_SQL_STREAM_001".APPROXIMATE_ARRIVAL_TIME BY INTERVAL '60' SECOND);`,
      [{ Name: 'TICKER_SYMBOL', SqlType: 'VARCHAR(4)', Mapping: '$.TICKER_SYMBOL' }],
      [
        ...ordered(minute('05', { ABC: 10, DEF: 15, XYZ: 6 })),
        ...ordered([...minute('06', { ABC: 11, DEF: 11 }), trade('17:06:40', 'XYZ', '17:05:58')]),
        { end: '2016-07-19T17:07:00Z' },
      ],
    );
    // Documented (ROWTIME, ingest minute, ticker, count): 17:05 ABC 10, DEF 15, XYZ 6; then
    // 17:06 ABC 11, DEF 11 and the late XYZ 1 under ingest minute 17:05. The page prints each
    // window's ROWTIME as its start; ours is the window's end (reference §18.1, §6 of the docs).
    const at = (t: string): string => `2016-07-19T${t}:00.000Z`;
    assert.deepEqual(out, [
      ['DESTINATION_SQL_STREAM', at('17:06'), at('17:05'), at('17:05'), 'ABC', 10],
      ['DESTINATION_SQL_STREAM', at('17:06'), at('17:05'), at('17:05'), 'DEF', 15],
      ['DESTINATION_SQL_STREAM', at('17:06'), at('17:05'), at('17:05'), 'XYZ', 6],
      ['DESTINATION_SQL_STREAM', at('17:07'), at('17:06'), at('17:06'), 'ABC', 11],
      ['DESTINATION_SQL_STREAM', at('17:07'), at('17:06'), at('17:06'), 'DEF', 11],
      ['DESTINATION_SQL_STREAM', at('17:07'), at('17:06'), at('17:05'), 'XYZ', 1],
    ]);
  });

  // https://docs.aws.amazon.com/kinesisanalytics/latest/dev/sliding-window-concepts.html: a count
  // over a 5-second sliding window, records at t1, t2, t6, t7 and three at t8; documented counts
  // 1, 2, 2, 2 and 5. The page drops the record exactly 5 s old (t1 at t6, t2 at t7); the SQL
  // reference's WEATHERSTREAM table keeps the reading exactly one day old (Denver 29 in the window
  // of 2018-11-02 01:00), and we follow the reference: RANGE's lower bound is inclusive (§6).
  it('sliding window concept: counts over a 5-second window, lower bound inclusive', async () => {
    const out = await run(
      `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (record_count INTEGER);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
  SELECT STREAM COUNT(*) OVER W1 FROM "SOURCE_SQL_STREAM_001"
  WINDOW W1 AS (RANGE INTERVAL '5' SECOND PRECEDING);`,
      [{ Name: 'ID', SqlType: 'INTEGER', Mapping: '$.ID' }],
      [1, 2, 6, 7, 8, 8, 8].map((t, ID) => ({ rowtime: `2026-12-07T10:00:0${t}Z`, data: { ID } })),
    );
    assert.deepEqual(
      out.map((row) => [row[1], row[2]]),
      [
        ['2026-12-07T10:00:01.000Z', 1],
        ['2026-12-07T10:00:02.000Z', 2],
        ['2026-12-07T10:00:06.000Z', 3], // documented 2 (t1 left out)
        ['2026-12-07T10:00:07.000Z', 3], // documented 2 (t2 left out)
        ['2026-12-07T10:00:08.000Z', 3],
        ['2026-12-07T10:00:08.000Z', 4],
        ['2026-12-07T10:00:08.000Z', 5], // documented 5
      ],
    );
  });
});

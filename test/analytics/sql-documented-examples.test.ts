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

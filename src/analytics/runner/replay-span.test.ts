import assert from 'node:assert/strict';
import { test } from 'node:test';
import { limits } from '../../core/limits.js';
import { ProcessingClock } from '../exec/sql-engine.js';
import { bindForInputs } from './bind-for-inputs.js';
import { replaySpan, windowStartMs } from './replay-span.js';

const source = {
  name: 'SOURCE_SQL_STREAM_001',
  columns: [
    { name: 'APPROXIMATE_ARRIVAL_TIME', sqlType: 'TIMESTAMP' },
    { name: 'TICKER', sqlType: 'VARCHAR(4)' },
    { name: 'PRICE', sqlType: 'REAL' },
    { name: 'EVENT_TIME', sqlType: 'TIMESTAMP' },
    { name: 'ID', sqlType: 'INTEGER' },
  ],
};

function spanOf(pumps: string): ReturnType<typeof replaySpan> {
  const code = `CREATE OR REPLACE STREAM "OUT" (ticker VARCHAR(4), n BIGINT);
CREATE OR REPLACE STREAM "OUT2" (ticker VARCHAR(4), n BIGINT);
${pumps}`;
  return replaySpan(bindForInputs(code, [source], new ProcessingClock()));
}

const boundMs = 1_800_000_025_300;
const margin = limits.analyticsReplayMarginMs;

test('a plain projection holds nothing: the replay point is the read position', () => {
  const span = spanOf(
    `CREATE PUMP "P" AS INSERT INTO "OUT" SELECT STREAM ticker, 1 FROM "SOURCE_SQL_STREAM_001";`,
  );
  assert.equal(span.heldFromMs(boundMs), Number.POSITIVE_INFINITY);
  assert.equal(span.recordsKept, 0);
});

test('one tumbling window alone: rows from the start of the window the bound is in', () => {
  const step = spanOf(`CREATE PUMP "P" AS INSERT INTO "OUT"
    SELECT STREAM ticker, COUNT(*) FROM "SOURCE_SQL_STREAM_001"
    GROUP BY ticker, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);`);
  assert.equal(step.heldFromMs(boundMs), 1_800_000_020_000);
  // On a window's end the bound closes it: the new window starts there.
  assert.equal(step.heldFromMs(1_800_000_030_000), 1_800_000_030_000);
  assert.equal(step.recordsKept, 0);
  const floor = spanOf(`CREATE PUMP "P" AS INSERT INTO "OUT"
    SELECT STREAM ticker, COUNT(*) FROM "SOURCE_SQL_STREAM_001"
    GROUP BY ticker, FLOOR("SOURCE_SQL_STREAM_001".ROWTIME TO MINUTE);`);
  assert.equal(floor.heldFromMs(boundMs), 1_800_000_000_000);
});

test('sliding RANGE and STAGGER hold their interval, plus the margin', () => {
  const sliding = spanOf(`CREATE PUMP "P" AS INSERT INTO "OUT"
    SELECT STREAM ticker, COUNT(*) OVER (PARTITION BY ticker RANGE INTERVAL '30' SECOND PRECEDING)
    FROM "SOURCE_SQL_STREAM_001";`);
  assert.equal(sliding.heldFromMs(boundMs), boundMs - 30_000 - margin);
  const stagger = spanOf(`CREATE PUMP "P" AS INSERT INTO "OUT"
    SELECT STREAM ticker, COUNT(*) FROM "SOURCE_SQL_STREAM_001"
    WINDOWED BY STAGGER (PARTITION BY ticker RANGE INTERVAL '1' MINUTE);`);
  assert.equal(stagger.heldFromMs(boundMs), boundMs - 60_000 - margin);
});

test('chained pumps add their windows up', () => {
  const span = spanOf(`CREATE PUMP "P1" AS INSERT INTO "OUT"
    SELECT STREAM ticker, COUNT(*) FROM "SOURCE_SQL_STREAM_001"
    GROUP BY ticker, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);
CREATE PUMP "P2" AS INSERT INTO "OUT2"
    SELECT STREAM ticker, SUM(n) OVER (PARTITION BY ticker RANGE INTERVAL '1' MINUTE PRECEDING) FROM "OUT";`);
  assert.equal(span.heldFromMs(boundMs), boundMs - 10_000 - 60_000 - margin);
});

test('ROWS windows keep their row count; event-time windows keep the bounded maximum', () => {
  const rows = spanOf(`CREATE PUMP "P" AS INSERT INTO "OUT"
    SELECT STREAM ticker, COUNT(*) OVER (PARTITION BY ticker ROWS 5 PRECEDING) FROM "SOURCE_SQL_STREAM_001";`);
  assert.equal(rows.heldFromMs(boundMs), Number.POSITIVE_INFINITY);
  assert.equal(rows.recordsKept, 5);
  const eventTime = spanOf(`CREATE PUMP "P" AS INSERT INTO "OUT"
    SELECT STREAM ticker, COUNT(*) FROM "SOURCE_SQL_STREAM_001"
    GROUP BY ticker, MONOTONIC(FLOOR(event_time TO MINUTE));`);
  assert.equal(eventTime.recordsKept, limits.analyticsReplayRecordsMax);
});

test('windowStartMs finds the first ROWTIME of the key at the bound', () => {
  const key = (t: number) => Math.floor(t / 7_000);
  assert.equal(windowStartMs(key, 20_999), 14_000);
  assert.equal(windowStartMs(key, 21_000), 21_000);
  assert.equal(
    windowStartMs(() => 1, 5_000),
    Number.NEGATIVE_INFINITY,
  );
});

test('a stream-to-stream join holds both sides’ windows; a T-sort its WITHIN interval and event-time records', () => {
  const join = spanOf(`CREATE STREAM ORDERS (ID INTEGER, TICKER VARCHAR(4));
CREATE STREAM TRADES (ID INTEGER, TICKER VARCHAR(4));
CREATE PUMP SPLIT_ORDERS AS INSERT INTO ORDERS SELECT STREAM 1, ticker FROM "SOURCE_SQL_STREAM_001" WHERE price > 0;
CREATE PUMP SPLIT_TRADES AS INSERT INTO TRADES SELECT STREAM 2, ticker FROM "SOURCE_SQL_STREAM_001" WHERE price <= 0;
CREATE PUMP JOINED AS INSERT INTO "OUT"
  SELECT STREAM o.ticker, t.ID FROM ORDERS AS o
  JOIN TRADES OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS t ON o.ticker = t.ticker;`);
  // The side without OVER keeps only rows of the same ROWTIME (0), the other one minute.
  assert.equal(join.heldFromMs(boundMs), boundMs - 60_000 - margin);
  const tsort = spanOf(`CREATE STREAM "SORTED" (ID INTEGER);
CREATE PUMP "P" AS INSERT INTO "SORTED"
  SELECT STREAM s.event_time AS ROWTIME, s.id FROM "SOURCE_SQL_STREAM_001" AS s
  ORDER BY s.event_time WITHIN INTERVAL '5' SECOND;`);
  assert.equal(tsort.heldFromMs(boundMs), boundMs - 5_000 - margin);
  assert.equal(tsort.recordsKept, limits.analyticsReplayRecordsMax);
});

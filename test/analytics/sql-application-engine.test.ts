/**
 * The SQL engine behind the runner's ApplicationEngine contract: values cross in the runner's
 * representation (Dates, bigints), only output streams and error_stream are reported, batched per
 * call, and bad code is a CodeValidationException naming line and column.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sqlApplicationEngine } from '../../src/analytics/exec/sql-application-engine.js';
import type { Row } from '../../src/analytics/runner/application-engine.js';
import type { StreamColumn } from '../../src/analytics/records/sql-value.js';

const inputs = [
  {
    name: 'SOURCE_SQL_STREAM_001',
    columns: [
      { name: 'APPROXIMATE_ARRIVAL_TIME', sqlType: 'TIMESTAMP' },
      { name: 'TICKER', sqlType: 'VARCHAR(4)' },
      { name: 'PRICE', sqlType: 'DOUBLE' },
    ],
  },
];

const code = `CREATE STREAM "OUT" (ticker VARCHAR(4), n BIGINT, arrived TIMESTAMP, ratio DOUBLE);
CREATE STREAM "HIDDEN" (ticker VARCHAR(4));
CREATE PUMP "P1" AS INSERT INTO "OUT" SELECT STREAM ticker, COUNT(*), MAX(approximate_arrival_time), MAX(100 / price)
  FROM "SOURCE_SQL_STREAM_001" GROUP BY ticker, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);
CREATE PUMP "P2" AS INSERT INTO "HIDDEN" SELECT STREAM ticker FROM "SOURCE_SQL_STREAM_001";`;

describe('sqlApplicationEngine', () => {
  it('runs the code over runner rows and reports output streams and error_stream', () => {
    const calls: [string, readonly StreamColumn[], readonly Row[]][] = [];
    const engine = sqlApplicationEngine({
      code,
      inputs,
      outputStreams: new Set(['OUT']),
      onOutput: (s, c, r) => calls.push([s, c, r]),
    });
    const t0 = Date.parse('2026-12-07T10:00:01Z');
    engine.push('SOURCE_SQL_STREAM_001', [
      { rowtimeMs: t0, values: [new Date(t0 - 5), 'AMZN', 4] },
      { rowtimeMs: t0 + 1, values: [new Date(t0 - 1), 'AMZN', 5] },
    ]);
    assert.deepEqual(calls, []);
    engine.advanceTime(Date.parse('2026-12-07T10:00:10Z'));
    assert.deepEqual(calls, [
      [
        'OUT',
        [
          { name: 'TICKER', sqlType: 'VARCHAR(4)' },
          { name: 'N', sqlType: 'BIGINT' },
          { name: 'ARRIVED', sqlType: 'TIMESTAMP' },
          { name: 'RATIO', sqlType: 'DOUBLE' },
        ],
        [{ rowtimeMs: Date.parse('2026-12-07T10:00:10Z'), values: ['AMZN', 2n, new Date(t0 - 1), 25] }],
      ],
    ]);
    engine.close();
  });

  it('reports row errors on error_stream within the call that caused them', () => {
    const calls: string[] = [];
    const engine = sqlApplicationEngine({
      code: 'CREATE STREAM "OUT" (r DOUBLE);\nCREATE PUMP "P" AS INSERT INTO "OUT" SELECT STREAM 1 / price FROM "SOURCE_SQL_STREAM_001";',
      inputs,
      outputStreams: new Set(['OUT']),
      onOutput: (stream, _columns, rows) =>
        calls.push(`${stream}:${rows.map((r) => String(r.values[2] ?? r.values[0])).join(',')}`),
    });
    engine.push('SOURCE_SQL_STREAM_001', [
      { rowtimeMs: 1000, values: [new Date(1000), 'A', 0] },
      { rowtimeMs: 2000, values: [new Date(2000), 'A', 2] },
    ]);
    assert.deepEqual(calls, ['error_stream:DivisionByZero', 'OUT:0.5']);
  });

  it('rejects invalid code with CodeValidationException', () => {
    assert.throws(
      () =>
        sqlApplicationEngine({
          code: 'CREATE STREAM "OUT" (x INT);\nCREATE PUMP "P" AS INSERT INTO "OUT" SELECT STREAM nope FROM "SOURCE_SQL_STREAM_001";',
          inputs,
          outputStreams: new Set(),
          onOutput: () => undefined,
        }),
      {
        name: 'CodeValidationException',
        code: 'CodeValidationException',
        message: "line 2, column 52: Column 'NOPE' not found in any table",
      },
    );
  });
});

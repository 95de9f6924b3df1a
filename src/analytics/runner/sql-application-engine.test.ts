/**
 * The runner's engine over the SQL engine: binding against the runner's input streams, value
 * conversion both ways, tumbling windows closed by `advanceTime` alone, error_stream rows for
 * runtime errors, and only output streams reported.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqlValidationError } from '../plan/sql-validation-error.js';
import type { StreamColumn } from '../records/sql-value.js';
import type { Row } from './application-engine.js';
import { sqlApplicationEngine } from './sql-application-engine.js';

const inputColumns: StreamColumn[] = [
  { name: 'APPROXIMATE_ARRIVAL_TIME', sqlType: 'TIMESTAMP' },
  { name: 'TICKER', sqlType: 'VARCHAR(4)' },
  { name: 'PRICE', sqlType: 'REAL' },
  { name: 'VOLUME', sqlType: 'BIGINT' },
];

const code = `
CREATE STREAM "DEST" (TICKER VARCHAR(4), N INTEGER, TOTAL BIGINT, WINDOW_END TIMESTAMP, PRICE REAL);
CREATE STREAM "RATIOS" (TICKER VARCHAR(4), RATIO INTEGER);
CREATE STREAM "HIDDEN" (TICKER VARCHAR(4));
CREATE PUMP "P1" AS INSERT INTO "DEST"
  SELECT STREAM TICKER, COUNT(*), SUM(VOLUME), STEP(s.ROWTIME BY INTERVAL '10' SECOND), MAX(PRICE)
  FROM "SOURCE_SQL_STREAM_001" AS s
  GROUP BY TICKER, STEP(s.ROWTIME BY INTERVAL '10' SECOND);
CREATE PUMP "P2" AS INSERT INTO "RATIOS"
  SELECT STREAM TICKER, CAST(100 / VOLUME AS INTEGER) FROM "SOURCE_SQL_STREAM_001";
CREATE PUMP "P3" AS INSERT INTO "HIDDEN" SELECT STREAM TICKER FROM "SOURCE_SQL_STREAM_001";
`;

function setup(outputStreams: string[]) {
  const emitted: { stream: string; columns: readonly StreamColumn[]; rows: readonly Row[] }[] = [];
  const engine = sqlApplicationEngine({
    code,
    inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns: inputColumns }],
    outputStreams: new Set(outputStreams),
    onOutput: (stream, columns, rows) => emitted.push({ stream, columns, rows }),
  });
  return { engine, emitted };
}

const t0 = Date.UTC(2026, 11, 7, 14, 0, 0);
const input = (rowtimeMs: number, ticker: string, price: number, volume: bigint): Row => ({
  rowtimeMs,
  values: [new Date(rowtimeMs - 5), ticker, price, volume],
});

describe('sqlApplicationEngine', () => {
  it('runs a tumbling window that closes on time alone, converting values both ways', () => {
    const { engine, emitted } = setup(['DEST']);
    engine.push('SOURCE_SQL_STREAM_001', [
      input(t0 + 1000, 'AMZN', 10.1, 5n),
      input(t0 + 2000, 'AMZN', 12.5, 7n),
      input(t0 + 3000, 'TBV', 3.25, 2n),
    ]);
    assert.equal(emitted.length, 0, 'the window is still open');
    engine.advanceTime(t0 + 9_999);
    assert.equal(emitted.length, 0);
    engine.advanceTime(t0 + 10_000);
    assert.equal(emitted.length, 1);
    const [batch] = emitted;
    assert.equal(batch!.stream, 'DEST');
    assert.deepEqual(batch!.columns, [
      { name: 'TICKER', sqlType: 'VARCHAR(4)' },
      { name: 'N', sqlType: 'INTEGER' },
      { name: 'TOTAL', sqlType: 'BIGINT' },
      { name: 'WINDOW_END', sqlType: 'TIMESTAMP' },
      { name: 'PRICE', sqlType: 'REAL' },
    ]);
    const rows = batch!.rows.map((row) => row.values);
    assert.deepEqual(
      rows.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        ['AMZN', 2, 12, new Date(t0), 12.5],
        ['TBV', 1, 2, new Date(t0), 3.25],
      ],
    );
    engine.close();
  });

  it('reports runtime errors on error_stream and only the output streams', () => {
    const { engine, emitted } = setup(['RATIOS']);
    engine.push('SOURCE_SQL_STREAM_001', [input(t0 + 1000, 'AMZN', 1, 4n), input(t0 + 2000, 'QXZ', 1, 0n)]);
    const streams = emitted.map((e) => e.stream).sort();
    assert.deepEqual(streams, ['RATIOS', 'error_stream']);
    const ratios = emitted.find((e) => e.stream === 'RATIOS')!;
    assert.deepEqual(
      ratios.rows.map((row) => [row.rowtimeMs, ...row.values]),
      [[t0 + 1000, 'AMZN', 25]],
    );
    const errors = emitted.find((e) => e.stream === 'error_stream')!;
    assert.equal(errors.rows.length, 1);
    const [errorTime, level, , , dataRowtime, , pump] = errors.rows[0]!.values;
    assert.ok(errorTime instanceof Date);
    assert.equal(level, 'ERROR');
    assert.deepEqual(dataRowtime, new Date(t0 + 2000));
    assert.equal(pump, 'P2');
  });

  it('refuses code that does not bind against the input columns', () => {
    assert.throws(
      () =>
        sqlApplicationEngine({
          code: 'CREATE STREAM D (A INTEGER);\nCREATE PUMP P AS INSERT INTO D SELECT STREAM NOPE FROM SOURCE_SQL_STREAM_001;',
          inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns: inputColumns }],
          outputStreams: new Set(['D']),
          onOutput: () => undefined,
        }),
      (error: unknown) =>
        error instanceof SqlValidationError && /Column 'NOPE' not found/.test(error.message),
    );
  });
});

/**
 * Differential test: windowed results of the incremental engine against a naive batch
 * recomputation over the whole input, on random inputs (keys, prices, equal and jumping
 * ROWTIMEs, random bounds). Emission order within one ROWTIME is unspecified (reference §18.12),
 * so rows are compared sorted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runApp, type Step } from './sql-app.js';
import { seededRandom } from '../../src/core/seeded-random.js';

const random = seededRandom;

interface Trade {
  readonly t: number;
  readonly key: string;
  readonly price: number;
}

function trades(next: () => number, count: number): Trade[] {
  const out: Trade[] = [];
  let t = 1_700_000_000_000 + Math.floor(next() * 100_000);
  for (let i = 0; i < count; i++) {
    const r = next();
    t += r < 0.2 ? 0 : r < 0.9 ? Math.floor(next() * 3000) : Math.floor(next() * 90_000);
    out.push({ t, key: `K${Math.floor(next() * 4)}`, price: Math.floor(next() * 100) - 20 });
  }
  return out;
}

function steps(next: () => number, rows: readonly Trade[], end: number): Step[] {
  const out: Step[] = [];
  for (const r of rows) {
    if (next() < 0.1) out.push({ bound: r.t });
    out.push({ at: r.t, row: { TICKER_SYMBOL: r.key, PRICE: r.price } });
  }
  out.push({ bound: end });
  return out;
}

const columns = { TICKER_SYMBOL: 'VARCHAR(4)', PRICE: 'INTEGER' };
const sorted = (rows: unknown[][]): string[] => rows.map((r) => JSON.stringify(r)).sort();
const destination =
  'CREATE STREAM "DESTINATION_SQL_STREAM" (k VARCHAR(4), n BIGINT, total BIGINT, low INTEGER, high INTEGER);\n';

function stats(group: readonly Trade[]): [number, number, number, number] {
  const prices = group.map((g) => g.price);
  return [group.length, prices.reduce((a, b) => a + b, 0), Math.min(...prices), Math.max(...prices)];
}

describe('differential: incremental windows against batch recomputation', () => {
  for (let seed = 1; seed <= 25; seed++) {
    it(`random input ${seed}`, () => {
      const next = random(seed);
      const rows = trades(next, 40 + Math.floor(next() * 160));
      const last = rows[rows.length - 1]!.t;
      const end = last + Math.floor(next() * 120_000);
      const input = steps(next, rows, end);

      // Tumbling: STEP(ROWTIME BY size) per key; emitted at window end when the end bound passes it.
      const size = [1, 5, 10, 60][Math.floor(next() * 4)]! * 1000;
      const tumbling = runApp(
        destination +
          `CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol, COUNT(*), SUM(price), MIN(price), MAX(price)
           FROM "SOURCE_SQL_STREAM_001" GROUP BY ticker_symbol, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '${size / 1000}' SECOND);`,
        columns,
        input,
      );
      const groups = new Map<string, Trade[]>();
      for (const r of rows) {
        const start = Math.floor(r.t / size) * size;
        const id = JSON.stringify([start + size, r.key]);
        groups.set(id, [...(groups.get(id) ?? []), r]);
      }
      const expectedTumbling = [...groups]
        .map(([id, group]) => [...(JSON.parse(id) as [number, string]), ...stats(group)] as unknown[])
        .filter(([windowEnd]) => (windowEnd as number) <= end)
        .map(([windowEnd, ...rest]) => [new Date(windowEnd as number).toISOString(), ...rest]);
      assert.deepEqual(
        sorted(tumbling.map((e) => [e.rowtime, ...Object.values(e.row)])),
        sorted(expectedTumbling),
      );

      // Sliding RANGE: rows of the key with ROWTIME in [t - range, t] that arrived up to this one.
      const range = [1, 3, 10][Math.floor(next() * 3)]! * 1000;
      const sliding = runApp(
        destination +
          `CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol, COUNT(*) OVER w, SUM(price) OVER w, MIN(price) OVER w, MAX(price) OVER w
           FROM "SOURCE_SQL_STREAM_001" WINDOW w AS (PARTITION BY ticker_symbol RANGE INTERVAL '${range / 1000}' SECOND PRECEDING);`,
        columns,
        input,
      );
      const expectedSliding = rows.map((r, i) => {
        const inside = rows.slice(0, i + 1).filter((o) => o.key === r.key && o.t >= r.t - range);
        return [new Date(r.t).toISOString(), r.key, ...stats(inside)];
      });
      assert.deepEqual(
        sliding.map((e) => [e.rowtime, ...Object.values(e.row)]),
        expectedSliding,
      );

      // Sliding ROWS: the current row and the n before it in the key's partition.
      const n = Math.floor(next() * 5) + 1;
      const rowsWindow = runApp(
        destination +
          `CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol, COUNT(*) OVER w, SUM(price) OVER w, MIN(price) OVER w, MAX(price) OVER w
           FROM "SOURCE_SQL_STREAM_001" WINDOW w AS (PARTITION BY ticker_symbol ROWS ${n} PRECEDING);`,
        columns,
        input,
      );
      const expectedRows = rows.map((r, i) => {
        const inside = rows
          .slice(0, i + 1)
          .filter((o) => o.key === r.key)
          .slice(-(n + 1));
        return [new Date(r.t).toISOString(), r.key, ...stats(inside)];
      });
      assert.deepEqual(
        rowsWindow.map((e) => [e.rowtime, ...Object.values(e.row)]),
        expectedRows,
      );

      // Stagger: a window per key from its first row for `range`; emitted at open + range.
      const stagger = runApp(
        destination +
          `CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol, COUNT(*), SUM(price), MIN(price), MAX(price)
           FROM "SOURCE_SQL_STREAM_001" WINDOWED BY STAGGER (PARTITION BY ticker_symbol RANGE INTERVAL '${size / 1000}' SECOND);`,
        columns,
        input,
      );
      const open = new Map<string, { start: number; group: Trade[] }>();
      const expectedStagger: unknown[][] = [];
      const emit = (key: string, w: { start: number; group: Trade[] }): void => {
        if (w.start + size <= end)
          expectedStagger.push([new Date(w.start + size).toISOString(), key, ...stats(w.group)]);
      };
      for (const r of rows) {
        const w = open.get(r.key);
        if (w !== undefined && r.t < w.start + size) w.group.push(r);
        else {
          if (w !== undefined) emit(r.key, w);
          open.set(r.key, { start: r.t, group: [r] });
        }
      }
      for (const [key, w] of open) emit(key, w);
      assert.deepEqual(
        sorted(stagger.map((e) => [e.rowtime, ...Object.values(e.row)])),
        sorted(expectedStagger),
      );
    });
  }
});

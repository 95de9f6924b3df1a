/**
 * Metamorphic checks on the engine: rewrites that must not change any stream's rows — splitting
 * the input with extra rowtime bounds, reordering independent pumps, and routing the input
 * through a pass-through stream.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runApp, type Emitted, type Step } from './sql-app.js';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const columns = { TICKER_SYMBOL: 'VARCHAR(4)', PRICE: 'DOUBLE' };

function input(seed: number): Step[] {
  const next = random(seed);
  const out: Step[] = [];
  let t = Date.parse('2026-12-07T10:00:00Z');
  for (let i = 0; i < 150; i++) {
    t += next() < 0.25 ? 0 : Math.floor(next() * 4000);
    out.push({
      at: t,
      row: { TICKER_SYMBOL: `T${Math.floor(next() * 3)}`, PRICE: Math.round(next() * 1000) / 10 },
    });
  }
  out.push({ bound: t + 120_000 });
  return out;
}

/** Inserts bounds no later than the next row: they only split the input into smaller batches. */
function withExtraBounds(steps: readonly Step[], seed: number): Step[] {
  const next = random(seed);
  const out: Step[] = [];
  for (const step of steps) {
    if ('at' in step && next() < 0.3) out.push({ bound: step.at as number });
    out.push(step);
  }
  return out;
}

const perStream = (out: readonly Emitted[]): Record<string, string[]> => {
  const streams: Record<string, string[]> = {};
  for (const e of out) (streams[e.stream] ??= []).push(JSON.stringify([e.rowtime, e.row]));
  return streams;
};

const streams = `CREATE STREAM "TUMBLING" (k VARCHAR(4), n BIGINT, average DOUBLE);
CREATE STREAM "SLIDING" (k VARCHAR(4), n BIGINT, high DOUBLE);
CREATE STREAM "STAGGERED" (k VARCHAR(4), n BIGINT);
`;
const pumps = (from: string): string[] => [
  `CREATE PUMP "P1" AS INSERT INTO "TUMBLING" SELECT STREAM ticker_symbol, COUNT(*), AVG(price) FROM ${from} GROUP BY ticker_symbol, FLOOR(${from}.ROWTIME TO MINUTE);`,
  `CREATE PUMP "P2" AS INSERT INTO "SLIDING" SELECT STREAM ticker_symbol, COUNT(*) OVER w, MAX(price) OVER w FROM ${from} WINDOW w AS (PARTITION BY ticker_symbol RANGE INTERVAL '5' SECOND PRECEDING);`,
  `CREATE PUMP "P3" AS INSERT INTO "STAGGERED" SELECT STREAM ticker_symbol, COUNT(*) FROM ${from} WINDOWED BY STAGGER (PARTITION BY ticker_symbol RANGE INTERVAL '20' SECOND);`,
];
const direct = streams + pumps('"SOURCE_SQL_STREAM_001"').join('\n');

describe('metamorphic rewrites keep every stream the same', () => {
  for (const seed of [3, 17, 42]) {
    const steps = input(seed);
    const baseline = perStream(runApp(direct, columns, steps));

    it(`seed ${seed}: has results to compare`, () => {
      assert.ok(
        (baseline.TUMBLING?.length ?? 0) > 3 &&
          (baseline.SLIDING?.length ?? 0) === 150 &&
          (baseline.STAGGERED?.length ?? 0) > 3,
      );
    });

    it(`seed ${seed}: splitting the input with extra bounds`, () => {
      assert.deepEqual(perStream(runApp(direct, columns, withExtraBounds(steps, seed + 1))), baseline);
    });

    it(`seed ${seed}: reordering independent pumps`, () => {
      const reordered = streams + pumps('"SOURCE_SQL_STREAM_001"').reverse().join('\n');
      assert.deepEqual(perStream(runApp(reordered, columns, steps)), baseline);
    });

    it(`seed ${seed}: adding a pass-through stream`, () => {
      const passThrough =
        streams +
        `CREATE STREAM "PASS" (ticker_symbol VARCHAR(4), price DOUBLE);
         CREATE PUMP "P0" AS INSERT INTO "PASS" SELECT STREAM * FROM "SOURCE_SQL_STREAM_001";\n` +
        pumps('"PASS"').join('\n');
      const { PASS: passed, ...rest } = perStream(runApp(passThrough, columns, steps));
      assert.equal(passed?.length, 150);
      assert.deepEqual(rest, baseline);
    });
  }
});

/**
 * Tumbling GROUP BY group identity, against a batch recomputation on random inputs: composite keys
 * (several non-window keys, NULLs among them, strings that a joined key text would confuse, numbers
 * next to strings), a window key alone (one group per window), and a MONOTONIC(column) window key
 * that closes its window on a new value rather than on ROWTIME. Each window's rows come out in the
 * order their groups were first seen, at the window end, as soon as a row or a bound passes it
 * (also through a WHERE filter, which passes the window's "nothing to do before my end" on).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runApp, startApp, type Step } from './sql-app.js';
import { seededRandom } from '../../src/core/seeded-random.js';

const random = seededRandom;

/** Values a key built by joining texts would confuse: 'a|' + 'b' against 'a' + '|b', '' and NULL. */
const texts = ['a', 'a|', '|b', 'b', '', 'null', null] as const;
const levels = [0, 1, -1, 7, null] as const;

interface Input {
  readonly t: number;
  readonly region: string | null;
  readonly tag: string | null;
  readonly level: number | null;
  readonly price: number;
}

function inputs(next: () => number, count: number): Input[] {
  const out: Input[] = [];
  let t = 1_700_000_000_000 + Math.floor(next() * 100_000);
  for (let i = 0; i < count; i++) {
    const r = next();
    t += r < 0.3 ? 0 : r < 0.9 ? Math.floor(next() * 4000) : Math.floor(next() * 40_000);
    out.push({
      t,
      region: texts[Math.floor(next() * texts.length)]!,
      tag: texts[Math.floor(next() * texts.length)]!,
      level: levels[Math.floor(next() * levels.length)]!,
      price: Math.floor(next() * 100) - 20,
    });
  }
  return out;
}

const columns = {
  REGION: 'VARCHAR(4)',
  TAG: 'VARCHAR(4)',
  LVL: 'INTEGER',
  PRICE: 'INTEGER',
  EVENT_SECOND: 'BIGINT',
};

function steps(rows: readonly Input[], end: number): Step[] {
  const out: Step[] = rows.map((r) => ({
    at: r.t,
    row: {
      REGION: r.region,
      TAG: r.tag,
      LVL: r.level,
      PRICE: r.price,
      EVENT_SECOND: Math.floor(r.t / 10_000),
    },
  }));
  out.push({ bound: end });
  return out;
}

/**
 * The expected output of a tumbling GROUP BY: windows in order, each window's groups in the order
 * first seen, one row [window end, ...keys, count, sum] per group. `window` maps a row to its
 * window's identity and end; windows ending after `end` are still open and give nothing.
 */
function batch(
  rows: readonly Input[],
  window: (r: Input) => { readonly id: number; readonly end: number },
  keys: (r: Input) => readonly unknown[],
  isClosed: (id: number) => boolean,
): unknown[][] {
  const windows = new Map<
    number,
    { end: number; groups: Map<string, { keys: readonly unknown[]; rows: Input[] }> }
  >();
  for (const r of rows) {
    const w = window(r);
    let open = windows.get(w.id);
    if (open === undefined) windows.set(w.id, (open = { end: w.end, groups: new Map() }));
    const id = JSON.stringify(keys(r));
    const group = open.groups.get(id) ?? { keys: keys(r), rows: [] };
    group.rows.push(r);
    open.groups.set(id, group);
  }
  const out: unknown[][] = [];
  for (const [id, w] of windows) {
    if (!isClosed(id)) continue;
    for (const g of w.groups.values())
      out.push([
        new Date(w.end).toISOString(),
        ...g.keys,
        g.rows.length,
        g.rows.reduce((sum, r) => sum + r.price, 0),
      ]);
  }
  return out;
}

const emittedRows = (emitted: ReturnType<typeof runApp>): unknown[][] =>
  emitted.map((e) => [e.rowtime, ...Object.values(e.row)]);

describe('tumbling GROUP BY: group identity', () => {
  for (let seed = 1; seed <= 20; seed++) {
    it(`composite keys, random input ${seed}`, () => {
      const next = random(seed * 7919);
      const rows = inputs(next, 60 + Math.floor(next() * 240));
      const end = rows[rows.length - 1]!.t + Math.floor(next() * 30_000);
      const size = [1, 5, 10][Math.floor(next() * 3)]! * 1000;
      const emitted = runApp(
        `CREATE STREAM "DESTINATION_SQL_STREAM" (region VARCHAR(4), tag VARCHAR(4), lvl INTEGER, n BIGINT, total BIGINT);
         CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
           SELECT STREAM region, tag, lvl, COUNT(*), SUM(price) FROM "SOURCE_SQL_STREAM_001"
           GROUP BY region, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '${size / 1000}' SECOND), tag, lvl;`,
        columns,
        steps(rows, end),
      );
      const expected = batch(
        rows,
        (r) => {
          const start = Math.floor(r.t / size) * size;
          return { id: start, end: start + size };
        },
        (r) => [r.region, r.tag, r.level],
        (start) => start + size <= end,
      );
      assert.deepEqual(emittedRows(emitted), expected);
    });
  }

  it('a window key alone: one group per window', () => {
    const next = random(4242);
    const rows = inputs(next, 300);
    const end = rows[rows.length - 1]!.t + 20_000;
    const emitted = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (n BIGINT, total BIGINT);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM COUNT(*), SUM(price) FROM "SOURCE_SQL_STREAM_001"
         GROUP BY FLOOR("SOURCE_SQL_STREAM_001".ROWTIME TO SECOND);`,
      columns,
      steps(rows, end),
    );
    const expected = batch(
      rows,
      (r) => {
        const start = Math.floor(r.t / 1000) * 1000;
        return { id: start, end: start + 1000 };
      },
      () => [],
      (start) => start + 1000 <= end,
    );
    assert.ok(expected.length > 50);
    assert.deepEqual(emittedRows(emitted), expected);
  });

  it('a MONOTONIC(column) window key closes its window when a row brings a new value', () => {
    const next = random(99);
    const rows = inputs(next, 300);
    const emitted = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (region VARCHAR(4), lvl INTEGER, n BIGINT, total BIGINT);
       CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM region, lvl, COUNT(*), SUM(price) FROM "SOURCE_SQL_STREAM_001"
         GROUP BY MONOTONIC(event_second), region, lvl;`,
      columns,
      steps(rows, rows[rows.length - 1]!.t + 60_000),
    );
    // A window closes when the first row of the next one arrives, at that row's ROWTIME.
    const firstOf = new Map<number, number>();
    for (const r of rows)
      if (!firstOf.has(Math.floor(r.t / 10_000))) firstOf.set(Math.floor(r.t / 10_000), r.t);
    const seconds = [...firstOf.keys()];
    const closedBy = new Map(seconds.slice(0, -1).map((s, i) => [s, firstOf.get(seconds[i + 1]!)!]));
    const expected = batch(
      rows,
      (r) => {
        const s = Math.floor(r.t / 10_000);
        return { id: s, end: closedBy.get(s) ?? Infinity };
      },
      (r) => [r.region, r.level],
      (s) => closedBy.has(s),
    );
    assert.ok(seconds.length > 5);
    assert.deepEqual(emittedRows(emitted), expected);
  });

  for (let seed = 1; seed <= 5; seed++) {
    it(`a window closes on the step that passes its end, through a WHERE filter (input ${seed})`, () => {
      const next = random(seed * 104_729);
      const rows = inputs(next, 200);
      const size = 5000;
      const app = startApp(
        `CREATE STREAM "DESTINATION_SQL_STREAM" (region VARCHAR(4), n BIGINT, total BIGINT);
         CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
           SELECT STREAM region, COUNT(*), SUM(price) FROM "SOURCE_SQL_STREAM_001" WHERE price > 0
           GROUP BY region, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '5' SECOND);`,
        columns,
      );
      const kept = rows.filter((r) => r.price > 0);
      const all = batch(
        kept,
        (r) => {
          const start = Math.floor(r.t / size) * size;
          return { id: start, end: start + size };
        },
        (r) => [r.region, r.tag, r.level].slice(0, 1),
        () => true,
      );
      let time = -Infinity;
      let emitted = 0;
      const allSteps = steps(rows, rows[rows.length - 1]!.t + size);
      for (const [i, step] of allSteps.entries()) {
        // Sometimes a bound between this row and the next, which alone may close a window.
        const feed: Step[] = [step];
        const following = allSteps[i + 1];
        if ('at' in step && following !== undefined && 'at' in following && next() < 0.3) {
          const [from, to] = [step.at as number, following.at as number];
          feed.push({ bound: from + Math.floor(next() * (to - from + 1)) });
        }
        for (const s of feed) time = Math.max(time, 'at' in s ? (s.at as number) : (s.bound as number));
        const out = app.feed(feed);
        const due = all.filter(([end]) => Date.parse(end as string) <= time);
        assert.deepEqual(
          out.map((e) => [e.rowtime, ...Object.values(e.row)]),
          due.slice(emitted),
          `after step ${i}, time ${new Date(time).toISOString()}`,
        );
        emitted = due.length;
      }
      assert.ok(emitted > 10);
    });
  }
});

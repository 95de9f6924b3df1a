/**
 * Stream-to-stream windowed joins (§5.9): one input stream is split by pumps into an orders stream
 * and a trades stream, which a third pump joins. Checks matches inside and outside the window,
 * the output ROWTIME (the later row of a pair; for an unmatched outer row, its ROWTIME + its
 * window, or its own ROWTIME on a side without a window), ROWS windows, the binder's refusals,
 * and a differential test against a naive recomputation over all pairs of random inputs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowsOf, runApp, time, type Step } from './sql-app.js';

const input = { KIND: 'VARCHAR(8)', ID: 'INTEGER', AMOUNT: 'INTEGER' };

/** Splits the input into ORDERS and TRADES, then runs `join` (a SELECT over them) into OUT. */
const app = (
  join: string,
  outColumns = 'order_id INTEGER, order_amount INTEGER, trade_amount INTEGER',
): string => `
  CREATE STREAM ORDERS (id INTEGER, amount INTEGER);
  CREATE STREAM TRADES (id INTEGER, amount INTEGER);
  CREATE STREAM OUT (${outColumns});
  CREATE PUMP SPLIT_ORDERS AS INSERT INTO ORDERS
    SELECT STREAM id, amount FROM "SOURCE_SQL_STREAM_001" WHERE kind = 'order';
  CREATE PUMP SPLIT_TRADES AS INSERT INTO TRADES
    SELECT STREAM id, amount FROM "SOURCE_SQL_STREAM_001" WHERE kind = 'trade';
  CREATE PUMP JOINED AS INSERT INTO OUT ${join};`;

const order = (at: string, ID: number, AMOUNT: number): Step => ({
  at: `2026-01-01T${at}`,
  row: { KIND: 'order', ID, AMOUNT },
});
const trade = (at: string, ID: number, AMOUNT: number): Step => ({
  at: `2026-01-01T${at}`,
  row: { KIND: 'trade', ID, AMOUNT },
});
const bound = (at: string): Step => ({ bound: `2026-01-01T${at}` });

describe('stream-to-stream joins', () => {
  it('INNER JOIN with a 1-minute window on the trades: pairs inside the window, at the later ROWTIME', () => {
    const out = runApp(
      app(`SELECT STREAM o.id, o.amount, t.amount FROM ORDERS AS o
           JOIN TRADES OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS t ON o.id = t.id`),
      input,
      [
        trade('10:00:00', 1, 100),
        trade('10:00:30', 2, 200),
        order('10:00:40', 1, 10), // trade 1 is 40 s old: a match
        order('10:01:00', 1, 11), // exactly 1 minute: the lower bound is inclusive
        order('10:01:01', 1, 12), // 61 s: outside the window
        trade('10:01:10', 2, 201), // a trade arriving after the order: orders keep no window
        order('10:01:10', 2, 20), // same ROWTIME: trades of 10:00:30 and 10:01:10 match
        bound('10:05:00'),
      ],
    );
    assert.deepEqual(rowsOf(out, 'OUT'), [
      ['10:00:40.000', 1, 10, 100],
      ['10:01:00.000', 1, 11, 100],
      ['10:01:10.000', 2, 20, 200],
      ['10:01:10.000', 2, 20, 201],
    ]);
  });

  it('LEFT OUTER JOIN, window on the left: an unmatched order leaves at its ROWTIME + the window', () => {
    const out = runApp(
      app(`SELECT STREAM o.id, o.amount, t.amount FROM ORDERS OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o
           LEFT JOIN TRADES AS t ON o.id = t.id`),
      input,
      [
        order('10:00:00', 1, 10),
        order('10:00:10', 2, 20),
        trade('10:00:50', 1, 100), // matches order 1 (50 s old)
        trade('10:01:05', 1, 101), // order 1 is 65 s old: no match
        trade('10:01:05', 2, 200), // order 2 is 55 s old: a match
        order('10:01:30', 3, 30),
        bound('10:02:30'), // order 3's window ends at 10:02:30 (inclusive): still open
      ],
    );
    assert.deepEqual(rowsOf(out, 'OUT'), [
      ['10:00:50.000', 1, 10, 100],
      ['10:01:05.000', 2, 20, 200],
    ]);
    const more = runApp(
      app(`SELECT STREAM o.id, o.amount, t.amount FROM ORDERS OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o
           LEFT JOIN TRADES AS t ON o.id = t.id`),
      input,
      [order('10:00:00', 1, 10), order('10:01:30', 3, 30), bound('10:02:30.001')],
    );
    assert.deepEqual(rowsOf(more, 'OUT'), [
      ['10:01:00.000', 1, 10, null],
      ['10:02:30.000', 3, 30, null],
    ]);
  });

  it('LEFT OUTER JOIN, no window on the left: an unmatched order leaves at once, at its own ROWTIME', () => {
    const out = runApp(
      app(`SELECT STREAM o.id, o.amount, t.amount FROM ORDERS AS o
           LEFT JOIN TRADES OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS t ON o.id = t.id`),
      input,
      [
        trade('10:00:00', 1, 100),
        order('10:00:20', 1, 10),
        order('10:00:30', 2, 20),
        trade('10:00:40', 2, 200),
      ],
    );
    assert.deepEqual(rowsOf(out, 'OUT'), [
      ['10:00:20.000', 1, 10, 100],
      ['10:00:30.000', 2, 20, null],
    ]);
  });

  it('RIGHT and FULL OUTER JOIN keep unmatched rows of the right (and left) side', () => {
    const steps = [
      order('10:00:00', 1, 10),
      trade('10:00:10', 1, 100),
      trade('10:00:20', 9, 900),
      order('10:00:30', 8, 80),
      bound('10:05:00'),
    ];
    const right = runApp(
      app(`SELECT STREAM o.id, o.amount, t.amount FROM ORDERS OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o
           RIGHT OUTER JOIN TRADES AS t ON o.id = t.id`),
      input,
      steps,
    );
    assert.deepEqual(rowsOf(right, 'OUT'), [
      ['10:00:10.000', 1, 10, 100],
      ['10:00:20.000', null, null, 900],
    ]);
    const full = runApp(
      app(`SELECT STREAM o.id, o.amount, t.amount FROM ORDERS OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o
           FULL OUTER JOIN TRADES AS t ON o.id = t.id`),
      input,
      steps,
    );
    assert.deepEqual(rowsOf(full, 'OUT'), [
      ['10:00:10.000', 1, 10, 100],
      ['10:00:20.000', null, null, 900],
      ['10:01:30.000', 8, 80, null],
    ]);
  });

  it("ROWS windows, a named WINDOW, each side's ROWTIME and a residual condition", () => {
    const out = runApp(
      app(
        `SELECT STREAM o.id, t.amount, o.ROWTIME, t.ROWTIME, ROWTIME FROM ORDERS AS o
           JOIN TRADES OVER last_two AS t ON o.id = t.id AND t.amount > o.amount
         WINDOW last_two AS (ROWS 1 PRECEDING)`,
        'order_id INTEGER, trade_amount INTEGER, order_time TIMESTAMP, trade_time TIMESTAMP, joined_at TIMESTAMP',
      ),
      input,
      [
        trade('10:00:00', 1, 100),
        trade('10:00:01', 1, 5),
        trade('10:00:02', 1, 300), // the window now holds the last two trades: 5 and 300
        order('10:00:03', 1, 50),
      ],
    );
    assert.deepEqual(rowsOf(out, 'OUT'), [
      [
        '10:00:03.000',
        1,
        300,
        '2026-01-01T10:00:03.000Z',
        '2026-01-01T10:00:02.000Z',
        '2026-01-01T10:00:03.000Z',
      ],
    ]);
  });

  it('refuses joins it cannot run, with a message', () => {
    const refuse = (join: string, message: RegExp): void =>
      assert.throws(() => runApp(app(join), input, []), message);
    refuse(
      'SELECT STREAM o.id, o.amount, t.amount FROM ORDERS AS o JOIN TRADES AS t ON o.id = t.id',
      /A stream-to-stream join needs a window on at least one side/,
    );
    refuse(
      `SELECT STREAM o.id, o.amount, t.amount FROM ORDERS AS o
         JOIN TRADES OVER (PARTITION BY id RANGE INTERVAL '1' MINUTE PRECEDING) AS t ON o.id = t.id`,
      /PARTITION BY is not allowed in the window of a join/,
    );
    refuse(
      `SELECT STREAM o.id, o.amount, o.amount FROM ORDERS OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o`,
      /A window on a FROM item is only allowed on a side of a stream-to-stream join/,
    );
    refuse(
      `SELECT STREAM o.id, o.amount, t.amount FROM ORDERS AS o
         JOIN TRADES OVER (RANGE INTERVAL '1' MINUTE FOLLOWING) AS t ON o.id = t.id`,
      /FOLLOWING is not allowed in the window of a join/,
    );
  });
});

/** Random orders and trades on a few ids, in ROWTIME order with ties. */
function randomSteps(
  seed: number,
  count: number,
): { steps: Step[]; rows: { kind: string; id: number; amount: number; t: number }[] } {
  let state = seed >>> 0;
  // mulberry32: small, seeded, good enough low bits.
  const random = (n: number): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((((x ^ (x >>> 14)) >>> 0) / 2 ** 32) * n) >>> 0;
  };
  let t = time('2026-01-01T10:00:00');
  const steps: Step[] = [];
  const rows: { kind: string; id: number; amount: number; t: number }[] = [];
  for (let i = 0; i < count; i++) {
    t += [0, 0, 500, 1000, 5000, 20_000][random(6)]!;
    const kind = random(2) === 0 ? 'order' : 'trade';
    const id = random(4);
    rows.push({ kind, id, amount: i, t });
    steps.push({ at: t, row: { KIND: kind, ID: id, AMOUNT: i } });
    if (random(10) === 0) steps.push({ bound: t + random(3000) });
    const last = steps[steps.length - 1]!;
    if ('bound' in last) t = Math.max(t, time(last.bound));
  }
  steps.push({ bound: t + 3_600_000 });
  return { steps, rows };
}

describe('stream-to-stream joins against a naive recomputation', () => {
  const windows = [
    { left: 10_000, right: 30_000 },
    { left: 0, right: 15_000 },
    { left: 20_000, right: 0 },
  ];
  const over = (ms: number): string =>
    ms === 0 ? '' : `OVER (RANGE INTERVAL '${ms / 1000}' SECOND PRECEDING)`;
  for (const type of ['INNER', 'LEFT OUTER', 'RIGHT OUTER', 'FULL OUTER'] as const) {
    for (const w of windows) {
      it(`${type} JOIN, windows ${w.left} ms / ${w.right} ms`, () => {
        for (const seed of [1, 2, 3]) {
          const { steps, rows } = randomSteps(seed * 7919 + w.left, 120);
          const out = runApp(
            app(
              `SELECT STREAM o.id, o.amount, t.amount FROM ORDERS ${over(w.left)} AS o
               ${type} JOIN TRADES ${over(w.right)} AS t ON o.id = t.id`,
            ),
            input,
            steps,
          ).filter((e) => e.stream === 'OUT');
          const rowtimes = out.map((e) => Date.parse(e.rowtime));
          assert.deepEqual(
            rowtimes,
            [...rowtimes].sort((a, b) => a - b),
            'output ROWTIMEs never decrease',
          );
          const orders = rows.filter((r) => r.kind === 'order');
          const trades = rows.filter((r) => r.kind === 'trade');
          // A pair matches when the earlier row (the order at equal ROWTIMEs: the left input goes
          // first) is still inside its own window when the later one arrives.
          const matches = (o: (typeof rows)[0], t: (typeof rows)[0]): boolean =>
            o.id === t.id && (o.t <= t.t ? o.t >= t.t - w.left : t.t >= o.t - w.right);
          const expected: string[] = [];
          for (const o of orders)
            for (const t of trades)
              if (matches(o, t))
                expected.push(JSON.stringify([Math.max(o.t, t.t), o.id, o.amount, t.amount]));
          if (type === 'LEFT OUTER' || type === 'FULL OUTER')
            for (const o of orders)
              if (!trades.some((t) => matches(o, t)))
                expected.push(JSON.stringify([o.t + w.left, o.id, o.amount, null]));
          if (type === 'RIGHT OUTER' || type === 'FULL OUTER')
            for (const t of trades)
              if (!orders.some((o) => matches(o, t)))
                expected.push(JSON.stringify([t.t + w.right, null, null, t.amount]));
          const actual = out.map((e) =>
            JSON.stringify([Date.parse(e.rowtime), e.row.ORDER_ID, e.row.ORDER_AMOUNT, e.row.TRADE_AMOUNT]),
          );
          assert.deepEqual(actual.sort(), expected.sort(), `seed ${seed}`);
          assert.ok(expected.length > 10, 'the random input makes matches');
        }
      });
    }
  }
});

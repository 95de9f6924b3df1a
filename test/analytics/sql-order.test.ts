/**
 * Sorting: T-sort (`ORDER BY <timestamp_expr> WITHIN <interval>`, reference §5.8 and the SQL
 * reference page "T-sorting Stream Input") and streaming ORDER BY after UNION ALL (the ORDER BY
 * clause page's `... UNION ALL ... ORDER BY ROWTIME, MOD(x, 5)` example), with their refusals.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowsOf, runApp, startApp } from './sql-app.js';

const input = { ID: 'INTEGER', EVENT_TIME: 'TIMESTAMP', KIND: 'VARCHAR(8)' };
const at = (t: string, ID: number, event: string | null, KIND = 'a') => ({
  at: `2026-01-01T${t}`,
  row: { ID, EVENT_TIME: event === null ? null : Date.parse(`2026-01-01T${event}Z`), KIND },
});

const tsort = (within: string, order = 's.event_time'): string => `
  CREATE STREAM "DESTINATION_SQL_STREAM" (id INTEGER, arrived TIMESTAMP);
  CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM s.event_time AS ROWTIME, s.id, s.ROWTIME FROM "SOURCE_SQL_STREAM_001" AS s
    ORDER BY ${order} WITHIN ${within};`;

describe('T-sort (ORDER BY ... WITHIN)', () => {
  it('reorders rows by the expression inside the interval and makes it the ROWTIME', () => {
    const out = runApp(tsort("INTERVAL '2' SECOND"), input, [
      at('10:00:10', 1, '10:00:03'),
      at('10:00:10', 2, '10:00:01'),
      at('10:00:11', 3, '10:00:02'),
      at('10:00:11', 4, null), // NULL sort key: dropped
      at('10:00:12', 5, '10:00:05'), // highest is 10:00:05: rows up to 10:00:03 leave, in order
      at('10:00:13', 6, '10:00:02'), // earlier than a row already emitted: too late
      at('10:00:14', 7, '10:00:09'),
    ]);
    assert.deepEqual(rowsOf(out), [
      ['10:00:01.000', 2, '2026-01-01T10:00:10.000Z'],
      ['10:00:02.000', 3, '2026-01-01T10:00:11.000Z'],
      ['10:00:03.000', 1, '2026-01-01T10:00:10.000Z'],
      ['10:00:05.000', 5, '2026-01-01T10:00:12.000Z'],
    ]);
    const errors = out.filter((e) => e.stream === 'error_stream');
    assert.deepEqual(
      errors.map((e) => e.row.ERROR_NAME),
      ['OutOfOrderRow'],
    );
  });

  it('releases the rows still inside the interval at the end of the input, in order', () => {
    const app = startApp(tsort("INTERVAL '10' SECOND"), input);
    const held = app.feed([
      at('10:00:10', 1, '10:00:03'),
      at('10:00:10', 2, '10:00:01'),
      at('10:00:11', 3, '10:00:02'),
    ]);
    assert.deepEqual(rowsOf(held), []);
    const start = app.out.length;
    app.engine.end(Date.parse('2026-01-01T10:00:12Z'));
    assert.deepEqual(rowsOf(app.out.slice(start)), [
      ['10:00:01.000', 2, '2026-01-01T10:00:10.000Z'],
      ['10:00:02.000', 3, '2026-01-01T10:00:11.000Z'],
      ['10:00:03.000', 1, '2026-01-01T10:00:10.000Z'],
    ]);
  });

  it('refuses what the reference forbids', () => {
    const refuse = (code: string, message: RegExp): void =>
      assert.throws(() => runApp(code, input, []), message);
    refuse(tsort("INTERVAL '2' SECOND", 's.event_time DESC'), /cannot sort DESC/);
    refuse(tsort("INTERVAL '2' SECOND", 'ROWTIME'), /must qualify ROWTIME/);
    refuse(tsort("INTERVAL '2' SECOND", 's.ROWTIME'), /must also be in the select list AS ROWTIME/);
    refuse(tsort('5'), /WITHIN needs an interval/);
  });
});

describe('ORDER BY over GROUP BY', () => {
  it("releases a window's rows at the bound that closes the window", () => {
    const out = runApp(
      `CREATE STREAM "DESTINATION_SQL_STREAM" (kind VARCHAR(8), n INTEGER);
       CREATE PUMP P AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM kind, COUNT(*) FROM "SOURCE_SQL_STREAM_001" AS s
         GROUP BY kind, FLOOR(s.ROWTIME TO MINUTE) ORDER BY FLOOR(s.ROWTIME TO MINUTE), 2 DESC;`,
      input,
      [
        at('10:00:01', 1, null, 'a'),
        at('10:00:02', 2, null, 'b'),
        at('10:00:03', 3, null, 'b'),
        { bound: '2026-01-01T10:01:00' }, // exactly the window's end
      ],
    );
    assert.deepEqual(rowsOf(out), [
      ['10:01:00.000', 'b', 2],
      ['10:01:00.000', 'a', 1],
    ]);
  });
});

describe('ORDER BY after UNION ALL', () => {
  it('sorts the merged rows of each ROWTIME by the other keys', () => {
    const out = runApp(
      `CREATE STREAM A (x INTEGER);
       CREATE STREAM B (x INTEGER);
       CREATE STREAM "DESTINATION_SQL_STREAM" (x INTEGER, y INTEGER);
       CREATE PUMP PA AS INSERT INTO A SELECT STREAM id FROM "SOURCE_SQL_STREAM_001" WHERE kind = 'a';
       CREATE PUMP PB AS INSERT INTO B SELECT STREAM id FROM "SOURCE_SQL_STREAM_001" WHERE kind = 'b';
       CREATE PUMP P AS INSERT INTO "DESTINATION_SQL_STREAM"
         SELECT STREAM x, 1 FROM A UNION ALL SELECT STREAM x, 2 FROM B
         ORDER BY FLOOR(ROWTIME TO SECOND), MOD(x, 5), 2 DESC;`,
      input,
      [
        at('10:00:00.100', 9, null, 'a'),
        at('10:00:00.200', 6, null, 'b'),
        at('10:00:00.300', 7, null, 'a'),
        at('10:00:00.400', 1, null, 'a'),
        at('10:00:00.500', 11, null, 'b'),
        at('10:00:01.000', 3, null, 'b'),
        { bound: '2026-01-01T10:00:02' },
      ],
    );
    assert.deepEqual(
      rowsOf(out).map((r) => r.slice(1)),
      [
        [6, 2],
        [11, 2],
        [1, 1],
        [7, 1],
        [9, 1],
        [3, 2],
      ],
    );
  });

  it('needs a monotonic leading key', () => {
    assert.throws(
      () =>
        runApp(
          `CREATE STREAM "DESTINATION_SQL_STREAM" (x INTEGER);
           CREATE PUMP P AS INSERT INTO "DESTINATION_SQL_STREAM"
             SELECT STREAM id FROM "SOURCE_SQL_STREAM_001" UNION ALL SELECT STREAM id FROM "SOURCE_SQL_STREAM_001"
             ORDER BY id;`,
          input,
          [],
        ),
      /A streaming ORDER BY must start with an ascending monotonic expression/,
    );
  });
});

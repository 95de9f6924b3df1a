/**
 * Binder: names, types, pump column counts and the streaming rules reject invalid code with a
 * message that names line and column; valid code of every window kind binds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindApplication } from '../../src/analytics/plan/bind-application.js';
import { SqlValidationError } from '../../src/analytics/plan/sql-validation-error.js';
import { columns, source } from './sql-app.js';

const ticker = columns({
  TICKER_SYMBOL: 'VARCHAR(4)',
  SECTOR: 'VARCHAR(16)',
  CHANGE: 'REAL',
  PRICE: 'REAL',
  EVENT_TIME: 'TIMESTAMP',
});
const inputs = {
  inputs: [{ name: source, columns: ticker }],
  tables: [{ name: 'companies', columns: columns({ TICKER: 'VARCHAR(4)', COMPANY: 'VARCHAR(64)' }) }],
};
const environment = { now: () => 0 };
const bind = (code: string): unknown => bindApplication(code, inputs, environment);
const destination =
  'CREATE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), n BIGINT, price DOUBLE);\n';

function rejects(code: string, message: string): void {
  assert.throws(
    () => bind(code),
    (error: unknown) => {
      assert.ok(error instanceof SqlValidationError, `expected a validation error, got ${String(error)}`);
      assert.equal(error.message, message);
      return true;
    },
  );
}

describe('binder', () => {
  it('binds tumbling, stagger, sliding, join and chained pumps', () => {
    bind(
      destination +
        `CREATE PUMP p1 AS INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM ticker_symbol, COUNT(*), AVG(price) FROM "SOURCE_SQL_STREAM_001"
          GROUP BY ticker_symbol, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);
        CREATE PUMP p2 AS INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM ticker_symbol, COUNT(*), MAX(price) FROM "SOURCE_SQL_STREAM_001"
          WINDOWED BY STAGGER (PARTITION BY ticker_symbol RANGE INTERVAL '1' MINUTE);
        CREATE PUMP p3 AS INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM ticker_symbol, COUNT(*) OVER w, AVG(price) OVER w FROM "SOURCE_SQL_STREAM_001"
          WINDOW w AS (PARTITION BY ticker_symbol RANGE INTERVAL '1' MINUTE PRECEDING);
        CREATE STREAM named (ticker VARCHAR(4), company VARCHAR(64));
        CREATE PUMP p4 AS INSERT INTO named
          SELECT STREAM s.ticker_symbol, c.company FROM "SOURCE_SQL_STREAM_001" AS s LEFT JOIN "companies" AS c ON s.ticker_symbol = c.ticker;
        CREATE STREAM again (ticker VARCHAR(4));
        CREATE PUMP p5 AS INSERT INTO again SELECT STREAM ticker FROM named WHERE company IS NULL;`,
    );
  });

  it('reports the pump column count first (seed S2, reference §18.4)', () => {
    rejects(
      destination +
        'CREATE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol FROM "SOURCE_SQL_STREAM_001";',
      'line 2, column 55: Number of INSERT target columns (3) does not equal number of source items (1)',
    );
  });

  it('rejects unknown names with their position', () => {
    rejects(
      'CREATE STREAM d (x INT);\nCREATE PUMP p AS INSERT INTO d SELECT STREAM nope FROM "SOURCE_SQL_STREAM_001";',
      "line 2, column 46: Column 'NOPE' not found in any table",
    );
    rejects(
      'CREATE STREAM d (x INT);\nCREATE PUMP p AS INSERT INTO d SELECT STREAM 1 FROM source_sql_stream_002;',
      "line 2, column 53: Object 'SOURCE_SQL_STREAM_002' not found (no in-application stream, view or reference table has that name; names are case-sensitive when quoted)",
    );
    rejects(
      'CREATE STREAM d (x INT);\nCREATE PUMP p AS INSERT INTO e SELECT STREAM 1 FROM "SOURCE_SQL_STREAM_001";',
      "line 2, column 30: Stream 'E' not found (create it with CREATE STREAM before the pump)",
    );
    rejects(
      'CREATE STREAM d (x TIMESTAMP);\nCREATE PUMP p AS INSERT INTO d SELECT STREAM s.ROWTIME FROM "SOURCE_SQL_STREAM_001" AS t;',
      "line 2, column 46: Table 'S' not found",
    );
  });

  it('folds unquoted names to upper case and keeps quoted ones', () => {
    bind(
      'CREATE STREAM d (x VARCHAR(4));\nCREATE PUMP p AS INSERT INTO d SELECT STREAM ticker_symbol FROM source_sql_stream_001;',
    );
    rejects(
      'CREATE STREAM d (x VARCHAR(4));\nCREATE PUMP p AS INSERT INTO d SELECT STREAM "ticker_symbol" FROM source_sql_stream_001;',
      "line 2, column 46: Column 'ticker_symbol' not found in any table",
    );
  });

  it('checks types of operators and inserts', () => {
    rejects(
      'CREATE STREAM d (x INT);\nCREATE PUMP p AS INSERT INTO d SELECT STREAM price + sector FROM "SOURCE_SQL_STREAM_001";',
      "line 2, column 46: Cannot apply '+' to arguments of type REAL and VARCHAR(16)",
    );
    rejects(
      'CREATE STREAM d (x BIGINT);\nCREATE PUMP p AS INSERT INTO d SELECT STREAM event_time FROM "SOURCE_SQL_STREAM_001";',
      "line 2, column 46: Cannot assign a value of type TIMESTAMP to column 'X' of type BIGINT",
    );
    rejects(
      'CREATE STREAM d (x INT);\nCREATE PUMP p AS INSERT INTO d SELECT STREAM 1 FROM "SOURCE_SQL_STREAM_001" WHERE price;',
      'line 2, column 83: WHERE needs a BOOLEAN condition, not REAL',
    );
  });

  it("reads a subquery's ROWTIME column as ROWTIME only while the subquery keeps its rows' ROWTIME", () => {
    const grouped = (inner: string): string =>
      destination +
      `CREATE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM q.tk, COUNT(*), 1.0 FROM (${inner}) AS q GROUP BY q.tk, STEP(q.w BY INTERVAL '1' MINUTE);`;
    bind(grouped('SELECT STREAM ticker_symbol AS tk, ROWTIME AS w FROM "SOURCE_SQL_STREAM_001"'));
    rejects(
      grouped(
        `SELECT STREAM ticker_symbol AS tk, s.ROWTIME AS w, s.ROWTIME + INTERVAL '1' SECOND AS ROWTIME FROM "SOURCE_SQL_STREAM_001" AS s`,
      ),
      "line 2, column 238: Streaming GROUP BY requires a monotonic expression among the grouping expressions, such as FLOOR(ROWTIME TO MINUTE) or STEP(ROWTIME BY INTERVAL '1' MINUTE)",
    );
  });

  it('enforces the streaming GROUP BY rules', () => {
    rejects(
      destination +
        'CREATE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol, COUNT(*), AVG(price) FROM "SOURCE_SQL_STREAM_001" GROUP BY ticker_symbol;',
      "line 2, column 143: Streaming GROUP BY requires a monotonic expression among the grouping expressions, such as FLOOR(ROWTIME TO MINUTE) or STEP(ROWTIME BY INTERVAL '1' MINUTE)",
    );
    rejects(
      destination +
        'CREATE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM sector, COUNT(*), AVG(price) FROM "SOURCE_SQL_STREAM_001" GROUP BY ticker_symbol, FLOOR(ROWTIME TO MINUTE);',
      "line 2, column 69: Expression 'SECTOR' is not being grouped",
    );
    rejects(
      destination +
        'CREATE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol, COUNT(*), AVG(price) FROM "SOURCE_SQL_STREAM_001";',
      "line 2, column 84: Streaming aggregation requires GROUP BY on a monotonic expression (such as FLOOR(ROWTIME TO MINUTE) or STEP(ROWTIME BY INTERVAL '1' MINUTE)), WINDOWED BY STAGGER, or OVER a window",
    );
    rejects(
      destination +
        'CREATE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol, COUNT(DISTINCT sector), 1.0 FROM "SOURCE_SQL_STREAM_001" GROUP BY ticker_symbol, FLOOR(ROWTIME TO MINUTE);',
      'line 2, column 84: COUNT(DISTINCT ...) is not supported in streaming aggregation; use COUNT_DISTINCT_ITEMS_TUMBLING',
    );
    rejects(
      destination +
        'CREATE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol, COUNT(*), 1.0 FROM "SOURCE_SQL_STREAM_001" GROUP BY ticker_symbol, FLOOR(ROWTIME TO MINUTE), STEP(ROWTIME BY INTERVAL \'10\' SECOND);',
      'line 2, column 177: GROUP BY may have only one ROWTIME-based expression (multiple ROWTIME columns)',
    );
  });

  it('enforces the window rules', () => {
    const pump = (window: string): string =>
      destination +
      `CREATE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol, COUNT(*) OVER (${window}), 1.0 FROM "SOURCE_SQL_STREAM_001";`;
    rejects(
      pump('ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING'),
      'line 2, column 128: UNBOUNDED FOLLOWING is not supported: a window must end at CURRENT ROW',
    );
    rejects(
      pump('ROWS 0 PRECEDING'),
      'line 2, column 104: 0 PRECEDING cannot be used for windowed aggregation; use CURRENT ROW',
    );
    rejects(
      pump('ORDER BY ticker_symbol ROWS 2 PRECEDING'),
      'line 2, column 108: ORDER BY is not allowed in a window used for windowed aggregation',
    );
    rejects(
      pump('ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING'),
      'line 2, column 128: Offset windows are not supported: a window must end at CURRENT ROW',
    );
  });

  it('refuses what is not built with a clear message', () => {
    rejects(
      'SELECT STREAM * FROM "SOURCE_SQL_STREAM_001";',
      'line 1, column 1: A query in application code must be inside a pump: CREATE PUMP name AS INSERT INTO stream SELECT STREAM ...',
    );
    rejects(
      'CREATE STREAM error_stream (x INT);',
      "line 1, column 1: error_stream is the name of the application's error stream and cannot be redefined",
    );
    rejects(
      'CREATE STREAM d (x INT);\nCREATE STREAM d (y INT);',
      "line 2, column 1: Stream 'D' already exists (use CREATE OR REPLACE STREAM)",
    );
  });
});

/**
 * `npm run bench -- --sql-only`: the SQL engine's figures, in process and on one core.
 * - tumbling: a tumbling-window GROUP BY (key, 1-minute STEP on ROWTIME) with COUNT and AVG over
 *   rows already decoded into arrays, pushed straight into the engine;
 * - end to end: the same query from JSON record text through the input mapping (JSON.parse,
 *   JSONPath columns, coercion) into the engine.
 * - DuckDB: the same aggregation (count and average per key and minute) over the same rows, in a
 *   DuckDB table built in memory beforehand, on one DuckDB thread; the figure is Tributary's
 *   tumbling rate divided by DuckDB's (DuckDB is a dev dependency of the benchmark only);
 * - memory: the heap after a forced garbage collection at a quarter of the tumbling run and at its
 *   end; bounded by the open window (one group per key), so the two stay close whatever the rows.
 * Rows carry 100 keys and one ROWTIME step of 1 ms, so a window holds 60,000 rows. Rates are per
 * second of this process's CPU time (user + system), so other load on a shared machine does not
 * count against them; a short warm-up run goes first.
 */
const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeKeptSection } from './benchmarks-doc.js';
import { ProcessingClock, SqlEngine } from '../src/analytics/exec/sql-engine.js';
import { applicationInputs, readApplicationConfig } from '../src/analytics/input/application-config.js';
import { bindApplication } from '../src/analytics/plan/bind-application.js';

const code = `CREATE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(8), n BIGINT, average DOUBLE);
CREATE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
  SELECT STREAM ticker_symbol, COUNT(*), AVG(price) FROM "SOURCE_SQL_STREAM_001"
  GROUP BY ticker_symbol, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '1' MINUTE);`;

const application = {
  ApplicationName: 'bench',
  ApplicationCode: code,
  Inputs: [
    {
      NamePrefix: 'SOURCE_SQL_STREAM',
      InputSchema: {
        RecordFormat: {
          RecordFormatType: 'JSON',
          MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
        },
        RecordColumns: [
          { Name: 'TICKER_SYMBOL', SqlType: 'VARCHAR(8)', Mapping: '$.TICKER_SYMBOL' },
          { Name: 'SECTOR', SqlType: 'VARCHAR(16)', Mapping: '$.SECTOR' },
          { Name: 'CHANGE', SqlType: 'REAL', Mapping: '$.CHANGE' },
          { Name: 'PRICE', SqlType: 'DOUBLE', Mapping: '$.PRICE' },
        ],
      },
    },
  ],
};

export interface SqlFigure {
  readonly name: string;
  readonly rowsPerSecond: number;
  readonly target: number;
  readonly note: string;
}

/** Tributary's tumbling rate against DuckDB's on the same aggregation, and the heap bound. */
export interface SqlComparison {
  readonly duckDbRowsPerSecond: number;
  readonly duckDbGroups: number;
  /** Tributary's tumbling rows/s divided by DuckDB's. */
  readonly ratio: number;
  readonly ratioTarget: number;
  readonly heapAtQuarterBytes: number;
  readonly heapAtEndBytes: number;
  readonly rows: number;
}

export interface SqlMeasurement {
  readonly figures: readonly SqlFigure[];
  readonly comparison: SqlComparison;
}

/** A forced full collection, so heap figures count live objects only. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function engine(): {
  push: (rowtime: number, row: unknown[]) => void;
  emitted: () => number;
  mapper: (record: unknown) => unknown[][];
} {
  const config = readApplicationConfig(application);
  const clock = new ProcessingClock();
  const plan = bindApplication(code, applicationInputs(config), clock);
  let emitted = 0;
  const sql = new SqlEngine(plan, { clock, onRow: () => emitted++ });
  return {
    push: (rowtime, row) => sql.push('SOURCE_SQL_STREAM_001', rowtime, row),
    emitted: () => emitted,
    mapper: config.inputs[0]!.mapper,
  };
}

const start = Date.parse('2026-12-07T00:00:00Z');
const tickers = Array.from({ length: 100 }, (_, i) => `T${i}`);

/** Distinct input rows cycled through (the engine keeps no input row in a tumbling window). */
const distinctRows = 10_007;

export async function measureSqlFigures(rows: number): Promise<SqlMeasurement> {
  measureOnce(Math.min(rows, 200_000));
  const measured = measureOnce(rows);
  const duckDb = await measureDuckDb(rows);
  const tumbling = measured.figures[0]!.rowsPerSecond;
  return {
    figures: measured.figures,
    comparison: {
      duckDbRowsPerSecond: duckDb.rowsPerSecond,
      duckDbGroups: duckDb.groups,
      ratio: tumbling / duckDb.rowsPerSecond,
      ratioTarget: 0.1,
      heapAtQuarterBytes: measured.heapAtQuarterBytes,
      heapAtEndBytes: measured.heapAtEndBytes,
      rows,
    },
  };
}

/**
 * The same rows as measureOnce (ticker i % 10007 % 100, price 10 + (i % 10007 % 997) / 10,
 * ROWTIME start + i ms) in a DuckDB table, then COUNT(*) and AVG(price) per ticker and minute.
 */
async function measureDuckDb(rows: number): Promise<{ rowsPerSecond: number; groups: number }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    await connection.run(
      `CREATE TABLE ticks AS SELECT 'T' || ((i % ${distinctRows}) % 100) AS ticker_symbol,
         10 + ((i % ${distinctRows}) % 997) / 10.0 AS price, i AS rowtime_ms FROM range(${rows}) r(i)`,
    );
    const query = `SELECT ticker_symbol, rowtime_ms // 60000 AS minute, COUNT(*) AS n, AVG(price) AS average
      FROM ticks GROUP BY ticker_symbol, minute`;
    await connection.runAndReadAll(query);
    const begin = cpuMs();
    const result = await connection.runAndReadAll(query);
    const elapsedMs = cpuMs() - begin;
    return { rowsPerSecond: rows / (elapsedMs / 1000), groups: result.currentRowCount };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function measureOnce(rows: number): {
  figures: SqlFigure[];
  heapAtQuarterBytes: number;
  heapAtEndBytes: number;
} {
  const decoded: unknown[][] = [];
  for (let i = 0; i < distinctRows; i++)
    decoded.push([tickers[i % 100], 'TECHNOLOGY', (i % 7) - 3, 10 + (i % 997) / 10, 0]);
  const tumbling = engine();
  const quarter = Math.floor(rows / 4);
  let tumblingMs = 0;
  let begin = cpuMs();
  const run = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const row = decoded[i % distinctRows]!;
      row[4] = start + i;
      tumbling.push(start + i, row);
    }
  };
  run(0, quarter);
  tumblingMs += cpuMs() - begin;
  collectGarbage();
  const heapAtQuarterBytes = process.memoryUsage().heapUsed;
  begin = cpuMs();
  run(quarter, rows);
  tumblingMs += cpuMs() - begin;
  collectGarbage();
  const heapAtEndBytes = process.memoryUsage().heapUsed;

  const texts = decoded.map((row) =>
    JSON.stringify({ TICKER_SYMBOL: row[0], SECTOR: row[1], CHANGE: row[2], PRICE: row[3] }),
  );
  const endToEnd = engine();
  begin = cpuMs();
  for (let i = 0; i < rows; i++) {
    const t = start + i;
    for (const mapped of endToEnd.mapper(texts[i % distinctRows])) {
      mapped.push(t);
      endToEnd.push(t, mapped);
    }
  }
  const endToEndMs = cpuMs() - begin;
  const windows = Math.floor(rows / 60_000);
  const figures: SqlFigure[] = [
    {
      name: 'SQL tumbling GROUP BY over decoded rows',
      rowsPerSecond: rows / (tumblingMs / 1000),
      target: 2_000_000,
      note: `${rows} rows, 100 keys, ${tumbling.emitted()} rows out (${windows} closed windows)`,
    },
    {
      name: 'SQL end to end from JSON records',
      rowsPerSecond: rows / (endToEndMs / 1000),
      target: 500_000,
      note: `${rows} JSON records through the input mapping, ${endToEnd.emitted()} rows out`,
    },
  ];
  return { figures, heapAtQuarterBytes, heapAtEndBytes };
}

const mib = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/** Heap growth from a quarter of the run to its end that still counts as "bounded". */
const heapGrowthBoundBytes = 8 * 1024 ** 2;

export function renderSqlFigures(measurement: SqlMeasurement): string {
  const lines = ['| figure | rows/s | target | result | note |', '|---|---|---|---|---|'];
  for (const f of measurement.figures) {
    lines.push(
      `| ${f.name} | ${Math.round(f.rowsPerSecond).toLocaleString('en-US')} | ≥ ${f.target.toLocaleString('en-US')} | ${f.rowsPerSecond >= f.target ? 'PASS' : 'FAIL'} | ${f.note} |`,
    );
  }
  const c = measurement.comparison;
  lines.push(
    `| DuckDB, same aggregation over the same rows (one thread) | ${Math.round(c.duckDbRowsPerSecond).toLocaleString('en-US')} | | | ${c.rows} rows in a DuckDB table, ${c.duckDbGroups} groups (the last, open minute included) |`,
    `| Tributary tumbling / DuckDB | ${c.ratio.toFixed(2)}× | ≥ ${c.ratioTarget}× | ${c.ratio >= c.ratioTarget ? 'PASS' : 'FAIL'} | |`,
    `| memory: heap after ${Math.floor(c.rows / 4)} rows → after ${c.rows} rows | ${mib(c.heapAtQuarterBytes)} → ${mib(c.heapAtEndBytes)} | growth < ${mib(heapGrowthBoundBytes)} | ${c.heapAtEndBytes - c.heapAtQuarterBytes < heapGrowthBoundBytes ? 'PASS' : 'FAIL'} | heap used after a forced GC; bounded by the open window, not by rows seen |`,
  );
  return lines.join('\n');
}

/** Writes (or replaces) the SQL engine section of docs/benchmarks.md. */
export async function writeSqlSection(
  measurement: SqlMeasurement,
  command: string,
  startedAt: Date,
  load: string,
): Promise<string> {
  return writeKeptSection(
    'sql-engine',
    `## SQL engine (Kinesis Data Analytics SQL)

Measured in process by \`bench/measure-sql.ts\` with \`${command}\` on ${startedAt.toISOString()}
(load average at start ${load}). The query is a tumbling-window GROUP BY per key with a 1-minute
STEP on ROWTIME, COUNT(*) and AVG(price), over 100 keys with one ROWTIME step of 1 ms (60,000 rows
per window); rates are rows per second of the process's CPU time (user + system, GC threads
included), so other load on the shared machine does not count against them. DuckDB
(\`@duckdb/node-api\`, a dev dependency) runs the same aggregation (COUNT(*) and AVG(price) per
ticker and minute) over the same rows, already loaded into a DuckDB table, on one thread, timed the
same way (process CPU time). Memory is bounded by the open window, one group per key: the heap
after a forced garbage collection is measured at a quarter of the tumbling run and at its end.

${renderSqlFigures(measurement)}`,
  );
}

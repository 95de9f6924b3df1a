/**
 * `npm run bench -- --sql-only`: the SQL engine's figures, in process and on one core.
 * - tumbling: a tumbling-window GROUP BY (key, 1-minute STEP on ROWTIME) with COUNT and AVG over
 *   rows already decoded into arrays, pushed straight into the engine;
 * - end to end: the same query from JSON record text through the input mapping (JSON.parse,
 *   JSONPath columns, coercion) into the engine.
 * Rows carry 100 keys and one ROWTIME step of 1 ms, so a window holds 60,000 rows. Rates are per
 * second of this process's CPU time (user + system), so other load on a shared machine does not
 * count against them; a short warm-up run goes first.
 */
const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
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

export function measureSqlFigures(rows: number): SqlFigure[] {
  measureOnce(Math.min(rows, 200_000));
  return measureOnce(rows);
}

function measureOnce(rows: number): SqlFigure[] {
  const decoded: unknown[][] = [];
  for (let i = 0; i < distinctRows; i++)
    decoded.push([tickers[i % 100], 'TECHNOLOGY', (i % 7) - 3, 10 + (i % 997) / 10, 0]);
  const tumbling = engine();
  let begin = cpuMs();
  for (let i = 0; i < rows; i++) {
    const row = decoded[i % distinctRows]!;
    row[4] = start + i;
    tumbling.push(start + i, row);
  }
  const tumblingMs = cpuMs() - begin;

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
  return [
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
}

export function renderSqlFigures(figures: readonly SqlFigure[]): string {
  const lines = ['| figure | rows/s | target | result | note |', '|---|---|---|---|---|'];
  for (const f of figures) {
    lines.push(
      `| ${f.name} | ${Math.round(f.rowsPerSecond).toLocaleString('en-US')} | ≥ ${f.target.toLocaleString('en-US')} | ${f.rowsPerSecond >= f.target ? 'PASS' : 'FAIL'} | ${f.note} |`,
    );
  }
  return lines.join('\n');
}

/** Writes (or replaces) the SQL engine section of docs/benchmarks.md. */
export async function writeSqlSection(
  figures: readonly SqlFigure[],
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
included), so other load on the shared machine does not count against them. Memory is bounded by
the open window: one group per key. DuckDB is not measured (not a dependency).

${renderSqlFigures(figures)}`,
  );
}

/**
 * `npm run bench -- --sql-only`: the SQL engine's figures, in process and on one core.
 * - tumbling: a tumbling-window GROUP BY (key, 1-minute STEP on ROWTIME) with COUNT and AVG over
 *   rows already decoded into arrays, pushed straight into the engine;
 * - end to end: the same query from JSON record text through the input mapping (JSON.parse,
 *   JSONPath columns, coercion) into the engine.
 * - DuckDB: the same aggregation (count and average per key and minute of the epoch-millisecond
 *   ROWTIME) over the same rows, in a DuckDB table built in memory beforehand, on one DuckDB
 *   thread; the figure is Tributary's tumbling rate divided by DuckDB's (DuckDB is a dev dependency
 *   of the benchmark only). DuckDB's answer is checked against Tributary's rows, so both sides
 *   provably compute the same thing. DuckDB's time_bucket over a TIMESTAMP column is measured too,
 *   for information.
 * - memory: the heap after a forced garbage collection at a quarter of a tumbling run and at its
 *   end; bounded by the open window (one group per key), so the two stay close whatever the rows.
 * Rows carry 100 keys and one ROWTIME step of 1 ms, so a window holds 60,000 rows.
 *
 * Method (the same for both sides): only the aggregation is timed — building the input (DuckDB's
 * table; Tributary's decoded rows and their ROWTIMEs, prepared a block of rows at a time outside
 * the timed region) is not; time is this process's CPU time (user + system: the single thread
 * doing the work, plus V8's GC helpers for Tributary; Node 20 has no per-thread CPU clock); after
 * a warm-up of each, runs alternate Tributary, DuckDB, DuckDB time_bucket, and each figure is the
 * median of its runs, the ratio the ratio of the medians (the range of the per-run ratios is shown
 * beside it).
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { writeKeptSection } from './benchmarks-doc.js';
import { ProcessingClock, SqlEngine } from '../src/analytics/exec/sql-engine.js';
import { applicationInputs, readApplicationConfig } from '../src/analytics/input/application-config.js';
import { bindApplication } from '../src/analytics/plan/bind-application.js';

const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

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
  /** DuckDB over the epoch-millisecond ROWTIME (`rowtime_ms // 60000`): the reference. */
  readonly duckDbRowsPerSecond: number;
  /** DuckDB's `time_bucket(INTERVAL '1 minute', rowtime)` over a TIMESTAMP column, for information. */
  readonly duckDbBucketRowsPerSecond: number;
  readonly duckDbGroups: number;
  /** Tributary's median tumbling rows/s divided by DuckDB's median. */
  readonly ratio: number;
  /** The lowest and highest ratio of one run of each, run by run. */
  readonly ratioLow: number;
  readonly ratioHigh: number;
  readonly ratioTarget: number;
  readonly runs: number;
  /** Tributary's rows checked against DuckDB's answer (count and average per key and window). */
  readonly checkedRows: number;
  readonly rowsAtQuarter: number;
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

type OutputRow = (rowtime: number, row: readonly unknown[]) => void;

function engine(onOutput?: OutputRow): {
  push: (rowtime: number, row: unknown[]) => void;
  emitted: () => number;
  mapper: (record: unknown) => unknown[][];
} {
  const config = readApplicationConfig(application);
  const clock = new ProcessingClock();
  const plan = bindApplication(code, applicationInputs(config), clock);
  let emitted = 0;
  const sql = new SqlEngine(plan, {
    clock,
    onRow:
      onOutput === undefined
        ? () => emitted++
        : (_stream, rowtime, row) => {
            emitted++;
            onOutput(rowtime, row);
          },
  });
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

/** Runs of each side after the warm-ups; each figure is the median. */
const runs = 5;

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Row i is decoded[i % distinctRows] with ROWTIME and APPROXIMATE_ARRIVAL_TIME start + i ms:
 * ticker T(j % 100), sector, change (j % 7) - 3, price 10 + (j % 997) / 10 for j = i % distinctRows.
 */
function decodedRows(): unknown[][] {
  const decoded: unknown[][] = [];
  for (let j = 0; j < distinctRows; j++)
    decoded.push([tickers[j % 100], 'TECHNOLOGY', (j % 7) - 3, 10 + (j % 997) / 10, 0]);
  return decoded;
}

interface TumblingRun {
  readonly cpuMs: number;
  readonly rowsAtQuarter: number;
  readonly heapAtQuarterBytes: number;
  readonly heapAtEndBytes: number;
}

/** A run's rows span whole windows: the next run starts on a window boundary, as row 0 does. */
const runSpanMs = (rows: number): number => Math.ceil(rows / 60_000) * 60_000;

/**
 * One tumbling run: `rows` more rows into the long-running engine, ROWTIMEs from `base` (each run
 * continues the stream where the previous left off, as an application's input does). Rows are
 * prepared a block of `distinctRows` at a time (their ROWTIME and arrival time set) outside the
 * timed region, then the block is pushed, timed: the figure is the engine's work per row, as
 * DuckDB's is its own.
 */
function tumblingRun(
  tumbling: ReturnType<typeof engine>,
  base: number,
  rows: number,
  decoded: readonly unknown[][],
  heap = false,
): TumblingRun {
  const times = new Array<number>(distinctRows).fill(0);
  const quarter = Math.floor(rows / 4);
  let rowsAtQuarter = 0;
  let heapAtQuarterBytes = 0;
  let elapsed = 0;
  for (let from = 0; from < rows; from += distinctRows) {
    const count = Math.min(distinctRows, rows - from);
    for (let j = 0; j < count; j++) {
      const t = base + from + j;
      decoded[j]![4] = t;
      times[j] = t;
    }
    const begin = cpuMs();
    for (let j = 0; j < count; j++) tumbling.push(times[j]!, decoded[j]!);
    elapsed += cpuMs() - begin;
    if (heap && rowsAtQuarter === 0 && from + count >= quarter) {
      collectGarbage();
      rowsAtQuarter = from + count;
      heapAtQuarterBytes = process.memoryUsage().heapUsed;
    }
  }
  let heapAtEndBytes = 0;
  if (heap) {
    collectGarbage();
    heapAtEndBytes = process.memoryUsage().heapUsed;
  }
  return { cpuMs: elapsed, rowsAtQuarter, heapAtQuarterBytes, heapAtEndBytes };
}

/** An end-to-end run: JSON record text through the input mapping into the engine, all timed. */
function endToEndRun(
  endToEnd: ReturnType<typeof engine>,
  base: number,
  rows: number,
  texts: readonly string[],
): number {
  const begin = cpuMs();
  for (let i = 0; i < rows; i++) {
    const t = base + i;
    for (const mapped of endToEnd.mapper(texts[i % distinctRows])) {
      mapped.push(t);
      endToEnd.push(t, mapped);
    }
  }
  return cpuMs() - begin;
}

/**
 * The same rows in a DuckDB table (ROWTIME as epoch milliseconds, as Tributary holds it, and as a
 * TIMESTAMP), on one DuckDB thread.
 */
async function openDuckDb(rows: number): Promise<{
  connection: DuckDBConnection;
  close: () => void;
}> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  const threads = (await connection.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0]?.[0];
  if (Number(threads) !== 1) throw new Error(`DuckDB runs ${String(threads)} threads, not 1`);
  await connection.run(
    `CREATE TABLE ticks AS SELECT 'T' || ((i % ${distinctRows}) % 100) AS ticker_symbol,
       10 + CAST((i % ${distinctRows}) % 997 AS DOUBLE) / 10 AS price,
       CAST(${start} + i AS BIGINT) AS rowtime_ms,
       make_timestamp(CAST((${start} + i) * 1000 AS BIGINT)) AS rowtime
     FROM range(${rows}) r(i)`,
  );
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

const duckDbQuery = `SELECT ticker_symbol, rowtime_ms // 60000 AS minute, COUNT(*) AS n, AVG(price) AS average
  FROM ticks GROUP BY ticker_symbol, minute`;
const duckDbBucketQuery = `SELECT ticker_symbol, time_bucket(INTERVAL '1 minute', rowtime) AS minute,
  COUNT(*) AS n, AVG(price) AS average FROM ticks GROUP BY ticker_symbol, minute`;

/** One timed DuckDB run: CPU time of the query, its result read into JavaScript. */
async function duckDbRun(
  connection: DuckDBConnection,
  query: string,
): Promise<{ cpuMs: number; groups: number }> {
  const begin = cpuMs();
  const result = await connection.runAndReadAll(query);
  return { cpuMs: cpuMs() - begin, groups: result.currentRowCount };
}

/**
 * Every row Tributary emitted (one per key and closed window, at the window end) has DuckDB's
 * count and average for that key and minute, and every minute closed by the last row is there.
 */
async function checkAgainstDuckDb(
  connection: DuckDBConnection,
  output: ReadonlyMap<string, readonly [number, number]>,
  rows: number,
): Promise<number> {
  const lastRowtime = start + rows - 1;
  const result = await connection.runAndReadAll(
    `SELECT * FROM (SELECT ticker_symbol, CAST((rowtime_ms // 60000 + 1) * 60000 AS DOUBLE) AS window_end,
         CAST(COUNT(*) AS DOUBLE) AS n, AVG(price) AS average
       FROM ticks GROUP BY ticker_symbol, window_end) WHERE window_end <= ${lastRowtime}`,
  );
  const expected = result.getRows();
  if (expected.length !== output.size)
    throw new Error(`Tributary emitted ${output.size} rows, DuckDB has ${expected.length} closed groups`);
  for (const [ticker, windowEnd, n, average] of expected) {
    const got = output.get(`${String(ticker)}@${Number(windowEnd)}`);
    const want = Number(average);
    if (got === undefined || got[0] !== Number(n) || Math.abs(got[1] - want) > 1e-9 * Math.abs(want))
      throw new Error(
        `Tributary and DuckDB differ for ${String(ticker)} at ${Number(windowEnd)}: ${JSON.stringify(got)} against [${Number(n)}, ${want}]`,
      );
  }
  return expected.length;
}

export async function measureSqlFigures(rows: number): Promise<SqlMeasurement> {
  const decoded = decodedRows();
  // One engine for every run, as one application runs for long: run k's rows follow run k-1's.
  // Only the last run's rows (windows ending inside it) are kept, to check against DuckDB.
  let keep: { from: number; to: number } | null = null;
  const output = new Map<string, readonly [number, number]>();
  const tumbling = engine((rowtime, row) => {
    if (keep !== null && rowtime > keep.from && rowtime <= keep.to)
      output.set(`${String(row[0])}@${rowtime - keep.from + start}`, [Number(row[1]), Number(row[2])]);
  });
  const span = runSpanMs(rows);
  // The warm-up run also probes the heap: its forced collections stay out of the timed runs.
  const probed = tumblingRun(tumbling, start, rows, decoded, true);
  const duckDb = await openDuckDb(rows);
  try {
    await duckDbRun(duckDb.connection, duckDbQuery);
    await duckDbRun(duckDb.connection, duckDbBucketQuery);
    const tumblingRates: number[] = [];
    const duckDbRates: number[] = [];
    const bucketRates: number[] = [];
    let groups = 0;
    for (let run = 1; run <= runs; run++) {
      const base = start + run * span;
      if (run === runs) keep = { from: base, to: base + rows };
      tumblingRates.push(rows / (tumblingRun(tumbling, base, rows, decoded).cpuMs / 1000));
      const reference = await duckDbRun(duckDb.connection, duckDbQuery);
      groups = reference.groups;
      duckDbRates.push(rows / (reference.cpuMs / 1000));
      bucketRates.push(rows / ((await duckDbRun(duckDb.connection, duckDbBucketQuery)).cpuMs / 1000));
    }
    const checkedRows = await checkAgainstDuckDb(duckDb.connection, output, rows);
    const ratios = tumblingRates.map((rate, i) => rate / duckDbRates[i]!);

    const texts = decoded.map((row) =>
      JSON.stringify({ TICKER_SYMBOL: row[0], SECTOR: row[1], CHANGE: row[2], PRICE: row[3] }),
    );
    const endToEnd = engine();
    const endToEndRates = Array.from(
      { length: 4 },
      (_, run) => rows / (endToEndRun(endToEnd, start + run * span, rows, texts) / 1000),
    ).slice(1);
    const windows = Math.floor(rows / 60_000);
    const tumblingRate = median(tumblingRates);
    const duckDbRate = median(duckDbRates);
    return {
      figures: [
        {
          name: 'SQL tumbling GROUP BY over decoded rows',
          rowsPerSecond: tumblingRate,
          target: 2_000_000,
          note: `median of ${runs} runs of ${rows} rows (${tumblingRates.map(millions).join(', ')} M rows/s) into one engine, 100 keys, ${output.size} rows out per run (${windows} closed windows)`,
        },
        {
          name: 'SQL end to end from JSON records',
          rowsPerSecond: median(endToEndRates),
          target: 500_000,
          note: `median of 3 runs of ${rows} JSON records (after a warm-up run) through the input mapping into one engine, ${endToEnd.emitted()} rows out in all`,
        },
      ],
      comparison: {
        duckDbRowsPerSecond: duckDbRate,
        duckDbBucketRowsPerSecond: median(bucketRates),
        duckDbGroups: groups,
        ratio: tumblingRate / duckDbRate,
        ratioLow: Math.min(...ratios),
        ratioHigh: Math.max(...ratios),
        ratioTarget: 0.1,
        runs,
        checkedRows,
        rowsAtQuarter: probed.rowsAtQuarter,
        heapAtQuarterBytes: probed.heapAtQuarterBytes,
        heapAtEndBytes: probed.heapAtEndBytes,
        rows,
      },
    };
  } finally {
    duckDb.close();
  }
}

const millions = (rate: number): string => (rate / 1e6).toFixed(2);

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
  const rate = (r: number): string => Math.round(r).toLocaleString('en-US');
  lines.push(
    `| DuckDB, same aggregation over the same rows (one thread) | ${rate(c.duckDbRowsPerSecond)} | | | median of ${c.runs} runs; GROUP BY ticker, \`rowtime_ms // 60000\` over ${c.rows} rows in a DuckDB table, ${c.duckDbGroups} groups (the last, open minute included); its answer matches Tributary's ${c.checkedRows} rows |`,
    `| Tributary tumbling / DuckDB | ${c.ratio.toFixed(2)}× | ≥ ${c.ratioTarget}× | ${c.ratio >= c.ratioTarget ? 'PASS' : 'FAIL'} | ratio of the medians; run by run ${c.ratioLow.toFixed(2)}–${c.ratioHigh.toFixed(2)}× |`,
    `| DuckDB with \`time_bucket(INTERVAL '1 minute', rowtime)\` over a TIMESTAMP column (information) | ${rate(c.duckDbBucketRowsPerSecond)} | | | median of ${c.runs} runs; Tributary / this: ${(measurement.figures[0]!.rowsPerSecond / c.duckDbBucketRowsPerSecond).toFixed(2)}× |`,
    `| memory: heap after ${c.rowsAtQuarter} rows → after ${c.rows} rows | ${mib(c.heapAtQuarterBytes)} → ${mib(c.heapAtEndBytes)} | growth < ${mib(heapGrowthBoundBytes)} | ${c.heapAtEndBytes - c.heapAtQuarterBytes < heapGrowthBoundBytes ? 'PASS' : 'FAIL'} | heap used after a forced GC, in the warm-up run; bounded by the open window, not by rows seen |`,
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
per window). DuckDB (\`@duckdb/node-api\`, a dev dependency of the benchmark) runs the same
aggregation — COUNT(*) and AVG(price) per ticker and minute — over the same rows.

How the two are compared, the same way on both sides:
- **Rows**: the same rows (ticker, price, ROWTIME as epoch milliseconds, which is how Tributary holds
  a TIMESTAMP); the reference query groups by \`rowtime_ms // 60000\`, the same arithmetic as
  STEP. After the runs, DuckDB's count and average per ticker and minute are checked against every
  row Tributary emitted (the bench fails if one differs), so both provably compute the same thing.
- **What is timed**: the aggregation over rows already in memory in each side's own form. Loading
  is not counted on either side: DuckDB's table is built before timing; Tributary's decoded rows
  (arrays) get their ROWTIME and arrival time a block of 10,007 rows at a time outside the timed
  region, then the block is pushed through \`SqlEngine.push\` (binding, window search, group
  state and emission are all inside). DuckDB's result (3,400 rows) is read into JavaScript inside
  its timing.
- **Clock**: CPU time of the process (user + system), so other load on the shared machine does not
  count against either. Node.js 20 has no per-thread CPU clock; in both cases one thread does the
  work (Tributary: the main thread, plus V8's GC helper threads, which count; DuckDB: its one
  execution thread, \`SET threads = 1\`, checked before the runs).
- **Runs**: a warm-up of each side, then ${measurement.comparison.runs} rounds, each a Tributary run followed by a DuckDB run.
  Tributary's runs feed one engine, each run's rows continuing the stream where the previous run's
  left off (an application runs for long; a fresh engine per run would time V8 re-optimising the
  new engine's closures); every rate is the median of its runs and the ratio is the ratio of the medians (the per-round
  ratios are shown as a range). DuckDB's \`time_bucket\` over a TIMESTAMP column — what a DuckDB
  user would write for a tumbling window — is slower and is shown for information only.

The end-to-end figure times everything from JSON record text (JSON.parse, JSONPath columns,
coercion) through the engine, the median of three runs after a warm-up run, into one engine. Memory is bounded by the open window, one
group per key: the heap after a forced garbage collection is measured at a quarter of the warm-up
tumbling run and at its end (outside the timed runs: a forced collection resets the heap's sizing).

${renderSqlFigures(measurement)}`,
  );
}

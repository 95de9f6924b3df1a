/**
 * Test harness for the SQL engine: binds application code against one input stream
 * (SOURCE_SQL_STREAM_001) with the given columns, feeds rows and bounds, and collects every row
 * inserted into an in-application stream as {stream, rowtime (ISO), row (column → JSON value)}.
 */
import {
  ProcessingClock,
  SqlEngine,
  errorStreamColumns,
  errorStreamName,
} from '../../src/analytics/exec/sql-engine.js';
import { jsonValue } from '../../src/analytics/functions/values.js';
import { parseSqlType } from '../../src/analytics/input/record-mapping.js';
import { bindApplication, type StreamColumn } from '../../src/analytics/plan/bind-application.js';
import type { Row } from '../../src/analytics/plan/bound-expression.js';

export const source = 'SOURCE_SQL_STREAM_001';

export type Step =
  | { readonly at: string | number; readonly row: Record<string, unknown> }
  | { readonly bound: string | number };

export interface Emitted {
  readonly stream: string;
  readonly rowtime: string;
  readonly row: Record<string, unknown>;
}

export const time = (t: string | number): number =>
  typeof t === 'number' ? t : Date.parse(t.endsWith('Z') ? t : `${t}Z`);

export function columns(spec: Record<string, string>): StreamColumn[] {
  return Object.entries(spec).map(([name, type]) => ({ name, type: parseSqlType(type)!, notNull: false }));
}

export interface App {
  readonly engine: SqlEngine;
  readonly out: Emitted[];
  feed(steps: readonly Step[]): Emitted[];
}

export function startApp(
  code: string,
  inputColumns: Record<string, string>,
  tables: Record<string, { columns: Record<string, string>; rows: unknown[][] }> = {},
): App {
  const clock = new ProcessingClock();
  const input = columns(inputColumns);
  const plan = bindApplication(
    code,
    {
      inputs: [{ name: source, columns: input }],
      tables: Object.entries(tables).map(([name, t]) => ({ name, columns: columns(t.columns) })),
    },
    clock,
  );
  const columnsOf = new Map<string, readonly StreamColumn[]>([[errorStreamName, errorStreamColumns]]);
  for (const s of plan.streams.values()) columnsOf.set(s.name, s.columns);
  const out: Emitted[] = [];
  const engine = new SqlEngine(plan, {
    clock,
    tables: new Map(Object.entries(tables).map(([name, t]) => [name, t.rows as Row[]])),
    onRow: (stream, rowtime, row) => {
      const record: Record<string, unknown> = {};
      columnsOf.get(stream)!.forEach((c, i) => (record[c.name] = jsonValue(row[i] ?? null, c.type)));
      out.push({ stream, rowtime: new Date(rowtime).toISOString(), row: record });
    },
  });
  return {
    engine,
    out,
    feed(steps) {
      const start = out.length;
      for (const step of steps) {
        if ('bound' in step) engine.advance(time(step.bound));
        else {
          const t = time(step.at);
          engine.push(source, t, [...input.map((c) => step.row[c.name] ?? null), t]);
        }
      }
      return out.slice(start);
    },
  };
}

/** Runs code over steps and returns what was emitted. */
export function runApp(
  code: string,
  inputColumns: Record<string, string>,
  steps: readonly Step[],
  tables?: Parameters<typeof startApp>[2],
): Emitted[] {
  return startApp(code, inputColumns, tables).feed(steps);
}

/** Rows of one stream, as [rowtime, ...values] tuples: compact to compare. */
export function rowsOf(out: readonly Emitted[], stream = 'DESTINATION_SQL_STREAM'): unknown[][] {
  return out
    .filter((e) => e.stream === stream)
    .map((e) => [e.rowtime.slice(11, 23), ...Object.values(e.row)]);
}

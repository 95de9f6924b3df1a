/**
 * The runner's `ApplicationEngine` backed by the SQL engine (exec/sql-engine.ts): binds the
 * application code against the input in-application streams, converts rows between the runner's
 * values (records/sql-value.ts: Dates, bigints, Buffers) and the engine's (milliseconds, numbers,
 * Uint8Arrays), and reports the rows of output streams and `error_stream` in batches, one batch
 * per stream for each `push` or `advanceTime`.
 *
 * Invariants: the runner's input rows carry APPROXIMATE_ARRIVAL_TIME first while the engine keeps
 * it as the hidden last column; rows go to `onOutput` before `push`/`advanceTime` return.
 */
import {
  ProcessingClock,
  SqlEngine,
  errorStreamColumns as engineErrorColumns,
  errorStreamName,
} from '../exec/sql-engine.js';
import { parseSqlType } from '../input/record-mapping.js';
import {
  arrivalTimeColumn,
  bindApplication,
  type ApplicationInputs,
  type ApplicationPlan,
  type StreamColumn,
} from '../plan/bind-application.js';
import { describeType, type SqlType } from '../plan/sql-type.js';
import type { SqlValue, StreamColumn as RunnerColumn } from '../records/sql-value.js';
import type { ApplicationEngine, ApplicationEngineFactory, InAppStream, Row } from './application-engine.js';

/** A reference table as the binder sees it: its name and typed columns. */
export interface ReferenceTable {
  readonly name: string;
  readonly columns: readonly RunnerColumn[];
}

const typedColumns = (columns: readonly RunnerColumn[]): StreamColumn[] =>
  columns.map((column) => {
    const type = parseSqlType(column.sqlType);
    if (type === null) throw new Error(`unsupported column type ${column.sqlType}`);
    return { name: column.name, type, notNull: false };
  });

/** The binder's view of the runner's input streams: the schema columns, without APPROXIMATE_ARRIVAL_TIME. */
export function engineInputs(
  inputs: readonly InAppStream[],
  tables: readonly ReferenceTable[] = [],
): ApplicationInputs {
  return {
    inputs: inputs.map((input) => ({
      name: input.name,
      columns: typedColumns(input.columns.filter((column) => column.name !== arrivalTimeColumn)),
    })),
    tables: tables.map((table) => ({ name: table.name, columns: typedColumns(table.columns) })),
  };
}

/** Binds `code` against the inputs (and reference tables); throws SqlSyntaxError or SqlValidationError. */
export function bindForInputs(
  code: string,
  inputs: readonly InAppStream[],
  clock: ProcessingClock,
  tables: readonly ReferenceTable[] = [],
): ApplicationPlan {
  return bindApplication(code, engineInputs(inputs, tables), clock);
}

function toEngine(value: SqlValue | undefined): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** A REAL written with the fewest digits that read back as the same 32-bit float. */
function shortestReal(value: number): number {
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

function fromEngine(value: unknown, type: SqlType): SqlValue {
  if (value === null || value === undefined) return null;
  switch (type.name) {
    case 'TIMESTAMP':
    case 'DATE':
    case 'TIME':
      return new Date(value as number);
    case 'BINARY':
    case 'VARBINARY':
      return Buffer.from(value as Uint8Array);
    case 'REAL':
      return typeof value === 'number' && Number.isFinite(value) ? shortestReal(value) : (value as number);
    default:
      if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
      return JSON.stringify(value);
  }
}

interface OutputStream {
  readonly types: readonly SqlType[];
  readonly columns: readonly RunnerColumn[];
  pending: Row[];
}

function outputStream(columns: readonly StreamColumn[]): OutputStream {
  return {
    types: columns.map((column) => column.type),
    columns: columns.map((column) => ({ name: column.name, sqlType: describeType(column.type) })),
    pending: [],
  };
}

export const sqlApplicationEngine: ApplicationEngineFactory = (setup) => {
  const clock = new ProcessingClock();
  const plan = bindForInputs(setup.code, setup.inputs, clock);
  const outputs = new Map<string, OutputStream>();
  for (const name of setup.outputStreams) {
    const stream = plan.streams.get(name);
    if (stream !== undefined) outputs.set(name, outputStream(stream.columns));
  }
  outputs.set(errorStreamName, outputStream(engineErrorColumns));
  const engine = new SqlEngine(plan, {
    clock,
    onRow: (stream, rowtimeMs, row) => {
      const output = outputs.get(stream);
      if (output === undefined) return;
      output.pending.push({ rowtimeMs, values: output.types.map((type, i) => fromEngine(row[i], type)) });
    },
  });
  const deliver = (): void => {
    for (const [name, output] of outputs) {
      if (output.pending.length === 0) continue;
      const rows = output.pending;
      output.pending = [];
      setup.onOutput(name, output.columns, rows);
    }
  };
  const inputNames = new Set(setup.inputs.map((input) => input.name));
  const result: ApplicationEngine = {
    push(streamName, rows) {
      if (!inputNames.has(streamName)) throw new Error(`no input stream ${streamName}`);
      try {
        for (const row of rows) {
          const [arrival, ...values] = row.values;
          engine.push(streamName, row.rowtimeMs, [...values.map(toEngine), toEngine(arrival)]);
        }
      } finally {
        deliver();
      }
    },
    advanceTime(nowMs) {
      try {
        engine.advance(nowMs);
      } finally {
        deliver();
      }
    },
    close() {
      for (const output of outputs.values()) output.pending = [];
    },
  };
  return result;
};

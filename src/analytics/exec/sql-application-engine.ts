/**
 * The SQL engine behind the runner's `ApplicationEngine` contract (runner/application-engine.ts):
 * binds the code against the input streams (CodeValidationException with line and column for bad
 * code), converts the runner's values (Dates, bigints, Buffers) to the engine's (milliseconds,
 * numbers, bytes) and back, and hands over the rows of output streams and error_stream, batched
 * per stream, before `push` / `advanceTime` return.
 */
import { codeValidation } from '../api/analytics-errors.js';
import { parseSqlType } from '../input/record-mapping.js';
import {
  arrivalTimeColumn,
  bindApplication,
  type StreamColumn as EngineColumn,
} from '../plan/bind-application.js';
import type { Row as EngineRow } from '../plan/bound-expression.js';
import { SqlValidationError } from '../plan/sql-validation-error.js';
import type { SqlType } from '../plan/sql-type.js';
import type { ApplicationEngine, ApplicationEngineFactory, Row } from '../runner/application-engine.js';
import { errorStreamColumns } from '../runner/error-stream.js';
import type { SqlValue, StreamColumn } from '../records/sql-value.js';
import { SqlSyntaxError } from '../sql/sql-syntax-error.js';
import { describeType } from '../plan/sql-type.js';
import { ProcessingClock, SqlEngine, errorStreamName } from './sql-engine.js';

const toEngine = (value: SqlValue | undefined): unknown => {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value);
  return value;
};

function fromEngine(value: unknown, type: SqlType): SqlValue {
  if (value === null || value === undefined) return null;
  switch (type.name) {
    case 'TIMESTAMP':
    case 'DATE':
    case 'TIME':
      return new Date(value as number);
    case 'BIGINT':
      return BigInt(Math.trunc(value as number));
    case 'BINARY':
    case 'VARBINARY':
      return Buffer.from(value as Uint8Array);
    case 'ROW':
      return JSON.stringify(value);
    default:
      return value as SqlValue;
  }
}

function columnType(column: StreamColumn): SqlType {
  const type = parseSqlType(column.sqlType);
  if (type === null) throw codeValidation(`Column ${column.name} has an unknown SQL type ${column.sqlType}`);
  return type;
}

export const sqlApplicationEngine: ApplicationEngineFactory = (setup) => {
  const clock = new ProcessingClock();
  const inputs = setup.inputs.map((input) => {
    const arrival = input.columns.findIndex((c) => c.name === arrivalTimeColumn);
    const mapped = input.columns
      .map((c, i) => ({ column: c, index: i }))
      .filter(({ index }) => index !== arrival);
    return {
      name: input.name,
      columns: mapped.map(({ column }): EngineColumn => ({
        name: column.name,
        type: columnType(column),
        notNull: false,
      })),
      order: [...mapped.map(({ index }) => index), arrival],
    };
  });
  const tables = setup.tables ?? [];
  let plan;
  try {
    plan = bindApplication(
      setup.code,
      {
        inputs: inputs.map(({ name, columns }) => ({ name, columns })),
        tables: tables.map((table) => ({
          name: table.name,
          columns: table.columns.map((column) => ({
            name: column.name,
            type: columnType(column),
            notNull: false,
          })),
        })),
      },
      clock,
    );
  } catch (error) {
    if (error instanceof SqlValidationError || error instanceof SqlSyntaxError)
      throw codeValidation(error.message);
    throw error;
  }
  // Every stream a pump writes, for outputs and for the tap (live results).
  const written = new Map<string, { columns: StreamColumn[]; types: SqlType[] }>();
  for (const stream of plan.streams.values()) {
    written.set(stream.name, {
      columns: stream.columns.map((c) => ({ name: c.name, sqlType: describeType(c.type) })),
      types: stream.columns.map((c) => c.type),
    });
  }
  written.set(errorStreamName, {
    columns: [...errorStreamColumns],
    types: errorStreamColumns.map((c) => columnType(c)),
  });
  const pending = new Map<string, Row[]>();
  const tap = setup.tap;
  const engine = new SqlEngine(plan, {
    clock,
    tables: new Map(
      tables.map((table) => [table.name, table.rows.map((values) => values.map((value) => toEngine(value)))]),
    ),
    onRow: (stream, rowtime, row) => {
      const output = stream === errorStreamName || setup.outputStreams.has(stream);
      if (!output && tap?.wants(stream) !== true) return;
      const types = written.get(stream)?.types;
      if (types === undefined) return;
      let rows = pending.get(stream);
      if (rows === undefined) pending.set(stream, (rows = []));
      rows.push({ rowtimeMs: rowtime, values: types.map((t, i) => fromEngine(row[i], t)) });
    },
  });
  const flush = (): void => {
    for (const [stream, rows] of pending) {
      const columns = written.get(stream)!.columns;
      if (stream === errorStreamName || setup.outputStreams.has(stream))
        setup.onOutput(stream, columns, rows);
      if (tap?.wants(stream) === true) tap.rows(stream, columns, rows);
    }
    pending.clear();
  };
  const byName = new Map(inputs.map((i) => [i.name, i]));
  const result: ApplicationEngine = {
    push(streamName, rows) {
      const input = byName.get(streamName);
      if (input === undefined) throw new Error(`no input stream ${streamName}`);
      try {
        for (const row of rows) {
          const values: EngineRow = input.order.map((i) => (i < 0 ? row.rowtimeMs : toEngine(row.values[i])));
          engine.push(streamName, row.rowtimeMs, values);
        }
      } finally {
        flush();
      }
    },
    advanceTime(nowMs) {
      try {
        engine.advance(nowMs);
      } finally {
        flush();
      }
    },
    close() {
      pending.clear();
    },
  };
  return result;
};

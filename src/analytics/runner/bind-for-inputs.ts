/**
 * Binding application code as the engine runs it, for validation: the runner's input
 * in-application streams (APPROXIMATE_ARRIVAL_TIME first, column types as SQL text) and the
 * reference tables become the binder's inputs (exec/sql-application-engine.ts runs the result).
 */
import type { ProcessingClock } from '../exec/sql-engine.js';
import { parseSqlType } from '../input/record-mapping.js';
import {
  arrivalTimeColumn,
  bindApplication,
  type ApplicationInputs,
  type ApplicationPlan,
  type StreamColumn,
} from '../plan/bind-application.js';
import type { StreamColumn as RunnerColumn } from '../records/sql-value.js';
import type { InAppStream } from './application-engine.js';

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

/**
 * Binds a whole application: the input streams and reference tables its configuration creates,
 * then each statement of the code in order — CREATE STREAM, CREATE VIEW, CREATE PUMP (whose
 * INSERT is checked against its target: column count, names and types). The result is what
 * exec/ needs to run it. The first problem found is thrown as SqlValidationError (or
 * SqlSyntaxError from the parser), with its line and column.
 */
import type { CreatePump, Query, Script, Span } from '../sql/ast.js';
import { parseScript } from '../sql/parser.js';
import { coerce } from './bind-expression.js';
import type { BindEnvironment } from './bind-context.js';
import { bindQuery, type NamedRelation, type QueryCatalog } from './bind-query.js';
import type { Bound } from './bound-expression.js';
import type { Plan } from './plan.js';
import type { ScopeColumn } from './scope.js';
import { validationError } from './sql-validation-error.js';
import { assignable, describeType, fromDataType, type SqlType } from './sql-type.js';

export interface StreamColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly notNull: boolean;
}

export interface StreamDefinition {
  readonly name: string;
  readonly columns: readonly StreamColumn[];
  /** Created by the input configuration (rows come from outside), not by CREATE STREAM. */
  readonly input: boolean;
}

export interface TableDefinition {
  readonly name: string;
  readonly columns: readonly StreamColumn[];
}

export interface PumpPlan {
  readonly name: string;
  readonly target: string;
  readonly plan: Plan;
  /** For each target column: the query column that fills it, or -1 (NULL). */
  readonly sourceOfColumn: readonly number[];
  /** For each target column: the conversion of the query's value to the column type. */
  readonly converters: readonly ((value: unknown) => unknown)[];
}

export interface ApplicationPlan {
  readonly streams: ReadonlyMap<string, StreamDefinition>;
  readonly tables: ReadonlyMap<string, TableDefinition>;
  readonly pumps: readonly PumpPlan[];
}

export interface ApplicationInputs {
  /** Input in-application streams (SOURCE_SQL_STREAM_001, ...) with their mapped columns. */
  readonly inputs: readonly { readonly name: string; readonly columns: readonly StreamColumn[] }[];
  readonly tables: readonly TableDefinition[];
}

/** The hidden column every input stream has besides its mapped columns. */
export const arrivalTimeColumn = 'APPROXIMATE_ARRIVAL_TIME';

export function bindApplication(
  code: string | Script,
  inputs: ApplicationInputs,
  environment: BindEnvironment,
): ApplicationPlan {
  const script = typeof code === 'string' ? parseScript(code) : code;
  const streams = new Map<string, StreamDefinition>();
  const tables = new Map<string, TableDefinition>(inputs.tables.map((t) => [t.name, t]));
  const views = new Map<string, Query>();
  const pumps: PumpPlan[] = [];
  for (const input of inputs.inputs)
    streams.set(input.name, { name: input.name, columns: input.columns, input: true });

  const relation = (
    s: { name: string; columns: readonly StreamColumn[] },
    input: boolean,
  ): NamedRelation => ({
    name: s.name,
    columns: [
      ...s.columns.map((c): ScopeColumn => ({ name: c.name, type: c.type })),
      ...(input
        ? [
            {
              name: arrivalTimeColumn,
              type: fromDataType({
                kind: 'dataType',
                name: 'TIMESTAMP',
                length: null,
                scale: null,
                interval: null,
                span: script.span,
              }),
              hidden: true,
            },
          ]
        : []),
    ],
  });
  const catalog: QueryCatalog = {
    stream: (name) => {
      const s = streams.get(name);
      return s === undefined ? undefined : relation(s, s.input);
    },
    view: (name) => views.get(name),
    table: (name) => {
      const t = tables.get(name);
      return t === undefined ? undefined : relation(t, false);
    },
  };
  const taken = (name: string): boolean => streams.has(name) || views.has(name) || tables.has(name);
  const checkName = (name: string, span: Span): void => {
    if (name.toLowerCase() === 'error_stream')
      validationError(
        "error_stream is the name of the application's error stream and cannot be redefined",
        span,
      );
  };

  for (const statement of script.statements) {
    switch (statement.kind) {
      case 'createStream': {
        const name = statement.name.map((p) => p.name).join('.');
        checkName(name, statement.span);
        const existing = streams.get(name);
        if (existing?.input === true)
          validationError(
            `Stream '${name}' is an input stream of the application and cannot be redefined`,
            statement.span,
          );
        if (pumps.some((p) => p.target === name))
          validationError(
            `Stream '${name}' has a pump inserting into it and cannot be redefined`,
            statement.span,
          );
        if (taken(name) && !statement.orReplace)
          validationError(`Stream '${name}' already exists (use CREATE OR REPLACE STREAM)`, statement.span);
        if (tables.has(name) || views.has(name))
          validationError(`'${name}' already names a reference table or view`, statement.span);
        const columns = statement.columns.map((c) => {
          if (c.type.name === 'INTERVAL') validationError('INTERVAL is not a column type', c.type.span);
          const type = fromDataType(c.type);
          if (
            (type.name === 'VARCHAR' || type.name === 'CHAR') &&
            (type.length === null || type.length <= 0 || type.length >= 65535)
          ) {
            validationError(`${type.name} length must be between 1 and 65534`, c.type.span);
          }
          if (type.name === 'DECIMAL' && (type.length ?? 19) > 19)
            validationError('DECIMAL precision must be at most 19', c.type.span);
          return { name: c.name.name, type, notNull: c.notNull };
        });
        const seen = new Set<string>();
        for (const [i, c] of columns.entries()) {
          if (seen.has(c.name))
            validationError(`Duplicate column name '${c.name}'`, statement.columns[i]!.span);
          seen.add(c.name);
        }
        streams.set(name, { name, columns, input: false });
        break;
      }
      case 'createView': {
        const name = statement.name.map((p) => p.name).join('.');
        checkName(name, statement.span);
        if (taken(name) && !(statement.orReplace && views.has(name)))
          validationError(`'${name}' already exists`, statement.span);
        bindQuery(statement.query, catalog, environment);
        views.set(name, statement.query);
        break;
      }
      case 'createPump': {
        const name = statement.name.map((p) => p.name).join('.');
        const index = pumps.findIndex((p) => p.name === name);
        if (index >= 0 && !statement.orReplace)
          validationError(`Pump '${name}' already exists (use CREATE OR REPLACE PUMP)`, statement.span);
        const pump = bindPump(statement, name, streams, catalog, environment);
        if (index >= 0) pumps.splice(index, 1, pump);
        else pumps.push(pump);
        break;
      }
      case 'createFunction':
        validationError('CREATE FUNCTION is not supported yet', statement.span);
        break;
      case 'insert':
        validationError(
          'INSERT is only allowed inside a pump: CREATE PUMP name AS INSERT INTO stream SELECT STREAM ...',
          statement.span,
        );
        break;
      case 'queryStatement':
        validationError(
          'A query in application code must be inside a pump: CREATE PUMP name AS INSERT INTO stream SELECT STREAM ...',
          statement.span,
        );
        break;
    }
  }
  return { streams, tables, pumps };
}

function selectItemCount(query: Query): number | null {
  if (query.kind !== 'select' || query.items.some((i) => i.kind === 'starItem')) return null;
  return query.items.filter((i) => !(i.kind === 'expressionItem' && i.alias?.name === 'ROWTIME')).length;
}

function countMismatch(targetCount: number, sourceCount: number, span: Span): never {
  return validationError(
    `Number of INSERT target columns (${targetCount}) does not equal number of source items (${sourceCount})`,
    span,
  );
}

function bindPump(
  pump: CreatePump,
  name: string,
  streams: ReadonlyMap<string, StreamDefinition>,
  catalog: QueryCatalog,
  environment: BindEnvironment,
): PumpPlan {
  const insert = pump.insert;
  const target = insert.target.map((p) => p.name).join('.');
  const stream = streams.get(target);
  if (stream === undefined)
    return validationError(
      `Stream '${target}' not found (create it with CREATE STREAM before the pump)`,
      insert.target[0]!.span,
    );
  if (stream.input)
    return validationError(`Cannot insert into input stream '${target}'`, insert.target[0]!.span);
  const targetIndexes = (
    insert.columns ?? stream.columns.map((c) => ({ name: c.name, span: insert.span }))
  ).map((c) => {
    const i = stream.columns.findIndex((s) => s.name === c.name);
    if (i < 0) validationError(`Unknown target column '${c.name}' in stream '${target}'`, c.span);
    return i;
  });
  const early = selectItemCount(insert.query);
  if (early !== null && early !== targetIndexes.length)
    countMismatch(targetIndexes.length, early, insert.query.span);
  const query = bindQuery(insert.query, catalog, environment);
  if (query.columns.length !== targetIndexes.length)
    countMismatch(targetIndexes.length, query.columns.length, insert.query.span);
  const sourceOfColumn = stream.columns.map((_, i) => targetIndexes.indexOf(i));
  const converters = stream.columns.map((column, i) => {
    const source = sourceOfColumn[i]!;
    if (source < 0) return (v: unknown) => v;
    const sourceType = query.columns[source]!.type;
    if (!assignable(sourceType, column.type)) {
      validationError(
        `Cannot assign a value of type ${describeType(sourceType)} to column '${column.name}' of type ${describeType(column.type)}`,
        itemSpan(insert.query, source),
      );
    }
    const probe: Bound = {
      type: sourceType,
      key: 'v',
      evaluate: (row) => row[0] ?? null,
      usesRowtime: false,
      usesColumns: true,
      volatile: false,
      monotonic: false,
      span: insert.span,
    };
    const converted = coerce(probe, column.type).evaluate;
    const cell: unknown[] = [null];
    return (v: unknown) => {
      cell[0] = v;
      return converted(cell, 0);
    };
  });
  return { name, target, plan: query.plan, sourceOfColumn, converters };
}

function itemSpan(query: Query, index: number): Span {
  if (query.kind === 'select') return query.items[index]?.span ?? query.span;
  return query.span;
}

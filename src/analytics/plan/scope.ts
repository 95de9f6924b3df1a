/**
 * Name resolution for one query level: the FROM sources laid out side by side in the operator's
 * input row. `c`, `s.c`, `s.ROWTIME`, `r.FIELD`, `s.r.FIELD` resolve to a column index (and
 * field), or to the row's ROWTIME. Names compare exactly: the parser already folded unquoted ones.
 */
import type { Identifier, Span } from '../sql/ast.js';
import type { Bound } from './bound-expression.js';
import { validationError } from './sql-validation-error.js';
import { describeType, types, type SqlType } from './sql-type.js';

export interface ScopeColumn {
  readonly name: string;
  readonly type: SqlType;
  /** Resolvable by name but not part of `*` (APPROXIMATE_ARRIVAL_TIME of an input stream). */
  readonly hidden?: boolean;
  /** The source's own ROWTIME carried in the row (sides of a stream-to-stream join): `s.ROWTIME` only. */
  readonly rowtimeOf?: boolean;
  /**
   * A subquery's or view's column that always equals its rows' ROWTIME (`SELECT STREAM ROWTIME AS
   * t …` with no `AS ROWTIME`, no ORDER BY): read from a single source it is that ROWTIME, so it
   * is monotonic and can key a tumbling window (the COUNT_DISTINCT_ITEMS_TUMBLING page's
   * exact-count query groups by `STEP(distinct_stream.window_time BY …)`).
   */
  readonly copiesRowtime?: boolean;
}

export interface ScopeSource {
  /** The correlation name, or the stream / table name. */
  readonly alias: string;
  readonly columns: readonly ScopeColumn[];
  /** Offset of the first column in the input row. */
  readonly offset: number;
  /** Streams have a ROWTIME; reference tables do not. */
  readonly rowtime: boolean;
}

export class Scope {
  readonly sources: readonly ScopeSource[];

  constructor(sources: readonly ScopeSource[]) {
    this.sources = sources;
  }

  get width(): number {
    const last = this.sources[this.sources.length - 1];
    return last === undefined ? 0 : last.offset + last.columns.length;
  }

  /** All columns in row order (for `*`). */
  get columns(): readonly ScopeColumn[] {
    return this.sources.flatMap((s) => s.columns);
  }

  resolve(parts: readonly Identifier[], span: Span): Bound {
    const [first, second, third] = parts;
    if (first === undefined) return validationError('empty column name', span);
    if (parts.length > 3)
      return validationError(`Column '${parts.map((p) => p.name).join('.')}' not found`, span);
    if (second === undefined) {
      const found = this.#column(first);
      if (found !== null) return found;
      if (first.name === 'ROWTIME' && this.sources.some((s) => s.rowtime)) return rowtime(span, 'ROWTIME');
      return validationError(`Column '${first.name}' not found in any table`, first.span);
    }
    const source = this.sources.find((s) => s.alias === first.name);
    if (source !== undefined) {
      const column = this.#inSource(source, second);
      if (third === undefined) return column;
      return field(column, third);
    }
    if (third === undefined) {
      const column = this.#column(first);
      if (column !== null) return field(column, second);
    }
    return validationError(`Table '${first.name}' not found`, first.span);
  }

  #inSource(source: ScopeSource, name: Identifier): Bound {
    const index = source.columns.findIndex((c) => c.name === name.name);
    // A join side's own ROWTIME is a column (not monotonic in the join's output).
    if (index >= 0) return this.#bound(source, index, name.span);
    if (name.name === 'ROWTIME') {
      if (source.rowtime) return rowtime(name.span, `${source.alias}.ROWTIME`);
      return validationError(`Table '${source.alias}' has no ROWTIME: it is not a stream`, name.span);
    }
    return validationError(`Column '${name.name}' not found in table '${source.alias}'`, name.span);
  }

  #column(name: Identifier): Bound | null {
    let found: Bound | null = null;
    for (const source of this.sources) {
      const index = source.columns.findIndex((c) => c.name === name.name && c.rowtimeOf !== true);
      if (index < 0) continue;
      if (found !== null) return validationError(`Column '${name.name}' is ambiguous`, name.span);
      found = this.#bound(source, index, name.span);
    }
    return found;
  }

  #bound(source: ScopeSource, index: number, span: Span): Bound {
    const column = source.columns[index]!;
    if (column.copiesRowtime === true && this.sources.length === 1) return rowtime(span, column.name);
    return columnBound(source.offset + index, column.type, span);
  }
}

export function columnBound(index: number, type: SqlType, span: Span): Bound {
  return {
    type,
    key: `$${index}`,
    evaluate: (row) => row[index] ?? null,
    usesRowtime: false,
    usesColumns: true,
    volatile: false,
    monotonic: false,
    span,
  };
}

/** ROWTIME of the operator's input row; every source of one row shares it. */
export function rowtime(span: Span, _written: string): Bound {
  return {
    type: types.timestamp,
    key: 'ROWTIME',
    evaluate: (_row, t) => t,
    usesRowtime: true,
    usesColumns: false,
    volatile: false,
    monotonic: true,
    span,
  };
}

function field(column: Bound, name: Identifier): Bound {
  const fields = column.type.fields;
  if (column.type.name !== 'ROW' || fields === null) {
    return validationError(
      `Cannot access field '${name.name}' of a ${describeType(column.type)} value`,
      name.span,
    );
  }
  const index = fields.findIndex((f) => f.name === name.name);
  if (index < 0)
    return validationError(`Field '${name.name}' not found in ${describeType(column.type)}`, name.span);
  const read = column.evaluate;
  return {
    ...column,
    type: fields[index]!.type,
    key: `${column.key}.${index}`,
    evaluate: (row, t) => {
      const value = read(row, t) as unknown[] | null;
      return value === null ? null : (value[index] ?? null);
    },
    monotonic: false,
  };
}

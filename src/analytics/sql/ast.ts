/**
 * The syntax tree of an application's code. Nodes are tagged unions (`kind`) built by the factory
 * functions beside their types; every node carries the `span` of the source it came from so that
 * the binder can report "line L, column C" and annotate nodes by identity. Names are stored as
 * the engine sees them: unquoted identifiers already folded to upper case, quoted ones as written,
 * so `"ABC"` and `abc` give the same tree. Parentheses are not nodes: the tree's shape says it.
 */
import type { Span } from './lexer.js';
import type { TimeUnit } from './keywords.js';

export type { Span } from './lexer.js';
export type { TimeUnit } from './keywords.js';
export * from './ast-expression.js';
export * from './ast-query.js';
export * from './ast-statement.js';

/** A name as written once: a stream, column, alias, window or function name part. */
export interface Identifier {
  readonly kind: 'identifier';
  readonly name: string;
  readonly span: Span;
}

export const identifier = (name: string, span: Span): Identifier => ({ kind: 'identifier', name, span });

/** `unit [(precision)] [TO unit [(fractional precision)]]`, as in `INTERVAL '1:30' HOUR TO MINUTE`. */
export interface IntervalQualifier {
  readonly kind: 'intervalQualifier';
  readonly start: TimeUnit;
  readonly startPrecision: number | null;
  readonly end: TimeUnit | null;
  /** Fractional-seconds precision: `SECOND(2, 3)` or `MINUTE TO SECOND(3)`. */
  readonly fractionalPrecision: number | null;
  readonly span: Span;
}

export const intervalQualifier = (fields: Omit<IntervalQualifier, 'kind'>): IntervalQualifier => ({
  kind: 'intervalQualifier',
  ...fields,
});

/** Type names after normalising synonyms: INT → INTEGER, DEC → DECIMAL, CHARACTER → CHAR, ... */
export const typeNames = [
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'DECIMAL',
  'NUMERIC',
  'REAL',
  'DOUBLE',
  'FLOAT',
  'CHAR',
  'VARCHAR',
  'BINARY',
  'VARBINARY',
  'BOOLEAN',
  'DATE',
  'TIME',
  'TIMESTAMP',
  'INTERVAL',
] as const;
export type TypeName = (typeof typeNames)[number];

/**
 * A data type. `length` is the n of CHAR(n)/VARCHAR(n)/BINARY(n)/VARBINARY(n) and the
 * precision of DECIMAL(p, s), FLOAT(p), TIME(p) and TIMESTAMP(p); `scale` is DECIMAL's s;
 * `interval` is set for INTERVAL types only (CAST targets, never columns).
 */
export interface DataType {
  readonly kind: 'dataType';
  readonly name: TypeName;
  readonly length: number | null;
  readonly scale: number | null;
  readonly interval: IntervalQualifier | null;
  readonly span: Span;
}

export const dataType = (fields: Omit<DataType, 'kind'>): DataType => ({ kind: 'dataType', ...fields });

/** A deep copy without `span` fields: what "the same tree" means for round trips and fuzzing. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (key !== 'span') copy[key] = withoutSpans(field);
    }
    return copy;
  }
  return value;
}

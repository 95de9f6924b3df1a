/**
 * Expression nodes. Operators with their own syntax (CAST, EXTRACT, FLOOR/CEIL ... TO, STEP ... BY,
 * SUBSTRING ... FROM, TRIM, POSITION, OVERLAY) have their own nodes; every other function is a
 * `call`, including aggregates, analytic functions with OVER and log parsers.
 */
import type { DataType, Identifier, IntervalQualifier, Span, TimeUnit } from './ast.js';
import type { Query, WindowReference } from './ast-query.js';

export type Expression =
  | Literal
  | DatetimeLiteral
  | IntervalLiteral
  | ColumnReference
  | Call
  | Cast
  | Extract
  | TimeFloor
  | Step
  | Substring
  | Trim
  | Position
  | Overlay
  | Case
  | Unary
  | Binary
  | IsTest
  | IsDistinctFrom
  | Between
  | Like
  | InList
  | InQuery
  | Exists
  | ScalarQuery
  | CursorExpression
  | IntervalQualified;

type Fields<T> = Omit<T, 'kind'>;

/**
 * Literals keep the text the engine needs: numbers as written (exponent as `E`), strings decoded
 * (`''` undone, U& escapes applied), binary strings as upper-case hex.
 */
export interface Literal {
  readonly kind: 'literal';
  readonly type: 'integer' | 'decimal' | 'approximate' | 'string' | 'binary' | 'boolean' | 'null' | 'unknown';
  readonly value: string;
  readonly span: Span;
}
export const literal = (fields: Fields<Literal>): Literal => ({ kind: 'literal', ...fields });

/** `TIMESTAMP '2004-09-27 13:48:23'`, `DATE '...'`, `TIME '...'`; the text is checked by the binder. */
export interface DatetimeLiteral {
  readonly kind: 'datetimeLiteral';
  readonly type: 'TIMESTAMP' | 'DATE' | 'TIME';
  readonly value: string;
  readonly span: Span;
}
export const datetimeLiteral = (fields: Fields<DatetimeLiteral>): DatetimeLiteral => ({
  kind: 'datetimeLiteral',
  ...fields,
});

/** `INTERVAL [-] '1:30' HOUR TO MINUTE`; the string is checked against the qualifier by the binder. */
export interface IntervalLiteral {
  readonly kind: 'intervalLiteral';
  readonly negative: boolean;
  readonly value: string;
  readonly qualifier: IntervalQualifier;
  readonly span: Span;
}
export const intervalLiteral = (fields: Fields<IntervalLiteral>): IntervalLiteral => ({
  kind: 'intervalLiteral',
  ...fields,
});

/**
 * `c`, `s.c`, `s.ROWTIME`, `t.r.COLUMN1`: the binder decides which parts name a stream, a column
 * or a field of a row-typed column. ROWTIME is an ordinary name here.
 */
export interface ColumnReference {
  readonly kind: 'column';
  readonly parts: readonly Identifier[];
  readonly span: Span;
}
export const columnReference = (parts: readonly Identifier[], span: Span): ColumnReference => ({
  kind: 'column',
  parts,
  span,
});

/**
 * `f(args)`, `COUNT(*)`, `SUM(DISTINCT x)`, `LAG(x, 1) IGNORE NULLS OVER w`, or a niladic
 * function written bare (`CURRENT_TIMESTAMP`, `bare: true`).
 */
export interface Call {
  readonly kind: 'call';
  readonly name: readonly Identifier[];
  readonly quantifier: 'DISTINCT' | 'ALL' | null;
  /** `COUNT(*)`: `star` is true and `args` is empty. */
  readonly star: boolean;
  readonly args: readonly Expression[];
  /** `NTH_VALUE(x, n) FROM FIRST | FROM LAST`. */
  readonly from: 'FIRST' | 'LAST' | null;
  readonly nullTreatment: 'IGNORE NULLS' | 'RESPECT NULLS' | null;
  readonly over: WindowReference | null;
  readonly bare: boolean;
  readonly span: Span;
}
export const call = (fields: Fields<Call>): Call => ({ kind: 'call', ...fields });

export interface Cast {
  readonly kind: 'cast';
  readonly operand: Expression;
  readonly type: DataType;
  readonly span: Span;
}
export const cast = (fields: Fields<Cast>): Cast => ({ kind: 'cast', ...fields });

export interface Extract {
  readonly kind: 'extract';
  readonly field: TimeUnit;
  readonly operand: Expression;
  readonly span: Span;
}
export const extract = (fields: Fields<Extract>): Extract => ({ kind: 'extract', ...fields });

/** `FLOOR(x TO MINUTE)`, `CEIL(x TO HOUR)`; the one-argument forms are plain calls. */
export interface TimeFloor {
  readonly kind: 'timeFloor';
  readonly function: 'FLOOR' | 'CEIL';
  readonly operand: Expression;
  readonly unit: TimeUnit;
  readonly span: Span;
}
export const timeFloor = (fields: Fields<TimeFloor>): TimeFloor => ({ kind: 'timeFloor', ...fields });

/** `STEP(x BY INTERVAL '60' SECOND)` or `STEP(n BY k)`. */
export interface Step {
  readonly kind: 'step';
  readonly operand: Expression;
  readonly by: Expression;
  readonly span: Span;
}
export const step = (fields: Fields<Step>): Step => ({ kind: 'step', ...fields });

/** `SUBSTRING(s FROM start [FOR length])`; the comma form is a plain call. */
export interface Substring {
  readonly kind: 'substring';
  readonly operand: Expression;
  readonly from: Expression;
  readonly for: Expression | null;
  readonly span: Span;
}
export const substring = (fields: Fields<Substring>): Substring => ({ kind: 'substring', ...fields });

/** `TRIM([BOTH | LEADING | TRAILING] [characters] FROM s)` or `TRIM(s)`. */
export interface Trim {
  readonly kind: 'trim';
  readonly side: 'BOTH' | 'LEADING' | 'TRAILING' | null;
  readonly characters: Expression | null;
  readonly operand: Expression;
  readonly span: Span;
}
export const trim = (fields: Fields<Trim>): Trim => ({ kind: 'trim', ...fields });

/** `POSITION(needle IN haystack)`. */
export interface Position {
  readonly kind: 'position';
  readonly needle: Expression;
  readonly haystack: Expression;
  readonly span: Span;
}
export const position = (fields: Fields<Position>): Position => ({ kind: 'position', ...fields });

/** `OVERLAY(s PLACING r FROM start [FOR length])`. */
export interface Overlay {
  readonly kind: 'overlay';
  readonly operand: Expression;
  readonly placing: Expression;
  readonly from: Expression;
  readonly for: Expression | null;
  readonly span: Span;
}
export const overlay = (fields: Fields<Overlay>): Overlay => ({ kind: 'overlay', ...fields });

export interface WhenClause {
  readonly kind: 'when';
  readonly when: Expression;
  readonly then: Expression;
  readonly span: Span;
}
export const whenClause = (fields: Fields<WhenClause>): WhenClause => ({ kind: 'when', ...fields });

/** Simple (`operand` set) or searched CASE; no ELSE means NULL. */
export interface Case {
  readonly kind: 'case';
  readonly operand: Expression | null;
  readonly whens: readonly WhenClause[];
  readonly else: Expression | null;
  readonly span: Span;
}
export const caseExpression = (fields: Fields<Case>): Case => ({ kind: 'case', ...fields });

export interface Unary {
  readonly kind: 'unary';
  readonly operator: '-' | '+' | 'NOT';
  readonly operand: Expression;
  readonly span: Span;
}
export const unary = (fields: Fields<Unary>): Unary => ({ kind: 'unary', ...fields });

/** `!=` is read as `<>`. */
// prettier-ignore
export const binaryOperators = ['OR', 'AND', '=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '||'] as const;
export type BinaryOperator = (typeof binaryOperators)[number];

export interface Binary {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly span: Span;
}
export const binary = (fields: Fields<Binary>): Binary => ({ kind: 'binary', ...fields });

/** `x IS [NOT] NULL | TRUE | FALSE | UNKNOWN`. */
export interface IsTest {
  readonly kind: 'isTest';
  readonly operand: Expression;
  readonly negated: boolean;
  readonly test: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN';
  readonly span: Span;
}
export const isTest = (fields: Fields<IsTest>): IsTest => ({ kind: 'isTest', ...fields });

/** `a IS [NOT] DISTINCT FROM b`. */
export interface IsDistinctFrom {
  readonly kind: 'isDistinctFrom';
  readonly left: Expression;
  readonly right: Expression;
  readonly negated: boolean;
  readonly span: Span;
}
export const isDistinctFrom = (fields: Fields<IsDistinctFrom>): IsDistinctFrom => ({
  kind: 'isDistinctFrom',
  ...fields,
});

export interface Between {
  readonly kind: 'between';
  readonly operand: Expression;
  readonly low: Expression;
  readonly high: Expression;
  readonly negated: boolean;
  readonly span: Span;
}
export const between = (fields: Fields<Between>): Between => ({ kind: 'between', ...fields });

/** `x [NOT] LIKE p [ESCAPE e]` and `x [NOT] SIMILAR TO p [ESCAPE e]`. */
export interface Like {
  readonly kind: 'like';
  readonly operator: 'LIKE' | 'SIMILAR TO';
  readonly operand: Expression;
  readonly pattern: Expression;
  readonly escape: Expression | null;
  readonly negated: boolean;
  readonly span: Span;
}
export const like = (fields: Fields<Like>): Like => ({ kind: 'like', ...fields });

export interface InList {
  readonly kind: 'inList';
  readonly operand: Expression;
  readonly list: readonly Expression[];
  readonly negated: boolean;
  readonly span: Span;
}
export const inList = (fields: Fields<InList>): InList => ({ kind: 'inList', ...fields });

export interface InQuery {
  readonly kind: 'inQuery';
  readonly operand: Expression;
  readonly query: Query;
  readonly negated: boolean;
  readonly span: Span;
}
export const inQuery = (fields: Fields<InQuery>): InQuery => ({ kind: 'inQuery', ...fields });

export interface Exists {
  readonly kind: 'exists';
  readonly query: Query;
  readonly span: Span;
}
export const exists = (query: Query, span: Span): Exists => ({ kind: 'exists', query, span });

/** `(SELECT ...)` used as a value. */
export interface ScalarQuery {
  readonly kind: 'scalarQuery';
  readonly query: Query;
  readonly span: Span;
}
export const scalarQuery = (query: Query, span: Span): ScalarQuery => ({ kind: 'scalarQuery', query, span });

/** `CURSOR(SELECT STREAM ...)`: the stream argument of a table function. */
export interface CursorExpression {
  readonly kind: 'cursor';
  readonly query: Query;
  readonly span: Span;
}
export const cursor = (query: Query, span: Span): CursorExpression => ({ kind: 'cursor', query, span });

/** `(t1 - t2) MINUTE TO SECOND`: a datetime difference read as an interval of that qualifier. */
export interface IntervalQualified {
  readonly kind: 'intervalQualified';
  readonly operand: Expression;
  readonly qualifier: IntervalQualifier;
  readonly span: Span;
}
export const intervalQualified = (fields: Fields<IntervalQualified>): IntervalQualified => ({
  kind: 'intervalQualified',
  ...fields,
});

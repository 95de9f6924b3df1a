/**
 * Query nodes: SELECT, set operations, VALUES, the FROM tree, windows and ORDER BY.
 * `ORDER BY` belongs to the query it ends (a select or a set operation), as in SQL:2008.
 */
import type { Identifier, Span } from './ast.js';
import type { Call, Expression } from './ast-expression.js';

type Fields<T> = Omit<T, 'kind'>;

export type Query = Select | SetOperation | Values;

export interface Select {
  readonly kind: 'select';
  readonly stream: boolean;
  readonly quantifier: 'DISTINCT' | 'ALL' | null;
  readonly items: readonly SelectItem[];
  /** The comma-separated FROM list (a comma is a cross join); empty when there is no FROM. */
  readonly from: readonly FromItem[];
  readonly where: Expression | null;
  readonly groupBy: readonly Expression[];
  readonly windowedBy: Stagger | null;
  readonly having: Expression | null;
  readonly windows: readonly NamedWindow[];
  readonly orderBy: OrderBy | null;
  readonly span: Span;
}
export const select = (fields: Fields<Select>): Select => ({ kind: 'select', ...fields });

/** UNION, INTERSECT, EXCEPT; INTERSECT binds tighter. `all: false` covers DISTINCT too. */
export interface SetOperation {
  readonly kind: 'setOperation';
  readonly operator: 'UNION' | 'INTERSECT' | 'EXCEPT';
  readonly all: boolean;
  readonly left: Query;
  readonly right: Query;
  readonly orderBy: OrderBy | null;
  readonly span: Span;
}
export const setOperation = (fields: Fields<SetOperation>): SetOperation => ({
  kind: 'setOperation',
  ...fields,
});

/** `VALUES (e, ...), ...`. */
export interface Values {
  readonly kind: 'values';
  readonly rows: readonly (readonly Expression[])[];
  readonly span: Span;
}
export const values = (rows: readonly (readonly Expression[])[], span: Span): Values => ({
  kind: 'values',
  rows,
  span,
});

export type SelectItem = ExpressionItem | StarItem;

/** `expr [AS] alias`; `ROWTIME` as an alias overrides the output row's time. */
export interface ExpressionItem {
  readonly kind: 'expressionItem';
  readonly expression: Expression;
  readonly alias: Identifier | null;
  readonly span: Span;
}
export const expressionItem = (fields: Fields<ExpressionItem>): ExpressionItem => ({
  kind: 'expressionItem',
  ...fields,
});

/** `*` (empty qualifier) or `s.*`. */
export interface StarItem {
  readonly kind: 'starItem';
  readonly qualifier: readonly Identifier[];
  readonly span: Span;
}
export const starItem = (qualifier: readonly Identifier[], span: Span): StarItem => ({
  kind: 'starItem',
  qualifier,
  span,
});

export type FromItem = NamedSource | SubquerySource | TableFunctionSource | Join;

/** `[AS] alias [(c1, c2, ...)]` after a FROM item. */
export interface Correlation {
  readonly kind: 'correlation';
  readonly alias: Identifier;
  readonly columns: readonly Identifier[];
  readonly span: Span;
}
export const correlation = (fields: Fields<Correlation>): Correlation => ({ kind: 'correlation', ...fields });

/** A stream, reference table or view, optionally windowed for a join: `s OVER (RANGE ...) AS t`. */
export interface NamedSource {
  readonly kind: 'namedSource';
  readonly name: readonly Identifier[];
  readonly over: WindowReference | null;
  readonly correlation: Correlation | null;
  readonly span: Span;
}
export const namedSource = (fields: Fields<NamedSource>): NamedSource => ({ kind: 'namedSource', ...fields });

/** `(query) [OVER ...] [AS] alias [(cols)]`, including `(VALUES ...) AS t(x, y)`. */
export interface SubquerySource {
  readonly kind: 'subquerySource';
  readonly query: Query;
  readonly over: WindowReference | null;
  readonly correlation: Correlation | null;
  readonly span: Span;
}
export const subquerySource = (fields: Fields<SubquerySource>): SubquerySource => ({
  kind: 'subquerySource',
  ...fields,
});

/** `TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM ...), ...)) [AS] alias`. */
export interface TableFunctionSource {
  readonly kind: 'tableFunctionSource';
  readonly call: Call;
  readonly correlation: Correlation | null;
  readonly span: Span;
}
export const tableFunctionSource = (fields: Fields<TableFunctionSource>): TableFunctionSource => ({
  kind: 'tableFunctionSource',
  ...fields,
});

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';

/** `left [NATURAL] type JOIN right [ON cond | USING (cols)]`; `JOIN` alone is INNER. */
export interface Join {
  readonly kind: 'join';
  readonly type: JoinType;
  readonly natural: boolean;
  readonly left: FromItem;
  readonly right: FromItem;
  readonly on: Expression | null;
  readonly using: readonly Identifier[] | null;
  readonly span: Span;
}
export const join = (fields: Fields<Join>): Join => ({ kind: 'join', ...fields });

/** A window after OVER: a name from the WINDOW clause, or an inline specification. */
export type WindowReference = WindowName | WindowSpecification;

export interface WindowName {
  readonly kind: 'windowName';
  readonly name: Identifier;
  readonly span: Span;
}
export const windowName = (name: Identifier, span: Span): WindowName => ({ kind: 'windowName', name, span });

/** `(PARTITION BY ... ORDER BY ... RANGE|ROWS ...)`; every part is optional. */
export interface WindowSpecification {
  readonly kind: 'windowSpecification';
  readonly partitionBy: readonly Expression[];
  readonly orderBy: readonly OrderItem[];
  readonly frame: Frame | null;
  readonly span: Span;
}
export const windowSpecification = (fields: Fields<WindowSpecification>): WindowSpecification => ({
  kind: 'windowSpecification',
  ...fields,
});

/** `RANGE|ROWS start` or `RANGE|ROWS BETWEEN start AND end` (`end` null for the short form). */
export interface Frame {
  readonly kind: 'frame';
  readonly unit: 'RANGE' | 'ROWS';
  readonly start: FrameBound;
  readonly end: FrameBound | null;
  readonly span: Span;
}
export const frame = (fields: Fields<Frame>): Frame => ({ kind: 'frame', ...fields });

/** `extent` is set for PRECEDING/FOLLOWING and null for UNBOUNDED ... and CURRENT ROW. */
export interface FrameBound {
  readonly kind: 'frameBound';
  readonly bound: 'UNBOUNDED PRECEDING' | 'PRECEDING' | 'CURRENT ROW' | 'FOLLOWING' | 'UNBOUNDED FOLLOWING';
  readonly extent: Expression | null;
  readonly span: Span;
}
export const frameBound = (fields: Fields<FrameBound>): FrameBound => ({ kind: 'frameBound', ...fields });

/** `WINDOW name AS (spec)` in the WINDOW clause. */
export interface NamedWindow {
  readonly kind: 'namedWindow';
  readonly name: Identifier;
  readonly specification: WindowSpecification;
  readonly span: Span;
}
export const namedWindow = (fields: Fields<NamedWindow>): NamedWindow => ({ kind: 'namedWindow', ...fields });

/** `WINDOWED BY STAGGER (PARTITION BY k, ... RANGE INTERVAL 'n' unit)`. */
export interface Stagger {
  readonly kind: 'stagger';
  readonly partitionBy: readonly Expression[];
  readonly range: Expression;
  readonly span: Span;
}
export const stagger = (fields: Fields<Stagger>): Stagger => ({ kind: 'stagger', ...fields });

export interface OrderItem {
  readonly kind: 'orderItem';
  readonly expression: Expression;
  readonly direction: 'ASC' | 'DESC' | null;
  readonly span: Span;
}
export const orderItem = (fields: Fields<OrderItem>): OrderItem => ({ kind: 'orderItem', ...fields });

/** `ORDER BY items [WITHIN interval]` (WITHIN: the T-sort extension). */
export interface OrderBy {
  readonly kind: 'orderBy';
  readonly items: readonly OrderItem[];
  readonly within: Expression | null;
  readonly span: Span;
}
export const orderBy = (fields: Fields<OrderBy>): OrderBy => ({ kind: 'orderBy', ...fields });

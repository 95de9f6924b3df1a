/**
 * Binds a query into a plan: FROM (streams, views, subqueries, joins with reference tables),
 * WHERE, then one of streaming GROUP BY (tumbling), WINDOWED BY STAGGER, sliding windows (OVER)
 * or a plain projection, then HAVING and a streaming ORDER BY; UNION ALL merges streams.
 */
import type {
  Expression,
  FromItem,
  Identifier,
  NamedWindow,
  OrderBy,
  Query,
  Select,
  SelectItem,
  Span,
  WindowReference,
  WindowSpecification,
} from '../sql/ast.js';
import { printExpression } from '../sql/printer.js';
import { aggregateNames, analyticNames } from '../functions/aggregate-names.js';
import { bindAggregate } from '../functions/aggregates.js';
import { isConstant, type Bound } from './bound-expression.js';
import type { BindContext, BindEnvironment } from './bind-context.js';
import { bindExpression } from './bind-expression.js';
import { bindMlFunction, mlFunctionNames } from './bind-ml-function.js';
import { callName, containsAggregate, containsOver } from './expression-walk.js';
import type {
  AggregateCall,
  AnalyticFunction,
  BoundQuery,
  JoinWindow,
  OrderKey,
  Plan,
  SlidingWindow,
  WindowCall,
} from './plan.js';
import { columnBound, rowtime, Scope, type ScopeColumn, type ScopeSource } from './scope.js';
import { SqlValidationError, validationError } from './sql-validation-error.js';
import { commonType, describeType, isInteger, isNull, types } from './sql-type.js';

export interface NamedRelation {
  readonly name: string;
  readonly columns: readonly ScopeColumn[];
}

/** What a query can read: in-application streams, views and reference tables, by exact name. */
export interface QueryCatalog {
  stream(name: string): NamedRelation | undefined;
  view(name: string): Query | undefined;
  table(name: string): NamedRelation | undefined;
}

interface Binder {
  readonly catalog: QueryCatalog;
  readonly environment: BindEnvironment;
}

export function bindQuery(query: Query, catalog: QueryCatalog, environment: BindEnvironment): BoundQuery {
  return bindQueryWith({ catalog, environment }, query);
}

function bindQueryWith(binder: Binder, query: Query): BoundQuery {
  switch (query.kind) {
    case 'select':
      return bindSelect(binder, query);
    case 'setOperation': {
      if (query.operator !== 'UNION' || !query.all) {
        return validationError(
          `${query.operator}${query.all ? ' ALL' : ''} is not supported on streams; only UNION ALL is`,
          query.span,
        );
      }
      const left = bindQueryWith(binder, query.left);
      const right = bindQueryWith(binder, query.right);
      if (left.columns.length !== right.columns.length) {
        return validationError(
          `UNION ALL inputs have ${left.columns.length} and ${right.columns.length} columns`,
          query.span,
        );
      }
      const columns = left.columns.map((c, i) => {
        const other = right.columns[i]!;
        const type = commonType(c.type, other.type);
        if (type === null) {
          return validationError(
            `UNION ALL column ${i + 1} has incompatible types ${describeType(c.type)} and ${describeType(other.type)}`,
            query.span,
          );
        }
        return { name: c.name, type };
      });
      const inputs = [left.plan, right.plan].flatMap((p) => (p.kind === 'union' ? p.inputs : [p]));
      const union: Plan = { kind: 'union', inputs };
      if (query.orderBy === null) return { plan: union, columns };
      if (query.orderBy.within !== null)
        return validationError(
          'ORDER BY ... WITHIN (T-sort) needs a SELECT with an item AS ROWTIME, not UNION ALL',
          query.orderBy.span,
        );
      return { plan: bindOrderBy(binder, query.orderBy, union, columns, '', false), columns };
    }
    case 'values':
      return validationError('VALUES is not supported as a streaming query', query.span);
  }
}

interface FromResult {
  readonly plan: Plan | null;
  readonly sources: readonly ScopeSource[];
  /** Set when the item is a reference table (it can only be joined to a stream). */
  readonly table: string | null;
  /** `s OVER (...)`: the window the item keeps as a side of a stream-to-stream join. */
  readonly over: WindowReference | null;
}

const nameOf = (parts: readonly Identifier[]): string => parts.map((p) => p.name).join('.');

function withOffset(sources: readonly ScopeSource[], offset: number): ScopeSource[] {
  return sources.map((s) => ({ ...s, offset: s.offset + offset }));
}

function renamed(
  columns: readonly ScopeColumn[],
  correlation: { columns: readonly Identifier[]; span: Span } | null,
): readonly ScopeColumn[] {
  if (correlation === null || correlation.columns.length === 0) return columns;
  if (correlation.columns.length !== columns.length) {
    return validationError(
      `List of column aliases must have the same degree as the table: ${correlation.columns.length} names for ${columns.length} columns`,
      correlation.span,
    );
  }
  return columns.map((c, i) => ({
    name: correlation.columns[i]!.name,
    type: c.type,
    ...(c.copiesRowtime === true ? { copiesRowtime: true } : {}),
  }));
}

function bindFrom(binder: Binder, item: FromItem, windows: readonly NamedWindow[]): FromResult {
  switch (item.kind) {
    case 'namedSource': {
      const name = nameOf(item.name);
      const last = item.name[item.name.length - 1]!.name;
      // `TradeStream OVER t ... WINDOW t AS (...)` with no alias: the developer guide then reads
      // the stream as `t`, so an unaliased stream windowed by name also answers to that name.
      const windowAlias = item.over?.kind === 'windowName' ? item.over.name.name : null;
      const alias = item.correlation?.alias.name ?? windowAlias ?? last;
      const stream = binder.catalog.stream(name);
      if (stream !== undefined) {
        const columns = renamed(stream.columns, item.correlation);
        return {
          plan: { kind: 'scan', stream: stream.name },
          sources: [{ alias, columns, offset: 0, rowtime: true }],
          table: null,
          over: item.over,
        };
      }
      const view = binder.catalog.view(name);
      if (view !== undefined) {
        const bound = bindQueryWith(binder, view);
        return {
          plan: bound.plan,
          sources: [{ alias, columns: renamed(bound.columns, item.correlation), offset: 0, rowtime: true }],
          table: null,
          over: item.over,
        };
      }
      const table = binder.catalog.table(name);
      if (table !== undefined) {
        if (item.over !== null)
          return validationError(
            `Reference table '${table.name}' cannot have a window: only streams are windowed in a join`,
            item.over.span,
          );
        return {
          plan: null,
          sources: [{ alias, columns: renamed(table.columns, item.correlation), offset: 0, rowtime: false }],
          table: table.name,
          over: null,
        };
      }
      return validationError(
        `Object '${name}' not found (no in-application stream, view or reference table has that name; names are case-sensitive when quoted)`,
        item.span,
      );
    }
    case 'subquerySource': {
      const bound = bindQueryWith(binder, item.query);
      const alias = item.correlation?.alias.name ?? '';
      return {
        plan: bound.plan,
        sources: [{ alias, columns: renamed(bound.columns, item.correlation), offset: 0, rowtime: true }],
        table: null,
        over: item.over,
      };
    }
    case 'tableFunctionSource':
      return bindTableFunction(binder, item);
    case 'join':
      return bindJoin(binder, item, windows);
  }
}

function bindTableFunction(
  binder: Binder,
  item: Extract<FromItem, { kind: 'tableFunctionSource' }>,
): FromResult {
  const name = nameOf(item.call.name);
  if (mlFunctionNames.has(name)) {
    const bound = bindMlFunction(name, item.call, (q) => bindQueryWith(binder, q), binder.environment);
    const alias = item.correlation?.alias.name ?? '';
    return {
      plan: bound.plan,
      sources: [{ alias, columns: renamed(bound.columns, item.correlation), offset: 0, rowtime: true }],
      table: null,
      over: null,
    };
  }
  if (name === 'GROUP_RANK') return bindGroupRank(binder, item);
  const topK = name === 'TOP_K_ITEMS_TUMBLING';
  if (!topK && name !== 'COUNT_DISTINCT_ITEMS_TUMBLING') {
    return validationError(`Table function ${name} is not supported yet`, item.span);
  }
  const [cursor, ...rest] = item.call.args;
  if (cursor?.kind !== 'cursor')
    return validationError(`${name} needs CURSOR(SELECT STREAM ...) as its first argument`, item.call.span);
  const expected = topK ? 3 : 2;
  if (rest.length !== expected)
    return validationError(
      `${name} takes ${expected + 1} arguments: CURSOR(...), 'columnName', ${topK ? 'K, ' : ''}windowSizeSeconds`,
      item.call.span,
    );
  const inner = bindQueryWith(binder, cursor.query);
  const constants = rest.map((a) => {
    const b = bindExpression(a, {
      scope: new Scope([]),
      environment: binder.environment,
      intercept: null,
      clause: `the arguments of ${name}`,
    });
    if (!isConstant(b))
      validationError(`The arguments of ${name} after the cursor must be constants`, a.span);
    return { value: b.evaluate([], 0), span: a.span };
  });
  const columnName = constants[0]!.value;
  if (typeof columnName !== 'string')
    return validationError(`${name} needs the column name as a string`, constants[0]!.span);
  let column = inner.columns.findIndex((c) => c.name === columnName);
  if (column < 0) column = inner.columns.findIndex((c) => c.name.toUpperCase() === columnName.toUpperCase());
  if (column < 0)
    return validationError(`Column '${columnName}' not found in the cursor of ${name}`, constants[0]!.span);
  const integer = (c: { value: unknown; span: Span }, low: number, high: number, what: string): number => {
    if (typeof c.value !== 'number' || !Number.isInteger(c.value) || c.value < low || c.value > high) {
      validationError(`${name}: ${what} must be an integer from ${low} to ${high}`, c.span);
    }
    return c.value as number;
  };
  const k = topK ? integer(constants[1]!, 1, 100_000, 'K') : null;
  const windowSeconds = integer(constants[constants.length - 1]!, 1, 3600, 'the window size in seconds');
  const item0 = inner.columns[column]!;
  const columns: ScopeColumn[] = topK
    ? [
        { name: 'ITEM', type: item0.type },
        { name: 'ITEM_COUNT', type: types.bigint },
      ]
    : [{ name: 'NUMBER_OF_DISTINCT_ITEMS', type: types.bigint }];
  const alias = item.correlation?.alias.name ?? '';
  return {
    plan: { kind: 'itemsTumbling', input: inner.plan, column, k, windowMs: windowSeconds * 1000 },
    sources: [{ alias, columns: renamed(columns, item.correlation), offset: 0, rowtime: true }],
    table: null,
    over: null,
  };
}

/**
 * `TABLE(GROUP_RANK(CURSOR(...), 'rankByColumn', 'rankOutColumn', 'asc'|'desc' (sortOrder),
 * 'asc'|'desc' (outputOrder), maxIdle, outputMax))` → the cursor's columns + the rank (INTEGER).
 */
function bindGroupRank(binder: Binder, item: Extract<FromItem, { kind: 'tableFunctionSource' }>): FromResult {
  const [cursor, ...rest] = item.call.args;
  if (cursor?.kind !== 'cursor')
    return validationError(
      'GROUP_RANK needs CURSOR(SELECT STREAM ...) as its first argument',
      item.call.span,
    );
  if (rest.length !== 6)
    return validationError(
      "GROUP_RANK takes 7 arguments: CURSOR(...), 'rankByColumnName', 'rankOutColumnName', sortOrder, outputOrder, maxIdle, outputMax",
      item.call.span,
    );
  const inner = bindQueryWith(binder, cursor.query);
  const constant = (a: Expression): unknown => {
    const b = bindExpression(a, {
      scope: new Scope([]),
      environment: binder.environment,
      intercept: null,
      clause: 'the arguments of GROUP_RANK',
    });
    if (!isConstant(b))
      validationError('The arguments of GROUP_RANK after the cursor must be constants', a.span);
    return b.evaluate([], 0);
  };
  const text = (a: Expression, what: string): string => {
    const value = constant(a);
    return typeof value === 'string'
      ? value
      : validationError(`GROUP_RANK needs ${what} as a string`, a.span);
  };
  const order = (a: Expression, what: string): boolean => {
    const value = text(a, what).toLowerCase();
    if (value !== 'asc' && value !== 'desc')
      validationError(`GROUP_RANK: ${what} must be 'asc' or 'desc'`, a.span);
    return value === 'desc';
  };
  const count = (a: Expression, what: string): number => {
    const value = constant(a);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      validationError(`GROUP_RANK: ${what} must be a non-negative integer`, a.span);
    return value as number;
  };
  const rankBy = text(rest[0]!, 'the rank-by column name');
  let column = inner.columns.findIndex((c) => c.name === rankBy);
  if (column < 0) column = inner.columns.findIndex((c) => c.name.toUpperCase() === rankBy.toUpperCase());
  if (column < 0)
    return validationError(`Column '${rankBy}' not found in the cursor of GROUP_RANK`, rest[0]!.span);
  const rankType = inner.columns[column]!.type;
  if (!isInteger(rankType) && rankType.name !== 'CHAR' && rankType.name !== 'VARCHAR')
    return validationError(
      `GROUP_RANK ranks INTEGER, CHAR or VARCHAR columns, not ${describeType(rankType)}`,
      rest[0]!.span,
    );
  const rankOut = text(rest[1]!, 'the rank output column name');
  const descending = order(rest[2]!, 'sortOrder');
  const outputDescending = order(rest[3]!, 'outputOrder');
  const maxIdleMs = count(rest[4]!, 'maxIdle');
  const outputMax = count(rest[5]!, 'outputMax');
  const columns: ScopeColumn[] = [...inner.columns, { name: rankOut, type: types.integer }];
  const alias = item.correlation?.alias.name ?? '';
  return {
    plan: {
      kind: 'groupRank',
      input: inner.plan,
      column,
      descending,
      outputDescending,
      maxIdleMs,
      outputMax,
    },
    sources: [{ alias, columns: renamed(columns, item.correlation), offset: 0, rowtime: true }],
    table: null,
    over: null,
  };
}

function bindJoin(
  binder: Binder,
  join: Extract<FromItem, { kind: 'join' }>,
  windows: readonly NamedWindow[],
): FromResult {
  let left = bindFrom(binder, join.left, windows);
  let right = bindFrom(binder, join.right, windows);
  if (left.plan !== null && right.plan !== null) return bindStreamJoin(binder, join, left, right, windows);
  let type = join.type;
  if (
    left.table !== null &&
    right.table === null &&
    (type === 'INNER' || type === 'CROSS' || type === 'RIGHT')
  ) {
    [left, right] = [right, left];
    if (type === 'RIGHT') type = 'LEFT';
  }
  if (left.plan === null && right.plan !== null && (type === 'LEFT' || type === 'FULL'))
    return validationError(
      `${type} OUTER joins that keep unmatched reference table rows are not supported: a table row is never known to be unmatched while the stream goes on (use LEFT JOIN with the stream on the left)`,
      join.span,
    );
  if (left.plan === null || right.table === null)
    return validationError('A reference table can only be joined to a stream', join.span);
  if (left.over !== null)
    return validationError(
      'A window on a FROM item is for stream-to-stream joins; a join with a reference table needs none',
      left.over.span,
    );
  if (type === 'RIGHT' || type === 'FULL')
    return validationError(
      `${type} OUTER joins that keep unmatched reference table rows are not supported: a table row is never known to be unmatched while the stream goes on (use LEFT JOIN with the stream on the left)`,
      join.span,
    );
  const leftScope = new Scope(left.sources);
  const tableScope = new Scope(right.sources);
  const sources = [...left.sources, ...withOffset(right.sources, leftScope.width)];
  const condition = splitCondition(binder, join, leftScope, tableScope, new Scope(sources));
  return {
    plan: {
      kind: 'tableJoin',
      input: left.plan,
      table: right.table,
      tableWidth: tableScope.width,
      type: type === 'LEFT' ? 'LEFT' : 'INNER',
      streamKeys: condition.leftKeys,
      tableKeys: condition.rightKeys,
      residual: condition.residual,
    },
    sources,
    table: null,
    over: null,
  };
}

interface JoinCondition {
  /** Equi-join keys: leftKeys[i] (on the left row) = rightKeys[i] (on the right row). */
  readonly leftKeys: readonly Bound[];
  readonly rightKeys: readonly Bound[];
  /** The other conjuncts, on the joined row. */
  readonly residual: Bound | null;
}

/**
 * ON / USING / NATURAL: equality conjuncts between an expression of one side and one of the other
 * become hash keys; the rest is checked on the joined row.
 */
function splitCondition(
  binder: Binder,
  join: Extract<FromItem, { kind: 'join' }>,
  leftScope: Scope,
  rightScope: Scope,
  joined: Scope,
): JoinCondition {
  const context = (scope: Scope, clause: string): BindContext => ({
    scope,
    environment: binder.environment,
    intercept: null,
    clause,
  });
  const leftKeys: Bound[] = [];
  const rightKeys: Bound[] = [];
  const residual: Bound[] = [];
  const conjuncts: Expression[] = [];
  const split = (e: Expression): void => {
    if (e.kind === 'binary' && e.operator === 'AND') {
      split(e.left);
      split(e.right);
    } else conjuncts.push(e);
  };
  if (join.on !== null) split(join.on);
  const usingNames: string[] = join.using?.map((u) => u.name) ?? [];
  if (join.natural) {
    const visible = (scope: Scope): string[] =>
      scope.columns.filter((c) => c.rowtimeOf !== true).map((c) => c.name);
    const rightNames = new Set(visible(rightScope));
    usingNames.push(...visible(leftScope).filter((n) => rightNames.has(n)));
  }
  for (const name of usingNames) {
    const span = join.span;
    const id: Identifier = { kind: 'identifier', name, span };
    leftKeys.push(leftScope.resolve([id], span));
    rightKeys.push(rightScope.resolve([id], span));
  }
  const trySide = (e: Expression, scope: Scope): Bound | null => {
    try {
      return bindExpression(e, context(scope, 'the join condition'));
    } catch (error) {
      // Not bindable on this side alone: the conjunct is checked on the joined row instead.
      if (error instanceof SqlValidationError) return null;
      throw error;
    }
  };
  for (const c of conjuncts) {
    if (c.kind === 'binary' && c.operator === '=') {
      const leftLeft = trySide(c.left, leftScope);
      const rightRight = trySide(c.right, rightScope);
      if (leftLeft !== null && rightRight !== null && leftLeft.usesColumns && rightRight.usesColumns) {
        leftKeys.push(leftLeft);
        rightKeys.push(rightRight);
        continue;
      }
      const rightLeft = trySide(c.left, rightScope);
      const leftRight = trySide(c.right, leftScope);
      if (rightLeft !== null && leftRight !== null && rightLeft.usesColumns && leftRight.usesColumns) {
        leftKeys.push(leftRight);
        rightKeys.push(rightLeft);
        continue;
      }
    }
    const bound = bindExpression(c, context(joined, 'the join condition'));
    if (bound.type.name !== 'BOOLEAN' && !isNull(bound.type))
      return validationError('The join condition must be BOOLEAN', c.span);
    residual.push(bound);
  }
  leftKeys.forEach((k, i) => {
    if (commonType(k.type, rightKeys[i]!.type) === null) {
      validationError(
        `Cannot compare join keys of types ${describeType(k.type)} and ${describeType(rightKeys[i]!.type)}`,
        k.span,
      );
    }
  });
  return {
    leftKeys,
    rightKeys,
    residual: residual.reduce<Bound | null>((all, next) => (all === null ? next : andBound(all, next)), null),
  };
}

/** A FROM item's OVER as a join window; no OVER keeps only the rows at the current ROWTIME. */
function joinWindow(
  binder: Binder,
  over: WindowReference | null,
  windows: readonly NamedWindow[],
): { window: JoinWindow; explicit: boolean } {
  if (over === null) return { window: { kind: 'range', rangeMs: 0 }, explicit: false };
  let specification: WindowSpecification;
  if (over.kind === 'windowName') {
    const named = windows.find((w) => w.name.name === over.name.name);
    if (named === undefined) return validationError(`Window '${over.name.name}' not found`, over.span);
    specification = named.specification;
  } else specification = over;
  if (specification.partitionBy.length > 0)
    return validationError(
      'PARTITION BY is not allowed in the window of a join',
      specification.partitionBy[0]!.span,
    );
  const context: BindContext = {
    scope: new Scope([]),
    environment: binder.environment,
    intercept: null,
    clause: 'the window of a join',
  };
  const frame = specification.frame;
  if (frame === null)
    return validationError(
      "The window of a join needs RANGE INTERVAL 'n' unit PRECEDING or ROWS n PRECEDING",
      specification.span,
    );
  if (frame.end !== null && frame.end.bound !== 'CURRENT ROW')
    return validationError('The window of a join must end at CURRENT ROW', frame.end.span);
  const start = frame.start;
  if (start.bound === 'CURRENT ROW')
    return {
      window: frame.unit === 'ROWS' ? { kind: 'rows', rows: 0 } : { kind: 'range', rangeMs: 0 },
      explicit: true,
    };
  if (start.bound !== 'PRECEDING')
    return validationError(
      `${start.bound} is not allowed in the window of a join: it must be bounded and end at CURRENT ROW`,
      start.span,
    );
  const extent = bindExpression(start.extent!, context);
  if (!isConstant(extent)) return validationError('A window extent must be a constant', start.span);
  const value = extent.evaluate([], 0) as number;
  if (frame.unit === 'ROWS') {
    if (!isInteger(extent.type) || value < 0)
      return validationError('ROWS needs a non-negative integer: ROWS n PRECEDING', start.span);
    return { window: { kind: 'rows', rows: value }, explicit: true };
  }
  if (extent.type.name !== 'INTERVAL')
    return validationError(
      "RANGE over ROWTIME needs an interval: RANGE INTERVAL 'n' unit PRECEDING",
      start.span,
    );
  if (value < 0) return validationError('Negative windows are not allowed', start.span);
  return { window: { kind: 'range', rangeMs: value }, explicit: true };
}

/** A join side's sources, with its own ROWTIME appended as a hidden column when it is one stream. */
function joinSideSources(side: FromResult): { sources: readonly ScopeSource[]; appendRowtime: boolean } {
  if (side.sources.length !== 1) return { sources: side.sources, appendRowtime: false };
  const source = side.sources[0]!;
  return {
    sources: [
      {
        ...source,
        columns: [
          ...source.columns,
          { name: 'ROWTIME', type: types.timestamp, hidden: true, rowtimeOf: true },
        ],
      },
    ],
    appendRowtime: true,
  };
}

/**
 * Stream-to-stream join (§5.9): at least one side carries a window (`s OVER (RANGE ... PRECEDING)`,
 * `ROWS n PRECEDING` or a WINDOW name); a side without one keeps only its current row. Equality
 * conjuncts between a left and a right expression are hashed; the rest is checked on the joined row.
 */
function bindStreamJoin(
  binder: Binder,
  join: Extract<FromItem, { kind: 'join' }>,
  left: FromResult,
  right: FromResult,
  windows: readonly NamedWindow[],
): FromResult {
  const leftWindow = joinWindow(binder, left.over, windows);
  const rightWindow = joinWindow(binder, right.over, windows);
  if (!leftWindow.explicit && !rightWindow.explicit)
    return validationError(
      "A stream-to-stream join needs a window on at least one side, such as s OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS a",
      join.span,
    );
  const leftSide = joinSideSources(left);
  const rightSide = joinSideSources(right);
  const leftScope = new Scope(leftSide.sources);
  const rightScope = new Scope(rightSide.sources);
  const sources = [...leftSide.sources, ...withOffset(rightSide.sources, leftScope.width)];
  const { leftKeys, rightKeys, residual } = splitCondition(
    binder,
    join,
    leftScope,
    rightScope,
    new Scope(sources),
  );
  const type = join.type === 'CROSS' ? 'INNER' : join.type;
  return {
    plan: {
      kind: 'streamJoin',
      left: {
        input: left.plan!,
        width: leftScope.width,
        window: leftWindow.window,
        appendRowtime: leftSide.appendRowtime,
        keys: leftKeys,
        outer: type === 'LEFT' || type === 'FULL',
      },
      right: {
        input: right.plan!,
        width: rightScope.width,
        window: rightWindow.window,
        appendRowtime: rightSide.appendRowtime,
        keys: rightKeys,
        outer: type === 'RIGHT' || type === 'FULL',
      },
      residual,
    },
    sources,
    table: null,
    over: null,
  };
}

function andBound(a: Bound, b: Bound): Bound {
  const x = a.evaluate;
  const y = b.evaluate;
  return {
    ...a,
    key: `AND(${a.key},${b.key})`,
    evaluate: (row, t) => (x(row, t) === true && y(row, t) === true ? true : null),
    usesColumns: true,
  };
}

function itemName(item: Extract<SelectItem, { kind: 'expressionItem' }>, index: number): string {
  if (item.alias !== null) return item.alias.name;
  const e = item.expression;
  if (e.kind === 'column') return e.parts[e.parts.length - 1]!.name;
  return `EXPR$${index}`;
}

function bindSelect(binder: Binder, select: Select): BoundQuery {
  if (select.from.length === 0) return validationError('A streaming query needs a FROM clause', select.span);
  // A comma-separated FROM list is a chain of cross joins, left to right.
  let fromItem: FromItem = select.from[0]!;
  for (const next of select.from.slice(1)) {
    fromItem = {
      kind: 'join',
      type: 'CROSS',
      natural: false,
      left: fromItem,
      right: next,
      on: null,
      using: null,
      span: next.span,
    };
  }
  const from = bindFrom(binder, fromItem, select.windows);
  if (from.over !== null)
    return validationError(
      'A window on a FROM item is only allowed on a side of a stream-to-stream join',
      from.over.span,
    );
  if (from.plan === null)
    return validationError(
      `Reference table '${from.table}' can only be read by joining it to a stream`,
      select.span,
    );
  const scope = new Scope(from.sources);
  const plain = (clause: string): BindContext => ({
    scope,
    environment: binder.environment,
    intercept: null,
    clause,
  });
  let plan: Plan = from.plan;
  if (select.where !== null) {
    const predicate = bindExpression(select.where, plain('WHERE'));
    if (predicate.type.name !== 'BOOLEAN' && !isNull(predicate.type))
      return validationError(
        `WHERE needs a BOOLEAN condition, not ${describeType(predicate.type)}`,
        select.where.span,
      );
    plan = { kind: 'filter', input: plan, predicate };
  }
  const grouped = select.groupBy.length > 0 || select.windowedBy !== null;
  if (!grouped) {
    if (select.having !== null)
      return validationError('HAVING requires GROUP BY or WINDOWED BY on a stream', select.having.span);
    for (const item of select.items) {
      if (item.kind === 'expressionItem' && containsAggregate(item.expression)) {
        return validationError(
          "Streaming aggregation requires GROUP BY on a monotonic expression (such as FLOOR(ROWTIME TO MINUTE) or STEP(ROWTIME BY INTERVAL '1' MINUTE)), WINDOWED BY STAGGER, or OVER a window",
          item.span,
        );
      }
    }
  }
  let outputScope: Scope;
  let intercept: BindContext['intercept'];
  if (grouped) {
    const aggregates: AggregateCall[] = [];
    const keys =
      select.windowedBy !== null
        ? select.windowedBy.partitionBy.map((k) => bindExpression(k, plain('PARTITION BY')))
        : select.groupBy.map((k) => bindExpression(k, plain('GROUP BY')));
    for (const [i, k] of keys.entries()) {
      if (containsAggregate((select.windowedBy?.partitionBy ?? select.groupBy)[i]!))
        return validationError('Aggregates are not allowed in GROUP BY', k.span);
    }
    intercept = groupedIntercept(scope, keys, aggregates, binder.environment);
    if (select.windowedBy !== null) {
      const range = bindExpression(select.windowedBy.range, plain('WINDOWED BY'));
      if (range.type.name !== 'INTERVAL' || !isConstant(range))
        return validationError("STAGGER needs RANGE INTERVAL 'n' unit", select.windowedBy.range.span);
      const rangeMs = range.evaluate([], 0) as number;
      if (!(rangeMs > 0))
        return validationError('The STAGGER range must be positive', select.windowedBy.range.span);
      plan = { kind: 'stagger', input: plan, keys, rangeMs, aggregates };
    } else {
      const byRowtime = keys
        .map((k, i) => ({ k, i }))
        .filter(({ k }) => k.monotonic && k.usesRowtime && !k.usesColumns);
      if (byRowtime.length > 1)
        return validationError(
          'GROUP BY may have only one ROWTIME-based expression (multiple ROWTIME columns)',
          byRowtime[1]!.k.span,
        );
      const asserted = keys.findIndex((k) => k.monotonic);
      const windowKey = byRowtime[0]?.i ?? asserted;
      if (windowKey < 0) {
        return validationError(
          "Streaming GROUP BY requires a monotonic expression among the grouping expressions, such as FLOOR(ROWTIME TO MINUTE) or STEP(ROWTIME BY INTERVAL '1' MINUTE)",
          select.groupBy[0]!.span,
        );
      }
      plan = {
        kind: 'aggregate',
        input: plan,
        keys,
        windowKey,
        windowByRowtime: byRowtime.length === 1,
        aggregates,
      };
    }
    outputScope = new Scope([]);
  } else {
    const windows: MutableWindow[] = [];
    const slots = { next: scope.width };
    intercept = slidingIntercept(select, scope, windows, slots, binder.environment);
    outputScope = scope;
    const items = bindItems(select, outputScope, intercept, binder.environment, from.sources);
    if (windows.length > 0) plan = { kind: 'sliding', input: plan, windows: windows.map(freezeWindow) };
    return finishSelect(binder, select, plan, items, from.sources, false);
  }
  const items = bindItems(select, outputScope, intercept, binder.environment, from.sources);
  if (select.having !== null) {
    const having = bindExpression(select.having, {
      scope: outputScope,
      environment: binder.environment,
      intercept,
      clause: 'HAVING',
    });
    if (having.type.name !== 'BOOLEAN' && !isNull(having.type))
      return validationError('HAVING needs a BOOLEAN condition', select.having.span);
    plan = { kind: 'filter', input: plan, predicate: having };
  }
  return finishSelect(binder, select, plan, items, from.sources, true);
}

interface BoundItems {
  readonly items: readonly Bound[];
  readonly names: readonly string[];
  readonly rowtime: Bound | null;
}

function bindItems(
  select: Select,
  scope: Scope,
  intercept: BindContext['intercept'],
  environment: BindEnvironment,
  sources: readonly ScopeSource[],
): BoundItems {
  const context: BindContext = { scope, environment, intercept, clause: 'the select list' };
  const items: Bound[] = [];
  const names: string[] = [];
  let rowtimeItem: Bound | null = null;
  select.items.forEach((item, index) => {
    if (item.kind === 'starItem') {
      const chosen =
        item.qualifier.length === 0
          ? sources
          : sources.filter((s) => s.alias === item.qualifier[item.qualifier.length - 1]!.name);
      if (chosen.length === 0) validationError(`Table '${nameOf(item.qualifier)}' not found`, item.span);
      for (const source of chosen) {
        source.columns.forEach((c, i) => {
          if (c.hidden === true) return;
          const expression: Expression = {
            kind: 'column',
            parts: [
              ...(source.alias === ''
                ? []
                : [{ kind: 'identifier' as const, name: source.alias, span: item.span }]),
              { kind: 'identifier', name: c.name, span: item.span },
            ],
            span: item.span,
          };
          items.push(
            intercept === null
              ? columnBound(source.offset + i, c.type, item.span)
              : bindExpression(expression, context),
          );
          names.push(c.name);
        });
      }
      return;
    }
    const bound = bindExpression(item.expression, context);
    if (item.alias?.name === 'ROWTIME') {
      if (bound.type.name !== 'TIMESTAMP')
        validationError('An expression AS ROWTIME must be a TIMESTAMP', item.span);
      rowtimeItem = bound;
      return;
    }
    if (bound.type.name === 'NULL') {
      items.push({ ...bound, type: types.varchar });
    } else items.push(bound);
    names.push(itemName(item, index));
  });
  return { items, names, rowtime: rowtimeItem };
}

function finishSelect(
  binder: Binder,
  select: Select,
  input: Plan,
  bound: BoundItems,
  sources: readonly ScopeSource[],
  grouped: boolean,
): BoundQuery {
  // An item that is the row's ROWTIME stays equal to the output ROWTIME unless AS ROWTIME or a
  // streaming ORDER BY (which moves rows to a later ROWTIME) changes it.
  const keepsRowtime = bound.rowtime === null && select.orderBy === null;
  const columns: ScopeColumn[] = bound.items.map((b, i) => ({
    name: bound.names[i]!,
    type: b.type,
    ...(keepsRowtime && b.key === 'ROWTIME' ? { copiesRowtime: true } : {}),
  }));
  let plan: Plan = { kind: 'project', input, items: bound.items, rowtime: bound.rowtime };
  if (select.quantifier === 'DISTINCT') {
    if (bound.items[0]?.monotonic !== true) {
      return validationError(
        'SELECT STREAM DISTINCT needs a monotonic leading expression, such as ROWTIME or FLOOR(s.ROWTIME TO MINUTE)',
        select.items[0]?.span ?? select.span,
      );
    }
    plan = { kind: 'distinct', input: plan };
  }
  if (select.orderBy !== null) {
    if (select.orderBy.within !== null)
      return bindTimeSort(binder, select, select.orderBy, plan, bound, columns);
    const alias = sources.length === 1 ? sources[0]!.alias : '';
    plan = bindOrderBy(binder, select.orderBy, plan, columns, alias, grouped);
  }
  return { plan, columns };
}

/**
 * Streaming ORDER BY over a query's output columns (by name, ordinal or expression): the leading
 * key must be an ascending monotonic expression, such as ROWTIME or FLOOR(s.ROWTIME TO MINUTE).
 */
function bindOrderBy(
  binder: Binder,
  orderBy: OrderBy,
  input: Plan,
  columns: readonly ScopeColumn[],
  alias: string,
  grouped: boolean,
): Plan {
  const scope = new Scope([{ alias, columns, offset: 0, rowtime: true }]);
  const keys: OrderKey[] = orderBy.items.map((item) => {
    const e = item.expression;
    if (e.kind === 'literal' && e.type === 'integer') {
      const ordinal = Number(e.value);
      if (ordinal < 1 || ordinal > columns.length)
        validationError(`ORDER BY ordinal ${ordinal} is out of range`, e.span);
      return {
        key: columnBound(ordinal - 1, columns[ordinal - 1]!.type, e.span),
        descending: item.direction === 'DESC',
      };
    }
    return {
      key: bindExpression(e, {
        scope,
        environment: binder.environment,
        intercept: null,
        clause: 'ORDER BY',
      }),
      descending: item.direction === 'DESC',
    };
  });
  const leading = keys[0]!.key;
  if (!leading.monotonic || keys[0]!.descending) {
    return validationError(
      'A streaming ORDER BY must start with an ascending monotonic expression based on ROWTIME, such as FLOOR(s.ROWTIME TO MINUTE)',
      orderBy.items[0]!.span,
    );
  }
  return {
    kind: 'order',
    input,
    keys,
    leadingByRowtime: leading.usesRowtime && !leading.usesColumns,
    releaseOnBound: grouped,
  };
}

const mentionsBareRowtime = (e: Expression): boolean =>
  JSON.stringify(e, (key, value: unknown) => (key === 'span' ? undefined : value)).includes(
    '"parts":[{"kind":"identifier","name":"ROWTIME"}]',
  );

/**
 * T-sort, `ORDER BY <timestamp_expr> WITHIN <interval>`: the select list gives the expression as
 * ROWTIME; rows are reordered by it inside a sliding buffer of that interval. The reference's
 * restrictions: a TIMESTAMP expression, ascending, selected AS ROWTIME, no bare ROWTIME in it.
 */
function bindTimeSort(
  binder: Binder,
  select: Select,
  orderBy: OrderBy,
  input: Plan,
  bound: BoundItems,
  columns: readonly ScopeColumn[],
): BoundQuery {
  const span = orderBy.span;
  if (orderBy.items.length !== 1)
    return validationError('ORDER BY ... WITHIN (T-sort) takes one timestamp expression', span);
  const item = orderBy.items[0]!;
  if (item.direction === 'DESC')
    return validationError('ORDER BY ... WITHIN (T-sort) cannot sort DESC', item.span);
  if (mentionsBareRowtime(item.expression))
    return validationError(
      'The T-sort expression must qualify ROWTIME (s.ROWTIME), not use ROWTIME alone',
      item.span,
    );
  const selected = select.items.find(
    (i) =>
      i.kind === 'expressionItem' &&
      i.alias?.name === 'ROWTIME' &&
      printExpression(i.expression) === printExpression(item.expression),
  );
  if (selected === undefined || bound.rowtime === null)
    return validationError('The T-sort expression must also be in the select list AS ROWTIME', item.span);
  if (bound.rowtime.type.name !== 'TIMESTAMP')
    return validationError('The T-sort expression must be a TIMESTAMP', item.span);
  const within = bindExpression(orderBy.within!, {
    scope: new Scope([]),
    environment: binder.environment,
    intercept: null,
    clause: 'WITHIN',
  });
  if (within.type.name !== 'INTERVAL' || !isConstant(within))
    return validationError(
      "WITHIN needs an interval, such as WITHIN INTERVAL '2' SECOND",
      orderBy.within!.span,
    );
  const withinMs = within.evaluate([], 0) as number;
  if (!(withinMs >= 0))
    return validationError('The WITHIN interval must not be negative', orderBy.within!.span);
  if (input.kind !== 'project')
    return validationError('ORDER BY ... WITHIN (T-sort) cannot be combined with SELECT DISTINCT', span);
  return {
    plan: { kind: 'timeSort', input: { ...input, rowtimeUnordered: true }, withinMs },
    columns,
  };
}

/** Aggregates become slots after the keys; expressions equal to a key become that key's slot. */
function groupedIntercept(
  scope: Scope,
  keys: readonly Bound[],
  aggregates: AggregateCall[],
  environment: BindEnvironment,
): NonNullable<BindContext['intercept']> {
  const input: BindContext = {
    scope,
    environment,
    intercept: null,
    clause: 'the argument of an aggregate function',
  };
  const aggregateKeys: string[] = [];
  return (e) => {
    if (e.kind === 'call' && e.over === null && aggregateNames.has(callName(e)!)) {
      const name = callName(e)!;
      if (e.quantifier === 'DISTINCT' && name === 'COUNT') {
        return validationError(
          'COUNT(DISTINCT ...) is not supported in streaming aggregation; use COUNT_DISTINCT_ITEMS_TUMBLING',
          e.span,
        );
      }
      const args = e.args.map((a) => bindExpression(a, input));
      const definition = bindAggregate(name, args, e.star, e.quantifier === 'DISTINCT', e.span);
      const key = `${name}${e.quantifier ?? ''}(${e.star ? '*' : args.map((a) => a.key).join(',')})`;
      let index = aggregateKeys.indexOf(key);
      if (index < 0) {
        index = aggregates.length;
        aggregateKeys.push(key);
        aggregates.push({ definition, argument: args[0] ?? null });
      }
      return { ...columnBound(keys.length + index, definition.type, e.span), key: `AGG:${key}` };
    }
    if (e.kind === 'call' && e.over !== null)
      return validationError(
        'Analytic functions (OVER) are not allowed with GROUP BY or WINDOWED BY',
        e.span,
      );
    if (
      e.kind === 'column' &&
      e.parts.length === 1 &&
      e.parts[0]!.name === 'ROWTIME' &&
      !scope.columns.some((c) => c.name === 'ROWTIME' && c.rowtimeOf !== true)
    ) {
      return rowtime(e.span, 'ROWTIME');
    }
    if (containsAggregate(e) || containsOver(e)) return undefined;
    const bound = bindExpression(e, input);
    const match = keys.findIndex((k) => k.key === bound.key);
    if (match >= 0) return { ...columnBound(match, bound.type, e.span), key: `KEY:${bound.key}` };
    if (isConstant(bound)) return bound;
    if (e.kind === 'column')
      return validationError(`Expression '${printExpression(e)}' is not being grouped`, e.span);
    return undefined;
  };
}

interface MutableWindow {
  readonly key: string;
  readonly partitionBy: readonly Bound[];
  readonly rangeMs: number | null;
  readonly rows: number | null;
  readonly calls: WindowCall[];
  readonly span: Span;
}

function freezeWindow(w: MutableWindow): SlidingWindow {
  const unbounded = w.rangeMs === null && w.rows === null;
  let retainRows = 0;
  for (const call of w.calls) {
    if (call.analytic === null) continue;
    if (unbounded && call.analytic !== 'LAG' && call.analytic !== 'LAST_VALUE') {
      validationError(
        `${call.analytic} needs a bounded window (RANGE INTERVAL ... PRECEDING or ROWS n PRECEDING)`,
        w.span,
      );
    }
    if (call.analytic === 'LAG') {
      if (call.ignoreNulls && unbounded)
        validationError('LAG ... IGNORE NULLS needs a bounded window', w.span);
      const offset = call.arguments[1];
      retainRows = Math.max(retainRows, offset === undefined ? 2 : Number(offset.evaluate([], 0)) + 1);
    } else retainRows = Math.max(retainRows, 1);
  }
  return { partitionBy: w.partitionBy, rangeMs: w.rangeMs, rows: w.rows, retainRows, calls: w.calls };
}

function slidingIntercept(
  select: Select,
  scope: Scope,
  windows: MutableWindow[],
  slots: { next: number },
  environment: BindEnvironment,
): NonNullable<BindContext['intercept']> {
  const input: BindContext = { scope, environment, intercept: null, clause: 'a window function argument' };
  return (e) => {
    if (e.kind !== 'call' || e.over === null) return undefined;
    const name = callName(e)!;
    let specification: WindowSpecification;
    let windowKey: string;
    if (e.over.kind === 'windowName') {
      const named = select.windows.find((w) => w.name.name === (e.over as { name: Identifier }).name.name);
      if (named === undefined) return validationError(`Window '${e.over.name.name}' not found`, e.over.span);
      specification = named.specification;
      windowKey = `named:${named.name.name}`;
    } else {
      specification = e.over;
      windowKey = `inline:${e.over.span.start}`;
    }
    let window = windows.find((w) => w.key === windowKey);
    if (window === undefined) {
      window = bindWindow(specification, windowKey, input);
      windows.push(window);
    }
    const args = e.args.map((a) => bindExpression(a, input));
    const slot = slots.next++;
    if (aggregateNames.has(name)) {
      if (e.quantifier === 'DISTINCT' && name === 'COUNT')
        return validationError('COUNT(DISTINCT ...) OVER a window is not supported', e.span);
      const definition = bindAggregate(name, args, e.star, e.quantifier === 'DISTINCT', e.span);
      window.calls.push({
        slot,
        aggregate: { definition, argument: args[0] ?? null },
        analytic: null,
        arguments: [],
        ignoreNulls: false,
        fromLast: false,
      });
      return { ...columnBound(slot, definition.type, e.span), key: `OVER${slot}` };
    }
    if (!analyticNames.has(name)) return validationError(`Function ${name} cannot be used with OVER`, e.span);
    const analytic = name as AnalyticFunction;
    const type = checkAnalytic(analytic, args, e.span);
    window.calls.push({
      slot,
      aggregate: null,
      analytic,
      arguments: args,
      ignoreNulls: e.nullTreatment === 'IGNORE NULLS',
      fromLast: e.from === 'LAST',
    });
    return { ...columnBound(slot, type, e.span), key: `OVER${slot}` };
  };
}

function checkAnalytic(name: AnalyticFunction, args: readonly Bound[], span: Span): Bound['type'] {
  const constantInteger = (b: Bound | undefined, what: string): void => {
    if (b !== undefined && (!isConstant(b) || !isInteger(b.type) || (b.evaluate([], 0) as number) < 0))
      validationError(`${what} must be a non-negative integer constant`, b.span);
  };
  switch (name) {
    case 'FIRST_VALUE':
    case 'LAST_VALUE':
      if (args.length !== 1) validationError(`${name} takes 1 argument`, span);
      return args[0]!.type;
    case 'LAG': {
      if (args.length < 1 || args.length > 3) validationError('LAG takes 1 to 3 arguments', span);
      constantInteger(args[1], 'The LAG offset');
      return args[2] === undefined
        ? args[0]!.type
        : (commonType(args[0]!.type, args[2].type) ??
            validationError('The LAG default must have the type of its expression', args[2].span));
    }
    case 'NTH_VALUE':
      if (args.length !== 2) validationError('NTH_VALUE takes 2 arguments', span);
      constantInteger(args[1], 'The NTH_VALUE position');
      return args[0]!.type;
    case 'EXP_AVG':
      if (args.length !== 2 || args[1]!.type.name !== 'INTERVAL' || !isConstant(args[1]!))
        validationError('EXP_AVG takes an expression and a constant INTERVAL (the half-life)', span);
      return types.double;
  }
}

function bindWindow(spec: WindowSpecification, key: string, input: BindContext): MutableWindow {
  if (spec.orderBy.length > 0)
    return validationError(
      'ORDER BY is not allowed in a window used for windowed aggregation',
      spec.orderBy[0]!.span,
    );
  const partitionBy = spec.partitionBy.map((p) => bindExpression(p, input));
  const frame = spec.frame;
  let rangeMs: number | null = null;
  let rows: number | null = null;
  if (frame !== null) {
    if (frame.end !== null && frame.end.bound !== 'CURRENT ROW') {
      if (frame.end.bound === 'UNBOUNDED FOLLOWING')
        return validationError(
          'UNBOUNDED FOLLOWING is not supported: a window must end at CURRENT ROW',
          frame.end.span,
        );
      return validationError(
        'Offset windows are not supported: a window must end at CURRENT ROW',
        frame.end.span,
      );
    }
    const start = frame.start;
    if (start.bound === 'FOLLOWING' || start.bound === 'UNBOUNDED FOLLOWING')
      return validationError('A window must start at or before CURRENT ROW', start.span);
    if (start.bound === 'CURRENT ROW') {
      if (frame.unit === 'ROWS') rows = 0;
      else rangeMs = 0;
    } else if (start.bound === 'PRECEDING') {
      const extent = bindExpression(start.extent!, input);
      if (!isConstant(extent)) return validationError('A window extent must be a constant', start.span);
      const value = extent.evaluate([], 0) as number;
      if (frame.unit === 'ROWS') {
        if (!isInteger(extent.type) || value < 0)
          return validationError('ROWS needs a non-negative integer: ROWS n PRECEDING', start.span);
        if (value === 0)
          return validationError(
            '0 PRECEDING cannot be used for windowed aggregation; use CURRENT ROW',
            start.span,
          );
        rows = value;
      } else {
        if (extent.type.name !== 'INTERVAL')
          return validationError(
            "RANGE over ROWTIME needs an interval: RANGE INTERVAL 'n' unit PRECEDING",
            start.span,
          );
        if (value < 0) return validationError('Negative windows are not allowed', start.span);
        if (value === 0)
          return validationError(
            '0 PRECEDING cannot be used for windowed aggregation; use CURRENT ROW',
            start.span,
          );
        rangeMs = value;
      }
    }
  }
  return { key, partitionBy, rangeMs, rows, calls: [], span: spec.span };
}

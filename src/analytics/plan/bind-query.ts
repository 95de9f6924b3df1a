/**
 * Binds a query into a plan: FROM (streams, views, subqueries, joins with reference tables),
 * WHERE, then one of streaming GROUP BY (tumbling), WINDOWED BY STAGGER, sliding windows (OVER)
 * or a plain projection, then HAVING and a streaming ORDER BY; UNION ALL merges streams.
 */
import type {
  Expression,
  FromItem,
  Identifier,
  Query,
  Select,
  SelectItem,
  Span,
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
      if (query.orderBy !== null)
        return validationError('ORDER BY after UNION ALL is not supported yet', query.orderBy.span);
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
      return { plan: { kind: 'union', inputs }, columns };
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
  return columns.map((c, i) => ({ name: correlation.columns[i]!.name, type: c.type }));
}

function bindFrom(binder: Binder, item: FromItem): FromResult {
  switch (item.kind) {
    case 'namedSource': {
      if (item.over !== null)
        return validationError(
          'A window on a FROM item is for stream-to-stream joins, which are not supported yet',
          item.over.span,
        );
      const name = nameOf(item.name);
      const last = item.name[item.name.length - 1]!.name;
      const alias = item.correlation?.alias.name ?? last;
      const stream = binder.catalog.stream(name);
      if (stream !== undefined) {
        const columns = renamed(stream.columns, item.correlation);
        return {
          plan: { kind: 'scan', stream: stream.name },
          sources: [{ alias, columns, offset: 0, rowtime: true }],
          table: null,
        };
      }
      const view = binder.catalog.view(name);
      if (view !== undefined) {
        const bound = bindQueryWith(binder, view);
        return {
          plan: bound.plan,
          sources: [{ alias, columns: renamed(bound.columns, item.correlation), offset: 0, rowtime: true }],
          table: null,
        };
      }
      const table = binder.catalog.table(name);
      if (table !== undefined) {
        return {
          plan: null,
          sources: [{ alias, columns: renamed(table.columns, item.correlation), offset: 0, rowtime: false }],
          table: table.name,
        };
      }
      return validationError(
        `Object '${name}' not found (no in-application stream, view or reference table has that name; names are case-sensitive when quoted)`,
        item.span,
      );
    }
    case 'subquerySource': {
      if (item.over !== null)
        return validationError(
          'A window on a FROM item is for stream-to-stream joins, which are not supported yet',
          item.over.span,
        );
      const bound = bindQueryWith(binder, item.query);
      const alias = item.correlation?.alias.name ?? '';
      return {
        plan: bound.plan,
        sources: [{ alias, columns: renamed(bound.columns, item.correlation), offset: 0, rowtime: true }],
        table: null,
      };
    }
    case 'tableFunctionSource':
      return bindTableFunction(binder, item);
    case 'join':
      return bindJoin(binder, item);
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
    };
  }
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
  };
}

function bindJoin(binder: Binder, join: Extract<FromItem, { kind: 'join' }>): FromResult {
  let left = bindFrom(binder, join.left);
  let right = bindFrom(binder, join.right);
  let type = join.type;
  if (
    left.table !== null &&
    right.table === null &&
    (type === 'INNER' || type === 'CROSS' || type === 'RIGHT')
  ) {
    [left, right] = [right, left];
    if (type === 'RIGHT') type = 'LEFT';
  }
  if (left.plan === null)
    return validationError('A reference table can only be joined to a stream', join.span);
  if (right.table === null)
    return validationError(
      'Stream-to-stream joins are not supported yet; join a stream with a reference table',
      join.span,
    );
  if (type === 'RIGHT' || type === 'FULL')
    return validationError(
      `${type} OUTER joins of a stream with a reference table are not supported`,
      join.span,
    );
  const leftScope = new Scope(left.sources);
  const tableScope = new Scope(right.sources);
  const sources = [...left.sources, ...withOffset(right.sources, leftScope.width)];
  const joined = new Scope(sources);
  const context = (scope: Scope, clause: string): BindContext => ({
    scope,
    environment: binder.environment,
    intercept: null,
    clause,
  });
  const streamKeys: Bound[] = [];
  const tableKeys: Bound[] = [];
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
    const rightNames = new Set(tableScope.columns.map((c) => c.name));
    usingNames.push(...leftScope.columns.map((c) => c.name).filter((n) => rightNames.has(n)));
  }
  for (const name of usingNames) {
    const span = join.span;
    const id: Identifier = { kind: 'identifier', name, span };
    streamKeys.push(leftScope.resolve([id], span));
    tableKeys.push(tableScope.resolve([id], span));
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
      const streamLeft = trySide(c.left, leftScope);
      const tableRight = trySide(c.right, tableScope);
      if (streamLeft !== null && tableRight !== null && streamLeft.usesColumns && tableRight.usesColumns) {
        streamKeys.push(streamLeft);
        tableKeys.push(tableRight);
        continue;
      }
      const tableLeft = trySide(c.left, tableScope);
      const streamRight = trySide(c.right, leftScope);
      if (tableLeft !== null && streamRight !== null && tableLeft.usesColumns && streamRight.usesColumns) {
        streamKeys.push(streamRight);
        tableKeys.push(tableLeft);
        continue;
      }
    }
    const bound = bindExpression(c, context(joined, 'the join condition'));
    if (bound.type.name !== 'BOOLEAN' && !isNull(bound.type))
      return validationError('The join condition must be BOOLEAN', c.span);
    residual.push(bound);
  }
  streamKeys.forEach((k, i) => {
    if (commonType(k.type, tableKeys[i]!.type) === null) {
      validationError(
        `Cannot compare join keys of types ${describeType(k.type)} and ${describeType(tableKeys[i]!.type)}`,
        k.span,
      );
    }
  });
  const residualBound = residual.reduce<Bound | null>(
    (all, next) => (all === null ? next : andBound(all, next)),
    null,
  );
  return {
    plan: {
      kind: 'tableJoin',
      input: left.plan,
      table: right.table,
      tableWidth: tableScope.width,
      type: type === 'LEFT' ? 'LEFT' : 'INNER',
      streamKeys,
      tableKeys,
      residual: residualBound,
    },
    sources,
    table: null,
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
  const from = bindFrom(binder, fromItem);
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
  const columns = bound.items.map((b, i) => ({ name: bound.names[i]!, type: b.type }));
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
      return validationError('ORDER BY ... WITHIN (T-sort) is not supported yet', select.orderBy.span);
    const alias = sources.length === 1 ? sources[0]!.alias : '';
    const scope = new Scope([{ alias, columns, offset: 0, rowtime: true }]);
    const keys: OrderKey[] = select.orderBy.items.map((item) => {
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
        select.orderBy.items[0]!.span,
      );
    }
    plan = {
      kind: 'order',
      input: plan,
      keys,
      leadingByRowtime: leading.usesRowtime && !leading.usesColumns,
      releaseOnBound: grouped,
    };
  }
  return { plan, columns };
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
      !scope.columns.some((c) => c.name === 'ROWTIME')
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

/**
 * Binds an expression tree: resolves names, checks types and builds the evaluator closure.
 * Functions are looked up in functions/scalar-functions.ts; aggregates and analytic calls are
 * only valid where the query binder's `intercept` turns them into slots.
 */
import { unreachable } from '../../core/assert.js';
import type { Expression, Span, TimeUnit } from '../sql/ast.js';
import { printExpression } from '../sql/printer.js';
import { aggregateNames, analyticNames } from '../functions/aggregate-names.js';
import { bindScalarCall } from '../functions/scalar-functions.js';
import { conversionError, SqlRuntimeError } from '../functions/sql-runtime-error.js';
import {
  compareValues,
  converter,
  parseTimeText,
  parseTimestampText,
  sameValue,
} from '../functions/values.js';
import { floorTime, ceilTime, unitMs } from '../functions/time-units.js';
import { apply, constant, fold, type Bound, type Evaluator } from './bound-expression.js';
import type { BindContext } from './bind-context.js';
import { validationError } from './sql-validation-error.js';
import {
  commonType,
  comparable,
  describeType,
  fromDataType,
  isApproximate,
  isDatetime,
  isInteger,
  isNull,
  isNumeric,
  isString,
  numericResult,
  sqlType,
  types,
  type SqlType,
} from './sql-type.js';

export function bindExpression(e: Expression, context: BindContext): Bound {
  if (context.intercept !== null) {
    const replaced = context.intercept(e, context);
    if (replaced !== undefined) return replaced;
  }
  const bind = (child: Expression): Bound => bindExpression(child, context);
  switch (e.kind) {
    case 'literal':
      return bindLiteral(e.type, e.value, e.span);
    case 'datetimeLiteral': {
      const value = e.type === 'TIME' ? parseTimeText(e.value) : parseTimestampText(e.value);
      if (value === null) return validationError(`Illegal ${e.type} literal '${e.value}'`, e.span);
      return constant(sqlType(e.type), value, `${e.type}'${value}'`, e.span);
    }
    case 'intervalLiteral': {
      const ms =
        intervalLiteralMs(e.value, e.qualifier.start, e.qualifier.end, e.span) * (e.negative ? -1 : 1);
      return constant(types.interval, ms, `INTERVAL'${ms}'`, e.span);
    }
    case 'column':
      return context.scope.resolve(e.parts, e.span);
    case 'call':
      return bindCall(e, context);
    case 'cast': {
      const operand = bind(e.operand);
      const target = fromDataType(e.type);
      const convert = converter(operand.type, target);
      return {
        ...apply(`CAST[${describeType(target)}]`, target, [operand], convert, e.span),
        monotonic: operand.monotonic,
      };
    }
    case 'extract':
      return bindExtract(e.field, bind(e.operand), e.span);
    case 'timeFloor': {
      const operand = bind(e.operand);
      if (!isDatetime(operand.type) && operand.type.name !== 'INTERVAL' && !isNull(operand.type)) {
        return validationError(
          `${e.function}(... TO ${e.unit}) needs a datetime or interval, not ${describeType(operand.type)}`,
          e.span,
        );
      }
      const round = e.function === 'FLOOR' ? floorTime : ceilTime;
      const interval = operand.type.name === 'INTERVAL';
      const unit = e.unit;
      const fn = interval
        ? (v: unknown) =>
            (e.function === 'FLOOR' ? Math.floor : Math.ceil)((v as number) / unitMs(unit)) * unitMs(unit)
        : (v: unknown) => round(v as number, unit);
      return {
        ...apply(`${e.function}[${unit}]`, operand.type, [operand], fn, e.span),
        monotonic: operand.monotonic,
      };
    }
    case 'step':
      return bindStep(bind(e.operand), bind(e.by), e.span);
    case 'substring':
      return bindScalarCall(
        'SUBSTRING',
        [bind(e.operand), bind(e.from), ...(e.for === null ? [] : [bind(e.for)])],
        e.span,
        context.environment,
      );
    case 'trim': {
      const args = [bind(e.operand), ...(e.characters === null ? [] : [bind(e.characters)])];
      return bindScalarCall(`TRIM_${e.side ?? 'BOTH'}`, args, e.span, context.environment);
    }
    case 'position':
      return bindScalarCall('POSITION', [bind(e.needle), bind(e.haystack)], e.span, context.environment);
    case 'overlay':
      return bindScalarCall(
        'OVERLAY',
        [bind(e.operand), bind(e.placing), bind(e.from), ...(e.for === null ? [] : [bind(e.for)])],
        e.span,
        context.environment,
      );
    case 'case':
      return bindCase(e, context);
    case 'unary':
      return bindUnary(e.operator, bind(e.operand), e.span);
    case 'binary':
      return bindBinary(e.operator, bind(e.left), bind(e.right), e.span);
    case 'isTest':
      return bindIsTest(bind(e.operand), e.test, e.negated, e.span);
    case 'isDistinctFrom': {
      const left = bind(e.left);
      const right = bind(e.right);
      checkComparable(left, right, e.span);
      const negated = e.negated;
      return apply(
        'ISDISTINCT',
        types.boolean,
        [left, right],
        (a, b) => sameValue(a, b) === negated,
        e.span,
        { strict: false },
      );
    }
    case 'between': {
      const operand = bind(e.operand);
      const low = bind(e.low);
      const high = bind(e.high);
      checkComparable(operand, low, e.span);
      checkComparable(operand, high, e.span);
      const negated = e.negated;
      return apply(
        `BETWEEN${negated ? '!' : ''}`,
        types.boolean,
        [operand, low, high],
        (v, l, h) => (compareValues(v, l) >= 0 && compareValues(v, h) <= 0) !== negated,
        e.span,
      );
    }
    case 'like': {
      const args = [bind(e.operand), bind(e.pattern), ...(e.escape === null ? [] : [bind(e.escape)])];
      const matched = bindScalarCall(
        e.operator === 'LIKE' ? 'LIKE' : 'SIMILAR',
        args,
        e.span,
        context.environment,
      );
      return e.negated ? bindUnary('NOT', matched, e.span) : matched;
    }
    case 'inList': {
      const operand = bind(e.operand);
      const list = e.list.map(bind);
      for (const item of list) checkComparable(operand, item, item.span);
      const negated = e.negated;
      return apply(
        `IN${negated ? '!' : ''}`,
        types.boolean,
        [operand, ...list],
        (v, ...items) => {
          if (v === null) return null;
          let unknown = false;
          for (const item of items) {
            if (item === null) unknown = true;
            else if (compareValues(v, item) === 0) return !negated;
          }
          return unknown ? null : negated;
        },
        e.span,
        { strict: false },
      );
    }
    case 'inQuery':
    case 'exists':
    case 'scalarQuery':
      return validationError(
        'Subqueries in expressions are not supported (use a join with a reference table)',
        e.span,
      );
    case 'cursor':
      return validationError('CURSOR is only allowed as the stream argument of a table function', e.span);
    case 'intervalQualified':
      return bindIntervalQualified(e.operand, e.qualifier.end ?? e.qualifier.start, context, e.span);
    default:
      return unreachable(e);
  }
}

function bindLiteral(kind: string, value: string, span: Span): Bound {
  switch (kind) {
    case 'integer': {
      const n = Number(value);
      return constant(Math.abs(n) <= 2147483647 ? types.integer : types.bigint, n, value, span);
    }
    case 'decimal': {
      const scale = value.includes('.') ? value.length - value.indexOf('.') - 1 : 0;
      return constant(sqlType('DECIMAL', 19, scale), Number(value), value, span);
    }
    case 'approximate':
      return constant(types.double, Number(value), `${value}D`, span);
    case 'string':
      return constant(sqlType('VARCHAR', value.length), value, JSON.stringify(value), span);
    case 'binary':
      return constant(
        sqlType('VARBINARY', value.length / 2),
        Uint8Array.from(Buffer.from(value, 'hex')),
        `X'${value}'`,
        span,
      );
    case 'boolean':
      return constant(types.boolean, value.toUpperCase() === 'TRUE', value.toUpperCase(), span);
    case 'unknown':
      return constant(types.boolean, null, 'UNKNOWN', span);
    default:
      return constant(types.null, null, 'NULL', span);
  }
}

const dayTimeUnits: readonly TimeUnit[] = ['DAY', 'HOUR', 'MINUTE', 'SECOND'];

/** `'59:59.999'` MINUTE TO SECOND → ms. Year-month intervals are not values in KDA (§2). */
export function intervalLiteralMs(text: string, start: TimeUnit, end: TimeUnit | null, span: Span): number {
  if (start === 'YEAR' || start === 'MONTH') {
    return validationError(
      'Year-month intervals are not supported; use a day-time interval (DAY, HOUR, MINUTE, SECOND)',
      span,
    );
  }
  const units = dayTimeUnits.slice(dayTimeUnits.indexOf(start), dayTimeUnits.indexOf(end ?? start) + 1);
  let body = text.trim();
  let sign = 1;
  if (body.startsWith('-')) {
    sign = -1;
    body = body.slice(1).trim();
  } else if (body.startsWith('+')) body = body.slice(1).trim();
  const parts = body.split(/[ :]/);
  const valid =
    parts.length === units.length &&
    parts.every((p, i) =>
      (i === parts.length - 1 && units[i] === 'SECOND' ? /^\d+(\.\d+)?$/ : /^\d+$/).test(p),
    );
  if (!valid || units.length === 0) {
    return validationError(
      `Illegal interval literal '${text}' for ${start}${end === null ? '' : ` TO ${end}`}`,
      span,
    );
  }
  let ms = 0;
  parts.forEach((p, i) => (ms += Number(p) * unitMs(units[i]!)));
  return sign * Math.round(ms);
}

function bindCall(e: Extract<Expression, { kind: 'call' }>, context: BindContext): Bound {
  const name = e.name.map((p) => p.name).join('.');
  if (e.over !== null) {
    return validationError(`Analytic function ${name} with OVER is not allowed in ${context.clause}`, e.span);
  }
  if (aggregateNames.has(name)) {
    return validationError(
      `Aggregate function ${name} is not allowed in ${context.clause}: aggregate with GROUP BY (on a monotonic ROWTIME expression), WINDOWED BY STAGGER, or OVER a window`,
      e.span,
    );
  }
  if (analyticNames.has(name)) return validationError(`Function ${name} requires OVER a window`, e.span);
  if (e.star) return validationError(`${name}(*) is not a function call`, e.span);
  if (e.quantifier !== null)
    return validationError(`${e.quantifier} is only allowed in aggregate functions`, e.span);
  const args = e.args.map((a) => bindExpression(a, context));
  return bindScalarCall(name, args, e.span, context.environment);
}

function bindExtract(unit: TimeUnit, operand: Bound, span: Span): Bound {
  if (operand.type.name === 'INTERVAL') {
    const size: Record<TimeUnit, number> = {
      YEAR: 0,
      MONTH: 0,
      DAY: unitMs('DAY'),
      HOUR: unitMs('HOUR'),
      MINUTE: unitMs('MINUTE'),
      SECOND: 1000,
    };
    const wrap: Record<TimeUnit, number> = {
      YEAR: 0,
      MONTH: 0,
      DAY: Infinity,
      HOUR: 24,
      MINUTE: 60,
      SECOND: 60,
    };
    if (unit === 'YEAR' || unit === 'MONTH')
      return validationError(`EXTRACT(${unit}) of a day-time interval is not defined`, span);
    const fn = (v: unknown): number => {
      const ms = v as number;
      if (unit === 'SECOND') return (Math.trunc(ms / 1000) % 60) + (ms % 1000) / 1000;
      const whole = Math.trunc(ms / size[unit]);
      return wrap[unit] === Infinity ? whole : whole % wrap[unit];
    };
    return apply(
      `EXTRACT[${unit}]`,
      unit === 'SECOND' ? sqlType('DECIMAL', 5, 3) : types.bigint,
      [operand],
      fn,
      span,
    );
  }
  if (!isDatetime(operand.type) && !isNull(operand.type)) {
    return validationError(`EXTRACT needs a datetime or interval, not ${describeType(operand.type)}`, span);
  }
  const fn = (v: unknown): number => {
    const d = new Date(v as number);
    switch (unit) {
      case 'YEAR':
        return d.getUTCFullYear();
      case 'MONTH':
        return d.getUTCMonth() + 1;
      case 'DAY':
        return d.getUTCDate();
      case 'HOUR':
        return d.getUTCHours();
      case 'MINUTE':
        return d.getUTCMinutes();
      case 'SECOND':
        return d.getUTCSeconds() + d.getUTCMilliseconds() / 1000;
      default:
        return unreachable(unit);
    }
  };
  return apply(
    `EXTRACT[${unit}]`,
    unit === 'SECOND' ? sqlType('DECIMAL', 5, 3) : types.bigint,
    [operand],
    fn,
    span,
  );
}

function bindStep(operand: Bound, by: Bound, span: Span): Bound {
  if (isDatetime(operand.type) || operand.type.name === 'INTERVAL') {
    if (by.type.name !== 'INTERVAL') return validationError('STEP of a datetime needs BY INTERVAL', by.span);
    return {
      ...apply(
        'STEP',
        operand.type,
        [operand, by],
        (v, i) => Math.floor((v as number) / (i as number)) * (i as number),
        span,
      ),
      monotonic: operand.monotonic,
    };
  }
  if (isNumeric(operand.type) && isNumeric(by.type)) {
    return {
      ...apply(
        'STEP',
        operand.type,
        [operand, by],
        (v, k) => {
          if (k === 0) throw new SqlRuntimeError('DivisionByZero', 'STEP by zero');
          return Math.trunc((v as number) / (k as number)) * (k as number);
        },
        span,
      ),
      monotonic: operand.monotonic,
    };
  }
  if (isNull(operand.type)) return constant(types.null, null, 'NULL', span);
  return validationError(
    `STEP needs a datetime and an interval, or two numbers; got ${describeType(operand.type)} BY ${describeType(by.type)}`,
    span,
  );
}

function bindCase(e: Extract<Expression, { kind: 'case' }>, context: BindContext): Bound {
  const bind = (x: Expression): Bound => bindExpression(x, context);
  const operand = e.operand === null ? null : bind(e.operand);
  const whens = e.whens.map((w) => ({ when: bind(w.when), then: bind(w.then) }));
  const otherwise = e.else === null ? null : bind(e.else);
  let type: SqlType = types.null;
  for (const result of [...whens.map((w) => w.then), ...(otherwise === null ? [] : [otherwise])]) {
    const next = commonType(type, result.type);
    if (next === null)
      return validationError(
        `CASE branches have incompatible types ${describeType(type)} and ${describeType(result.type)}`,
        result.span,
      );
    type = next;
  }
  for (const w of whens) {
    if (operand !== null) checkComparable(operand, w.when, w.when.span);
    else if (w.when.type.name !== 'BOOLEAN' && !isNull(w.when.type))
      return validationError('CASE WHEN needs a BOOLEAN condition', w.when.span);
  }
  const conditions = whens.map((w) => w.when.evaluate);
  const results = whens.map((w) => w.then.evaluate);
  const fallback = otherwise === null ? () => null : otherwise.evaluate;
  const subject = operand?.evaluate ?? null;
  const evaluate: Evaluator =
    subject === null
      ? (row, t) => {
          for (let i = 0; i < conditions.length; i++)
            if (conditions[i]!(row, t) === true) return results[i]!(row, t);
          return fallback(row, t);
        }
      : (row, t) => {
          const v = subject(row, t);
          if (v !== null) {
            for (let i = 0; i < conditions.length; i++) {
              const c = conditions[i]!(row, t);
              if (c !== null && compareValues(v, c) === 0) return results[i]!(row, t);
            }
          }
          return fallback(row, t);
        };
  const parts = [operand, ...whens.flatMap((w) => [w.when, w.then]), otherwise].filter(
    (b): b is Bound => b !== null,
  );
  return fold({
    type,
    key: `CASE(${parts.map((p) => p.key).join(',')}${otherwise === null ? '' : ';E'})`,
    evaluate,
    usesRowtime: parts.some((p) => p.usesRowtime),
    usesColumns: parts.some((p) => p.usesColumns),
    volatile: parts.some((p) => p.volatile),
    monotonic: false,
    span: e.span,
  });
}

function bindUnary(operator: '-' | '+' | 'NOT', operand: Bound, span: Span): Bound {
  if (operator === 'NOT') {
    if (operand.type.name !== 'BOOLEAN' && !isNull(operand.type))
      return validationError(`NOT needs a BOOLEAN, not ${describeType(operand.type)}`, span);
    return apply('NOT', types.boolean, [operand], (v) => !(v as boolean), span);
  }
  if (!isNumeric(operand.type) && operand.type.name !== 'INTERVAL' && !isNull(operand.type)) {
    return validationError(
      `Unary ${operator} needs a number or interval, not ${describeType(operand.type)}`,
      span,
    );
  }
  if (operator === '+') return operand;
  return apply('NEG', operand.type, [operand], (v) => -(v as number), span);
}

function checkComparable(a: Bound, b: Bound, span: Span): void {
  if (!comparable(a.type, b.type)) {
    validationError(
      `Cannot compare values of types ${describeType(a.type)} and ${describeType(b.type)}`,
      span,
    );
  }
}

const divisionByZero = (): SqlRuntimeError => new SqlRuntimeError('DivisionByZero', 'Division by zero');

function bindBinary(operator: string, left: Bound, right: Bound, span: Span): Bound {
  switch (operator) {
    case 'AND':
    case 'OR': {
      for (const side of [left, right]) {
        if (side.type.name !== 'BOOLEAN' && !isNull(side.type)) {
          return validationError(
            `${operator} needs BOOLEAN operands, not ${describeType(side.type)}`,
            side.span,
          );
        }
      }
      const a = left.evaluate;
      const b = right.evaluate;
      const evaluate: Evaluator =
        operator === 'AND'
          ? (row, t) => {
              const x = a(row, t);
              if (x === false) return false;
              const y = b(row, t);
              if (y === false) return false;
              return x === null || y === null ? null : true;
            }
          : (row, t) => {
              const x = a(row, t);
              if (x === true) return true;
              const y = b(row, t);
              if (y === true) return true;
              return x === null || y === null ? null : false;
            };
      return fold({
        ...left,
        type: types.boolean,
        key: `${operator}(${left.key},${right.key})`,
        evaluate,
        usesRowtime: left.usesRowtime || right.usesRowtime,
        usesColumns: left.usesColumns || right.usesColumns,
        volatile: left.volatile || right.volatile,
        monotonic: false,
        span,
      });
    }
    case '=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      checkComparable(left, right, span);
      const test = comparisons[operator]!;
      return apply(operator, types.boolean, [left, right], (a, b) => test(compareValues(a, b)), span);
    }
    case '||': {
      if (!(isString(left.type) || isNull(left.type)) || !(isString(right.type) || isNull(right.type))) {
        return validationError(
          `|| needs character strings, not ${describeType(left.type)} and ${describeType(right.type)}`,
          span,
        );
      }
      const length =
        left.type.length !== null && right.type.length !== null ? left.type.length + right.type.length : null;
      return apply(
        '||',
        sqlType('VARCHAR', length),
        [left, right],
        (a, b) => (a as string) + (b as string),
        span,
      );
    }
    case '+':
    case '-':
    case '*':
    case '/':
      return bindArithmetic(operator, left, right, span);
    default:
      return validationError(`Unknown operator ${operator}`, span);
  }
}

const comparisons: Readonly<Record<string, (c: number) => boolean>> = {
  '=': (c) => c === 0,
  '<>': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

function bindArithmetic(operator: '+' | '-' | '*' | '/', left: Bound, right: Bound, span: Span): Bound {
  const l = left.type;
  const r = right.type;
  const monotonicWith = (b: Bound): boolean => b.monotonic;
  if ((isNumeric(l) || isNull(l)) && (isNumeric(r) || isNull(r))) {
    const type = numericResult(l, r);
    const integer = isInteger(type);
    const scale = type.name === 'DECIMAL' ? 10 ** (type.scale ?? 0) : 0;
    let fn: (a: unknown, b: unknown) => unknown;
    switch (operator) {
      case '+':
        fn = (a, b) => (a as number) + (b as number);
        break;
      case '-':
        fn = (a, b) => (a as number) - (b as number);
        break;
      case '*':
        fn = (a, b) => (a as number) * (b as number);
        break;
      case '/':
        fn = integer
          ? (a, b) => {
              if (b === 0) throw divisionByZero();
              return Math.trunc((a as number) / (b as number));
            }
          : (a, b) => {
              if (b === 0) throw divisionByZero();
              return (a as number) / (b as number);
            };
        break;
    }
    const raw = fn;
    if (scale > 1 && operator !== '/') fn = (a, b) => Math.round((raw(a, b) as number) * scale) / scale;
    const monotonic =
      (monotonicWith(left) &&
        !right.usesColumns &&
        !right.usesRowtime &&
        (operator !== '*' && operator !== '/' ? true : Number(right.evaluate([], 0)) > 0)) ||
      (operator === '+' && monotonicWith(right) && !left.usesColumns && !left.usesRowtime);
    return { ...apply(operator, type, [left, right], fn, span), monotonic };
  }
  const interval = (t: SqlType): boolean => t.name === 'INTERVAL';
  if (operator === '+' || operator === '-') {
    if (isDatetime(l) && interval(r)) {
      const sign = operator === '+' ? 1 : -1;
      return {
        ...apply(operator, l, [left, right], (a, b) => (a as number) + sign * (b as number), span),
        monotonic: left.monotonic && !right.usesRowtime && !right.usesColumns,
      };
    }
    if (interval(l) && isDatetime(r) && operator === '+')
      return apply('+', r, [left, right], (a, b) => (a as number) + (b as number), span);
    if (interval(l) && interval(r)) {
      const sign = operator === '+' ? 1 : -1;
      return {
        ...apply(
          operator,
          types.interval,
          [left, right],
          (a, b) => (a as number) + sign * (b as number),
          span,
        ),
        monotonic: left.monotonic && !right.usesRowtime && !right.usesColumns,
      };
    }
    if (isDatetime(l) && isDatetime(r) && operator === '-') {
      return validationError(
        'The difference of two datetimes needs an interval qualifier: (t1 - t2) SECOND, (t1 - t2) MINUTE TO SECOND, ...',
        span,
      );
    }
  }
  if (operator === '*' && ((interval(l) && isNumeric(r)) || (isNumeric(l) && interval(r)))) {
    return apply('*', types.interval, [left, right], (a, b) => (a as number) * (b as number), span);
  }
  if (operator === '/' && interval(l) && isNumeric(r)) {
    const positive = !right.usesColumns && !right.usesRowtime && Number(right.evaluate([], 0)) > 0;
    return {
      ...apply(
        '/',
        types.interval,
        [left, right],
        (a, b) => {
          if (b === 0) throw divisionByZero();
          return (a as number) / (b as number);
        },
        span,
      ),
      monotonic: left.monotonic && positive,
    };
  }
  return validationError(
    `Cannot apply '${operator}' to arguments of type ${describeType(l)} and ${describeType(r)}`,
    span,
  );
}

function bindIsTest(
  operand: Bound,
  test: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN',
  negated: boolean,
  span: Span,
): Bound {
  if (test !== 'NULL' && operand.type.name !== 'BOOLEAN' && !isNull(operand.type)) {
    return validationError(`IS ${test} needs a BOOLEAN, not ${describeType(operand.type)}`, span);
  }
  const check: (v: unknown) => boolean =
    test === 'NULL' || test === 'UNKNOWN'
      ? (v) => v === null
      : test === 'TRUE'
        ? (v) => v === true
        : (v) => v === false;
  return apply(
    `IS${negated ? 'NOT' : ''}${test}`,
    types.boolean,
    [operand],
    (v) => check(v) !== negated,
    span,
    { strict: false },
  );
}

function bindIntervalQualified(
  operandTree: Expression,
  unit: TimeUnit,
  context: BindContext,
  span: Span,
): Bound {
  if (operandTree.kind === 'binary' && operandTree.operator === '-') {
    const left = bindExpression(operandTree.left, context);
    const right = bindExpression(operandTree.right, context);
    if (isDatetime(left.type) && isDatetime(right.type)) {
      if (unit === 'YEAR' || unit === 'MONTH')
        return validationError('Year-month intervals are not supported', span);
      const size = unit === 'SECOND' ? 1 : unitMs(unit);
      return {
        ...apply(
          `DIFF[${unit}]`,
          types.interval,
          [left, right],
          (a, b) => Math.trunc(((a as number) - (b as number)) / size) * size,
          span,
        ),
        monotonic: left.monotonic && !right.usesRowtime && !right.usesColumns,
      };
    }
  }
  const operand = bindExpression(operandTree, context);
  if (operand.type.name === 'INTERVAL') return operand;
  return validationError(`${printExpression(operandTree)} is not a datetime difference or interval`, span);
}

/** An implicit conversion to `target` used for inserts and function arguments. */
export function coerce(b: Bound, target: SqlType): Bound {
  if (b.type.name === target.name && b.type.length === target.length && b.type.scale === target.scale)
    return b;
  if (isApproximate(target) && isNumeric(b.type)) return b;
  const convert = converter(b.type, target);
  return fold({
    ...b,
    type: target,
    key: `COERCE[${describeType(target)}](${b.key})`,
    evaluate: (
      (inner) => (row: unknown[], t: number) =>
        convert(inner(row, t))
    )(b.evaluate),
  });
}

export { conversionError };

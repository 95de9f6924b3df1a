/**
 * Aggregate accumulators for tumbling GROUP BY, STAGGER and sliding windows. Every accumulator
 * takes `add`; sliding windows also `remove`, always of the oldest value still inside (windows
 * evict first-in first-out), which lets MIN/MAX keep a monotonic deque instead of rescanning.
 * NULL inputs are skipped (COUNT(*) counts rows: its input is never NULL).
 */
import type { Span } from '../sql/ast.js';
import type { Bound } from '../plan/bound-expression.js';
import { validationError } from '../plan/sql-validation-error.js';
import {
  describeType,
  isApproximate,
  isNull,
  isNumeric,
  isString,
  isDatetime,
  sqlType,
  types,
  type SqlType,
} from '../plan/sql-type.js';
import { compareValues, keyOf } from './values.js';

export interface Accumulator {
  add(value: unknown): void;
  remove(value: unknown): void;
  result(): unknown;
}

export interface AggregateDefinition {
  readonly type: SqlType;
  readonly create: () => Accumulator;
}

class Count implements Accumulator {
  n = 0;
  add(v: unknown): void {
    if (v !== null) this.n++;
  }
  remove(v: unknown): void {
    if (v !== null) this.n--;
  }
  result(): unknown {
    return this.n;
  }
}

class Sum implements Accumulator {
  n = 0;
  sum = 0;
  constructor(
    readonly average: boolean,
    readonly integer: boolean,
    readonly scale: number,
  ) {}
  add(v: unknown): void {
    if (v === null) return;
    this.n++;
    this.sum += v as number;
  }
  remove(v: unknown): void {
    if (v === null) return;
    this.n--;
    this.sum -= v as number;
  }
  result(): unknown {
    if (this.n === 0) return null;
    if (!this.average) return this.scale > 0 ? Math.round(this.sum * this.scale) / this.scale : this.sum;
    const mean = this.sum / this.n;
    if (this.integer) return Math.trunc(mean);
    return this.scale > 0 ? Math.round(mean * this.scale) / this.scale : mean;
  }
}

class Variance implements Accumulator {
  n = 0;
  sum = 0;
  squares = 0;
  constructor(
    readonly sample: boolean,
    readonly root: boolean,
  ) {}
  add(v: unknown): void {
    if (v === null) return;
    this.n++;
    this.sum += v as number;
    this.squares += (v as number) * (v as number);
  }
  remove(v: unknown): void {
    if (v === null) return;
    this.n--;
    this.sum -= v as number;
    this.squares -= (v as number) * (v as number);
  }
  result(): unknown {
    const divisor = this.sample ? this.n - 1 : this.n;
    if (divisor <= 0) return null;
    const variance = Math.max(0, (this.squares - (this.sum * this.sum) / this.n) / divisor);
    return this.root ? Math.sqrt(variance) : variance;
  }
}

/** MIN/MAX over a FIFO window: a deque of candidates, front = the extreme. */
class Extreme implements Accumulator {
  readonly deque: unknown[] = [];
  head = 0;
  constructor(readonly sign: 1 | -1) {}
  add(v: unknown): void {
    if (v === null) return;
    while (
      this.deque.length > this.head &&
      this.sign * compareValues(this.deque[this.deque.length - 1], v) > 0
    )
      this.deque.pop();
    this.deque.push(v);
  }
  remove(v: unknown): void {
    if (v === null || this.deque.length === this.head) return;
    if (compareValues(this.deque[this.head], v) === 0) {
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.deque.length) {
        this.deque.splice(0, this.head);
        this.head = 0;
      }
    }
  }
  result(): unknown {
    return this.deque.length > this.head ? this.deque[this.head] : null;
  }
}

class BooleanGroup implements Accumulator {
  trues = 0;
  falses = 0;
  constructor(readonly every: boolean) {}
  add(v: unknown): void {
    if (v === true) this.trues++;
    else if (v === false) this.falses++;
  }
  remove(v: unknown): void {
    if (v === true) this.trues--;
    else if (v === false) this.falses--;
  }
  result(): unknown {
    if (this.trues + this.falses === 0) return null;
    return this.every ? this.falses === 0 : this.trues > 0;
  }
}

/** DISTINCT: passes a value on only the first time it is added, and back out on its last removal. */
class Distinct implements Accumulator {
  readonly counts = new Map<string, number>();
  constructor(readonly inner: Accumulator) {}
  add(v: unknown): void {
    if (v === null) return;
    const key = keyOf([v]);
    const n = this.counts.get(key) ?? 0;
    this.counts.set(key, n + 1);
    if (n === 0) this.inner.add(v);
  }
  remove(v: unknown): void {
    if (v === null) return;
    const key = keyOf([v]);
    const n = this.counts.get(key) ?? 0;
    if (n <= 1) {
      this.counts.delete(key);
      if (n === 1) this.inner.remove(v);
    } else this.counts.set(key, n - 1);
  }
  result(): unknown {
    return this.inner.result();
  }
}

export function bindAggregate(
  name: string,
  args: readonly Bound[],
  star: boolean,
  distinct: boolean,
  span: Span,
): AggregateDefinition {
  const definition = aggregate(name, args, star, span);
  if (!distinct) return definition;
  return { type: definition.type, create: () => new Distinct(definition.create()) };
}

function aggregate(name: string, args: readonly Bound[], star: boolean, span: Span): AggregateDefinition {
  if (star) {
    if (name !== 'COUNT') return validationError(`${name}(*) is not allowed; only COUNT(*)`, span);
    return { type: types.bigint, create: () => new Count() };
  }
  if (args.length !== 1)
    return validationError(`Aggregate function ${name} takes 1 argument, not ${args.length}`, span);
  const arg = args[0]!;
  const t = arg.type;
  const needNumber = (): void => {
    if (!isNumeric(t) && !isNull(t))
      validationError(
        `Aggregate function ${name} needs a numeric argument, not ${describeType(t)}`,
        arg.span,
      );
  };
  switch (name) {
    case 'COUNT':
      return { type: types.bigint, create: () => new Count() };
    case 'SUM':
    case 'AVG': {
      needNumber();
      const integer = !isApproximate(t) && t.name !== 'DECIMAL';
      const type = isApproximate(t)
        ? types.double
        : t.name === 'DECIMAL'
          ? sqlType('DECIMAL', 19, t.scale)
          : name === 'SUM'
            ? types.bigint
            : t;
      const scale = t.name === 'DECIMAL' ? 10 ** (t.scale ?? 0) : 0;
      const average = name === 'AVG';
      return { type: isNull(t) ? types.null : type, create: () => new Sum(average, integer, scale) };
    }
    case 'MIN':
    case 'MAX': {
      if (!isNumeric(t) && !isString(t) && !isDatetime(t) && t.name !== 'BOOLEAN' && !isNull(t)) {
        return validationError(
          `Aggregate function ${name} needs a comparable argument, not ${describeType(t)}`,
          arg.span,
        );
      }
      const sign = name === 'MIN' ? 1 : -1;
      return { type: t, create: () => new Extreme(sign) };
    }
    case 'STDDEV_POP':
    case 'STDDEV_SAMP':
    case 'STDDEV':
    case 'STD_DEV':
    case 'VAR_POP':
    case 'VAR_SAMP':
    case 'VARIANCE': {
      needNumber();
      const sample = !name.endsWith('_POP');
      const root = name.startsWith('STD');
      return { type: types.double, create: () => new Variance(sample, root) };
    }
    case 'ANY':
    case 'SOME':
    case 'EVERY':
      if (t.name !== 'BOOLEAN' && !isNull(t))
        return validationError(`Aggregate function ${name} needs a BOOLEAN argument`, arg.span);
      return { type: types.boolean, create: () => new BooleanGroup(name === 'EVERY') };
    default:
      return validationError(`Unknown aggregate function ${name}`, span);
  }
}

/**
 * A bound expression: its type, a canonical key (two expressions with the same key compute the
 * same value from the same row, which is how select items are matched to GROUP BY keys) and its
 * evaluator, a closure built once at bind time: rows are never evaluated by walking the tree.
 * An evaluator reads the operator's input row (an array) and the row's ROWTIME (ms).
 */
import type { Span } from '../sql/ast.js';
import { SqlRuntimeError } from '../functions/sql-runtime-error.js';
import type { SqlType } from './sql-type.js';

export type Row = unknown[];
export type Evaluator = (row: Row, rowtime: number) => unknown;

export interface Bound {
  readonly type: SqlType;
  readonly key: string;
  readonly evaluate: Evaluator;
  readonly usesRowtime: boolean;
  readonly usesColumns: boolean;
  /** CURRENT_TIMESTAMP and friends: not constant though they read no row. */
  readonly volatile: boolean;
  /** Non-decreasing as ROWTIME grows (ROWTIME, FLOOR/STEP of it, ...) or asserted by MONOTONIC. */
  readonly monotonic: boolean;
  readonly span: Span;
}

export const isConstant = (b: Bound): boolean => !b.usesRowtime && !b.usesColumns && !b.volatile;

export function constant(type: SqlType, value: unknown, key: string, span: Span): Bound {
  return {
    type,
    key,
    evaluate: () => value,
    usesRowtime: false,
    usesColumns: false,
    volatile: false,
    monotonic: false,
    span,
  };
}

export interface ApplyOptions {
  /** A NULL argument gives NULL without calling `fn` (default true). */
  readonly strict?: boolean;
  readonly monotonic?: boolean;
  readonly volatile?: boolean;
}

/** `fn(args...)` over the arguments' values, folded at bind time when every argument is constant. */
export function apply(
  name: string,
  type: SqlType,
  args: readonly Bound[],
  fn: (...values: unknown[]) => unknown,
  span: Span,
  options: ApplyOptions = {},
): Bound {
  const strict = options.strict ?? true;
  const evaluators = args.map((a) => a.evaluate);
  let evaluate: Evaluator;
  if (evaluators.length === 0) evaluate = () => fn();
  else if (evaluators.length === 1) {
    const [a] = evaluators as [Evaluator];
    evaluate = strict
      ? (row, t) => {
          const x = a(row, t);
          return x === null ? null : fn(x);
        }
      : (row, t) => fn(a(row, t));
  } else if (evaluators.length === 2) {
    const [a, b] = evaluators as [Evaluator, Evaluator];
    evaluate = strict
      ? (row, t) => {
          const x = a(row, t);
          if (x === null) return null;
          const y = b(row, t);
          return y === null ? null : fn(x, y);
        }
      : (row, t) => fn(a(row, t), b(row, t));
  } else {
    evaluate = (row, t) => {
      const values = new Array<unknown>(evaluators.length);
      for (let i = 0; i < evaluators.length; i++) {
        const v = evaluators[i]!(row, t);
        if (strict && v === null) return null;
        values[i] = v;
      }
      return fn(...values);
    };
  }
  const bound: Bound = {
    type,
    key: `${name}(${args.map((a) => a.key).join(',')})`,
    evaluate,
    usesRowtime: args.some((a) => a.usesRowtime),
    usesColumns: args.some((a) => a.usesColumns),
    volatile: options.volatile === true || args.some((a) => a.volatile),
    monotonic: options.monotonic === true,
    span,
  };
  return fold(bound);
}

/** Replaces a constant expression by its value (unless evaluating it fails: then per row). */
export function fold(bound: Bound): Bound {
  if (!isConstant(bound)) return bound;
  let value: unknown;
  try {
    value = bound.evaluate([], 0);
  } catch (error) {
    // A constant that fails (1 / 0) fails per row at run time, into error_stream, as AWS does.
    if (error instanceof SqlRuntimeError) return bound;
    throw error;
  }
  return { ...bound, evaluate: () => value };
}

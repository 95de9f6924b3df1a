/**
 * The push contract every operator follows. `push(row, rowtime)` hands over one row; rows arrive
 * in non-decreasing ROWTIME order. `advance(bound)` promises that no later row will have a ROWTIME
 * below `bound` (a rowtime bound): operators close windows that end at or before it, emit, and
 * pass the bound on. An operator emits rows in non-decreasing ROWTIME order as well.
 * Every input row implies a bound, so `advance` comes once per row: an operator that knows it has
 * nothing to do below some bound (a tumbling window waiting for its end) says so in `quietBelow`,
 * and callers skip the call.
 */
import type { Row } from '../plan/bound-expression.js';
import { SqlRuntimeError } from '../functions/sql-runtime-error.js';
import { sameValue } from '../functions/values.js';

export interface Downstream {
  push(row: Row, rowtime: number): void;
  advance(bound: number): void;
  /**
   * Optional: `advance(bound)` with `bound` below this does nothing at all (no state change, nothing
   * passed on), so a caller may leave it out. Read just before each call; absent means call always.
   */
  readonly quietBelow?: number;
}

/** Whether `advance(bound)` may be left out: `next` has declared it does nothing below its quietBelow. */
export const quiet = (next: Downstream, bound: number): boolean => bound < (next.quietBelow ?? -Infinity);

/** Where a row that fails to evaluate goes (error_stream, through the engine). */
export type ErrorReporter = (error: SqlRuntimeError, row: Row, rowtime: number) => void;

/** Runs `evaluate`, reporting a row error instead of throwing it; programmer errors still throw. */
export function guarded<T>(
  report: ErrorReporter,
  row: Row,
  rowtime: number,
  evaluate: () => T,
): T | typeof failed {
  try {
    return evaluate();
  } catch (error) {
    if (error instanceof SqlRuntimeError) {
      report(error, row, rowtime);
      return failed;
    }
    throw error;
  }
}

export const failed: unique symbol = Symbol('failed');

const searchLimitMs = 2 ** 46;

/**
 * The first instant after `from` where a monotonic function of ROWTIME leaves `value`: the end of
 * the window `value` names. Works for any FLOOR/STEP/arithmetic key (exponential then binary
 * search over milliseconds); Infinity when the key never changes.
 */
export function windowEnd(key: (rowtime: number) => unknown, from: number, value: unknown): number {
  let low = from;
  let step = 1;
  let high = -1;
  while (step < searchLimitMs) {
    const t = from + step;
    if (!sameValue(key(t), value)) {
      high = t;
      break;
    }
    low = t;
    step *= 2;
  }
  if (high < 0) return Infinity;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (sameValue(key(middle), value)) low = middle;
    else high = middle;
  }
  return high;
}

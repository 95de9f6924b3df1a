/** Row-at-a-time operators: WHERE / HAVING filters, select-list projections, SELECT DISTINCT. */
import type { Evaluator, Row } from '../plan/bound-expression.js';
import { SqlRuntimeError } from '../functions/sql-runtime-error.js';
import { keyOf, sameValue } from '../functions/values.js';
import type { Downstream, ErrorReporter } from './downstream.js';

export class FilterOperator implements Downstream {
  readonly #predicate: Evaluator;
  readonly #next: Downstream;
  readonly #report: ErrorReporter;

  constructor(predicate: Evaluator, next: Downstream, report: ErrorReporter) {
    this.#predicate = predicate;
    this.#next = next;
    this.#report = report;
  }

  push(row: Row, rowtime: number): void {
    let keep: unknown;
    try {
      keep = this.#predicate(row, rowtime);
    } catch (error) {
      if (!(error instanceof SqlRuntimeError)) throw error;
      this.#report(error, row, rowtime);
      return;
    }
    if (keep === true) this.#next.push(row, rowtime);
  }

  advance(bound: number): void {
    this.#next.advance(bound);
  }

  /** advance only passes the bound on. */
  get quietBelow(): number {
    return this.#next.quietBelow ?? -Infinity;
  }
}

/**
 * Evaluates the select list; `expr AS ROWTIME` must keep the output's ROWTIME non-decreasing,
 * except under a T-sort (`unordered`), which reorders the rows itself and drops NULL ROWTIMEs.
 */
export class ProjectOperator implements Downstream {
  readonly #items: readonly Evaluator[];
  readonly #rowtime: Evaluator | null;
  readonly #next: Downstream;
  readonly #report: ErrorReporter;
  readonly #unordered: boolean;
  #lastRowtime = -Infinity;

  constructor(
    items: readonly Evaluator[],
    rowtime: Evaluator | null,
    next: Downstream,
    report: ErrorReporter,
    unordered = false,
  ) {
    this.#items = items;
    this.#rowtime = rowtime;
    this.#next = next;
    this.#report = report;
    this.#unordered = unordered;
  }

  push(row: Row, rowtime: number): void {
    const items = this.#items;
    const out = new Array<unknown>(items.length);
    let time = rowtime;
    try {
      for (let i = 0; i < items.length; i++) out[i] = items[i]!(row, rowtime);
      if (this.#rowtime !== null) {
        const override = this.#rowtime(row, rowtime);
        if (override === null && this.#unordered) return;
        if (typeof override !== 'number')
          throw new SqlRuntimeError('NullRowtime', 'The expression AS ROWTIME is NULL');
        if (override < this.#lastRowtime && !this.#unordered) {
          throw new SqlRuntimeError(
            'OutOfOrderRow',
            `ROWTIME ${new Date(override).toISOString()} is earlier than the previous row's`,
          );
        }
        time = override;
      }
    } catch (error) {
      if (!(error instanceof SqlRuntimeError)) throw error;
      this.#report(error, row, rowtime);
      return;
    }
    this.#lastRowtime = Math.max(this.#lastRowtime, time);
    this.#next.push(out, time);
  }

  /** advance only passes on the bound, or a lower one. */
  get quietBelow(): number {
    return this.#next.quietBelow ?? -Infinity;
  }

  advance(bound: number): void {
    this.#next.advance(
      this.#rowtime === null
        ? bound
        : Math.min(bound, this.#lastRowtime === -Infinity ? bound : this.#lastRowtime),
    );
  }
}

/** SELECT STREAM DISTINCT: remembers the rows seen while the leading (monotonic) column keeps its value. */
export class DistinctOperator implements Downstream {
  readonly #next: Downstream;
  #leading: unknown = undefined;
  #seen = new Set<string>();

  constructor(next: Downstream) {
    this.#next = next;
  }

  push(row: Row, rowtime: number): void {
    if (!sameValue(row[0] ?? null, this.#leading ?? null) || this.#leading === undefined) {
      this.#leading = row[0] ?? null;
      this.#seen = new Set();
    }
    const id = keyOf(row);
    if (this.#seen.has(id)) return;
    this.#seen.add(id);
    this.#next.push(row, rowtime);
  }

  advance(bound: number): void {
    this.#next.advance(bound);
  }
}

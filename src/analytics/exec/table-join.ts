/**
 * Stream-to-reference-table join. The table is static while the application runs (§11), so its
 * rows are hashed once on the equi-join keys; each stream row looks up its matches, checks the
 * residual condition on the joined row and emits stream row ++ table row (NULLs for an unmatched
 * LEFT JOIN row), at the stream row's ROWTIME. NULL keys match nothing.
 */
import { SqlRuntimeError } from '../functions/sql-runtime-error.js';
import { keyOf } from '../functions/values.js';
import type { Evaluator, Row } from '../plan/bound-expression.js';
import type { TableJoinPlan } from '../plan/plan.js';
import type { Downstream, ErrorReporter } from './downstream.js';

export class TableJoinOperator implements Downstream {
  readonly #index = new Map<string, Row[]>();
  readonly #all: readonly Row[];
  readonly #streamKeys: readonly Evaluator[];
  readonly #residual: Evaluator | null;
  readonly #left: boolean;
  readonly #nulls: readonly null[];
  readonly #next: Downstream;
  readonly #report: ErrorReporter;

  constructor(plan: TableJoinPlan, rows: readonly Row[], next: Downstream, report: ErrorReporter) {
    this.#streamKeys = plan.streamKeys.map((k) => k.evaluate);
    this.#residual = plan.residual?.evaluate ?? null;
    this.#left = plan.type === 'LEFT';
    this.#nulls = new Array<null>(plan.tableWidth).fill(null);
    this.#next = next;
    this.#report = report;
    this.#all = rows;
    const tableKeys = plan.tableKeys.map((k) => k.evaluate);
    for (const row of rows) {
      let keys: unknown[];
      try {
        keys = tableKeys.map((k) => k(row, 0));
      } catch (error) {
        if (!(error instanceof SqlRuntimeError)) throw error;
        continue;
      }
      if (keys.some((k) => k === null)) continue;
      const id = keyOf(keys);
      const bucket = this.#index.get(id);
      if (bucket === undefined) this.#index.set(id, [row]);
      else bucket.push(row);
    }
  }

  push(row: Row, rowtime: number): void {
    let matches: readonly Row[] = this.#all;
    const joined: Row[] = [];
    try {
      if (this.#streamKeys.length > 0) {
        const keys = this.#streamKeys.map((k) => k(row, rowtime));
        matches = keys.some((k) => k === null) ? [] : (this.#index.get(keyOf(keys)) ?? []);
      }
      for (const match of matches) {
        const out = row.concat(match);
        if (this.#residual === null || this.#residual(out, rowtime) === true) joined.push(out);
      }
    } catch (error) {
      if (!(error instanceof SqlRuntimeError)) throw error;
      this.#report(error, row, rowtime);
      return;
    }
    if (joined.length === 0 && this.#left) joined.push(row.concat(this.#nulls));
    for (const out of joined) this.#next.push(out, rowtime);
  }

  advance(bound: number): void {
    this.#next.advance(bound);
  }
}

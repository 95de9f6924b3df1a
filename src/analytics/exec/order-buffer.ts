/**
 * Streaming ORDER BY: gathers rows while the leading (monotonic) key keeps its value, then emits
 * them sorted by every key. The rows of one group leave together with the group's latest ROWTIME,
 * so the output stays monotonic. With a leading key of ROWTIME alone, a bound past the group's
 * end releases it without waiting for the next row; over GROUP BY output (a window's rows arrive
 * together, before the bound that closed it is passed on) any bound releases the rows held.
 */
import { SqlRuntimeError } from '../functions/sql-runtime-error.js';
import { compareValues, sameValue } from '../functions/values.js';
import type { Evaluator, Row } from '../plan/bound-expression.js';
import type { OrderPlan } from '../plan/plan.js';
import { windowEnd, type Downstream, type ErrorReporter } from './downstream.js';

interface Held {
  readonly row: Row;
  readonly keys: unknown[];
}

export class OrderBuffer implements Downstream {
  readonly #keys: readonly Evaluator[];
  readonly #descending: readonly boolean[];
  readonly #byRowtime: boolean;
  readonly #releaseOnBound: boolean;
  readonly #next: Downstream;
  readonly #report: ErrorReporter;
  #held: Held[] = [];
  #latest = -Infinity;
  #end = Infinity;

  constructor(plan: OrderPlan, next: Downstream, report: ErrorReporter) {
    this.#keys = plan.keys.map((k) => k.key.evaluate);
    this.#descending = plan.keys.map((k) => k.descending);
    this.#byRowtime = plan.leadingByRowtime;
    this.#releaseOnBound = plan.releaseOnBound;
    this.#next = next;
    this.#report = report;
  }

  push(row: Row, rowtime: number): void {
    let keys: unknown[];
    try {
      keys = this.#keys.map((k) => k(row, rowtime));
    } catch (error) {
      if (!(error instanceof SqlRuntimeError)) throw error;
      this.#report(error, row, rowtime);
      return;
    }
    const first = this.#held[0];
    if (first !== undefined && !sameValue(first.keys[0], keys[0])) this.#release();
    if (this.#held.length === 0 && this.#byRowtime) {
      const leading = this.#keys[0]!;
      this.#end = windowEnd((t) => leading(row, t), rowtime, keys[0]);
    }
    this.#held.push({ row, keys });
    this.#latest = Math.max(this.#latest, rowtime);
  }

  advance(bound: number): void {
    if (this.#held.length > 0 && (this.#releaseOnBound || (this.#byRowtime && bound >= this.#end)))
      this.#release();
    if (this.#held.length === 0) this.#next.advance(bound);
  }

  #release(): void {
    const held = this.#held;
    this.#held = [];
    const descending = this.#descending;
    held.sort((a, b) => {
      for (let i = 1; i < a.keys.length; i++) {
        const x = a.keys[i];
        const y = b.keys[i];
        const c = x === null ? (y === null ? 0 : -1) : y === null ? 1 : compareValues(x, y);
        if (c !== 0) return descending[i] ? -c : c;
      }
      return 0;
    });
    for (const h of held) this.#next.push(h.row, this.#latest);
  }
}

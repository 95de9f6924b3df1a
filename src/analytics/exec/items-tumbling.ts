/**
 * TOP_K_ITEMS_TUMBLING and COUNT_DISTINCT_ITEMS_TUMBLING: counts the values of one column in
 * epoch-aligned tumbling windows and, when the bound passes a window's end, emits the K most
 * frequent items [item, count] or the number of distinct items, with ROWTIME = the window end.
 * State is the open window's counts (one entry per distinct value).
 */
import { compareValues, keyOf } from '../functions/values.js';
import type { Row } from '../plan/bound-expression.js';
import type { ItemsTumblingPlan } from '../plan/plan.js';
import type { Downstream } from './downstream.js';

export class ItemsTumbling implements Downstream {
  readonly #column: number;
  readonly #k: number | null;
  readonly #windowMs: number;
  readonly #next: Downstream;
  #counts = new Map<string, { value: unknown; count: number }>();
  #end = -Infinity;

  constructor(plan: ItemsTumblingPlan, next: Downstream) {
    this.#column = plan.column;
    this.#k = plan.k;
    this.#windowMs = plan.windowMs;
    this.#next = next;
  }

  push(row: Row, rowtime: number): void {
    if (rowtime >= this.#end) {
      this.#close();
      this.#end = Math.floor(rowtime / this.#windowMs) * this.#windowMs + this.#windowMs;
    }
    const value = row[this.#column] ?? null;
    if (value === null) return;
    const id = keyOf([value]);
    const entry = this.#counts.get(id);
    if (entry === undefined) this.#counts.set(id, { value, count: 1 });
    else entry.count++;
  }

  advance(bound: number): void {
    if (bound >= this.#end) this.#close();
    this.#next.advance(bound);
  }

  #close(): void {
    if (this.#counts.size === 0) return;
    const counts = [...this.#counts.values()];
    this.#counts = new Map();
    if (this.#k === null) {
      this.#next.push([counts.length], this.#end);
      return;
    }
    counts.sort((a, b) => b.count - a.count || compareValues(a.value, b.value));
    for (const { value, count } of counts.slice(0, this.#k)) this.#next.push([value, count], this.#end);
  }
}

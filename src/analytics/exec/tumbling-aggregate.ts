/**
 * Streaming GROUP BY: tumbling windows. Rows of the current window (same monotonic key) are
 * grouped by the full key; when the window closes — the rowtime bound reaches its end, or (for a
 * MONOTONIC(column) key) a row with a new key value arrives — one row per group is emitted,
 * [...keys, ...aggregates], with ROWTIME = the window end. State is the open window's groups only.
 * While a ROWTIME window is open nothing can leave before its end, so that end is the bound passed
 * on (once, when the window opens) and the input's smaller bounds stop here: fewer calls per row,
 * and downstream learns more.
 */
import type { Accumulator } from '../functions/aggregates.js';
import { SqlRuntimeError } from '../functions/sql-runtime-error.js';
import { sameValue } from '../functions/values.js';
import type { Evaluator, Row } from '../plan/bound-expression.js';
import type { AggregatePlan } from '../plan/plan.js';
import { windowEnd, type Downstream, type ErrorReporter } from './downstream.js';
import { GroupTable } from './group-table.js';

interface Group {
  readonly keys: unknown[];
  readonly accumulators: Accumulator[];
}

export class TumblingAggregate implements Downstream {
  readonly #keys: readonly Evaluator[];
  readonly #windowKey: number;
  readonly #byRowtime: boolean;
  readonly #arguments: readonly (Evaluator | null)[];
  readonly #next: Downstream;
  readonly #report: ErrorReporter;
  /** The open window's groups, by the keys other than the window's own (all its groups share it). */
  readonly #groups: GroupTable<Group>;
  readonly #scratchKeys: unknown[];
  readonly #scratchValues: unknown[];
  #windowValue: unknown = undefined;
  /** The open ROWTIME window's end; -Infinity while no window is open. */
  #windowEnd = -Infinity;
  #open = false;
  /** The highest bound passed on. */
  #promised = -Infinity;

  constructor(plan: AggregatePlan, next: Downstream, report: ErrorReporter) {
    this.#keys = plan.keys.map((k) => k.evaluate);
    this.#windowKey = plan.windowKey;
    this.#byRowtime = plan.windowByRowtime;
    this.#arguments = plan.aggregates.map((a) => a.argument?.evaluate ?? null);
    const create = plan.aggregates.map((a) => a.definition.create);
    this.#next = next;
    this.#report = report;
    this.#scratchKeys = new Array<unknown>(plan.keys.length).fill(null);
    this.#scratchValues = new Array<unknown>(plan.aggregates.length).fill(null);
    const others = plan.keys.map((_, i) => i).filter((i) => i !== plan.windowKey);
    this.#groups = new GroupTable<Group>(others, (keys) => ({
      keys: keys.slice(),
      accumulators: create.map((c) => c()),
    }));
  }

  push(row: Row, rowtime: number): void {
    const keyEvaluators = this.#keys;
    const keys = this.#scratchKeys;
    const args = this.#arguments;
    const values = this.#scratchValues;
    const windowKey = this.#windowKey;
    // Inside an open ROWTIME window the window key keeps its value (it depends on ROWTIME alone
    // and changes first at the window's end): it is not evaluated again.
    const inWindow = rowtime < this.#windowEnd;
    try {
      for (let i = 0; i < keyEvaluators.length; i++)
        keys[i] = i === windowKey && inWindow ? this.#windowValue : keyEvaluators[i]!(row, rowtime);
      for (let i = 0; i < args.length; i++) {
        const argument = args[i];
        values[i] = argument === null ? 1 : argument!(row, rowtime);
      }
    } catch (error) {
      if (!(error instanceof SqlRuntimeError)) throw error;
      this.#report(error, row, rowtime);
      return;
    }
    if (!inWindow) this.#enter(row, rowtime, keys[windowKey]);
    const accumulators = this.#groups.find(keys).accumulators;
    for (let i = 0; i < accumulators.length; i++) accumulators[i]!.add(values[i]);
  }

  /** A row outside the ROWTIME window (or any row of a MONOTONIC(column) window): close, open. */
  #enter(row: Row, rowtime: number, windowValue: unknown): void {
    if (this.#open && (this.#byRowtime || !sameValue(windowValue, this.#windowValue)))
      this.#close(this.#byRowtime ? this.#windowEnd : rowtime);
    if (this.#open) return;
    this.#open = true;
    this.#windowValue = windowValue;
    if (this.#byRowtime) {
      const evaluate = this.#keys[this.#windowKey]!;
      this.#windowEnd = windowEnd((t) => evaluate(row, t), rowtime, windowValue);
      if (Number.isFinite(this.#windowEnd)) this.#promise(this.#windowEnd);
    }
  }

  advance(bound: number): void {
    if (this.#open && this.#byRowtime) {
      if (bound < this.#windowEnd) return;
      this.#close(this.#windowEnd);
      // Passed on even when equal to the promise: it now follows the window's rows (ORDER BY over
      // GROUP BY releases a window's rows on the bound after them).
      this.#promised = Math.max(this.#promised, bound);
      this.#next.advance(bound);
      return;
    }
    this.#promise(bound);
  }

  #promise(bound: number): void {
    if (bound <= this.#promised) return;
    this.#promised = bound;
    this.#next.advance(bound);
  }

  #close(rowtime: number): void {
    const groups = this.#groups.drain();
    this.#open = false;
    this.#windowEnd = -Infinity;
    for (const group of groups) {
      const out = group.keys.slice();
      for (const accumulator of group.accumulators) out.push(accumulator.result());
      this.#next.push(out, rowtime);
    }
  }
}

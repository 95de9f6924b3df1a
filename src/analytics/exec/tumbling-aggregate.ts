/**
 * Streaming GROUP BY: tumbling windows. Rows of the current window (same monotonic key) are
 * grouped by the full key; when the window closes — the rowtime bound reaches its end, or (for a
 * MONOTONIC(column) key) a row with a new key value arrives — one row per group is emitted,
 * [...keys, ...aggregates], with ROWTIME = the window end. State is the open window's groups only.
 */
import type { Accumulator } from '../functions/aggregates.js';
import { SqlRuntimeError } from '../functions/sql-runtime-error.js';
import { keyOf, sameValue } from '../functions/values.js';
import type { Evaluator, Row } from '../plan/bound-expression.js';
import type { AggregatePlan } from '../plan/plan.js';
import { windowEnd, type Downstream, type ErrorReporter } from './downstream.js';

interface Group {
  readonly keys: unknown[];
  readonly accumulators: Accumulator[];
}

export class TumblingAggregate implements Downstream {
  readonly #keys: readonly Evaluator[];
  readonly #windowKey: number;
  readonly #byRowtime: boolean;
  readonly #arguments: readonly (Evaluator | null)[];
  readonly #create: readonly (() => Accumulator)[];
  readonly #next: Downstream;
  readonly #report: ErrorReporter;
  #groups = new Map<string, Group>();
  #windowValue: unknown = undefined;
  #windowEnd = -Infinity;
  #open = false;

  constructor(plan: AggregatePlan, next: Downstream, report: ErrorReporter) {
    this.#keys = plan.keys.map((k) => k.evaluate);
    this.#windowKey = plan.windowKey;
    this.#byRowtime = plan.windowByRowtime;
    this.#arguments = plan.aggregates.map((a) => a.argument?.evaluate ?? null);
    this.#create = plan.aggregates.map((a) => a.definition.create);
    this.#next = next;
    this.#report = report;
  }

  push(row: Row, rowtime: number): void {
    const keyEvaluators = this.#keys;
    const keys = new Array<unknown>(keyEvaluators.length);
    const args = this.#arguments;
    const values = new Array<unknown>(args.length);
    try {
      for (let i = 0; i < keyEvaluators.length; i++) keys[i] = keyEvaluators[i]!(row, rowtime);
      for (let i = 0; i < args.length; i++) values[i] = args[i] === null ? 1 : args[i]!(row, rowtime);
    } catch (error) {
      if (!(error instanceof SqlRuntimeError)) throw error;
      this.#report(error, row, rowtime);
      return;
    }
    const windowValue = keys[this.#windowKey];
    if (this.#open && (rowtime >= this.#windowEnd || !sameValue(windowValue, this.#windowValue))) {
      this.#close(this.#byRowtime ? this.#windowEnd : rowtime);
    }
    if (!this.#open) {
      this.#open = true;
      this.#windowValue = windowValue;
      if (this.#byRowtime) {
        const evaluate = keyEvaluators[this.#windowKey]!;
        this.#windowEnd = windowEnd((t) => evaluate(row, t), rowtime, windowValue);
      } else this.#windowEnd = Infinity;
    }
    const id = keyOf(keys);
    let group = this.#groups.get(id);
    if (group === undefined) {
      group = { keys, accumulators: this.#create.map((create) => create()) };
      this.#groups.set(id, group);
    }
    const accumulators = group.accumulators;
    for (let i = 0; i < accumulators.length; i++) accumulators[i]!.add(values[i]);
  }

  advance(bound: number): void {
    if (this.#open && this.#byRowtime && bound >= this.#windowEnd) this.#close(this.#windowEnd);
    this.#next.advance(bound);
  }

  #close(rowtime: number): void {
    const groups = this.#groups;
    this.#groups = new Map();
    this.#open = false;
    for (const group of groups.values()) {
      const out = group.keys.slice();
      for (const accumulator of group.accumulators) out.push(accumulator.result());
      this.#next.push(out, rowtime);
    }
  }
}

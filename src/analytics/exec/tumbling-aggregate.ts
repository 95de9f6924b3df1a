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
  /** The group's identity within the window: the keys other than the window's own. */
  readonly #groupId: (keys: readonly unknown[]) => unknown;
  readonly #scratchKeys: unknown[];
  readonly #scratchValues: unknown[];
  #groups = new Map<unknown, Group>();
  #windowValue: unknown = undefined;
  #windowEnd = -Infinity;
  #open = false;
  /** The highest bound passed on. */
  #promised = -Infinity;

  constructor(plan: AggregatePlan, next: Downstream, report: ErrorReporter) {
    this.#keys = plan.keys.map((k) => k.evaluate);
    this.#windowKey = plan.windowKey;
    this.#byRowtime = plan.windowByRowtime;
    this.#arguments = plan.aggregates.map((a) => a.argument?.evaluate ?? null);
    this.#create = plan.aggregates.map((a) => a.definition.create);
    this.#next = next;
    this.#report = report;
    this.#scratchKeys = new Array<unknown>(plan.keys.length).fill(null);
    this.#scratchValues = new Array<unknown>(plan.aggregates.length).fill(null);
    this.#groupId = groupIdentity(plan.keys.length, plan.windowKey);
  }

  push(row: Row, rowtime: number): void {
    const keyEvaluators = this.#keys;
    const keys = this.#scratchKeys;
    const args = this.#arguments;
    const values = this.#scratchValues;
    try {
      for (let i = 0; i < keyEvaluators.length; i++) keys[i] = keyEvaluators[i]!(row, rowtime);
      for (let i = 0; i < args.length; i++) {
        const argument = args[i];
        values[i] = argument === null ? 1 : argument!(row, rowtime);
      }
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
        if (Number.isFinite(this.#windowEnd)) this.#promise(this.#windowEnd);
      } else this.#windowEnd = Infinity;
    }
    const id = this.#groupId(keys);
    let group = this.#groups.get(id);
    if (group === undefined) {
      group = { keys: keys.slice(), accumulators: this.#create.map((create) => create()) };
      this.#groups.set(id, group);
    }
    const accumulators = group.accumulators;
    for (let i = 0; i < accumulators.length; i++) accumulators[i]!.add(values[i]);
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

/**
 * A group's identity from its keys, leaving out the window key (all groups of a window share it).
 * One other key — the common case — is its own identity when it is a primitive (Map compares
 * those by value); otherwise keyOf.
 */
function groupIdentity(count: number, windowKey: number): (keys: readonly unknown[]) => unknown {
  const others = Array.from({ length: count }, (_, i) => i).filter((i) => i !== windowKey);
  if (others.length === 0) return () => '';
  if (others.length === 1) {
    const only = others[0]!;
    return (keys) => {
      const v = keys[only];
      return typeof v === 'object' && v !== null ? keyOf([v]) : v;
    };
  }
  const scratch = new Array<unknown>(others.length);
  return (keys) => {
    for (let i = 0; i < others.length; i++) scratch[i] = keys[others[i]!];
    return keyOf(scratch);
  };
}

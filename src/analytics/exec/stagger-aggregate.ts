/**
 * WINDOWED BY STAGGER: each partition key has its own window, opened by the first row with that
 * key at its ROWTIME and closed `rangeMs` later; at close one row [...keys, ...aggregates] is
 * emitted with ROWTIME = open + range. Windows open in ROWTIME order and share one length, so
 * they also close in that order: a FIFO queue finds the ones the bound closes.
 */
import type { Accumulator } from '../functions/aggregates.js';
import { SqlRuntimeError } from '../functions/sql-runtime-error.js';
import { keyOf } from '../functions/values.js';
import type { Evaluator, Row } from '../plan/bound-expression.js';
import type { StaggerPlan } from '../plan/plan.js';
import type { Downstream, ErrorReporter } from './downstream.js';

interface Window {
  readonly id: string;
  readonly keys: unknown[];
  readonly accumulators: Accumulator[];
  readonly end: number;
}

export class StaggerAggregate implements Downstream {
  readonly #keys: readonly Evaluator[];
  readonly #rangeMs: number;
  readonly #arguments: readonly (Evaluator | null)[];
  readonly #create: readonly (() => Accumulator)[];
  readonly #next: Downstream;
  readonly #report: ErrorReporter;
  readonly #open = new Map<string, Window>();
  #queue: Window[] = [];
  #head = 0;

  constructor(plan: StaggerPlan, next: Downstream, report: ErrorReporter) {
    this.#keys = plan.keys.map((k) => k.evaluate);
    this.#rangeMs = plan.rangeMs;
    this.#arguments = plan.aggregates.map((a) => a.argument?.evaluate ?? null);
    this.#create = plan.aggregates.map((a) => a.definition.create);
    this.#next = next;
    this.#report = report;
  }

  push(row: Row, rowtime: number): void {
    this.#closeUpTo(rowtime);
    let keys: unknown[];
    let values: unknown[];
    try {
      keys = this.#keys.map((k) => k(row, rowtime));
      values = this.#arguments.map((a) => (a === null ? 1 : a(row, rowtime)));
    } catch (error) {
      if (!(error instanceof SqlRuntimeError)) throw error;
      this.#report(error, row, rowtime);
      return;
    }
    const id = keyOf(keys);
    let window = this.#open.get(id);
    if (window === undefined) {
      window = {
        id,
        keys,
        accumulators: this.#create.map((create) => create()),
        end: rowtime + this.#rangeMs,
      };
      this.#open.set(id, window);
      this.#queue.push(window);
    }
    window.accumulators.forEach((a, i) => a.add(values[i]));
  }

  advance(bound: number): void {
    this.#closeUpTo(bound);
    this.#next.advance(bound);
  }

  #closeUpTo(bound: number): void {
    while (this.#head < this.#queue.length && this.#queue[this.#head]!.end <= bound) {
      const window = this.#queue[this.#head++]!;
      this.#open.delete(window.id);
      this.#next.push([...window.keys, ...window.accumulators.map((a) => a.result())], window.end);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}

/**
 * T-sort (`ORDER BY <timestamp_expr> WITHIN <interval>`): rows arrive with their ROWTIME set to
 * the expression, out of order by up to `withinMs`. They wait in a min-heap (ROWTIME, then
 * arrival) until the highest ROWTIME seen is at least theirs + `withinMs`, then leave in order.
 * A row earlier than one already emitted arrived too late for the interval: error_stream. As the
 * reference says, incoming rowtime bounds are ignored; the bound passed on is the last ROWTIME
 * emitted. At the end of the input (`finish`, the offline runner's `{"end": T}`) no later row can
 * come, so every held row leaves, in order, and bounds pass through from then on.
 * State: the rows inside the interval.
 */
import { SqlRuntimeError } from '../functions/sql-runtime-error.js';
import type { Row } from '../plan/bound-expression.js';
import type { Downstream, ErrorReporter } from './downstream.js';

interface Held {
  readonly row: Row;
  readonly rowtime: number;
  readonly sequence: number;
}

const before = (a: Held, b: Held): boolean =>
  a.rowtime < b.rowtime || (a.rowtime === b.rowtime && a.sequence < b.sequence);

export class TimeSort implements Downstream {
  readonly #withinMs: number;
  readonly #next: Downstream;
  readonly #report: ErrorReporter;
  readonly #heap: Held[] = [];
  #sequence = 0;
  #highest = -Infinity;
  #emitted = -Infinity;
  #finished = false;

  constructor(withinMs: number, next: Downstream, report: ErrorReporter) {
    this.#withinMs = withinMs;
    this.#next = next;
    this.#report = report;
  }

  push(row: Row, rowtime: number): void {
    if (rowtime < this.#emitted) {
      this.#report(
        new SqlRuntimeError(
          'OutOfOrderRow',
          `ROWTIME ${new Date(rowtime).toISOString()} arrived after the T-sort's WITHIN interval had passed it`,
        ),
        row,
        rowtime,
      );
      return;
    }
    this.#insert({ row, rowtime, sequence: this.#sequence++ });
    this.#highest = Math.max(this.#highest, rowtime);
    const release = this.#finished ? Infinity : this.#highest - this.#withinMs;
    let released = false;
    while (this.#heap.length > 0 && this.#heap[0]!.rowtime <= release) {
      const held = this.#pop();
      this.#emitted = held.rowtime;
      this.#next.push(held.row, held.rowtime);
      released = true;
    }
    if (released) this.#next.advance(this.#emitted);
  }

  advance(bound: number): void {
    // Ignored (reference §5.8) until the input has ended: the sort's own progress is the bound.
    if (this.#finished) this.#next.advance(Math.max(bound, this.#emitted));
  }

  /** The end of the input: releases every held row in order, then passes `bound` on. */
  finish(bound: number): void {
    this.#finished = true;
    while (this.#heap.length > 0) {
      const held = this.#pop();
      this.#emitted = held.rowtime;
      this.#next.push(held.row, held.rowtime);
    }
    this.#next.advance(Math.max(bound, this.#emitted));
  }

  #insert(held: Held): void {
    const heap = this.#heap;
    heap.push(held);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): Held {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

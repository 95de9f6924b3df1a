/**
 * Sliding windows (OVER): one output row per input row — the input row followed by each window
 * call's value at its slot. Per window and partition, the rows inside the frame are kept in
 * arrival order: RANGE keeps rows with ROWTIME ≥ current − range (lower bound inclusive), ROWS the
 * current row and n before it. Aggregates are incremental (add on arrival, remove on eviction);
 * LAG, FIRST_VALUE and the other analytic functions read the kept rows. Idle partitions are swept
 * when the bound moves past their rows, so state is bounded by the windows, not by rows seen.
 */
import type { Accumulator } from '../functions/aggregates.js';
import { SqlRuntimeError } from '../functions/sql-runtime-error.js';
import { keyOf } from '../functions/values.js';
import type { Evaluator, Row } from '../plan/bound-expression.js';
import type { SlidingPlan, SlidingWindow, WindowCall } from '../plan/plan.js';
import type { Downstream, ErrorReporter } from './downstream.js';

interface Entry {
  readonly rowtime: number;
  /** Per call: the value of its (first) argument. */
  readonly values: unknown[];
}

interface Partition {
  entries: Entry[];
  head: number;
  readonly accumulators: (Accumulator | null)[];
}

class WindowState {
  readonly partitions = new Map<string, Partition>();
  readonly partitionBy: readonly Evaluator[];
  readonly arguments: readonly Evaluator[];
  #lastSweep = -Infinity;

  constructor(readonly window: SlidingWindow) {
    this.partitionBy = window.partitionBy.map((p) => p.evaluate);
    this.arguments = window.calls.map((c) =>
      c.aggregate !== null ? (c.aggregate.argument?.evaluate ?? (() => 1)) : c.arguments[0]!.evaluate,
    );
  }

  #evict(p: Partition, rowtime: number): void {
    const { rangeMs } = this.window;
    if (rangeMs === null) return;
    const low = rowtime - rangeMs;
    while (p.head < p.entries.length && p.entries[p.head]!.rowtime < low) this.#removeOldest(p);
  }

  #removeOldest(p: Partition): void {
    const entry = p.entries[p.head++]!;
    p.accumulators.forEach((a, i) => a?.remove(entry.values[i]));
    if (p.head > 256 && p.head * 2 > p.entries.length) {
      p.entries = p.entries.slice(p.head);
      p.head = 0;
    }
  }

  add(row: Row, rowtime: number, out: unknown[]): void {
    const id = keyOf(this.partitionBy.map((p) => p(row, rowtime)));
    let p = this.partitions.get(id);
    if (p === undefined) {
      p = {
        entries: [],
        head: 0,
        accumulators: this.window.calls.map((c) => c.aggregate?.definition.create() ?? null),
      };
      this.partitions.set(id, p);
    }
    this.#evict(p, rowtime);
    const values = this.arguments.map((a) => a(row, rowtime));
    p.entries.push({ rowtime, values });
    p.accumulators.forEach((a, i) => a?.add(values[i]));
    const { rows, rangeMs, retainRows } = this.window;
    if (rows !== null) while (p.entries.length - p.head > rows + 1) this.#removeOldest(p);
    if (rows === null && rangeMs === null) {
      // Unbounded: aggregates never forget; keep only the rows LAG / LAST_VALUE need.
      while (p.entries.length - p.head > Math.max(retainRows, 1)) {
        p.head++;
        if (p.head > 256) {
          p.entries = p.entries.slice(p.head);
          p.head = 0;
        }
      }
    }
    this.window.calls.forEach((call, i) => {
      const accumulator = p.accumulators[i];
      out[call.slot] =
        accumulator !== null && accumulator !== undefined
          ? accumulator.result()
          : analytic(call, i, p, row, rowtime);
    });
  }

  sweep(bound: number): void {
    const { rangeMs } = this.window;
    if (rangeMs === null || bound - this.#lastSweep < Math.max(rangeMs, 1000)) return;
    this.#lastSweep = bound;
    for (const [id, p] of this.partitions) {
      this.#evict(p, bound);
      if (p.head === p.entries.length) this.partitions.delete(id);
    }
  }
}

function analytic(call: WindowCall, index: number, p: Partition, row: Row, rowtime: number): unknown {
  const { entries, head } = p;
  const last = entries.length - 1;
  const value = (i: number): unknown => entries[i]!.values[index];
  switch (call.analytic) {
    case 'FIRST_VALUE':
      for (let i = head; i <= last; i++) if (!call.ignoreNulls || value(i) !== null) return value(i);
      return null;
    case 'LAST_VALUE':
      for (let i = last; i >= head; i--) if (!call.ignoreNulls || value(i) !== null) return value(i);
      return null;
    case 'LAG': {
      const offset =
        call.arguments[1] === undefined ? 1 : (call.arguments[1].evaluate(row, rowtime) as number);
      const fallback = call.arguments[2] === undefined ? null : call.arguments[2].evaluate(row, rowtime);
      let seen = 0;
      for (let i = last - 1; i >= head; i--) {
        if (call.ignoreNulls && value(i) === null) continue;
        if (++seen === offset) return value(i);
      }
      return offset === 0 ? value(last) : fallback;
    }
    case 'NTH_VALUE': {
      const n = call.arguments[1]!.evaluate(row, rowtime) as number;
      let seen = 0;
      if (call.fromLast) {
        for (let i = last; i >= head; i--)
          if ((!call.ignoreNulls || value(i) !== null) && ++seen === n) return value(i);
      } else {
        for (let i = head; i <= last; i++)
          if ((!call.ignoreNulls || value(i) !== null) && ++seen === n) return value(i);
      }
      return null;
    }
    case 'EXP_AVG': {
      const halfLife = call.arguments[1]!.evaluate(row, rowtime) as number;
      let weighted = 0;
      let weights = 0;
      for (let i = head; i <= last; i++) {
        const v = value(i);
        if (v === null) continue;
        const w = halfLife > 0 ? 0.5 ** ((rowtime - entries[i]!.rowtime) / halfLife) : 1;
        weighted += w * (v as number);
        weights += w;
      }
      return weights === 0 ? null : weighted / weights;
    }
    default:
      return null;
  }
}

export class SlidingWindowOperator implements Downstream {
  readonly #windows: readonly WindowState[];
  readonly #width: number;
  readonly #next: Downstream;
  readonly #report: ErrorReporter;

  constructor(plan: SlidingPlan, next: Downstream, report: ErrorReporter) {
    this.#windows = plan.windows.map((w) => new WindowState(w));
    this.#width = 1 + Math.max(...plan.windows.flatMap((w) => w.calls.map((c) => c.slot)));
    this.#next = next;
    this.#report = report;
  }

  push(row: Row, rowtime: number): void {
    const out = row.slice();
    out.length = this.#width;
    try {
      for (const window of this.#windows) window.add(row, rowtime, out);
    } catch (error) {
      if (!(error instanceof SqlRuntimeError)) throw error;
      this.#report(error, row, rowtime);
      return;
    }
    this.#next.push(out, rowtime);
  }

  advance(bound: number): void {
    for (const window of this.#windows) window.sweep(bound);
    this.#next.advance(bound);
  }
}

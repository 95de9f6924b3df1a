/**
 * Stream-to-stream windowed join. The two inputs are merged in ROWTIME order (a row waits until
 * the other input has promised, by a row or a bound, nothing earlier; at equal ROWTIMEs the left
 * input goes first). Each side keeps the rows of its window: RANGE d keeps rows with
 * ROWTIME ≥ t − d (inclusive; d = 0 for a side without OVER), ROWS n the side's last n + 1 rows.
 * A new row is matched against the other side's kept rows (hashed on the equi-join keys, then the
 * residual condition) and each match is emitted at the new row's ROWTIME, the later of the pair,
 * so each pair is emitted once. An unmatched row of an outer side leaves with NULLs for the other
 * side when it leaves its window: at ROWTIME + d once the bound has passed it (RANGE), or at the
 * ROWTIME of the row that pushed it out (ROWS). State is bounded by the windows (plus rows waiting
 * for the other input's bound); output ROWTIMEs never decrease.
 */
import { SqlRuntimeError } from '../functions/sql-runtime-error.js';
import { keyOf } from '../functions/values.js';
import type { Evaluator, Row } from '../plan/bound-expression.js';
import type { JoinWindow, StreamJoinPlan, StreamJoinSide } from '../plan/plan.js';
import type { Downstream, ErrorReporter } from './downstream.js';

interface Entry {
  readonly row: Row;
  readonly rowtime: number;
  /** null when a key is NULL: the row matches nothing. */
  readonly key: string | null;
  matched: boolean;
}

class Side {
  readonly window: JoinWindow;
  readonly outer: boolean;
  readonly appendRowtime: boolean;
  readonly keys: readonly Evaluator[];
  /** Kept rows in arrival (= ROWTIME) order, from `head`. */
  entries: Entry[] = [];
  head = 0;
  readonly index = new Map<string, Entry[]>();
  /** Rows waiting for the other input's bound. */
  queue: { row: Row; rowtime: number }[] = [];
  queueHead = 0;
  bound = -Infinity;

  constructor(plan: StreamJoinSide) {
    this.window = plan.window;
    this.outer = plan.outer;
    this.appendRowtime = plan.appendRowtime;
    this.keys = plan.keys.map((k) => k.evaluate);
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  get oldest(): Entry | undefined {
    return this.entries[this.head];
  }

  add(entry: Entry): void {
    this.entries.push(entry);
    if (entry.key === null) return;
    const bucket = this.index.get(entry.key);
    if (bucket === undefined) this.index.set(entry.key, [entry]);
    else bucket.push(entry);
  }

  /** Removes the oldest kept row (the oldest of its bucket as well). */
  removeOldest(): Entry {
    const entry = this.entries[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    if (entry.key !== null) {
      const bucket = this.index.get(entry.key)!;
      bucket.shift();
      if (bucket.length === 0) this.index.delete(entry.key);
    }
    return entry;
  }

  /** The instant after which the oldest row can no longer be matched (RANGE windows). */
  expiry(entry: Entry): number {
    return this.window.kind === 'range' ? entry.rowtime + this.window.rangeMs : Infinity;
  }
}

export class StreamJoinOperator {
  readonly #left: Side;
  readonly #right: Side;
  readonly #residual: Evaluator | null;
  readonly #leftNulls: Row;
  readonly #rightNulls: Row;
  readonly #next: Downstream;
  readonly #report: ErrorReporter;
  #released = -Infinity;

  constructor(plan: StreamJoinPlan, next: Downstream, report: ErrorReporter) {
    this.#left = new Side(plan.left);
    this.#right = new Side(plan.right);
    this.#residual = plan.residual?.evaluate ?? null;
    this.#leftNulls = new Array<unknown>(plan.left.width).fill(null);
    this.#rightNulls = new Array<unknown>(plan.right.width).fill(null);
    this.#next = next;
    this.#report = report;
  }

  /** The downstream the left (0) or right (1) input pushes into. */
  input(index: 0 | 1): Downstream {
    const side = index === 0 ? this.#left : this.#right;
    return {
      push: (row, rowtime) => {
        side.queue.push({ row, rowtime });
        side.bound = Math.max(side.bound, rowtime);
        this.#flush();
      },
      advance: (bound) => {
        side.bound = Math.max(side.bound, bound);
        this.#flush();
        const low = Math.min(this.#left.bound, this.#right.bound);
        if (low > this.#released) {
          // No later row is earlier than `low`: rows whose window ended before it are unmatched.
          this.#expireBefore(low);
          this.#released = low;
          this.#next.advance(low);
        }
      },
    };
  }

  #flush(): void {
    const low = Math.min(this.#left.bound, this.#right.bound);
    for (;;) {
      const l = this.#left.queue[this.#left.queueHead];
      const r = this.#right.queue[this.#right.queueHead];
      let side: Side;
      if (l !== undefined && l.rowtime <= low && (r === undefined || l.rowtime <= r.rowtime))
        side = this.#left;
      else if (r !== undefined && r.rowtime <= low) side = this.#right;
      else return;
      const { row, rowtime } = side.queue[side.queueHead++]!;
      if (side.queueHead === side.queue.length) {
        side.queue = [];
        side.queueHead = 0;
      }
      this.#process(side, row, rowtime);
    }
  }

  #process(side: Side, input: Row, rowtime: number): void {
    this.#expireBefore(rowtime);
    const other = side === this.#left ? this.#right : this.#left;
    const row = side.appendRowtime ? input.concat(rowtime) : input;
    let key: string | null;
    try {
      const values = side.keys.map((k) => k(row, rowtime));
      key = values.some((v) => v === null) ? null : keyOf(values);
    } catch (error) {
      if (!(error instanceof SqlRuntimeError)) throw error;
      this.#report(error, row, rowtime);
      return;
    }
    const entry: Entry = { row, rowtime, key, matched: false };
    const candidates = key === null ? [] : side.keys.length === 0 ? other.entries : other.index.get(key);
    const joined: Row[] = [];
    if (candidates !== undefined) {
      const from = side.keys.length === 0 ? other.head : 0;
      try {
        for (let i = from; i < candidates.length; i++) {
          const match = candidates[i]!;
          const out = side === this.#left ? row.concat(match.row) : match.row.concat(row);
          if (this.#residual !== null && this.#residual(out, rowtime) !== true) continue;
          joined.push(out);
          match.matched = true;
        }
      } catch (error) {
        if (!(error instanceof SqlRuntimeError)) throw error;
        this.#report(error, row, rowtime);
        return;
      }
    }
    entry.matched = joined.length > 0;
    for (const out of joined) this.#next.push(out, rowtime);
    side.add(entry);
    if (side.window.kind === 'rows') {
      // ROWS n: the row n + 1 places back leaves the window now.
      while (side.size > side.window.rows + 1) this.#leave(side, side.removeOldest(), rowtime);
    }
  }

  /** Emits, in ROWTIME order, the rows of RANGE windows that no row at or after `t` can match. */
  #expireBefore(t: number): void {
    for (;;) {
      const l = this.#left.oldest;
      const r = this.#right.oldest;
      const lEnd = l === undefined ? Infinity : this.#left.expiry(l);
      const rEnd = r === undefined ? Infinity : this.#right.expiry(r);
      if (lEnd < t && lEnd <= rEnd) this.#leave(this.#left, this.#left.removeOldest(), lEnd);
      else if (rEnd < t) this.#leave(this.#right, this.#right.removeOldest(), rEnd);
      else return;
    }
  }

  #leave(side: Side, entry: Entry, rowtime: number): void {
    if (entry.matched || !side.outer) return;
    const out = side === this.#left ? entry.row.concat(this.#rightNulls) : this.#leftNulls.concat(entry.row);
    this.#next.push(out, rowtime);
  }
}

/**
 * GROUP_RANK (reference §7.2, SQL reference "Group Rank": it "gathers rows until either a rowtime
 * change is detected or a specified idle-time limit is exceeded"; "a value of zero indicates no
 * idle timeout"): the rows of one ROWTIME form a group. A row with a later ROWTIME releases it at
 * once. Without one, a rowtime bound (the engine's clock, while input is quiet) releases it once
 * the bound is maxIdle milliseconds or more past the group's ROWTIME, and never when maxIdle is 0;
 * the end of the input releases it too. While a group is held, the bound passed on stops at the
 * group's ROWTIME, since its rows are still to come out at that ROWTIME. The group is ranked on one
 * column with RANK() semantics (ties share a rank, the next rank skips; NULLs rank last) and
 * emitted in rank order (or reversed), at most outputMax rows, each row followed by its rank.
 * State: one group.
 */
import { compareValues } from '../functions/values.js';
import type { Row } from '../plan/bound-expression.js';
import type { GroupRankPlan } from '../plan/plan.js';
import type { Downstream } from './downstream.js';

export class GroupRank implements Downstream {
  readonly #plan: GroupRankPlan;
  readonly #next: Downstream;
  #held: Row[] = [];
  #rowtime = -Infinity;

  constructor(plan: GroupRankPlan, next: Downstream) {
    this.#plan = plan;
    this.#next = next;
  }

  push(row: Row, rowtime: number): void {
    if (this.#held.length > 0 && rowtime !== this.#rowtime) this.#release();
    this.#rowtime = rowtime;
    this.#held.push(row);
  }

  advance(bound: number): void {
    const { maxIdleMs } = this.#plan;
    if (this.#held.length > 0 && maxIdleMs > 0 && bound - this.#rowtime >= maxIdleMs) this.#release();
    this.#next.advance(this.#held.length > 0 ? Math.min(bound, this.#rowtime) : bound);
  }

  /** The end of the input: no row can join the held group any more. */
  finish(bound: number): void {
    if (this.#held.length > 0) this.#release();
    this.#next.advance(bound);
  }

  #release(): void {
    const { column, descending, outputDescending, outputMax } = this.#plan;
    const rows = this.#held;
    this.#held = [];
    const compare = (a: Row, b: Row): number => {
      const x = a[column] ?? null;
      const y = b[column] ?? null;
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      const c = compareValues(x, y);
      return descending ? -c : c;
    };
    const sorted = rows
      .map((row, arrival) => ({ row, arrival }))
      .sort((a, b) => compare(a.row, b.row) || a.arrival - b.arrival);
    const ranked: { row: Row; rank: number; arrival: number }[] = [];
    sorted.forEach((entry, i) => {
      const previous = ranked[i - 1];
      const rank = previous !== undefined && compare(previous.row, entry.row) === 0 ? previous.rank : i + 1;
      ranked.push({ row: entry.row, rank, arrival: entry.arrival });
    });
    if (outputDescending) ranked.sort((a, b) => b.rank - a.rank || a.arrival - b.arrival);
    const out = outputMax > 0 ? ranked.slice(0, outputMax) : ranked;
    for (const r of out) this.#next.push([...r.row, r.rank], this.#rowtime);
  }
}

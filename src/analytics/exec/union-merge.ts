/**
 * UNION ALL: merges its inputs in ROWTIME order. A row is released once every input has promised
 * (by a later row or a bound) not to send anything earlier, so the output stays monotonic.
 */
import type { Row } from '../plan/bound-expression.js';
import type { Downstream } from './downstream.js';

interface Branch {
  queue: { row: Row; rowtime: number }[];
  head: number;
  bound: number;
}

export class UnionMerge {
  readonly #branches: Branch[] = [];
  readonly #next: Downstream;
  #released = -Infinity;

  constructor(inputs: number, next: Downstream) {
    for (let i = 0; i < inputs; i++) this.#branches.push({ queue: [], head: 0, bound: -Infinity });
    this.#next = next;
  }

  input(index: number): Downstream {
    const branch = this.#branches[index]!;
    return {
      push: (row, rowtime) => {
        branch.queue.push({ row, rowtime });
        branch.bound = Math.max(branch.bound, rowtime);
        this.#flush();
      },
      advance: (bound) => {
        branch.bound = Math.max(branch.bound, bound);
        this.#flush();
        const low = Math.min(...this.#branches.map((b) => b.bound));
        if (low > this.#released) {
          this.#released = low;
          this.#next.advance(low);
        }
      },
    };
  }

  #flush(): void {
    const low = Math.min(...this.#branches.map((b) => b.bound));
    for (;;) {
      let best: Branch | null = null;
      for (const b of this.#branches) {
        const head = b.queue[b.head];
        if (
          head !== undefined &&
          head.rowtime <= low &&
          (best === null || head.rowtime < best.queue[best.head]!.rowtime)
        )
          best = b;
      }
      if (best === null) break;
      const { row, rowtime } = best.queue[best.head++]!;
      if (best.head === best.queue.length) {
        best.queue = [];
        best.head = 0;
      }
      this.#next.push(row, rowtime);
    }
  }
}

/**
 * How much input an application must read again after its operator state is lost (a stop, an
 * update, a server restart): the rows that open windows held. Computed from the bound plan:
 *
 * - windows on ROWTIME hold rows for a time: a tumbling GROUP BY (STEP / FLOOR of ROWTIME) the rows
 *   of the window the bound is in; STAGGER, sliding RANGE, stream-join RANGE, ORDER BY … WITHIN and
 *   GROUP_RANK's maxIdle the rows of their interval; `heldFromMs(bound)` is the earliest ROWTIME a
 *   held row can have. One tumbling window alone is exact (its window's start); otherwise the
 *   intervals are added up (pumps may chain windows) plus `limits.analyticsReplayMarginMs`.
 * - windows counted in rows (ROWS, stream-join ROWS, an unbounded window's retained rows) and
 *   windows that close on an event-time column (GROUP BY MONOTONIC(column), a leading ORDER BY
 *   column, `expr AS ROWTIME`) hold rows for no bounded time: `recordsKept` records per shard are
 *   read again instead, the largest ROWS count or `limits.analyticsReplayRecordsMax`, at most that.
 *
 * Running aggregates of unbounded windows, DISTINCT's seen rows and the RANDOM_CUT_FOREST / HOTSPOTS
 * models are not rebuilt (they start empty, as documented).
 */
import { unreachable } from '../../core/assert.js';
import { limits } from '../../core/limits.js';
import { windowEnd } from '../exec/downstream.js';
import { sameValue, type Value } from '../functions/values.js';
import type { ApplicationPlan } from '../plan/bind-application.js';
import type { Bound } from '../plan/bound-expression.js';
import type { Plan } from '../plan/plan.js';

export interface ReplaySpan {
  /**
   * The earliest ROWTIME of a row operators may still hold once the rowtime bound reached `boundMs`;
   * +Infinity when no window holds rows for a time (even rows of ROWTIME `boundMs` are done).
   */
  heldFromMs(boundMs: number): number;
  /** Records per shard to read again whatever their age (count and event-time windows). */
  readonly recordsKept: number;
}

/** What one operator holds: the rows of the ROWTIME window the bound is in, an interval, or a count. */
type Hold =
  | { readonly kind: 'window'; readonly key: (rowtimeMs: number) => unknown }
  | { readonly kind: 'interval'; readonly ms: number }
  | { readonly kind: 'rows'; readonly count: number };

/** The longest a key search looks back or ahead (as exec's `windowEnd`). */
const searchLimitMs = 2 ** 46;

export function replaySpan(application: ApplicationPlan): ReplaySpan {
  const holds: Hold[] = [];
  for (const pump of application.pumps) collectHolds(pump.plan, holds);
  const timed = holds.filter((hold) => hold.kind !== 'rows');
  const counts = holds.flatMap((hold) => (hold.kind === 'rows' ? [hold.count] : []));
  const recordsKept = Math.min(Math.max(0, ...counts), limits.analyticsReplayRecordsMax);
  const only = timed.length === 1 ? timed[0] : undefined;
  const heldFromMs = (boundMs: number): number => {
    if (timed.length === 0) return Number.POSITIVE_INFINITY;
    if (only?.kind === 'window') return windowStartMs(only.key, boundMs);
    const spanMs = timed.reduce((sum, hold) => sum + holdSpanMs(hold, boundMs), 0);
    return boundMs - spanMs - limits.analyticsReplayMarginMs;
  };
  return { heldFromMs, recordsKept };
}

function holdSpanMs(hold: Hold, boundMs: number): number {
  switch (hold.kind) {
    case 'window':
      return windowEnd(hold.key, boundMs, hold.key(boundMs)) - windowStartMs(hold.key, boundMs);
    case 'interval':
      return hold.ms;
    case 'rows':
      return 0;
    default:
      return unreachable(hold);
  }
}

/** The first ROWTIME whose key equals the key at `boundMs`: where the window the bound is in began. */
export function windowStartMs(key: (rowtimeMs: number) => unknown, boundMs: number): number {
  const value = key(boundMs) as Value;
  let high = boundMs;
  let step = 1;
  let low = Number.NEGATIVE_INFINITY;
  while (step < searchLimitMs) {
    const t = boundMs - step;
    if (!sameValue(key(t) as Value, value)) {
      low = t;
      break;
    }
    high = t;
    step *= 2;
  }
  if (low === Number.NEGATIVE_INFINITY) return low;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (sameValue(key(middle) as Value, value)) high = middle;
    else low = middle;
  }
  return high;
}

const rowtimeKey =
  (bound: Bound) =>
  (rowtimeMs: number): unknown =>
    bound.evaluate([], rowtimeMs);

const eventTime: Hold = { kind: 'rows', count: limits.analyticsReplayRecordsMax };

function collectHolds(plan: Plan, holds: Hold[]): void {
  switch (plan.kind) {
    case 'scan':
      return;
    case 'filter':
    case 'tableJoin':
    case 'distinct':
    case 'randomCutForest':
    case 'hotspots':
      return collectHolds(plan.input, holds);
    case 'project':
      if (plan.rowtime !== null) holds.push(eventTime);
      return collectHolds(plan.input, holds);
    case 'aggregate': {
      const key = plan.keys[plan.windowKey];
      holds.push(
        plan.windowByRowtime && key !== undefined ? { kind: 'window', key: rowtimeKey(key) } : eventTime,
      );
      return collectHolds(plan.input, holds);
    }
    case 'stagger':
      holds.push({ kind: 'interval', ms: plan.rangeMs });
      return collectHolds(plan.input, holds);
    case 'sliding':
      for (const window of plan.windows) {
        if (window.rangeMs !== null) holds.push({ kind: 'interval', ms: window.rangeMs });
        else if (window.rows !== null) holds.push({ kind: 'rows', count: window.rows });
        else if (window.retainRows > 0) holds.push({ kind: 'rows', count: window.retainRows });
      }
      return collectHolds(plan.input, holds);
    case 'streamJoin':
      for (const side of [plan.left, plan.right]) {
        const window = side.window;
        holds.push(
          window.kind === 'range'
            ? { kind: 'interval', ms: window.rangeMs }
            : { kind: 'rows', count: window.rows + 1 },
        );
        collectHolds(side.input, holds);
      }
      return;
    case 'union':
      for (const input of plan.inputs) collectHolds(input, holds);
      return;
    case 'order': {
      const leading = plan.keys[0]?.key;
      if (plan.leadingByRowtime && leading !== undefined)
        holds.push({ kind: 'window', key: rowtimeKey(leading) });
      else if (plan.releaseOnBound) holds.push({ kind: 'interval', ms: 0 });
      else holds.push(eventTime);
      return collectHolds(plan.input, holds);
    }
    case 'timeSort':
      holds.push({ kind: 'interval', ms: plan.withinMs }, eventTime);
      return collectHolds(plan.input, holds);
    case 'itemsTumbling': {
      const windowMs = plan.windowMs;
      holds.push({ kind: 'window', key: (rowtimeMs) => Math.floor(rowtimeMs / windowMs) });
      return collectHolds(plan.input, holds);
    }
    case 'groupRank':
      holds.push({ kind: 'interval', ms: plan.maxIdleMs });
      return collectHolds(plan.input, holds);
    default:
      return unreachable(plan);
  }
}

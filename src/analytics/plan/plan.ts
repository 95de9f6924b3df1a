/**
 * The bound plan of one query: a tree of operator descriptions over bound expressions. Rows are
 * arrays; each node documents the layout of the rows it produces. exec/compile-plan.ts turns a
 * plan into push-based operators.
 */
import type { AggregateDefinition } from '../functions/aggregates.js';
import type { Bound } from './bound-expression.js';
import type { HotspotsPlan, RandomCutForestPlan } from './ml-plan.js';
import type { ScopeColumn } from './scope.js';

export type Plan =
  | ScanPlan
  | FilterPlan
  | ProjectPlan
  | AggregatePlan
  | StaggerPlan
  | SlidingPlan
  | TableJoinPlan
  | StreamJoinPlan
  | UnionPlan
  | OrderPlan
  | TimeSortPlan
  | ItemsTumblingPlan
  | GroupRankPlan
  | DistinctPlan
  | RandomCutForestPlan
  | HotspotsPlan;

/** The rows of an in-application stream, as inserted. */
export interface ScanPlan {
  readonly kind: 'scan';
  readonly stream: string;
}

export interface FilterPlan {
  readonly kind: 'filter';
  readonly input: Plan;
  readonly predicate: Bound;
}

/** Output row = items evaluated on the input row; `rowtime` (`expr AS ROWTIME`) replaces the row's time. */
export interface ProjectPlan {
  readonly kind: 'project';
  readonly input: Plan;
  readonly items: readonly Bound[];
  readonly rowtime: Bound | null;
  /** Under a T-sort: `rowtime` may go backwards (the sort restores the order); NULL drops the row. */
  readonly rowtimeUnordered?: boolean;
}

export interface AggregateCall {
  readonly definition: AggregateDefinition;
  /** Evaluated on the input row; null for COUNT(*). */
  readonly argument: Bound | null;
}

/**
 * Streaming GROUP BY (tumbling windows). Output row = [...keys, ...aggregates], ROWTIME = the
 * window end. `windowKey` is the index of the monotonic key: when it depends on ROWTIME alone
 * the window's end is found from it and the rowtime bound closes the window; otherwise (a
 * MONOTONIC(column) key) a row with a new key value closes it.
 */
export interface AggregatePlan {
  readonly kind: 'aggregate';
  readonly input: Plan;
  readonly keys: readonly Bound[];
  readonly windowKey: number;
  readonly windowByRowtime: boolean;
  readonly aggregates: readonly AggregateCall[];
}

/** WINDOWED BY STAGGER: a window per partition key, opened by its first row. Output as AggregatePlan. */
export interface StaggerPlan {
  readonly kind: 'stagger';
  readonly input: Plan;
  readonly keys: readonly Bound[];
  readonly rangeMs: number;
  readonly aggregates: readonly AggregateCall[];
}

export type AnalyticFunction = 'FIRST_VALUE' | 'LAST_VALUE' | 'LAG' | 'NTH_VALUE' | 'EXP_AVG';

export interface WindowCall {
  /** Where the value goes in the output row. */
  readonly slot: number;
  /** An aggregate (incremental), or an analytic function computed from the window's rows. */
  readonly aggregate: AggregateCall | null;
  readonly analytic: AnalyticFunction | null;
  /** Arguments of an analytic function, evaluated on the input row (LAG's offset and default too). */
  readonly arguments: readonly Bound[];
  readonly ignoreNulls: boolean;
  readonly fromLast: boolean;
}

export interface SlidingWindow {
  readonly partitionBy: readonly Bound[];
  /** RANGE: rows with ROWTIME ≥ current − rangeMs; ROWS: the current row and `rows` before it; null: unbounded. */
  readonly rangeMs: number | null;
  readonly rows: number | null;
  /** For unbounded windows: how many recent rows analytic functions (LAG, LAST_VALUE) need. */
  readonly retainRows: number;
  readonly calls: readonly WindowCall[];
}

/** Sliding windows: output row = input row followed by every window call's value, in order. */
export interface SlidingPlan {
  readonly kind: 'sliding';
  readonly input: Plan;
  readonly windows: readonly SlidingWindow[];
}

/**
 * Stream-to-reference-table join: output row = stream row followed by the table row's columns
 * (NULLs for an unmatched LEFT JOIN row). `equi` pairs are hashed; `residual` runs on the joined row.
 */
export interface TableJoinPlan {
  readonly kind: 'tableJoin';
  readonly input: Plan;
  readonly table: string;
  readonly tableWidth: number;
  readonly type: 'INNER' | 'LEFT';
  readonly streamKeys: readonly Bound[];
  readonly tableKeys: readonly Bound[];
  readonly residual: Bound | null;
}

/**
 * The window a side of a stream-to-stream join keeps for the other side to match: RANGE (rows
 * with ROWTIME ≥ t − rangeMs, inclusive; 0 for a side without OVER: only rows at the same
 * ROWTIME) or ROWS (the side's last `rows` + 1 rows).
 */
export type JoinWindow =
  { readonly kind: 'range'; readonly rangeMs: number } | { readonly kind: 'rows'; readonly rows: number };

export interface StreamJoinSide {
  readonly input: Plan;
  readonly width: number;
  readonly window: JoinWindow;
  /** Whether the side's row is followed by its ROWTIME (a hidden column, for `alias.ROWTIME`). */
  readonly appendRowtime: boolean;
  /** Equi-join keys, evaluated on the side's row (after the appended ROWTIME). */
  readonly keys: readonly Bound[];
  /** Kept when unmatched (LEFT / RIGHT / FULL). */
  readonly outer: boolean;
}

/**
 * Stream-to-stream windowed join. Inputs are merged in ROWTIME order; a new row matches the other
 * side's rows still in that side's window; output row = left row ++ right row at the new row's
 * ROWTIME (the later of the two). An unmatched row of an outer side is emitted with NULLs for the
 * other side when it leaves its own window, at ROWTIME + the window (RANGE) or at the time the
 * row that pushed it out arrived (ROWS).
 */
export interface StreamJoinPlan {
  readonly kind: 'streamJoin';
  readonly left: StreamJoinSide;
  readonly right: StreamJoinSide;
  /** Checked on the joined row (after the equi-keys matched). */
  readonly residual: Bound | null;
}

/** UNION ALL: rows of every input, merged in ROWTIME order. */
export interface UnionPlan {
  readonly kind: 'union';
  readonly inputs: readonly Plan[];
}

export interface OrderKey {
  readonly key: Bound;
  readonly descending: boolean;
}

/**
 * Streaming ORDER BY: gathers rows while the leading (monotonic) key is unchanged, then emits them
 * sorted by all keys. With a leading key of ROWTIME alone, the bound also releases the group.
 */
export interface OrderPlan {
  readonly kind: 'order';
  readonly input: Plan;
  readonly keys: readonly OrderKey[];
  readonly leadingByRowtime: boolean;
  /** Over GROUP BY / STAGGER output: a window's rows arrive together, so any bound after them releases them. */
  readonly releaseOnBound: boolean;
}

/**
 * T-sort (`ORDER BY <timestamp_expr> WITHIN <interval>`): the input's ROWTIME is the expression
 * (selected AS ROWTIME) and may be out of order by up to `withinMs`; rows are held until the
 * highest ROWTIME seen passes theirs by `withinMs`, then emitted in ROWTIME order. Rows later
 * than that go to error_stream; incoming rowtime bounds are ignored (reference §5.8).
 */
export interface TimeSortPlan {
  readonly kind: 'timeSort';
  readonly input: Plan;
  readonly withinMs: number;
}

/**
 * TOP_K_ITEMS_TUMBLING / COUNT_DISTINCT_ITEMS_TUMBLING: epoch-aligned tumbling windows of
 * `windowMs` over one column of the cursor's rows. At each window end: the `k` most frequent
 * items as rows [item, count] (count descending, then item ascending), or one row [distinct count].
 * Counts are exact (AWS allows approximation).
 */
export interface ItemsTumblingPlan {
  readonly kind: 'itemsTumbling';
  readonly input: Plan;
  readonly column: number;
  readonly k: number | null;
  readonly windowMs: number;
}

/**
 * GROUP_RANK: gathers the rows of one ROWTIME (until a row or a bound with a later ROWTIME), ranks
 * them on `column` (RANK(): ties share a rank, the next rank skips), and emits them ordered by rank
 * (`outputDescending` reverses; ties in arrival order), at most `outputMax` of them (0: all), each
 * followed by its rank.
 */
export interface GroupRankPlan {
  readonly kind: 'groupRank';
  readonly input: Plan;
  readonly column: number;
  readonly descending: boolean;
  readonly outputDescending: boolean;
  /** maxIdle: a rowtime bound releases the group only this long after the group's ROWTIME. */
  readonly maxIdleMs: number;
  readonly outputMax: number;
}

/**
 * SELECT STREAM DISTINCT: a row passes the first time its values are seen while the leading
 * (monotonic) column keeps its value; a new leading value forgets the rows seen before it.
 */
export interface DistinctPlan {
  readonly kind: 'distinct';
  readonly input: Plan;
}

export interface BoundQuery {
  readonly plan: Plan;
  readonly columns: readonly ScopeColumn[];
}

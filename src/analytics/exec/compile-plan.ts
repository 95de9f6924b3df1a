/**
 * Turns a bound plan into a chain of push operators ending in `next`. Scans are not operators:
 * they subscribe the chain above them to their stream, so one pump may read several streams
 * (UNION ALL) and one stream may feed several pumps.
 */
import { unreachable } from '../../core/assert.js';
import type { Row } from '../plan/bound-expression.js';
import type { Plan } from '../plan/plan.js';
import { HotspotsOperator, RandomCutForestOperator } from './anomaly-operators.js';
import type { Downstream, ErrorReporter } from './downstream.js';
import { GroupRank } from './group-rank.js';
import { ItemsTumbling } from './items-tumbling.js';
import { OrderBuffer } from './order-buffer.js';
import { DistinctOperator, FilterOperator, ProjectOperator } from './row-operators.js';
import { SlidingWindowOperator } from './sliding-window.js';
import { StaggerAggregate } from './stagger-aggregate.js';
import { StreamJoinOperator } from './stream-join.js';
import { TableJoinOperator } from './table-join.js';
import { TimeSort } from './time-sort.js';
import { TumblingAggregate } from './tumbling-aggregate.js';
import { UnionMerge } from './union-merge.js';

export interface CompileContext {
  subscribe(stream: string, downstream: Downstream): void;
  tableRows(table: string): readonly Row[];
  readonly report: ErrorReporter;
  /** Registers what an operator does at the end of the input (the offline runner's `{"end": T}`). */
  atEnd(finish: (bound: number) => void): void;
}

export function compilePlan(plan: Plan, next: Downstream, context: CompileContext): void {
  const report = context.report;
  switch (plan.kind) {
    case 'scan':
      context.subscribe(plan.stream, next);
      return;
    case 'filter':
      return compilePlan(plan.input, new FilterOperator(plan.predicate.evaluate, next, report), context);
    case 'project':
      return compilePlan(
        plan.input,
        new ProjectOperator(
          plan.items.map((i) => i.evaluate),
          plan.rowtime?.evaluate ?? null,
          next,
          report,
          plan.rowtimeUnordered === true,
        ),
        context,
      );
    case 'aggregate':
      return compilePlan(plan.input, new TumblingAggregate(plan, next, report), context);
    case 'stagger':
      return compilePlan(plan.input, new StaggerAggregate(plan, next, report), context);
    case 'sliding':
      return compilePlan(plan.input, new SlidingWindowOperator(plan, next, report), context);
    case 'tableJoin':
      return compilePlan(
        plan.input,
        new TableJoinOperator(plan, context.tableRows(plan.table), next, report),
        context,
      );
    case 'streamJoin': {
      const join = new StreamJoinOperator(plan, next, report);
      compilePlan(plan.left.input, join.input(0), context);
      compilePlan(plan.right.input, join.input(1), context);
      return;
    }
    case 'order':
      return compilePlan(plan.input, new OrderBuffer(plan, next, report), context);
    case 'timeSort': {
      const sort = new TimeSort(plan.withinMs, next, report);
      context.atEnd((bound) => sort.finish(bound));
      return compilePlan(plan.input, sort, context);
    }
    case 'distinct':
      return compilePlan(plan.input, new DistinctOperator(next), context);
    case 'groupRank': {
      const rank = new GroupRank(plan, next);
      context.atEnd((bound) => rank.finish(bound));
      return compilePlan(plan.input, rank, context);
    }
    case 'itemsTumbling':
      return compilePlan(plan.input, new ItemsTumbling(plan, next), context);
    case 'randomCutForest':
      return compilePlan(plan.input, new RandomCutForestOperator(plan, next), context);
    case 'hotspots':
      return compilePlan(plan.input, new HotspotsOperator(plan, next), context);
    case 'union': {
      const merge = new UnionMerge(plan.inputs.length, next);
      plan.inputs.forEach((input, i) => compilePlan(input, merge.input(i), context));
      return;
    }
    default:
      return unreachable(plan);
  }
}

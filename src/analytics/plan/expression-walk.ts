/** The direct subexpressions of an expression (not of nested queries), for syntactic searches. */
import { unreachable } from '../../core/assert.js';
import type { Expression } from '../sql/ast.js';
import { aggregateNames } from '../functions/aggregate-names.js';

export function children(e: Expression): readonly Expression[] {
  switch (e.kind) {
    case 'literal':
    case 'datetimeLiteral':
    case 'intervalLiteral':
    case 'column':
    case 'inQuery':
    case 'exists':
    case 'scalarQuery':
    case 'cursor':
      return e.kind === 'inQuery' ? [e.operand] : [];
    case 'call':
      return e.args;
    case 'cast':
    case 'extract':
    case 'timeFloor':
    case 'intervalQualified':
      return [e.operand];
    case 'step':
      return [e.operand, e.by];
    case 'substring':
      return [e.operand, e.from, ...(e.for === null ? [] : [e.for])];
    case 'trim':
      return [e.operand, ...(e.characters === null ? [] : [e.characters])];
    case 'position':
      return [e.needle, e.haystack];
    case 'overlay':
      return [e.operand, e.placing, e.from, ...(e.for === null ? [] : [e.for])];
    case 'case':
      return [
        ...(e.operand === null ? [] : [e.operand]),
        ...e.whens.flatMap((w) => [w.when, w.then]),
        ...(e.else === null ? [] : [e.else]),
      ];
    case 'unary':
      return [e.operand];
    case 'binary':
    case 'isDistinctFrom':
      return [e.left, e.right];
    case 'isTest':
      return [e.operand];
    case 'between':
      return [e.operand, e.low, e.high];
    case 'like':
      return [e.operand, e.pattern, ...(e.escape === null ? [] : [e.escape])];
    case 'inList':
      return [e.operand, ...e.list];
    default:
      return unreachable(e);
  }
}

export function some(e: Expression, test: (node: Expression) => boolean): boolean {
  return test(e) || children(e).some((c) => some(c, test));
}

export const callName = (e: Expression): string | null =>
  e.kind === 'call' ? e.name.map((p) => p.name).join('.') : null;

/** An aggregate call without OVER: it needs GROUP BY or WINDOWED BY. */
export const isAggregateCall = (e: Expression): boolean =>
  e.kind === 'call' && e.over === null && aggregateNames.has(callName(e)!);

export const containsAggregate = (e: Expression): boolean => some(e, isAggregateCall);
export const containsOver = (e: Expression): boolean => some(e, (n) => n.kind === 'call' && n.over !== null);

/**
 * What expression binding needs besides the tree: the scope of names, a hook that lets the query
 * binder replace whole subexpressions (aggregates, GROUP BY keys, analytic calls) by slots of the
 * operator's output row, and the environment (the clock CURRENT_TIMESTAMP reads).
 */
import type { Expression } from '../sql/ast.js';
import type { Bound } from './bound-expression.js';
import type { Scope } from './scope.js';

export interface BindEnvironment {
  /** Processing time in ms (CURRENT_TIMESTAMP, CURRENT_DATE, ...). */
  readonly now: () => number;
}

export interface BindContext {
  readonly scope: Scope;
  readonly environment: BindEnvironment;
  /** Called for every node before the usual binding; a result replaces the node. */
  readonly intercept: ((expression: Expression, context: BindContext) => Bound | undefined) | null;
  /** The clause being bound, for messages ("WHERE", "the select list"). */
  readonly clause: string;
}

/**
 * Binds the machine-learning table functions (reference §7.2):
 *   RANDOM_CUT_FOREST(CURSOR(...) [, numberOfTrees [, subSampleSize [, timeDecay [, shingleSize]]]])
 *   RANDOM_CUT_FOREST_WITH_EXPLANATION(CURSOR(...) [, the same four [, withDirectionality]])
 *   HOTSPOTS(CURSOR(...), windowSize, scanRadius, minimumNumberOfPointsInAHotspot)
 * Parameters are constants checked against AWS's documented ranges; the cursor's numeric columns
 * (TINYINT … BIGINT, REAL, DOUBLE) are the features, other columns pass through, DECIMAL is refused
 * as AWS documents ("use DOUBLE instead").
 */
import type { Call, Expression, Query, Span } from '../sql/ast.js';
import { isConstant } from './bound-expression.js';
import type { BindEnvironment } from './bind-context.js';
import { bindExpression } from './bind-expression.js';
import type { BoundQuery } from './plan.js';
import { Scope, type ScopeColumn } from './scope.js';
import { validationError } from './sql-validation-error.js';
import { describeType, isApproximate, isInteger, isNull, types, type SqlType } from './sql-type.js';

export const mlFunctionNames: ReadonlySet<string> = new Set([
  'RANDOM_CUT_FOREST',
  'RANDOM_CUT_FOREST_WITH_EXPLANATION',
  'HOTSPOTS',
]);

/** The documented limit on the numeric columns RANDOM_CUT_FOREST takes. */
export const forestColumnsMax = 30;

const forestDefaults = {
  numberOfTrees: 100,
  subSampleSize: 256,
  timeDecay: 100_000,
  shingleSize: 1,
} as const;
const integerMax = 2 ** 31 - 1;

interface Argument {
  readonly value: unknown;
  readonly type: SqlType;
  readonly span: Span;
}

export function bindMlFunction(
  name: string,
  call: Call,
  bindCursor: (query: Query) => BoundQuery,
  environment: BindEnvironment,
): BoundQuery {
  const [cursor, ...rest] = call.args;
  if (cursor?.kind !== 'cursor')
    return validationError(`${name} needs CURSOR(SELECT STREAM ...) as its first argument`, call.span);
  const inner = bindCursor(cursor.query);
  const args = rest.map((a) => constantArgument(name, a, environment));
  const features = numericColumns(name, inner.columns, cursor.span);
  if (name === 'HOTSPOTS') return bindHotspots(inner, features, args, call.span);
  if (features.length > forestColumnsMax)
    return validationError(
      `${name} takes at most ${forestColumnsMax} numeric columns; the cursor has ${features.length}`,
      cursor.span,
    );
  return bindForest(name, inner, features, args, call.span);
}

function bindForest(
  name: string,
  inner: BoundQuery,
  features: readonly number[],
  args: readonly Argument[],
  span: Span,
): BoundQuery {
  const explained = name === 'RANDOM_CUT_FOREST_WITH_EXPLANATION';
  const parameters = `numberOfTrees, subSampleSize, timeDecay, shingleSize${explained ? ', withDirectionality' : ''}`;
  if (args.length > (explained ? 5 : 4))
    return validationError(
      `${name} takes CURSOR(...) and at most ${explained ? 5 : 4} parameters: ${parameters}`,
      span,
    );
  const numberOfTrees = integerArgument(
    name,
    'numberOfTrees',
    args[0],
    1,
    1000,
    forestDefaults.numberOfTrees,
  );
  const subSampleSize = integerArgument(
    name,
    'subSampleSize',
    args[1],
    10,
    1000,
    forestDefaults.subSampleSize,
  );
  const timeDecay = integerArgument(name, 'timeDecay', args[2], 1, integerMax, forestDefaults.timeDecay);
  const shingleSize = integerArgument(name, 'shingleSize', args[3], 1, 30, forestDefaults.shingleSize);
  if (subSampleSize >= timeDecay)
    return validationError(
      `${name}: subSampleSize (${subSampleSize}) must be less than timeDecay (${timeDecay})`,
      args[1]?.span ?? args[2]?.span ?? span,
    );
  let directionality = false;
  if (args[4] !== undefined) {
    const a = args[4];
    if (a.type.name !== 'BOOLEAN')
      return validationError(
        `${name}: withDirectionality must be TRUE or FALSE, not ${describeType(a.type)}`,
        a.span,
      );
    directionality = a.value === true;
  }
  const added: ScopeColumn[] = [{ name: 'ANOMALY_SCORE', type: types.double }];
  if (explained) added.push({ name: 'ANOMALY_EXPLANATION', type: types.varchar });
  return {
    plan: {
      kind: 'randomCutForest',
      input: inner.plan,
      features,
      featureNames: features.map((f) => inner.columns[f]!.name),
      numberOfTrees,
      subSampleSize,
      timeDecay,
      shingleSize,
      explanation: explained ? { directionality } : null,
    },
    columns: [...inner.columns, ...added],
  };
}

function bindHotspots(
  inner: BoundQuery,
  features: readonly number[],
  args: readonly Argument[],
  span: Span,
): BoundQuery {
  if (args.length !== 3)
    return validationError(
      'HOTSPOTS takes CURSOR(...) and 3 parameters: windowSize, scanRadius, minimumNumberOfPointsInAHotspot',
      span,
    );
  const windowSize = integerArgument('HOTSPOTS', 'windowSize', args[0], 100, 1000, 0);
  const radius = args[1]!;
  if (!(isInteger(radius.type) || isApproximate(radius.type) || radius.type.name === 'DECIMAL'))
    return validationError(
      `HOTSPOTS: scanRadius must be a number, not ${describeType(radius.type)}`,
      radius.span,
    );
  const scanRadius = radius.value as number;
  if (!(scanRadius > 0) || !Number.isFinite(scanRadius))
    return validationError(`HOTSPOTS: scanRadius must be greater than 0 (found ${scanRadius})`, radius.span);
  const minimumPoints = integerArgument(
    'HOTSPOTS',
    'minimumNumberOfPointsInAHotspot',
    args[2],
    2,
    windowSize,
    0,
  );
  return {
    plan: { kind: 'hotspots', input: inner.plan, features, windowSize, scanRadius, minimumPoints },
    columns: [...inner.columns, { name: 'HOTSPOTS_RESULT', type: types.varchar }],
  };
}

function constantArgument(name: string, expression: Expression, environment: BindEnvironment): Argument {
  const bound = bindExpression(expression, {
    scope: new Scope([]),
    environment,
    intercept: null,
    clause: `the parameters of ${name}`,
  });
  if (!isConstant(bound))
    return validationError(`The parameters of ${name} after the cursor must be constants`, expression.span);
  const value = bound.evaluate([], 0);
  if (value === null || isNull(bound.type))
    return validationError(`The parameters of ${name} cannot be NULL`, expression.span);
  return { value, type: bound.type, span: expression.span };
}

function integerArgument(
  name: string,
  parameter: string,
  argument: Argument | undefined,
  low: number,
  high: number,
  fallback: number,
): number {
  if (argument === undefined) return fallback;
  const value = argument.value;
  if (!isInteger(argument.type) || typeof value !== 'number' || value < low || value > high)
    return validationError(
      `${name}: ${parameter} must be an integer from ${low} to ${high} (found ${typeof value === 'number' ? String(value) : describeType(argument.type)})`,
      argument.span,
    );
  return value;
}

function numericColumns(name: string, columns: readonly ScopeColumn[], span: Span): number[] {
  const features: number[] = [];
  columns.forEach((c, i) => {
    if (c.type.name === 'DECIMAL')
      validationError(`${name} does not accept DECIMAL (column ${c.name}); use DOUBLE instead`, span);
    if (isInteger(c.type) || isApproximate(c.type)) features.push(i);
  });
  if (features.length === 0)
    return validationError(
      `${name} needs at least one numeric column (TINYINT, SMALLINT, INTEGER, BIGINT, REAL or DOUBLE) in its cursor`,
      span,
    );
  return features;
}

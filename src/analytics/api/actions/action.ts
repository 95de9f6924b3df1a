/**
 * What an analytics operation is: its name and the function that runs it on input the protocol
 * layer already validated against the model's shape (`shapes.generated.ts`).
 */
import type { RequestScope } from '../../../core/request-scope.js';
import type { AnalyticsService } from '../analytics-service.js';
import type { RequestOf } from '../application-model.js';
import type { inputShapes } from '../shapes.generated.js';
import type { FunctionInvoker } from '../../runner/input-preprocessor.js';
import type { StreamGateway } from '../../runner/stream-gateway.js';

export interface ActionContext {
  readonly service: AnalyticsService;
  readonly scope: RequestScope;
  /** Reads stream samples for DiscoverInputSchema. */
  readonly gateway?: StreamGateway;
  /** Runs InputLambdaProcessor functions for DiscoverInputSchema (the function registry). */
  readonly functions?: FunctionInvoker;
}

export interface Action {
  readonly name: keyof typeof inputShapes;
  run(context: ActionContext, input: never): Promise<object | undefined>;
}

export function defineAction<Name extends keyof typeof inputShapes>(
  name: Name,
  run: (context: ActionContext, input: RequestOf<Name>) => Promise<object | undefined>,
): Action {
  return { name, run: run as Action['run'] };
}

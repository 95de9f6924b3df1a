/**
 * What an operation is: its name and the function that runs it on validated input. The input
 * shape (from the AWS model, `shapes.generated.ts`) is checked by the protocol layer before
 * `run` is called, so `run` sees well-typed values: blobs as Buffers, timestamps as Dates.
 * `run` answers the output structure, or undefined for AWS's void operations (empty body).
 */
import { assert } from '../../core/assert.js';
import type { FanOut } from '../fan-out/fan-out.js';
import type { RequestScope, StreamsService } from '../streams-service.js';

export interface ActionContext {
  readonly service: StreamsService;
  readonly scope: RequestScope;
  /**
   * Enhanced fan-out consumers and subscriptions. Optional so that in-process tests of other
   * operations need not build it; the fan-out actions require it (`fanOutOf`).
   */
  readonly fanOut?: FanOut;
}

export function fanOutOf(context: ActionContext): FanOut {
  assert(context.fanOut !== undefined, 'fan-out actions need ActionContext.fanOut');
  return context.fanOut;
}

export interface Action<Input = never> {
  readonly name: string;
  run(context: ActionContext, input: Input): Promise<object | undefined>;
}

export function defineAction<Input>(
  name: string,
  run: (context: ActionContext, input: Input) => Promise<object | undefined>,
): Action<Input> {
  return { name, run };
}

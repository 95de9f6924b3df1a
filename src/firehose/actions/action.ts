/**
 * What a Firehose operation is: its name and the function that runs it on validated input (the
 * protocol layer checked the input against the model's shape first).
 */
import type { RequestScope } from '../../core/request-scope.js';
import type { FirehoseService } from '../firehose-service.js';

export interface FirehoseActionContext {
  readonly service: FirehoseService;
  readonly scope: RequestScope;
}

export interface FirehoseAction<Input = never> {
  readonly name: string;
  run(context: FirehoseActionContext, input: Input): Promise<object | undefined>;
}

export function defineFirehoseAction<Input>(
  name: string,
  run: (context: FirehoseActionContext, input: Input) => Promise<object | undefined>,
): FirehoseAction<Input> {
  return { name, run };
}

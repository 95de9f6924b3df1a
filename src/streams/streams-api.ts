/**
 * Kinesis Data Streams as an `ApiService`: the dispatch table built from the list of actions and
 * the input shapes of the AWS model.
 */
import type { ApiOperation, ApiService } from '../protocol/api-service.js';
import type { StructureShape } from '../protocol/shape.js';
import { streamsActions } from './actions/index.js';
import { inputShapes, operationNames } from './shapes.generated.js';
import type { FanOut } from './fan-out/fan-out.js';
import type { StreamsService } from './streams-service.js';

export const kinesisTargetPrefix = 'Kinesis_20131202';

export function streamsApi(service: StreamsService, fanOut: FanOut): ApiService {
  const operations = new Map<string, ApiOperation>();
  for (const action of streamsActions) {
    const inputShape = inputShapes[action.name as keyof typeof inputShapes] as StructureShape | undefined;
    if (inputShape === undefined) throw new Error(`no input shape for ${action.name}`);
    operations.set(action.name, {
      name: action.name,
      inputShape,
      run: async (scope, input) => {
        // Injected faults and control-plane rates answer before the operation does anything.
        service.limits.admitRequest(action.name, scope, input);
        return action.run({ service, scope, fanOut }, input as never);
      },
    });
  }
  return { targetPrefix: kinesisTargetPrefix, operations, modelOperations: new Set<string>(operationNames) };
}

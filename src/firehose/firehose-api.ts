/**
 * Firehose as an `ApiService`: the dispatch table built from the list of actions and the input
 * shapes of the AWS model.
 */
import type { ApiOperation, ApiService } from '../protocol/api-service.js';
import type { StructureShape } from '../protocol/shape.js';
import { firehoseActions } from './actions/index.js';
import type { FirehoseService } from './firehose-service.js';
import { inputShapes, operationNames } from './shapes.generated.js';

export const firehoseTargetPrefix = 'Firehose_20150804';

export function firehoseApi(service: FirehoseService): ApiService {
  const operations = new Map<string, ApiOperation>();
  for (const action of firehoseActions) {
    const inputShape = inputShapes[action.name as keyof typeof inputShapes] as StructureShape | undefined;
    if (inputShape === undefined) throw new Error(`no input shape for ${action.name}`);
    operations.set(action.name, {
      name: action.name,
      inputShape,
      // The bulk write: its bodies are decoded on the second core when large (decode-offload.ts).
      offload: action.name === 'PutRecordBatch',
      run: (scope, input) => action.run({ service, scope }, input as never),
    });
  }
  return { targetPrefix: firehoseTargetPrefix, operations, modelOperations: new Set<string>(operationNames) };
}

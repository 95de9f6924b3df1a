/**
 * Kinesis Data Streams as an `ApiService`: the dispatch table built from the list of actions and
 * the input shapes of the AWS model (botocore's, plus the newest model's additions).
 */
import type { RequestScope } from '../core/request-scope.js';
import type { ApiOperation, ApiService } from '../protocol/api-service.js';
import type { StructureShape } from '../protocol/shape.js';
import { streamsActions } from './actions/index.js';
import type { FanOut } from './fan-out/fan-out.js';
import { autoDistributionInputShapes, inputShapes, operationNames } from './shapes.sdk-additions.js';
import type { StreamReference, StreamsService } from './streams-service.js';

export const kinesisTargetPrefix = 'Kinesis_20131202';

export function streamsApi(service: StreamsService, fanOut: FanOut): ApiService {
  const operations = new Map<string, ApiOperation>();
  for (const action of streamsActions) {
    const inputShape = inputShapes[action.name as keyof typeof inputShapes] as StructureShape | undefined;
    if (inputShape === undefined) throw new Error(`no input shape for ${action.name}`);
    const autoShape = autoDistributionInputShapes[action.name as keyof typeof autoDistributionInputShapes] as
      StructureShape | undefined;
    operations.set(action.name, {
      name: action.name,
      inputShape,
      // The bulk write: its bodies are decoded on the second core when large (decode-offload.ts).
      offload: action.name === 'PutRecords',
      inputShapeFor:
        autoShape === undefined
          ? undefined
          : (scope, decoded) => (distributesAutomatically(service, scope, decoded) ? autoShape : undefined),
      run: async (scope, input) => {
        // Injected faults and control-plane rates answer before the operation does anything.
        service.limits.admitRequest(action.name, scope, input);
        return action.run({ service, scope, fanOut }, input as never);
      },
    });
  }
  return { targetPrefix: kinesisTargetPrefix, operations, modelOperations: new Set<string>(operationNames) };
}

/** Whether the request names an existing stream whose RecordDistributionStrategy is AUTO. */
function distributesAutomatically(
  service: StreamsService,
  scope: RequestScope,
  decoded: Readonly<Record<string, unknown>>,
): boolean {
  const { StreamName, StreamARN } = decoded;
  if (StreamName !== undefined && typeof StreamName !== 'string') return false;
  if (StreamARN !== undefined && typeof StreamARN !== 'string') return false;
  if (StreamName === undefined && StreamARN === undefined) return false;
  try {
    const reference: StreamReference = { StreamName, StreamARN };
    return service.findStream(scope, reference).record.recordDistribution === 'AUTO';
  } catch {
    return false; // the operation itself reports a bad reference, after validation
  }
}

/**
 * Kinesis Data Analytics (SQL applications) as an `ApiService`: the dispatch table built from the
 * list of actions and the input shapes of the botocore model.
 */
import type { ApiOperation, ApiService } from '../../protocol/api-service.js';
import type { FunctionInvoker } from '../runner/input-preprocessor.js';
import type { StreamGateway } from '../runner/stream-gateway.js';
import { analyticsActions } from './actions/index.js';
import type { AnalyticsService } from './analytics-service.js';
import { inputShapes, operationNames } from './shapes.generated.js';

export const analyticsTargetPrefix = 'KinesisAnalytics_20150814';

export function analyticsApi(
  service: AnalyticsService,
  gateway: StreamGateway,
  functions?: FunctionInvoker,
): ApiService {
  const operations = new Map<string, ApiOperation>();
  for (const action of analyticsActions) {
    operations.set(action.name, {
      name: action.name,
      inputShape: inputShapes[action.name],
      run: (scope, input) =>
        action.run(
          { service, scope, gateway, ...(functions === undefined ? {} : { functions }) },
          input as never,
        ),
    });
  }
  return {
    targetPrefix: analyticsTargetPrefix,
    operations,
    modelOperations: new Set<string>(operationNames),
  };
}

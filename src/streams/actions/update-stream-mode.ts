import { invalidArgument, ServiceError } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { checkActive } from '../reshard-rules.js';
import type { StreamMode } from '../stream-model.js';
import { defineAction } from './action.js';

interface UpdateStreamModeInput {
  readonly StreamARN: string;
  readonly StreamModeDetails: { readonly StreamMode: StreamMode };
  readonly WarmThroughputMiBps?: number;
}

export const updateStreamMode = defineAction<UpdateStreamModeInput>(
  'UpdateStreamMode',
  async ({ service, scope }, input) => {
    if (input.WarmThroughputMiBps !== undefined) {
      throw new ServiceError(
        'ValidationException',
        'Warm throughput requires an account with MinimumThroughputBillingCommitment enabled.',
      );
    }
    const mode = input.StreamModeDetails.StreamMode;
    return service.changeStream(scope, { StreamARN: input.StreamARN }, (record) => {
      checkActive(record);
      if (record.mode === mode) {
        throw invalidArgument(
          `Stream ${record.name} under account ${record.accountId} is already in ${mode} mode.`,
        );
      }
      if (mode === 'ON_DEMAND') {
        const onDemand = service
          .streamsIn(record.accountId, record.region)
          .filter((loaded) => loaded.record.mode === 'ON_DEMAND').length;
        if (onDemand >= limits.onDemandStreamCountLimit) {
          throw new ServiceError(
            'LimitExceededException',
            `This request would exceed the limit of ${limits.onDemandStreamCountLimit} on-demand streams for the account ${record.accountId} in ${record.region}.`,
          );
        }
      }
      const dueAtMs = service.clock.nowMs() + service.options.transitionDelayMs;
      return {
        next: { ...record, status: 'UPDATING', transition: { kind: 'update', dueAtMs, mode } },
        result: undefined,
      };
    });
  },
);

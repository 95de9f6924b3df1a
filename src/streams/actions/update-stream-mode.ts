import { invalidArgument, ServiceError } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { checkActive } from '../reshard-rules.js';
import type { StreamMode } from '../stream-model.js';
import { checkWarmThroughputAllowed, warmThroughputSteps } from '../warm-throughput.js';
import { recordModeSwitch } from '../throughput/stream-quotas.js';
import { defineAction } from './action.js';

interface UpdateStreamModeInput {
  readonly StreamARN: string;
  readonly StreamModeDetails: { readonly StreamMode: StreamMode };
  readonly WarmThroughputMiBps?: number;
}

export const updateStreamMode = defineAction<UpdateStreamModeInput>(
  'UpdateStreamMode',
  async ({ service, scope }, input) => {
    const mode = input.StreamModeDetails.StreamMode;
    const warm = input.WarmThroughputMiBps;
    if (warm !== undefined) {
      const message =
        'Warm throughput requires an on-demand stream and an account with MinimumThroughputBillingCommitment enabled.';
      if (mode !== 'ON_DEMAND') throw new ServiceError('ValidationException', message);
      await checkWarmThroughputAllowed(service, scope, warm, message);
    }
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
      const modeSwitchesMs = recordModeSwitch(service, record, service.clock.nowMs());
      const dueAtMs = service.clock.nowMs() + service.options.transitionDelayMs;
      const warmChange =
        warm === undefined ? {} : { steps: warmThroughputSteps(record, warm), warmThroughputMiBps: warm };
      return {
        next: {
          ...record,
          modeSwitchesMs,
          status: 'UPDATING',
          transition: { kind: 'update', dueAtMs, mode, ...warmChange },
        },
        result: undefined,
      };
    });
  },
);

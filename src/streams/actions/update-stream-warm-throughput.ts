/**
 * UpdateStreamWarmThroughput: UPDATING while the on-demand stream is resharded to the capacity
 * asked for (warm-throughput.ts), then ACTIVE with CurrentMiBps = TargetMiBps. A lower value
 * releases capacity. Answers the target and the capacity the stream has now.
 */
import { invalidArgument } from '../../core/errors.js';
import { checkActive } from '../reshard-rules.js';
import type { StreamReference } from '../streams-service.js';
import { checkWarmThroughputAllowed, warmThroughputSteps, warmThroughputToWire } from '../warm-throughput.js';
import { defineAction } from './action.js';

interface UpdateStreamWarmThroughputInput extends StreamReference {
  readonly WarmThroughputMiBps: number;
}

export const updateStreamWarmThroughput = defineAction<UpdateStreamWarmThroughputInput>(
  'UpdateStreamWarmThroughput',
  async ({ service, scope }, input) => {
    const mibps = input.WarmThroughputMiBps;
    service.findStream(scope, input);
    await checkWarmThroughputAllowed(
      service,
      scope,
      mibps,
      'Warm throughput requires an account with MinimumThroughputBillingCommitment enabled.',
    );
    return service.changeStream(scope, input, (record) => {
      checkActive(record);
      if (record.mode !== 'ON_DEMAND') {
        throw invalidArgument(
          `Stream ${record.name} under account ${record.accountId} is in PROVISIONED mode; warm throughput is only supported for ON_DEMAND streams.`,
        );
      }
      const dueAtMs = service.clock.nowMs() + service.options.transitionDelayMs;
      const next = {
        ...record,
        status: 'UPDATING' as const,
        transition: {
          kind: 'update' as const,
          dueAtMs,
          steps: warmThroughputSteps(record, mibps),
          warmThroughputMiBps: mibps,
        },
      };
      return {
        next,
        result: {
          StreamARN: service.arnOf(record),
          StreamName: record.name,
          WarmThroughput: warmThroughputToWire(next),
        },
      };
    });
  },
);

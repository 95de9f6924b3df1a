import { resourceInUse } from '../../core/errors.js';
import type { StreamReference } from '../streams-service.js';
import { streamNotFound } from '../streams-service.js';
import { defineAction } from './action.js';

interface DeleteStreamInput extends StreamReference {
  readonly EnforceConsumerDeletion?: boolean;
}

export const deleteStream = defineAction<DeleteStreamInput>(
  'DeleteStream',
  async ({ service, scope }, input) => {
    const { key, record } = service.findStream(scope, input);
    await service.mutate(key, async (current) => {
      if (current === undefined || current.record.streamId !== record.streamId) {
        throw streamNotFound(record.name, record.accountId);
      }
      const status = current.record.status;
      if (status === 'DELETING') return { result: undefined };
      if (status !== 'ACTIVE') {
        throw resourceInUse(
          `Stream ${record.name} under account ${record.accountId} not ACTIVE, instead in state ${status}`,
        );
      }
      const dueAtMs = service.clock.nowMs() + service.options.transitionDelayMs;
      return {
        next: { ...current.record, status: 'DELETING', transition: { kind: 'delete', dueAtMs } },
        result: undefined,
      };
    });
    return undefined;
  },
);

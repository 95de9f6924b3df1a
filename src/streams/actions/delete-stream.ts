import { checkActive, type StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface DeleteStreamInput extends StreamReference {
  readonly EnforceConsumerDeletion?: boolean;
}

export const deleteStream = defineAction<DeleteStreamInput>(
  'DeleteStream',
  async ({ service, scope }, input) => {
    await service.changeStream(scope, input, (record) => {
      // Deleting a stream that is already going is not an error.
      if (record.status === 'DELETING') return { result: undefined };
      checkActive(record);
      const dueAtMs = service.clock.nowMs() + service.options.transitionDelayMs;
      return {
        next: { ...record, status: 'DELETING', transition: { kind: 'delete', dueAtMs } },
        result: undefined,
      };
    });
    return undefined;
  },
);

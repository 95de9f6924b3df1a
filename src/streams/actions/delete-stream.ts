import { resourceInUse } from '../../core/errors.js';
import { checkActive, type StreamReference } from '../streams-service.js';
import { checkStreamsTransitioning } from '../throughput/stream-quotas.js';
import { defineAction } from './action.js';

interface DeleteStreamInput extends StreamReference {
  readonly EnforceConsumerDeletion?: boolean;
}

export const deleteStream = defineAction<DeleteStreamInput>(
  'DeleteStream',
  async ({ service, scope, fanOut }, input) => {
    // A stream with consumers is deleted only when asked to take them along (AWS's rule); they
    // are deleted with it, and their subscriptions end.
    const stream = service.findStream(scope, input);
    if (input.EnforceConsumerDeletion !== true && (fanOut?.consumers.consumersOf(stream).length ?? 0) > 0) {
      throw resourceInUse(
        `Stream ${stream.record.name} under account ${stream.record.accountId} has registered consumers. ` +
          'Deregister them, or set EnforceConsumerDeletion to delete the stream with them.',
      );
    }
    await service.changeStream(scope, input, (record) => {
      // Deleting a stream that is already going is not an error.
      if (record.status === 'DELETING') return { result: undefined };
      checkActive(record);
      checkStreamsTransitioning(service, record.accountId, record.region);
      const dueAtMs = service.clock.nowMs() + service.options.transitionDelayMs;
      return {
        next: { ...record, status: 'DELETING', transition: { kind: 'delete', dueAtMs } },
        result: undefined,
      };
    });
    return undefined;
  },
);

import { resourceInUse } from '../../core/errors.js';
import { defineFirehoseAction } from './action.js';

interface DeleteDeliveryStreamInput {
  readonly DeliveryStreamName: string;
  readonly AllowForceDelete?: boolean;
}

/**
 * Moves the delivery stream to DELETING (buffered records are discarded, not delivered, as on
 * AWS); it disappears when the transition completes. Refused while CREATING; a repeated delete
 * while DELETING succeeds.
 */
export const deleteDeliveryStream = defineFirehoseAction<DeleteDeliveryStreamInput>(
  'DeleteDeliveryStream',
  async ({ service, scope }, input) =>
    service.change(scope, input.DeliveryStreamName, (record) => {
      if (record.status === 'CREATING') {
        throw resourceInUse(
          `Firehose ${record.name} under account ${record.accountId} is in CREATING state and cannot be deleted.`,
        );
      }
      if (record.status === 'DELETING') return { result: {} };
      const dueAtMs = service.clock.nowMs() + service.options.transitionDelayMs;
      return { next: { ...record, status: 'DELETING', transition: { kind: 'delete', dueAtMs } }, result: {} };
    }),
);

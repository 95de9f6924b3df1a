import { ServiceError } from '../../core/errors.js';
import { defineFirehoseAction } from './action.js';
import { acceptRecords, StoreUnavailable } from './put-rules.js';

interface PutRecordInput {
  readonly DeliveryStreamName: string;
  readonly Record: { readonly Data: Buffer };
}

export const putRecord = defineFirehoseAction<PutRecordInput>(
  'PutRecord',
  async ({ service, scope }, input) => {
    try {
      const { recordIds, encrypted } = await acceptRecords(service, scope, input.DeliveryStreamName, [
        input.Record.Data,
      ]);
      return { RecordId: recordIds[0], Encrypted: encrypted };
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      throw new ServiceError('ServiceUnavailableException', 'Slow down.', { status: 503, cause: error });
    }
  },
);

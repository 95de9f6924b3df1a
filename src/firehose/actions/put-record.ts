import { performance } from 'node:perf_hooks';
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
    const startedMs = performance.now();
    try {
      const { record, recordIds, encrypted } = await acceptRecords(service, scope, input.DeliveryStreamName, [
        input.Record.Data,
      ]);
      service.metrics.putSucceeded(record, false, 1, input.Record.Data.length, performance.now() - startedMs);
      return { RecordId: recordIds[0], Encrypted: encrypted };
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      service.metrics.throttled(error.record, 1);
      throw new ServiceError('ServiceUnavailableException', 'Slow down.', { status: 503, cause: error });
    }
  },
);

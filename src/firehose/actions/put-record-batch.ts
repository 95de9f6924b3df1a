import { performance } from 'node:perf_hooks';
import { invalidArgument } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { defineFirehoseAction } from './action.js';
import { acceptRecords, StoreUnavailable } from './put-rules.js';

interface PutRecordBatchInput {
  readonly DeliveryStreamName: string;
  readonly Records: readonly { readonly Data: Buffer }[];
}

/**
 * The whole batch is appended in one durable write. When the store cannot take it, the answer is
 * still 200, with every entry failed (ErrorCode/ErrorMessage) and FailedPutCount set, so that
 * clients retry the failed entries as they do on AWS.
 */
export const putRecordBatch = defineFirehoseAction<PutRecordBatchInput>(
  'PutRecordBatch',
  async ({ service, scope }, input) => {
    const datas = input.Records.map((record) => record.Data);
    const totalBytes = datas.reduce((sum, data) => sum + data.length, 0);
    if (totalBytes > limits.putRecordBatchBytesMax) throw invalidArgument('Records size exceeds 4 MB limit');
    const startedMs = performance.now();
    try {
      const { record, recordIds, encrypted } = await acceptRecords(
        service,
        scope,
        input.DeliveryStreamName,
        datas,
      );
      service.metrics.putSucceeded(record, true, datas.length, totalBytes, performance.now() - startedMs);
      return {
        FailedPutCount: 0,
        Encrypted: encrypted,
        RequestResponses: recordIds.map((RecordId) => ({ RecordId })),
      };
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      service.metrics.throttled(error.record, datas.length);
      return {
        FailedPutCount: datas.length,
        Encrypted: error.encrypted,
        RequestResponses: datas.map(() => ({
          ErrorCode: 'ServiceUnavailableException',
          ErrorMessage: 'Slow down.',
        })),
      };
    }
  },
);

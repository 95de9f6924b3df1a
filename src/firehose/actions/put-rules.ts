/**
 * The Direct PUT write path shared by PutRecord and PutRecordBatch: the delivery stream must be
 * an ACTIVE Direct PUT one; records are appended durably to its log before the answer, and each
 * gets an opaque RecordId.
 */
import { randomBytes } from 'node:crypto';
import { invalidArgument, ServiceError } from '../../core/errors.js';
import type { RequestScope } from '../../core/request-scope.js';
import { LogStoreError } from '../../log/log-store.js';
import type { DeliveryStreamRecord } from '../delivery-stream-model.js';
import type { FirehoseService } from '../firehose-service.js';

/** The log could not take the records (disk full, I/O error): nothing was accepted. */
export class StoreUnavailable extends Error {
  readonly encrypted: boolean;
  readonly record: DeliveryStreamRecord;
  constructor(record: DeliveryStreamRecord, encrypted: boolean, cause: unknown) {
    super('the delivery stream log cannot take writes', { cause });
    this.name = 'StoreUnavailable';
    this.encrypted = encrypted;
    this.record = record;
  }
}

export async function acceptRecords(
  service: FirehoseService,
  scope: RequestScope,
  name: string,
  datas: readonly Buffer[],
): Promise<{ record: DeliveryStreamRecord; recordIds: string[]; encrypted: boolean }> {
  const record = service.findWritable(scope, name);
  if (record.type !== 'DirectPut') {
    throw invalidArgument(`This operation is not permitted on ${record.type} delivery stream type.`);
  }
  const encrypted = record.encryption.status === 'ENABLED';
  try {
    await service.append(record, datas);
  } catch (error) {
    if (error instanceof LogStoreError && (error.code === 'Storage' || error.code === 'NoSuchLog')) {
      if (error.code === 'NoSuchLog')
        throw new ServiceError(
          'ResourceNotFoundException',
          `Firehose ${name} under account ${scope.accountId} not found.`,
        );
      throw new StoreUnavailable(record, encrypted, error);
    }
    throw error;
  }
  return { record, recordIds: datas.map(() => newRecordId()), encrypted };
}

/** Opaque, like AWS's (long base64-ish strings, not UUIDs). */
function newRecordId(): string {
  return randomBytes(96).toString('base64').replace(/[+/=]/g, '');
}

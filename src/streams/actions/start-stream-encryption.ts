/**
 * StartStreamEncryption: UPDATING, then records written once the stream is ACTIVE again are
 * stored encrypted under a new data key wrapped by the keyring's key named by KeyId
 * (record-encryption.ts). Calling it on an encrypted stream changes the key for new records.
 */
import type { StreamReference } from '../streams-service.js';
import { streamNotFound } from '../streams-service.js';
import { locateKey } from '../keyring.js';
import { checkActive } from '../reshard-rules.js';
import { checkEncryptionType, recordEncryptionChange } from '../stream-encryption.js';
import { defineAction } from './action.js';

interface EncryptionInput extends StreamReference {
  readonly EncryptionType: string;
  readonly KeyId: string;
}

export const startStreamEncryption = defineAction<EncryptionInput>(
  'StartStreamEncryption',
  async ({ service, scope }, input) => {
    checkEncryptionType(input.EncryptionType);
    const found = service.findStream(scope, input).record;
    const location = locateKey(input.KeyId, found.accountId, found.region);
    // Wrapped before the stream is changed: the keyring may have to create the master key.
    const { wrapped } = await service.encryption.keyring.generateDataKey(location, found.streamId);
    return service.changeStream(scope, input, (record) => {
      if (record.streamId !== found.streamId) throw streamNotFound(record.name, record.accountId);
      checkActive(record);
      const nowMs = service.clock.nowMs();
      const starts = recordEncryptionChange(
        record,
        record.encryptionStartsMs,
        'StartStreamEncryption',
        nowMs,
      );
      const dataKey = { keyId: input.KeyId, wrapped, createdAtMs: nowMs };
      return {
        next: {
          ...record,
          status: 'UPDATING',
          encryptionStartsMs: starts,
          transition: {
            kind: 'update',
            dueAtMs: nowMs + service.options.transitionDelayMs,
            encryption: { keyId: input.KeyId, dataKey },
          },
        },
        result: undefined,
      };
    });
  },
);

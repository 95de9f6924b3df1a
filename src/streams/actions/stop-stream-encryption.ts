/**
 * StopStreamEncryption: UPDATING, then records written once the stream is ACTIVE again are
 * stored in the clear. Records already encrypted stay so and are still read back decrypted.
 */
import { locateKey } from '../keyring.js';
import { checkActive } from '../reshard-rules.js';
import { checkEncryptionType, recordEncryptionChange } from '../stream-encryption.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface EncryptionInput extends StreamReference {
  readonly EncryptionType: string;
  readonly KeyId: string;
}

export const stopStreamEncryption = defineAction<EncryptionInput>(
  'StopStreamEncryption',
  async ({ service, scope }, input) => {
    checkEncryptionType(input.EncryptionType);
    return service.changeStream(scope, input, (record) => {
      checkActive(record);
      locateKey(input.KeyId, record.accountId, record.region);
      const nowMs = service.clock.nowMs();
      const stops = recordEncryptionChange(record, record.encryptionStopsMs, 'StopStreamEncryption', nowMs);
      return {
        next: {
          ...record,
          status: 'UPDATING',
          encryptionStopsMs: stops,
          transition: { kind: 'update', dueAtMs: nowMs + service.options.transitionDelayMs, encryption: {} },
        },
        result: undefined,
      };
    });
  },
);

/**
 * Start/StopDeliveryStreamEncryption: DISABLED → ENABLING → ENABLED and ENABLED → DISABLING →
 * DISABLED, each step completing after the transition delay (also after a restart). Only for
 * Direct PUT delivery streams; at most 25 calls per delivery stream in 24 hours.
 */
import { invalidArgument } from '../../core/errors.js';
import { checkEncryptionInput, recordEncryptionChange } from '../encryption-rules.js';
import type { DeliveryStreamRecord } from '../delivery-stream-model.js';
import { checkActive } from '../firehose-service.js';
import { defineFirehoseAction } from './action.js';

interface StartInput {
  readonly DeliveryStreamName: string;
  readonly DeliveryStreamEncryptionConfigurationInput?: {
    readonly KeyType: string;
    readonly KeyARN?: string;
  };
}

function checkDirectPut(record: DeliveryStreamRecord): void {
  if (record.type !== 'DirectPut') {
    throw invalidArgument(`This operation is not permitted on ${record.type} delivery stream type.`);
  }
}

export const startDeliveryStreamEncryption = defineFirehoseAction<StartInput>(
  'StartDeliveryStreamEncryption',
  async ({ service, scope }, input) =>
    service.change(scope, input.DeliveryStreamName, (record) => {
      checkActive(record);
      checkDirectPut(record);
      const configuration = input.DeliveryStreamEncryptionConfigurationInput ?? { KeyType: 'AWS_OWNED_CMK' };
      checkEncryptionInput(configuration);
      const nowMs = service.clock.nowMs();
      const changesMs = recordEncryptionChange(record.encryption.changesMs, nowMs, record.name);
      return {
        next: {
          ...record,
          encryption: {
            status: 'ENABLING',
            keyType: configuration.KeyType as 'AWS_OWNED_CMK' | 'CUSTOMER_MANAGED_CMK',
            ...(configuration.KeyARN === undefined ? {} : { keyArn: configuration.KeyARN }),
            changesMs,
          },
          transition: { kind: 'encryption', dueAtMs: nowMs + service.options.transitionDelayMs },
        },
        result: {},
      };
    }),
);

export const stopDeliveryStreamEncryption = defineFirehoseAction<{ readonly DeliveryStreamName: string }>(
  'StopDeliveryStreamEncryption',
  async ({ service, scope }, input) =>
    service.change(scope, input.DeliveryStreamName, (record) => {
      checkActive(record);
      checkDirectPut(record);
      if (record.encryption.status === 'DISABLED') return { result: {} };
      const nowMs = service.clock.nowMs();
      const changesMs = recordEncryptionChange(record.encryption.changesMs, nowMs, record.name);
      return {
        next: {
          ...record,
          encryption: { ...record.encryption, status: 'DISABLING', changesMs },
          transition: { kind: 'encryption', dueAtMs: nowMs + service.options.transitionDelayMs },
        },
        result: {},
      };
    }),
);

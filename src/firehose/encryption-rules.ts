/**
 * Server-side encryption of a delivery stream (DeliveryStreamEncryptionConfigurationInput): the
 * rules on the key, and AWS's limit of 25 Start/Stop calls per delivery stream in 24 hours.
 */
import { invalidArgument, limitExceeded } from '../core/errors.js';
import { limits } from '../core/limits.js';

const dayMs = 24 * 3_600_000;

export function checkEncryptionInput(input: { readonly KeyType: string; readonly KeyARN?: string }): void {
  if (input.KeyType === 'CUSTOMER_MANAGED_CMK' && input.KeyARN === undefined) {
    throw invalidArgument('KeyARN must be provided when KeyType is CUSTOMER_MANAGED_CMK.');
  }
  if (input.KeyType === 'AWS_OWNED_CMK' && input.KeyARN !== undefined) {
    throw invalidArgument('KeyARN must not be provided when KeyType is AWS_OWNED_CMK.');
  }
}

/** The recent change times with `nowMs` added; LimitExceededException past the daily limit. */
export function recordEncryptionChange(
  changesMs: readonly number[] | undefined,
  nowMs: number,
  name: string,
): number[] {
  const recent = (changesMs ?? []).filter((atMs) => nowMs - atMs < dayMs);
  if (recent.length >= limits.deliveryStreamEncryptionChangesPerDayMax) {
    throw limitExceeded(
      `Firehose ${name} has reached the limit of ${limits.deliveryStreamEncryptionChangesPerDayMax} ` +
        'StartDeliveryStreamEncryption and StopDeliveryStreamEncryption calls in 24 hours.',
    );
  }
  return [...recent, nowMs];
}

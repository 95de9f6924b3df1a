/**
 * Start/StopStreamEncryption as changes of a stream record: the checks both operations share
 * (EncryptionType KMS only, 25 calls per rolling 24 hours each), and the change applied when the
 * UPDATING transition completes (write gate closed, so the switch happens between two appends).
 */
import { invalidArgument, ServiceError } from '../core/errors.js';
import { limits } from '../core/limits.js';
import type { DataKeyRecord, StreamRecord, StreamTransition } from './stream-model.js';

const dayMs = 24 * 3_600_000;

export function checkEncryptionType(encryptionType: string): void {
  if (encryptionType !== 'KMS') {
    throw invalidArgument(
      `Encryption type ${encryptionType} is not valid for this request; the only valid value is KMS.`,
    );
  }
}

/** Recent calls of one kind, after checking that one more is allowed; includes `nowMs`. */
export function recordEncryptionChange(
  record: StreamRecord,
  previousMs: readonly number[] | undefined,
  operation: 'StartStreamEncryption' | 'StopStreamEncryption',
  nowMs: number,
): number[] {
  const recent = (previousMs ?? []).filter((atMs) => atMs > nowMs - dayMs);
  if (recent.length >= limits.encryptionChangesPerDayMax) {
    throw new ServiceError(
      'LimitExceededException',
      `${operation} was called ${recent.length} times in the last 24 hours for stream ${record.name} under account ` +
        `${record.accountId}; the limit is ${limits.encryptionChangesPerDayMax} in a rolling 24-hour period.`,
    );
  }
  return [...recent, nowMs];
}

/**
 * The stream's encryption after the transition: a new current data key (Start), or none (Stop).
 * The key it replaces is retired; retired keys are dropped once retention has passed them.
 */
export function applyEncryptionChange(
  record: StreamRecord,
  change: NonNullable<StreamTransition['encryption']>,
  nowMs: number,
): Pick<StreamRecord, 'encryptionType' | 'keyId' | 'dataKeys'> {
  const retentionCutMs = nowMs - record.retentionHours * 3_600_000;
  const previous = record.dataKeys ?? [];
  const kept: DataKeyRecord[] = previous
    .map((dataKey) => (dataKey.retiredAtMs === undefined ? { ...dataKey, retiredAtMs: nowMs } : dataKey))
    .filter((dataKey) => (dataKey.retiredAtMs ?? nowMs) >= retentionCutMs);
  if (change.dataKey === undefined) return { encryptionType: 'NONE', keyId: undefined, dataKeys: kept };
  const epoch = previous.reduce((max, dataKey) => Math.max(max, dataKey.epoch), 0) + 1;
  return {
    encryptionType: 'KMS',
    keyId: change.dataKey.keyId,
    dataKeys: [...kept, { ...change.dataKey, epoch }],
  };
}

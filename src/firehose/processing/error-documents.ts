/**
 * The JSON documents Firehose writes, one per line, for records that failed processing, and the
 * key of the error object they go to.
 *
 * - `processing-failed` (Lambda): AWS's documented shape `{attemptsMade, arrivalTimestamp,
 *   errorCode, errorMessage, attemptEndingTimestamp, rawData, lambdaArn}` (timestamps in ms,
 *   rawData the record's original bytes in base64).
 * - dynamic partitioning failures (`partitioning-failed`, `activePartitionExceeded`): the same
 *   members without `lambdaArn`. AWS documents the folder but not the document; see
 *   docs/firehose.md.
 * - `decompression-failed` (Decompression, CloudWatchLogProcessing): the same members, rawData
 *   the record as it arrived (compressed). AWS documents the folder, not the document.
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryStreamRecord, S3DestinationState } from '../delivery-stream-model.js';
import { evaluatePrefix, objectNameTime } from '../delivery/prefix-expressions.js';

export const errorOutputTypes = {
  processingFailed: 'processing-failed',
  partitioningFailed: 'partitioning-failed',
  activePartitionExceeded: 'activePartitionExceeded',
  decompressionFailed: 'decompression-failed',
} as const;
export type ProcessingErrorOutputType = (typeof errorOutputTypes)[keyof typeof errorOutputTypes];

export interface FailedRecord {
  readonly errorOutputType: ProcessingErrorOutputType;
  readonly attemptsMade: number;
  readonly arrivalMs: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attemptEndingMs: number;
  readonly rawData: Buffer;
  readonly lambdaArn?: string;
}

export function errorDocument(failed: FailedRecord): string {
  const document: Record<string, unknown> = {
    attemptsMade: failed.attemptsMade,
    arrivalTimestamp: failed.arrivalMs,
    errorCode: failed.errorCode,
    errorMessage: failed.errorMessage,
    attemptEndingTimestamp: failed.attemptEndingMs,
    rawData: failed.rawData.toString('base64'),
  };
  if (failed.lambdaArn !== undefined) document.lambdaArn = failed.lambdaArn;
  return JSON.stringify(document);
}

/**
 * The key of an error object: the ErrorOutputPrefix with `!{firehose:error-output-type}`, or,
 * without one, `<type>/YYYY/MM/dd/HH/` (as for format-conversion failures), then AWS's object name.
 */
export function errorObjectKey(
  record: DeliveryStreamRecord,
  s3: S3DestinationState,
  errorOutputType: string,
  oldestMs: number,
): string {
  const timeZone = s3.CustomTimeZone as string | undefined;
  const prefix =
    s3.ErrorOutputPrefix !== undefined && s3.ErrorOutputPrefix !== ''
      ? s3.ErrorOutputPrefix
      : `${errorOutputType}/`;
  return (
    evaluatePrefix(prefix, {
      timestampMs: oldestMs,
      errorOutputType,
      ...(timeZone === undefined ? {} : { timeZone }),
    }) + `${record.name}-${record.versionId}-${objectNameTime(oldestMs, timeZone)}-${randomUUID()}`
  );
}

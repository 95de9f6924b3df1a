/**
 * The S3 side of a record destination: objects in the bucket of its S3Configuration.
 *
 * - Failed records (after RetryOptions ran out) go, one JSON document per line, under the
 *   ErrorOutputPrefix with `!{firehose:error-output-type}` = e.g. `http-endpoint-failed`, or with no
 *   ErrorOutputPrefix under `<Prefix><error-output-type>/yyyy/MM/dd/HH/`. Each document is AWS's
 *   envelope: `attemptsMade`, `arrivalTimestamp`, `errorCode`, `errorMessage`,
 *   `attemptEndingTimestamp`, `rawData` (base64), then the destination's own members
 *   (`esDocumentId`, `EventId`, …).
 * - With AllData/AllDocuments/AllEvents every record is also written as a plain object under the
 *   Prefix, compressed as the S3Configuration says, named as S3 destination objects are.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import {
  bucketNameOf,
  type DeliveryStreamRecord,
  type S3DestinationState,
} from '../delivery-stream-model.js';
import { compressObject, contentEncoding } from '../compression/compress-object.js';
import type { ObjectSink } from '../sinks/object-sink.js';
import type { BufferedRecord } from './delivery-buffer.js';
import { evaluatePrefix, objectNameTime } from './prefix-expressions.js';
import type { GivenUpRecord } from './record-batch.js';

export interface BackupContext {
  readonly sink: ObjectSink;
  readonly clock: Clock;
  readonly record: DeliveryStreamRecord;
  readonly s3: S3DestinationState;
}

/** The envelope of one failed record, as one line of an error object. */
export function failedRecordDocument(given: GivenUpRecord): Record<string, unknown> {
  return {
    attemptsMade: given.attemptsMade,
    arrivalTimestamp: given.record.arrivalMs,
    errorCode: given.failure.errorCode,
    errorMessage: given.failure.errorMessage,
    attemptEndingTimestamp: given.attemptEndingMs,
    ...given.fields.beforeRawData,
    rawData: given.record.data.toString('base64'),
    ...given.fields.afterRawData,
  };
}

/** What a backup write wrote: the object's key and size (for BackupToS3.*). */
export interface BackupObject {
  readonly key: string;
  readonly bytes: number;
}

/** Writes the given-up records as one error object. */
export async function writeFailedRecords(
  context: BackupContext,
  errorOutputType: string,
  givenUp: readonly GivenUpRecord[],
): Promise<BackupObject> {
  const oldestMs = oldestArrivalMs(givenUp.map((given) => given.record));
  const { s3 } = context;
  const prefix =
    s3.ErrorOutputPrefix !== undefined && s3.ErrorOutputPrefix !== ''
      ? evaluatePrefix(s3.ErrorOutputPrefix, { timestampMs: oldestMs, errorOutputType })
      : evaluatePrefix(`${s3.Prefix ?? ''}${errorOutputType}/`, { timestampMs: oldestMs });
  const body = Buffer.from(
    givenUp.map((given) => `${JSON.stringify(failedRecordDocument(given))}\n`).join(''),
  );
  const key = prefix + objectName(context.record, oldestMs);
  await context.sink.putObject(bucketNameOf(s3.BucketARN), key, body, {
    contentType: 'application/octet-stream',
  });
  return { key, bytes: body.length };
}

/** Writes every record of a batch as one backup object (the All* backup modes). */
export async function writeAllRecords(
  context: BackupContext,
  records: readonly BufferedRecord[],
): Promise<BackupObject> {
  const { s3 } = context;
  const oldestMs = oldestArrivalMs(records);
  const compressed = compressObject(
    s3.CompressionFormat,
    Buffer.concat(records.map((record) => record.data)),
    context.clock,
  );
  const encoding = contentEncoding(s3.CompressionFormat);
  const key =
    evaluatePrefix(s3.Prefix, { timestampMs: oldestMs }) +
    objectName(context.record, oldestMs) +
    compressed.extension;
  await context.sink.putObject(bucketNameOf(s3.BucketARN), key, compressed.body, {
    contentType: 'application/octet-stream',
    ...(encoding === undefined ? {} : { contentEncoding: encoding }),
  });
  return { key, bytes: compressed.body.length };
}

function objectName(record: DeliveryStreamRecord, oldestMs: number): string {
  return `${record.name}-${record.versionId}-${objectNameTime(oldestMs)}-${randomUUID()}`;
}

function oldestArrivalMs(records: readonly BufferedRecord[]): number {
  let oldestMs = Infinity;
  for (const record of records) oldestMs = Math.min(oldestMs, record.arrivalMs);
  return oldestMs;
}

/**
 * The Lambda processor, in the Lambda contract: records are cut into batches of at most
 * BufferSizeInMBs (at least one record each), each batch is one invocation with the event
 * `{invocationId, deliveryStreamArn, [sourceKinesisStreamArn], region, records:[{recordId,
 * approximateArrivalTimestamp, data, [kinesisRecordMetadata]}]}`, and the response's records
 * `{recordId, result, data, metadata.partitionKeys}` replace them.
 *
 * Failures, as AWS treats them:
 * - an invocation that fails (not found, timeout, the function threw or crashed, a response over
 *   Lambda's 6 MiB) is retried
 *   NumberOfRetries times with a new invocationId and the same record ids; then every record of
 *   the batch is processing-failed;
 * - a response the function did return is final: if it is not `{records:[…]}` or names a result
 *   other than Ok/Dropped/ProcessingFailed, the whole batch fails; a record the response does not
 *   name (Lambda.MissingRecordId), names twice (Lambda.DuplicatedRecordId) or answers Ok without
 *   valid base64 data fails alone;
 * - `ProcessingFailed` sends the record, with its original bytes, to the error output.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import type { InvocationFailure, InvocationResult } from '../../functions/function-registry.js';
import { errorOutputTypes, type FailedRecord } from './error-documents.js';
import type { LambdaProcessorSettings } from './processor-config.js';
import type { ProcessingRecord } from './processing-record.js';

/** What the processor needs of the function registry. */
export interface FunctionInvoker {
  invoke(reference: string, event: unknown, awsRequestId: string): Promise<InvocationResult>;
}

export interface LambdaContext {
  readonly deliveryStreamArn: string;
  readonly region: string;
  readonly sourceKinesisStreamArn?: string;
}

/** Told of every invocation (metrics): how long it took, and whether the function answered. */
export type InvocationObserver = (durationMs: number, succeeded: boolean) => void;

export interface TransformOutcome {
  readonly records: ProcessingRecord[];
  readonly failed: FailedRecord[];
}

const results = ['Ok', 'Dropped', 'ProcessingFailed'] as const;

export async function lambdaTransform(
  records: readonly ProcessingRecord[],
  settings: LambdaProcessorSettings,
  context: LambdaContext,
  functions: FunctionInvoker,
  clock: Clock,
  observe: InvocationObserver = () => undefined,
): Promise<TransformOutcome> {
  const batches = batchesOf(records, settings.bufferSizeBytes);
  const outcomes: TransformOutcome[] = new Array(batches.length);
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < batches.length) {
      const index = next++;
      outcomes[index] = await transformBatch(
        batches[index] as ProcessingRecord[],
        settings,
        context,
        functions,
        clock,
        observe,
      );
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limits.lambdaInvocationsInFlightMax, batches.length) }, () => runner()),
  );
  return {
    records: outcomes.flatMap((outcome) => outcome.records),
    failed: outcomes.flatMap((outcome) => outcome.failed),
  };
}

function batchesOf(records: readonly ProcessingRecord[], bufferSizeBytes: number): ProcessingRecord[][] {
  const batches: ProcessingRecord[][] = [];
  let current: ProcessingRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    if (current.length > 0 && bytes + record.data.length > bufferSizeBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += record.data.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Record ids: 56 digits like AWS's, one random stem per batch, stable across its retries. */
function recordIdsOf(count: number): string[] {
  const stem = BigInt('0x' + randomBytes(16).toString('hex'))
    .toString()
    .padStart(40, '0')
    .slice(0, 40);
  return Array.from({ length: count }, (_, index) => stem + String(index).padStart(16, '0'));
}

async function transformBatch(
  batch: readonly ProcessingRecord[],
  settings: LambdaProcessorSettings,
  context: LambdaContext,
  functions: FunctionInvoker,
  clock: Clock,
  observe: InvocationObserver,
): Promise<TransformOutcome> {
  const recordIds = recordIdsOf(batch.length);
  const eventRecords = batch.map((record, index) => ({
    recordId: recordIds[index],
    approximateArrivalTimestamp: record.arrivalMs,
    data: record.data.toString('base64'),
    ...(record.kinesis === undefined ? {} : { kinesisRecordMetadata: record.kinesis }),
  }));
  let attempts = 0;
  let failure: InvocationFailure | undefined;
  while (attempts <= settings.numberOfRetries) {
    attempts++;
    const invocationId = randomUUID();
    const event = {
      invocationId,
      deliveryStreamArn: context.deliveryStreamArn,
      ...(context.sourceKinesisStreamArn === undefined
        ? {}
        : { sourceKinesisStreamArn: context.sourceKinesisStreamArn }),
      region: context.region,
      records: eventRecords,
    };
    const startedMs = clock.nowMs();
    const result = await functions.invoke(settings.lambdaArn, event, invocationId);
    const answered = result.ok && responseBytes(result.payload) <= limits.lambdaPayloadBytesMax;
    observe(clock.nowMs() - startedMs, answered);
    if (result.ok && answered) {
      return applyResponse(batch, recordIds, result.payload, settings, attempts, clock);
    }
    // Lambda itself refuses an oversized response: an invocation failure, retried.
    failure = result.ok
      ? {
          kind: 'FunctionError',
          message: `Response payload size exceeded maximum allowed payload size (${limits.lambdaPayloadBytesMax} bytes).`,
        }
      : result.failure;
  }
  const endMs = clock.nowMs();
  const { errorCode, errorMessage } = invocationError(failure as InvocationFailure);
  return {
    records: [],
    failed: batch.map((record) => failedRecord(record, settings, attempts, endMs, errorCode, errorMessage)),
  };
}

function responseBytes(payload: unknown): number {
  return Buffer.byteLength(JSON.stringify(payload) ?? '');
}

function invocationError(failure: InvocationFailure): { errorCode: string; errorMessage: string } {
  switch (failure.kind) {
    case 'ResourceNotFound':
      return {
        errorCode: 'Lambda.ResourceNotFound',
        errorMessage: `The Lambda function was not found in Tributary's function registry. ${failure.message}`,
      };
    case 'Timeout':
      return {
        errorCode: 'Lambda.FunctionError',
        errorMessage: `Firehose encountered timeout errors when calling AWS Lambda. ${failure.message}`,
      };
    case 'FunctionError':
      return { errorCode: 'Lambda.FunctionError', errorMessage: failure.message };
  }
}

function failedRecord(
  record: ProcessingRecord,
  settings: LambdaProcessorSettings,
  attempts: number,
  endMs: number,
  errorCode: string,
  errorMessage: string,
): FailedRecord {
  return {
    errorOutputType: errorOutputTypes.processingFailed,
    attemptsMade: attempts,
    arrivalMs: record.arrivalMs,
    errorCode,
    errorMessage,
    attemptEndingMs: endMs,
    rawData: record.raw,
    lambdaArn: settings.lambdaArn,
  };
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function applyResponse(
  batch: readonly ProcessingRecord[],
  recordIds: readonly string[],
  payload: unknown,
  settings: LambdaProcessorSettings,
  attempts: number,
  clock: Clock,
): TransformOutcome {
  const endMs = clock.nowMs();
  const failAll = (errorCode: string, errorMessage: string): TransformOutcome => ({
    records: [],
    failed: batch.map((record) => failedRecord(record, settings, attempts, endMs, errorCode, errorMessage)),
  });
  const responseRecords = (payload as { records?: unknown } | null)?.records;
  if (typeof payload !== 'object' || payload === null || !Array.isArray(responseRecords)) {
    return failAll(
      'Lambda.JsonProcessingException',
      'The Lambda function response is not a JSON object with a records array.',
    );
  }
  const byId = new Map<string, Record<string, unknown>[]>();
  for (const entry of responseRecords as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const response = entry as Record<string, unknown>;
    if (!results.includes(response.result as (typeof results)[number])) {
      return failAll(
        'Lambda.FunctionError',
        `The Lambda function returned an invalid result ${JSON.stringify(response.result ?? null)}; expected Ok, Dropped or ProcessingFailed.`,
      );
    }
    if (typeof response.recordId !== 'string') continue;
    const list = byId.get(response.recordId) ?? [];
    list.push(response);
    byId.set(response.recordId, list);
  }
  const kept: ProcessingRecord[] = [];
  const failed: FailedRecord[] = [];
  const fail = (record: ProcessingRecord, errorCode: string, errorMessage: string): void => {
    failed.push(failedRecord(record, settings, attempts, endMs, errorCode, errorMessage));
  };
  batch.forEach((record, index) => {
    const recordId = recordIds[index] as string;
    const answers = byId.get(recordId) ?? [];
    if (answers.length === 0) {
      fail(
        record,
        'Lambda.MissingRecordId',
        `The Lambda function response has no record with recordId ${recordId}.`,
      );
      return;
    }
    if (answers.length > 1) {
      fail(
        record,
        'Lambda.DuplicatedRecordId',
        `The Lambda function response has recordId ${recordId} more than once.`,
      );
      return;
    }
    const answer = answers[0] as Record<string, unknown>;
    switch (answer.result as (typeof results)[number]) {
      case 'Dropped':
        return;
      case 'ProcessingFailed':
        fail(record, 'Lambda.ProcessingFailed', 'The Lambda function marked the record ProcessingFailed.');
        return;
      case 'Ok': {
        const data = answer.data ?? '';
        if (typeof data !== 'string' || !base64Pattern.test(data)) {
          fail(
            record,
            'Lambda.FunctionError',
            `The data of record ${recordId} in the Lambda function response is not valid base64.`,
          );
          return;
        }
        const keys = partitionKeysOf(answer.metadata);
        kept.push({
          ...record,
          data: Buffer.from(data, 'base64'),
          ...(keys === undefined ? {} : { lambdaKeys: keys }),
        });
        return;
      }
    }
  });
  return { records: kept, failed };
}

/** `metadata.partitionKeys`: string values as given, numbers and booleans as their JSON text. */
function partitionKeysOf(metadata: unknown): Record<string, string> | undefined {
  const keys = (metadata as { partitionKeys?: unknown } | null | undefined)?.partitionKeys;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) return undefined;
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(keys)) {
    if (typeof value === 'string') result[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') result[name] = JSON.stringify(value);
  }
  return result;
}

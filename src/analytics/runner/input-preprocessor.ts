/**
 * Input preprocessing by a function (InputProcessingConfiguration.InputLambdaProcessor), in
 * Kinesis Analytics' preprocessing contract: each batch read from a shard is one invocation with
 * the event `{invocationId, applicationArn, streamArn, records:[{recordId, data(base64),
 * kinesisStreamRecordMetadata{shardId, partitionKey, approximateArrivalTimestamp, sequenceNumber,
 * subsequenceNumber} | kinesisFirehoseRecordMetadata{approximateArrivalTimestamp}}]}`, and the
 * response `{records:[{recordId, result: Ok|Dropped|ProcessingFailed, data(base64)}]}` decides:
 * Ok records (their new data) go on to schema mapping, Dropped ones are skipped, ProcessingFailed
 * ones go to `error_stream` with their original bytes.
 *
 * Failures, as Kinesis Analytics treats them (back-pressure, never data loss): an invocation that
 * fails (not found, timeout, threw) or a response that breaks the contract (not `{records:[…]}`,
 * an unknown result, a record id missing or repeated, Ok data that is not base64) throws a
 * `PreprocessingError`; the runner then reads the batch again from its checkpoint on a later
 * pass, so the application makes no progress until the function answers.
 */
import { randomUUID } from 'node:crypto';
import type { InvocationResult } from '../../functions/function-registry.js';
import type { GatewayRecord } from './stream-gateway.js';

/** What preprocessing needs of the function registry. */
export interface FunctionInvoker {
  invoke(reference: string, event: unknown, awsRequestId: string): Promise<InvocationResult>;
}

export interface PreprocessContext {
  readonly functionArn: string;
  readonly applicationArn: string;
  readonly streamArn: string;
  /** Firehose inputs carry kinesisFirehoseRecordMetadata, stream inputs kinesisStreamRecordMetadata. */
  readonly firehose: boolean;
  readonly shardId: string;
}

export interface PreprocessOutcome {
  /** Ok records with the function's data, in input order. */
  readonly kept: GatewayRecord[];
  /** ProcessingFailed records, with their original data. */
  readonly failed: GatewayRecord[];
}

/** ERROR_NAME of an `error_stream` row for a record the function marked ProcessingFailed. */
export const processingFailedErrorName = 'Lambda_ProcessingFailed';

export class PreprocessingError extends Error {
  override readonly name = 'PreprocessingError';
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export async function preprocess(
  records: readonly GatewayRecord[],
  context: PreprocessContext,
  functions: FunctionInvoker,
): Promise<PreprocessOutcome> {
  if (records.length === 0) return { kept: [], failed: [] };
  const invocationId = randomUUID();
  const recordIds = records.map((_, index) => `${invocationId}-${index}`);
  const event = {
    invocationId,
    applicationArn: context.applicationArn,
    streamArn: context.streamArn,
    records: records.map((record, index) => ({
      recordId: recordIds[index],
      ...(context.firehose
        ? { kinesisFirehoseRecordMetadata: { approximateArrivalTimestamp: record.arrivalMs } }
        : {
            kinesisStreamRecordMetadata: {
              shardId: context.shardId,
              partitionKey: record.partitionKey,
              approximateArrivalTimestamp: record.arrivalMs,
              sequenceNumber: record.sequenceNumber,
              subsequenceNumber: 0,
            },
          }),
      data: record.data.toString('base64'),
    })),
  };
  const result = await functions.invoke(context.functionArn, event, invocationId);
  if (!result.ok) {
    throw new PreprocessingError(
      `preprocessing function ${context.functionArn} failed (${result.failure.kind}): ${result.failure.message}`,
    );
  }
  return applyResponse(records, recordIds, result.payload, context.functionArn);
}

function applyResponse(
  records: readonly GatewayRecord[],
  recordIds: readonly string[],
  payload: unknown,
  functionArn: string,
): PreprocessOutcome {
  const broken = (why: string): PreprocessingError =>
    new PreprocessingError(`preprocessing function ${functionArn} answered a response that ${why}`);
  const responseRecords = (payload as { records?: unknown } | null)?.records;
  if (typeof payload !== 'object' || payload === null || !Array.isArray(responseRecords)) {
    throw broken('is not a JSON object with a records array');
  }
  const answers = new Map<string, Record<string, unknown>>();
  for (const entry of responseRecords as unknown[]) {
    const answer = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof answer.recordId !== 'string') throw broken('has a record without a recordId');
    if (answers.has(answer.recordId)) throw broken(`names recordId ${answer.recordId} twice`);
    answers.set(answer.recordId, answer);
  }
  const kept: GatewayRecord[] = [];
  const failed: GatewayRecord[] = [];
  records.forEach((record, index) => {
    const recordId = recordIds[index] as string;
    const answer = answers.get(recordId);
    if (answer === undefined) throw broken(`has no record with recordId ${recordId}`);
    switch (answer.result) {
      case 'Dropped':
        return;
      case 'ProcessingFailed':
        failed.push(record);
        return;
      case 'Ok': {
        const data = answer.data ?? '';
        if (typeof data !== 'string' || !base64Pattern.test(data)) {
          throw broken(`has data for recordId ${recordId} that is not base64`);
        }
        kept.push({ ...record, data: Buffer.from(data, 'base64') });
        return;
      }
      default:
        throw broken(
          `has result ${JSON.stringify(answer.result ?? null)} for recordId ${recordId}; expected Ok, Dropped or ProcessingFailed`,
        );
    }
  });
  if (answers.size !== records.length) throw broken('names records that were not sent');
  return { kept, failed };
}

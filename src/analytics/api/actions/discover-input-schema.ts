/**
 * DiscoverInputSchema: infers an input schema from a sample of a Tributary stream, of a Firehose
 * delivery stream (its records, through the same gateway the runner reads inputs with) or of an
 * S3 object (read through the server's bucket router: the embedded bucket directory
 * `<data-dir>/buckets/<bucket>/<key>` or the S3 endpoint configured for the bucket). With an
 * InputProcessingConfiguration the stream sample goes through the function first, and the schema
 * is inferred from its Ok records (ProcessedInputRecords; RawInputRecords the sample as read).
 * The records of an S3 object (S3Configuration) are preprocessed too — AWS documents the two
 * parameters without excluding each other — in one invocation whose `streamArn` is the bucket ARN
 * and whose records carry only an approximateArrivalTimestamp (the discovery time), as a
 * delivery stream's records do: an object's records have no shard, key or sequence number.
 */
import { invalidArgument } from '../../../core/errors.js';
import { inferSchema } from '../../discovery/infer-schema.js';
import { sampleObject, sampleStreamRecords } from '../../discovery/sample-records.js';
import { PreprocessingError, preprocess, type FunctionInvoker } from '../../runner/input-preprocessor.js';
import type { GatewayRecord } from '../../runner/stream-gateway.js';
import { unableToDetectSchema, unsupportedOperation } from '../analytics-errors.js';
import { defineAction } from './action.js';

/** The "shard" of an S3 object's records in the preprocessing event's bookkeeping (not sent). */
const objectShardId = 'object';

export const discoverInputSchema = defineAction(
  'DiscoverInputSchema',
  async ({ service, gateway, functions }, input) => {
    const processor = input.InputProcessingConfiguration?.InputLambdaProcessor;
    let records: Buffer[];
    let processed: Buffer[] | undefined;
    if (input.S3Configuration !== undefined) {
      records = await sampleObject(
        service.options.bucketsDirectory,
        input.S3Configuration.BucketARN,
        input.S3Configuration.FileKey,
        service.options.readObject,
      );
      if (processor !== undefined) {
        const arrivalMs = service.clock.nowMs();
        const objectRecords = records.map((data, index) => ({
          data,
          partitionKey: '',
          sequenceNumber: String(index),
          arrivalMs,
        }));
        processed = await preprocessSample(
          [{ shardId: objectShardId, records: objectRecords }],
          processor.ResourceARN,
          { streamArn: input.S3Configuration.BucketARN, firehose: true },
          functions,
        );
      }
    } else {
      if (input.ResourceARN === undefined || input.RoleARN === undefined) {
        throw invalidArgument(
          'Specify either ResourceARN, RoleARN and InputStartingPositionConfiguration, or S3Configuration.',
        );
      }
      if (gateway === undefined)
        throw unsupportedOperation('Schema discovery from streams is not available.');
      const position = input.InputStartingPositionConfiguration?.InputStartingPosition ?? 'NOW';
      const sampled = await sampleStreamRecords(gateway, service.clock, input.ResourceARN, position);
      records = sampled.flatMap((shard) => shard.records.map((record) => record.data));
      if (processor !== undefined) {
        processed = await preprocessSample(
          sampled,
          processor.ResourceARN,
          { streamArn: input.ResourceARN, firehose: input.ResourceARN.includes(':firehose:') },
          functions,
        );
      }
    }
    const raw = records.map((record) => record.toString('utf8'));
    const discovered = inferSchema((processed ?? records).map((record) => record.toString('utf8')));
    if (discovered === undefined) {
      throw unableToDetectSchema('No data was found in the source to discover a schema from.');
    }
    return {
      InputSchema: discovered.InputSchema,
      ParsedInputRecords: discovered.ParsedInputRecords,
      ProcessedInputRecords: discovered.RawInputRecords,
      RawInputRecords: raw,
    };
  },
);

/**
 * The sample after the preprocessing function (its Ok records); a failed invocation or a broken
 * response answers UnableToDetectSchemaException naming the failure. The event's applicationArn
 * is empty: there is no application yet.
 */
async function preprocessSample(
  sampled: readonly { shardId: string; records: readonly GatewayRecord[] }[],
  functionArn: string,
  source: { readonly streamArn: string; readonly firehose: boolean },
  functions: FunctionInvoker | undefined,
): Promise<Buffer[]> {
  if (functions === undefined) {
    throw unsupportedOperation('Input preprocessing by a Lambda function is not available.');
  }
  const processed: Buffer[] = [];
  for (const { shardId, records } of sampled) {
    try {
      const outcome = await preprocess(
        records,
        { functionArn, applicationArn: '', ...source, shardId },
        functions,
      );
      processed.push(...outcome.kept.map((record) => record.data));
    } catch (error) {
      if (!(error instanceof PreprocessingError)) throw error;
      throw unableToDetectSchema(`Unable to preprocess the sample: ${error.message}`);
    }
  }
  return processed;
}

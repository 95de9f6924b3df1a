/**
 * DiscoverInputSchema: infers an input schema from a sample of a Tributary stream, of a Firehose
 * delivery stream (its records, through the same gateway the runner reads inputs with) or of an
 * object in the embedded bucket directory (`<data-dir>/buckets/<bucket>/<key>`).
 */
import { invalidArgument } from '../../../core/errors.js';
import { inferSchema } from '../../discovery/infer-schema.js';
import { sampleObject, sampleStream } from '../../discovery/sample-records.js';
import { unableToDetectSchema, unsupportedOperation } from '../analytics-errors.js';
import { defineAction } from './action.js';

export const discoverInputSchema = defineAction(
  'DiscoverInputSchema',
  async ({ service, gateway }, input) => {
    if (input.InputProcessingConfiguration !== undefined) {
      throw unsupportedOperation('Input preprocessing by a Lambda function is not supported yet.');
    }
    let records: Buffer[];
    if (input.S3Configuration !== undefined) {
      records = await sampleObject(
        service.options.bucketsDirectory,
        input.S3Configuration.BucketARN,
        input.S3Configuration.FileKey,
      );
    } else {
      if (input.ResourceARN === undefined || input.RoleARN === undefined) {
        throw invalidArgument(
          'Specify either ResourceARN, RoleARN and InputStartingPositionConfiguration, or S3Configuration.',
        );
      }
      if (gateway === undefined)
        throw unsupportedOperation('Schema discovery from streams is not available.');
      const position = input.InputStartingPositionConfiguration?.InputStartingPosition ?? 'NOW';
      records = await sampleStream(gateway, service.clock, input.ResourceARN, position);
    }
    const raw = records.map((record) => record.toString('utf8'));
    const discovered = inferSchema(raw);
    if (discovered === undefined) {
      throw unableToDetectSchema('No data was found in the source to discover a schema from.');
    }
    return {
      InputSchema: discovered.InputSchema,
      ParsedInputRecords: discovered.ParsedInputRecords,
      ProcessedInputRecords: discovered.RawInputRecords,
      RawInputRecords: discovered.RawInputRecords,
    };
  },
);

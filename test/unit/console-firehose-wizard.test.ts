/**
 * The delivery stream wizard's model (web/src/firehose-wizard.ts): each step's inline checks
 * against AWS's documented constraints, and the CreateDeliveryStream request built from the form.
 * Pure functions, run under Node; the browser test drives the same checks through the page.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createDeliveryStreamInput,
  firstInvalidStep,
  initialWizardState,
  validateStep,
  type WizardState,
} from '../../web/src/firehose-wizard.js';

const valid: WizardState = {
  ...initialWizardState,
  name: 'test-firehose',
  source: 'KinesisStreamAsSource',
  sourceStreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/test-kinesis',
  bucketArn: 'arn:aws:s3:::test-firehose01',
  compression: 'GZIP',
};

describe('console: delivery stream wizard model', () => {
  it('accepts a complete form and builds AWS request shapes from it', () => {
    assert.equal(firstInvalidStep(valid), undefined);
    assert.deepEqual(
      createDeliveryStreamInput({ ...valid, newlineDelimiter: true, tags: [{ key: 'team', value: '' }] }),
      {
        DeliveryStreamName: 'test-firehose',
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: {
          KinesisStreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/test-kinesis',
          RoleARN: 'arn:aws:iam::000000000000:role/firehose_delivery_role',
        },
        ExtendedS3DestinationConfiguration: {
          RoleARN: 'arn:aws:iam::000000000000:role/firehose_delivery_role',
          BucketARN: 'arn:aws:s3:::test-firehose01',
          BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
          CompressionFormat: 'GZIP',
          EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
          ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
        },
        Tags: [{ Key: 'team', Value: '' }],
      },
    );
  });

  it('builds Direct PUT with server-side encryption, a Lambda, Parquet conversion, prefixes and KMS', () => {
    const input = createDeliveryStreamInput({
      ...valid,
      source: 'DirectPut',
      sourceEncryption: 'CUSTOMER_MANAGED_CMK',
      sourceKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/abc',
      transformEnabled: true,
      lambdaArn: 'arn:aws:lambda:us-east-1:000000000000:function:enrich',
      conversionEnabled: true,
      glueDatabase: 'shop',
      glueTable: 'orders',
      compression: 'UNCOMPRESSED',
      bufferSizeMiB: '128',
      bufferIntervalSeconds: '0',
      prefix: 'data/',
      errorOutputPrefix: 'errors/',
      s3Encryption: 'kms',
      s3KmsKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/def',
    });
    assert.equal(input.KinesisStreamSourceConfiguration, undefined);
    assert.deepEqual(input.DeliveryStreamEncryptionConfigurationInput, {
      KeyType: 'CUSTOMER_MANAGED_CMK',
      KeyARN: 'arn:aws:kms:us-east-1:000000000000:key/abc',
    });
    const s3 = input.ExtendedS3DestinationConfiguration;
    assert.equal(s3?.Prefix, 'data/');
    assert.equal(s3?.ErrorOutputPrefix, 'errors/');
    assert.deepEqual(s3?.BufferingHints, { SizeInMBs: 128, IntervalInSeconds: 0 });
    assert.deepEqual(s3?.EncryptionConfiguration, {
      KMSEncryptionConfig: { AWSKMSKeyARN: 'arn:aws:kms:us-east-1:000000000000:key/def' },
    });
    assert.deepEqual(s3?.ProcessingConfiguration?.Processors, [
      {
        Type: 'Lambda',
        Parameters: [
          {
            ParameterName: 'LambdaArn',
            ParameterValue: 'arn:aws:lambda:us-east-1:000000000000:function:enrich',
          },
        ],
      },
    ]);
    assert.deepEqual(s3?.DataFormatConversionConfiguration, {
      Enabled: true,
      SchemaConfiguration: {
        RoleARN: 'arn:aws:iam::000000000000:role/firehose_delivery_role',
        DatabaseName: 'shop',
        TableName: 'orders',
      },
      InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
    });
  });

  it('checks the name and source of step 1', () => {
    assert.deepEqual(Object.keys(validateStep('source', { ...valid, name: '', sourceStreamArn: '' })), [
      'name',
      'sourceStreamArn',
    ]);
    for (const name of ['has space', 'a'.repeat(65), 'slash/no']) {
      assert.ok(validateStep('source', { ...valid, name }).name, name);
    }
    for (const name of ['a', 'a'.repeat(64), 'A_b-c.9']) {
      assert.deepEqual(validateStep('source', { ...valid, name }), {}, name);
    }
    assert.deepEqual(
      Object.keys(
        validateStep('source', {
          ...valid,
          source: 'DirectPut',
          sourceStreamArn: '',
          sourceEncryption: 'CUSTOMER_MANAGED_CMK',
        }),
      ),
      ['sourceKeyArn'],
    );
  });

  it('checks buffer ranges (64 MiB at least with conversion), compression with conversion, role and tags', () => {
    const settings = (patch: Partial<WizardState>) =>
      Object.keys(validateStep('settings', { ...valid, ...patch }));
    assert.deepEqual(settings({ bufferSizeMiB: '1', bufferIntervalSeconds: '0' }), []);
    assert.deepEqual(settings({ bufferSizeMiB: '128', bufferIntervalSeconds: '900' }), []);
    assert.deepEqual(settings({ bufferSizeMiB: '0', bufferIntervalSeconds: '901' }), [
      'bufferSizeMiB',
      'bufferIntervalSeconds',
    ]);
    assert.deepEqual(settings({ bufferSizeMiB: '1.5', bufferIntervalSeconds: '-1' }), [
      'bufferSizeMiB',
      'bufferIntervalSeconds',
    ]);
    assert.deepEqual(settings({ conversionEnabled: true, bufferSizeMiB: '63' }), [
      'bufferSizeMiB',
      'compression',
    ]);
    assert.deepEqual(
      settings({ conversionEnabled: true, bufferSizeMiB: '64', compression: 'UNCOMPRESSED' }),
      [],
    );
    assert.deepEqual(settings({ roleArn: 'arn:aws:iam::123:role/x' }), ['roleArn']);
    assert.deepEqual(
      settings({
        tags: [
          { key: 'aws:x', value: '' },
          { key: 'ok', value: 'v'.repeat(257) },
        ],
      }),
      ['tagKey0', 'tagValue1'],
    );
    assert.equal(firstInvalidStep({ ...valid, bucketArn: 'bucket' }), 'destination');
  });
});

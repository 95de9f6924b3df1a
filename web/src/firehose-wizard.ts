/**
 * The create-delivery-stream wizard's model, kept apart from its pages so that it can be tested
 * under Node: the form's state and defaults, the five steps, the inline validation of each step
 * (AWS's documented constraints: names, ARN patterns, buffer ranges, the rules of record format
 * conversion) and the CreateDeliveryStream request the review step sends. The server remains the
 * judge: what it refuses is shown as its error on the review step.
 */
import type { CreateDeliveryStreamInput, Processor, Tag } from '@aws-sdk/client-firehose';

export const wizardSteps = [
  { id: 'source', title: 'Name and source' },
  { id: 'process', title: 'Process records' },
  { id: 'destination', title: 'Choose a destination' },
  { id: 'settings', title: 'Configure settings' },
  { id: 'review', title: 'Review' },
] as const;
export type WizardStepId = (typeof wizardSteps)[number]['id'];

export const compressionFormats = [
  { value: 'UNCOMPRESSED', label: 'Disabled' },
  { value: 'GZIP', label: 'GZIP' },
  { value: 'Snappy', label: 'Snappy' },
  { value: 'ZIP', label: 'Zip' },
  { value: 'HADOOP_SNAPPY', label: 'Hadoop-Compatible Snappy' },
] as const;
export type CompressionFormat = (typeof compressionFormats)[number]['value'];

export interface TagRow {
  readonly key: string;
  readonly value: string;
}

export interface WizardState {
  readonly name: string;
  readonly source: 'DirectPut' | 'KinesisStreamAsSource';
  readonly sourceStreamArn: string;
  readonly sourceEncryption: 'none' | 'AWS_OWNED_CMK' | 'CUSTOMER_MANAGED_CMK';
  readonly sourceKeyArn: string;
  readonly transformEnabled: boolean;
  readonly lambdaArn: string;
  readonly conversionEnabled: boolean;
  readonly glueDatabase: string;
  readonly glueTable: string;
  readonly bucketArn: string;
  readonly prefix: string;
  readonly errorOutputPrefix: string;
  readonly newlineDelimiter: boolean;
  readonly bufferSizeMiB: string;
  readonly bufferIntervalSeconds: string;
  readonly compression: CompressionFormat;
  readonly s3Encryption: 'none' | 'kms';
  readonly s3KmsKeyArn: string;
  readonly roleArn: string;
  readonly tags: readonly TagRow[];
}

export const defaultRoleArn = 'arn:aws:iam::000000000000:role/firehose_delivery_role';

export const initialWizardState: WizardState = {
  name: '',
  source: 'DirectPut',
  sourceStreamArn: '',
  sourceEncryption: 'none',
  sourceKeyArn: '',
  transformEnabled: false,
  lambdaArn: '',
  conversionEnabled: false,
  glueDatabase: '',
  glueTable: '',
  bucketArn: '',
  prefix: '',
  errorOutputPrefix: '',
  newlineDelimiter: false,
  bufferSizeMiB: '5',
  bufferIntervalSeconds: '300',
  compression: 'UNCOMPRESSED',
  s3Encryption: 'none',
  s3KmsKeyArn: '',
  roleArn: defaultRoleArn,
  tags: [],
};

/** AWS's ranges (a converting destination needs at least 64 MiB). */
export const bufferLimits = {
  sizeMiBMin: 1,
  sizeMiBMax: 128,
  conversionSizeMiBMin: 64,
  intervalSecondsMin: 0,
  intervalSecondsMax: 900,
} as const;
const tagsMax = 50;

export type FieldErrors = Partial<Record<string, string>>;

const patterns = {
  name: /^[a-zA-Z0-9_.-]{1,64}$/,
  streamArn: /^arn:.*:kinesis:[a-zA-Z0-9-]+:\d{12}:stream\/[a-zA-Z0-9_.-]+$/,
  lambdaArn: /^arn:.*:lambda:[a-zA-Z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]+(:(\$LATEST|[a-zA-Z0-9_-]+))?$/,
  bucketArn: /^arn:.*:s3:::[\w.-]{1,255}$/,
  kmsKeyArn: /^arn:.*:kms:[a-zA-Z0-9-]+:\d{12}:(key|alias)\/.+$/,
  roleArn: /^arn:.*:iam::\d{12}:role\/[a-zA-Z_0-9+=,.@\-/]+$/,
  tagKey: /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@%]{1,128}$/u,
  tagValue: /^[\p{L}\p{Z}\p{N}_.:/=+\-@%]{0,256}$/u,
} as const;

/** The messages of the fields of `step` that are not valid; empty when the step may be left. */
export function validateStep(step: WizardStepId, state: WizardState): FieldErrors {
  const errors: FieldErrors = {};
  switch (step) {
    case 'source':
      if (state.name === '') errors.name = 'Enter a delivery stream name.';
      else if (!patterns.name.test(state.name))
        errors.name =
          'Use 1–64 characters: uppercase and lowercase letters, numbers, underscores, hyphens and periods.';
      if (state.source === 'KinesisStreamAsSource' && state.sourceStreamArn === '')
        errors.sourceStreamArn = 'Choose the Kinesis data stream to read.';
      else if (state.source === 'KinesisStreamAsSource' && !patterns.streamArn.test(state.sourceStreamArn))
        errors.sourceStreamArn = 'Not a Kinesis data stream ARN.';
      if (
        state.source === 'DirectPut' &&
        state.sourceEncryption === 'CUSTOMER_MANAGED_CMK' &&
        !patterns.kmsKeyArn.test(state.sourceKeyArn)
      )
        errors.sourceKeyArn = 'Enter a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>).';
      break;
    case 'process':
      if (state.transformEnabled && !patterns.lambdaArn.test(state.lambdaArn))
        errors.lambdaArn = 'Enter a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>).';
      if (state.conversionEnabled && state.glueDatabase === '')
        errors.glueDatabase = 'Choose the AWS Glue database of the schema.';
      if (state.conversionEnabled && state.glueTable === '')
        errors.glueTable = 'Choose the AWS Glue table of the schema.';
      break;
    case 'destination':
      if (state.bucketArn === '') errors.bucketArn = 'Enter the S3 bucket ARN.';
      else if (!patterns.bucketArn.test(state.bucketArn) || state.bucketArn.length > 2048)
        errors.bucketArn = 'Not an S3 bucket ARN: arn:aws:s3:::<bucket-name>.';
      if (state.prefix.length > 1024) errors.prefix = 'A prefix has at most 1024 characters.';
      if (state.errorOutputPrefix.length > 1024)
        errors.errorOutputPrefix = 'An error output prefix has at most 1024 characters.';
      break;
    case 'settings':
      validateSettings(state, errors);
      break;
    case 'review':
      break;
  }
  return errors;
}

function validateSettings(state: WizardState, errors: FieldErrors): void {
  const sizeMin = state.conversionEnabled ? bufferLimits.conversionSizeMiBMin : bufferLimits.sizeMiBMin;
  const size = integerIn(state.bufferSizeMiB, sizeMin, bufferLimits.sizeMiBMax);
  if (size === undefined)
    errors.bufferSizeMiB = state.conversionEnabled
      ? `With record format conversion, enter a buffer size between ${sizeMin} and ${bufferLimits.sizeMiBMax} MiB.`
      : `Enter a buffer size between ${sizeMin} and ${bufferLimits.sizeMiBMax} MiB.`;
  if (
    integerIn(
      state.bufferIntervalSeconds,
      bufferLimits.intervalSecondsMin,
      bufferLimits.intervalSecondsMax,
    ) === undefined
  )
    errors.bufferIntervalSeconds = `Enter a buffer interval between ${bufferLimits.intervalSecondsMin} and ${bufferLimits.intervalSecondsMax} seconds.`;
  if (state.conversionEnabled && state.compression !== 'UNCOMPRESSED')
    errors.compression =
      'Record format conversion compresses inside the Parquet files: set S3 compression to Disabled.';
  if (state.s3Encryption === 'kms' && !patterns.kmsKeyArn.test(state.s3KmsKeyArn))
    errors.s3KmsKeyArn = 'Enter a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>).';
  if (!patterns.roleArn.test(state.roleArn) || state.roleArn.length > 512)
    errors.roleArn = 'Enter an IAM role ARN (arn:aws:iam::<account>:role/<name>).';
  if (state.tags.length > tagsMax) errors.tags = `A delivery stream has at most ${tagsMax} tags.`;
  state.tags.forEach((tag, index) => {
    if (!patterns.tagKey.test(tag.key))
      errors[`tagKey${index}`] = tag.key.startsWith('aws:')
        ? 'Tag keys cannot start with "aws:".'
        : 'Enter a key of 1–128 letters, numbers, spaces or _ . : / = + - @ %.';
    if (!patterns.tagValue.test(tag.value))
      errors[`tagValue${index}`] = 'A value has at most 256 letters, numbers, spaces or _ . : / = + - @ %.';
  });
}

function integerIn(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined;
  const value = Number(text.trim());
  return value >= min && value <= max ? value : undefined;
}

/** The first step (in order) with errors, or undefined when every step is valid. */
export function firstInvalidStep(state: WizardState): WizardStepId | undefined {
  return wizardSteps.find((step) => Object.keys(validateStep(step.id, state)).length > 0)?.id;
}

/** The CreateDeliveryStream request the wizard's state describes (valid state assumed). */
export function createDeliveryStreamInput(state: WizardState): CreateDeliveryStreamInput {
  const processors: Processor[] = [];
  if (state.transformEnabled) {
    processors.push({
      Type: 'Lambda',
      Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: state.lambdaArn }],
    });
  }
  if (state.newlineDelimiter) processors.push({ Type: 'AppendDelimiterToRecord' });
  const tags: Tag[] = state.tags.map((tag) => ({ Key: tag.key, Value: tag.value }));
  return {
    DeliveryStreamName: state.name,
    DeliveryStreamType: state.source,
    ...(state.source === 'KinesisStreamAsSource'
      ? {
          KinesisStreamSourceConfiguration: {
            KinesisStreamARN: state.sourceStreamArn,
            RoleARN: state.roleArn,
          },
        }
      : {}),
    ...(state.source === 'DirectPut' && state.sourceEncryption !== 'none'
      ? {
          DeliveryStreamEncryptionConfigurationInput: {
            KeyType: state.sourceEncryption,
            ...(state.sourceEncryption === 'CUSTOMER_MANAGED_CMK' ? { KeyARN: state.sourceKeyArn } : {}),
          },
        }
      : {}),
    ExtendedS3DestinationConfiguration: {
      RoleARN: state.roleArn,
      BucketARN: state.bucketArn,
      ...(state.prefix === '' ? {} : { Prefix: state.prefix }),
      ...(state.errorOutputPrefix === '' ? {} : { ErrorOutputPrefix: state.errorOutputPrefix }),
      BufferingHints: {
        SizeInMBs: Number(state.bufferSizeMiB.trim()),
        IntervalInSeconds: Number(state.bufferIntervalSeconds.trim()),
      },
      CompressionFormat: state.compression,
      EncryptionConfiguration:
        state.s3Encryption === 'kms'
          ? { KMSEncryptionConfig: { AWSKMSKeyARN: state.s3KmsKeyArn } }
          : { NoEncryptionConfig: 'NoEncryption' },
      ...(processors.length > 0
        ? { ProcessingConfiguration: { Enabled: true, Processors: processors } }
        : {}),
      ...(state.conversionEnabled
        ? {
            DataFormatConversionConfiguration: {
              Enabled: true,
              SchemaConfiguration: {
                RoleARN: state.roleArn,
                DatabaseName: state.glueDatabase,
                TableName: state.glueTable,
              },
              InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
              OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
            },
          }
        : {}),
    },
    ...(tags.length > 0 ? { Tags: tags } : {}),
  };
}

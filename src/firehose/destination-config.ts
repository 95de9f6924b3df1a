/**
 * The S3 destination's configuration: from a CreateDeliveryStream request to the stored form
 * (defaults filled in as AWS echoes them), the merge of an UpdateDestination, and the two views
 * DescribeDeliveryStream shows (`S3DestinationDescription` and `ExtendedS3DestinationDescription`).
 *
 * What Tributary cannot do yet is refused here with InvalidArgumentException at create/update
 * time (Decompression and CloudWatchLogProcessing processors, ORC output, S3 backup), never
 * accepted and then ignored. Record format conversion (Parquet) is checked by
 * `conversion/conversion-config.ts`, processors and dynamic partitioning by
 * `processing/processor-config.ts`.
 */
import { invalidArgument } from '../core/errors.js';
import { limits } from '../core/limits.js';
import { validatePrefixes, validateTimeZone } from './delivery/prefix-expressions.js';
import {
  checkConversion,
  conversionBufferSizeMiBDefault,
  conversionEnabled,
} from './conversion/conversion-config.js';
import {
  canonicalLambdaParameters,
  checkProcessing,
  dynamicPartitioningEnabled,
} from './processing/processor-config.js';
import type {
  DestinationState,
  ProcessingConfigurationState,
  S3DestinationState,
} from './delivery-stream-model.js';

type Input = Readonly<Record<string, unknown>>;

const notSupported = (what: string): Error =>
  invalidArgument(`${what} is not supported yet by this Firehose endpoint.`);

/** The destination configuration members of CreateDeliveryStream, in the model's order. */
export const destinationConfigurationMembers = [
  'S3DestinationConfiguration',
  'ExtendedS3DestinationConfiguration',
  'RedshiftDestinationConfiguration',
  'ElasticsearchDestinationConfiguration',
  'AmazonopensearchserviceDestinationConfiguration',
  'SplunkDestinationConfiguration',
  'HttpEndpointDestinationConfiguration',
  'AmazonOpenSearchServerlessDestinationConfiguration',
  'SnowflakeDestinationConfiguration',
  'IcebergDestinationConfiguration',
] as const;

/** The `*DestinationUpdate` members of UpdateDestination. */
export const destinationUpdateMembers = [
  'S3DestinationUpdate',
  'ExtendedS3DestinationUpdate',
  'RedshiftDestinationUpdate',
  'ElasticsearchDestinationUpdate',
  'AmazonopensearchserviceDestinationUpdate',
  'SplunkDestinationUpdate',
  'HttpEndpointDestinationUpdate',
  'AmazonOpenSearchServerlessDestinationUpdate',
  'SnowflakeDestinationUpdate',
  'IcebergDestinationUpdate',
] as const;

/** The one destination of a CreateDeliveryStream request, as stored. */
export function destinationFromCreate(input: Input, destinationId: string): DestinationState {
  const given = destinationConfigurationMembers.filter((member) => input[member] !== undefined);
  if (given.length !== 1) {
    throw invalidArgument('Exactly one destination configuration is supported for a Firehose');
  }
  const member = given[0] as (typeof destinationConfigurationMembers)[number];
  if (member !== 'S3DestinationConfiguration' && member !== 'ExtendedS3DestinationConfiguration') {
    throw notSupported(`The destination ${member.replace(/Configuration$/, '')}`);
  }
  const config = input[member] as Input;
  const s3 = normalize(config);
  checkS3(s3);
  return { destinationId, kind: 'ExtendedS3', s3 };
}

function normalize(config: Input): S3DestinationState {
  const hints = (config.BufferingHints ?? {}) as Input;
  const state: Record<string, unknown> = {
    RoleARN: config.RoleARN,
    BucketARN: config.BucketARN,
  };
  if (config.Prefix !== undefined) state.Prefix = config.Prefix;
  if (config.ErrorOutputPrefix !== undefined) state.ErrorOutputPrefix = config.ErrorOutputPrefix;
  const sizeDefault = conversionEnabled(config.DataFormatConversionConfiguration)
    ? conversionBufferSizeMiBDefault
    : limits.s3BufferSizeMiBDefault;
  state.BufferingHints = {
    SizeInMBs: (hints.SizeInMBs as number | undefined) ?? sizeDefault,
    IntervalInSeconds:
      (hints.IntervalInSeconds as number | undefined) ?? limits.s3BufferIntervalSecondsDefault,
  };
  state.CompressionFormat = config.CompressionFormat ?? 'UNCOMPRESSED';
  state.EncryptionConfiguration = config.EncryptionConfiguration ?? { NoEncryptionConfig: 'NoEncryption' };
  state.CloudWatchLoggingOptions = config.CloudWatchLoggingOptions ?? { Enabled: false };
  if (config.ProcessingConfiguration !== undefined) {
    state.ProcessingConfiguration = normalizeProcessing(
      config.ProcessingConfiguration as Input,
      undefined,
      config.RoleARN as string,
    );
  }
  state.S3BackupMode = config.S3BackupMode ?? 'Disabled';
  if (config.S3BackupConfiguration !== undefined) state.S3BackupConfiguration = config.S3BackupConfiguration;
  if (config.DynamicPartitioningConfiguration !== undefined) {
    state.DynamicPartitioningConfiguration = normalizePartitioning(
      config.DynamicPartitioningConfiguration as Input,
    );
  }
  for (const member of ['DataFormatConversionConfiguration', 'FileExtension', 'CustomTimeZone']) {
    if (config[member] !== undefined) state[member] = config[member];
  }
  return state as S3DestinationState;
}

/** Dynamic partitioning as AWS echoes it: RetryOptions with its 300 s default when enabled. */
function normalizePartitioning(config: Input): Record<string, unknown> {
  const enabled = config.Enabled as boolean | undefined;
  const retry = config.RetryOptions as Input | undefined;
  if (enabled !== true) return { ...config };
  return {
    Enabled: true,
    RetryOptions: {
      DurationInSeconds: (retry?.DurationInSeconds as number | undefined) ?? 300,
    },
  };
}

/**
 * Processing: processors are replaced as a whole; an omitted `Enabled` is false on create and the
 * previous value on update. AppendDelimiterToRecord takes no parameters (AWS echoes an empty list);
 * a Lambda processor is echoed with its full parameter set (defaults filled in).
 */
function normalizeProcessing(
  config: Input,
  previous: ProcessingConfigurationState | undefined,
  roleArn: string,
): ProcessingConfigurationState {
  const enabled = (config.Enabled as boolean | undefined) ?? previous?.Enabled ?? false;
  const processors = ((config.Processors as Input[] | undefined) ?? []).map((processor) => {
    const type = processor.Type as string;
    if (type === 'AppendDelimiterToRecord') return { Type: type, Parameters: [] };
    if (type === 'Lambda') {
      const given = (processor.Parameters ?? []) as { ParameterName: string; ParameterValue: string }[];
      // Unknown or repeated parameters are kept as given so that checkProcessing refuses them.
      const known = new Set([
        'LambdaArn',
        'NumberOfRetries',
        'RoleArn',
        'BufferSizeInMBs',
        'BufferIntervalInSeconds',
      ]);
      const names = given.map((parameter) => parameter.ParameterName);
      if (names.some((name) => !known.has(name)) || new Set(names).size !== names.length) {
        return { Type: type, Parameters: given };
      }
      return { Type: type, Parameters: canonicalLambdaParameters(given, roleArn) };
    }
    return {
      Type: type,
      Parameters: (processor.Parameters ?? []) as { ParameterName: string; ParameterValue: string }[],
    };
  });
  return { Enabled: enabled, Processors: processors };
}

/** Rules on a complete (stored) S3 destination; InvalidArgumentException for the first broken one. */
function checkS3(s3: S3DestinationState): void {
  validatePrefixes(s3.Prefix, s3.ErrorOutputPrefix, dynamicPartitioningEnabled(s3));
  checkProcessing(s3);
  if (s3.S3BackupMode === 'Enabled' || s3.S3BackupConfiguration !== undefined)
    notSupportedThrow('S3 source record backup');
  const conversion = s3.DataFormatConversionConfiguration as Input | undefined;
  if (conversion !== undefined && conversionEnabled(conversion)) checkConversion(conversion, s3);
  validateTimeZone(s3.CustomTimeZone as string | undefined);
  const encryption = s3.EncryptionConfiguration as Input;
  if (encryption.NoEncryptionConfig !== undefined && encryption.KMSEncryptionConfig !== undefined) {
    throw invalidArgument(
      'EncryptionConfiguration must specify either NoEncryptionConfig or KMSEncryptionConfig, not both.',
    );
  }
}

function notSupportedThrow(what: string): never {
  throw notSupported(what);
}

/**
 * UpdateDestination on an S3 destination: members present in the update replace the stored ones
 * (BufferingHints and EncryptionConfiguration member-wise), absent ones are kept.
 */
export function mergeDestinationUpdate(current: DestinationState, input: Input): DestinationState {
  const given = destinationUpdateMembers.filter((member) => input[member] !== undefined);
  if (given.length !== 1) {
    throw invalidArgument('Exactly one destination update is supported for a Firehose');
  }
  const member = given[0] as (typeof destinationUpdateMembers)[number];
  if (member !== 'S3DestinationUpdate' && member !== 'ExtendedS3DestinationUpdate') {
    throw notSupported(`The destination ${member.replace(/Update$/, '')}`);
  }
  const update = input[member] as Input;
  if (update.S3BackupUpdate !== undefined) notSupportedThrow('S3 source record backup');
  const next: Record<string, unknown> = { ...current.s3 };
  for (const [name, value] of Object.entries(update)) {
    if (value === undefined) continue;
    switch (name) {
      case 'BufferingHints':
        next.BufferingHints = { ...current.s3.BufferingHints, ...(value as Input) };
        break;
      case 'ProcessingConfiguration':
        next.ProcessingConfiguration = normalizeProcessing(
          value as Input,
          current.s3.ProcessingConfiguration,
          (update.RoleARN as string | undefined) ?? current.s3.RoleARN,
        );
        break;
      case 'DynamicPartitioningConfiguration': {
        const wasEnabled = dynamicPartitioningEnabled(current.s3);
        const enabled = (value as Input).Enabled as boolean | undefined;
        if (!wasEnabled && enabled === true) {
          throw invalidArgument(
            'Dynamic partitioning can be enabled only when the delivery stream is created.',
          );
        }
        if (wasEnabled && enabled === false) {
          throw invalidArgument('Dynamic partitioning cannot be disabled once it is enabled.');
        }
        next.DynamicPartitioningConfiguration = wasEnabled
          ? normalizePartitioning({
              ...(current.s3.DynamicPartitioningConfiguration as Input),
              ...(value as Input),
              Enabled: true,
            })
          : value;
        break;
      }
      default:
        next[name] = value;
    }
  }
  const s3 = next as S3DestinationState;
  checkS3(s3);
  return { ...current, s3 };
}

/** The wire `DestinationDescription`: both S3 views, as AWS shows an S3 destination. */
export function describeDestination(destination: DestinationState): Record<string, unknown> {
  const s3 = destination.s3;
  const plain: Record<string, unknown> = { RoleARN: s3.RoleARN, BucketARN: s3.BucketARN };
  if (s3.Prefix !== undefined) plain.Prefix = s3.Prefix;
  if (s3.ErrorOutputPrefix !== undefined) plain.ErrorOutputPrefix = s3.ErrorOutputPrefix;
  plain.BufferingHints = s3.BufferingHints;
  plain.CompressionFormat = s3.CompressionFormat;
  plain.EncryptionConfiguration = s3.EncryptionConfiguration;
  plain.CloudWatchLoggingOptions = s3.CloudWatchLoggingOptions;
  return {
    DestinationId: destination.destinationId,
    S3DestinationDescription: plain,
    ExtendedS3DestinationDescription: s3,
  };
}

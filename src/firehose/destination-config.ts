/**
 * Destination configurations: from a CreateDeliveryStream request to the stored form (defaults
 * filled in as AWS echoes them), the merge of an UpdateDestination, and the views
 * DescribeDeliveryStream shows. A table maps each `*DestinationConfiguration` /
 * `*DestinationUpdate` member to its kind: S3 here (both S3 views, `S3DestinationDescription` and
 * `ExtendedS3DestinationDescription`); the record destinations (HTTP endpoint, OpenSearch,
 * Elasticsearch, Splunk) through their `RecordKindSpec` in `destinations/`.
 *
 * What Tributary cannot do yet is refused here with InvalidArgumentException at create/update
 * time (ORC output, S3 backup), never
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
  checkRecordDestinationProcessing,
  dynamicPartitioningEnabled,
} from './processing/processor-config.js';
import {
  describeRedshift,
  mergeRedshiftUpdate,
  redshiftFromCreate,
  type S3Rules,
} from './redshift/redshift-config.js';
import {
  isRecordDestination,
  type DestinationState,
  type ProcessingConfigurationState,
  type RecordDestinationConfig,
  type RecordDestinationEntry,
  type S3DestinationState,
} from './delivery-stream-model.js';
import { httpEndpointSpec } from './destinations/http-endpoint-config.js';
import { elasticsearchSpec, openSearchSpec } from './destinations/opensearch-config.js';
import { splunkSpec } from './destinations/splunk-config.js';
import {
  describeRecordDestination,
  mergeRecordConfig,
  mergeS3Update,
  normalizeRecordConfig,
  normalizeS3Configuration,
  type DestinationContext,
  type RecordKindSpec,
} from './destinations/record-destination-config.js';

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

/** The record destinations, by kind: the table create, update and describe dispatch on. */
const recordKindSpecs: readonly RecordKindSpec[] = [
  httpEndpointSpec,
  openSearchSpec,
  elasticsearchSpec,
  splunkSpec,
];

const specByConfigurationMember = new Map(recordKindSpecs.map((spec) => [spec.configurationMember, spec]));
const specByUpdateMember = new Map(recordKindSpecs.map((spec) => [spec.updateMember, spec]));
const specByKind = new Map(recordKindSpecs.map((spec) => [spec.kind, spec]));

/** The one destination of a CreateDeliveryStream request, as stored. */
export function destinationFromCreate(
  input: Input,
  destinationId: string,
  context: DestinationContext = {},
): DestinationState {
  const given = destinationConfigurationMembers.filter((member) => input[member] !== undefined);
  if (given.length !== 1) {
    throw invalidArgument('Exactly one destination configuration is supported for a Firehose');
  }
  const member = given[0] as (typeof destinationConfigurationMembers)[number];
  if (member === 'RedshiftDestinationConfiguration') {
    return redshiftFromCreate(input[member] as Input, destinationId, s3Rules);
  }
  const config = input[member] as Input;
  if (member === 'S3DestinationConfiguration' || member === 'ExtendedS3DestinationConfiguration') {
    const s3 = normalize(config);
    checkS3(s3);
    return { destinationId, kind: 'ExtendedS3', s3 };
  }
  const spec = specByConfigurationMember.get(member);
  if (spec === undefined) throw notSupported(`The destination ${member.replace(/Configuration$/, '')}`);
  return recordDestinationFrom(spec, destinationId, config, context);
}

function recordDestinationFrom(
  spec: RecordKindSpec,
  destinationId: string,
  config: Input,
  context: DestinationContext,
): RecordDestinationEntry {
  const state = normalizeRecordConfig(spec, config);
  if (config.ProcessingConfiguration !== undefined) {
    state.ProcessingConfiguration = normalizeProcessing(
      config.ProcessingConfiguration as Input,
      undefined,
      String(config.RoleARN ?? ''),
    );
  }
  const entry: RecordDestinationEntry = {
    destinationId,
    kind: spec.kind,
    s3: normalizeS3Configuration((config.S3Configuration ?? {}) as Input),
    config: state as RecordDestinationConfig,
  };
  checkRecordDestination(spec, entry, context);
  return entry;
}

function checkRecordDestination(
  spec: RecordKindSpec,
  entry: RecordDestinationEntry,
  context: DestinationContext,
): void {
  checkRecordDestinationProcessing(entry.config.ProcessingConfiguration);
  const secrets = entry.config.SecretsManagerConfiguration as Input | undefined;
  if (secrets?.Enabled === true) notSupportedThrow('SecretsManagerConfiguration');
  if (entry.config.VpcConfiguration !== undefined) notSupportedThrow('VpcConfiguration');
  spec.check?.(entry.config, context);
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
export function mergeDestinationUpdate(
  current: DestinationState,
  input: Input,
  context: DestinationContext = {},
): DestinationState {
  const given = destinationUpdateMembers.filter((member) => input[member] !== undefined);
  if (given.length !== 1) {
    throw invalidArgument('Exactly one destination update is supported for a Firehose');
  }
  const member = given[0] as (typeof destinationUpdateMembers)[number];
  if (member === 'RedshiftDestinationUpdate')
    return mergeRedshiftUpdate(current, input[member] as Input, s3Rules);
  if (current.kind === 'Redshift') throw notSupported('Changing the destination type of a delivery stream');
  const update = input[member] as Input;
  if (member !== 'S3DestinationUpdate' && member !== 'ExtendedS3DestinationUpdate') {
    const spec = specByUpdateMember.get(member);
    if (spec === undefined) throw notSupported(`The destination ${member.replace(/Update$/, '')}`);
    return mergeRecordUpdate(spec, current, update, context);
  }
  if (current.kind !== 'ExtendedS3') {
    throw notSupported('Changing the destination type of a delivery stream');
  }
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

/**
 * UpdateDestination on a record destination of the same kind: the merge rules of
 * `record-destination-config.ts`, processing replaced as on S3, the kind's change rules.
 */
function mergeRecordUpdate(
  spec: RecordKindSpec,
  current: DestinationState,
  update: Input,
  context: DestinationContext,
): DestinationState {
  if (current.kind !== spec.kind) throw notSupported('Changing the destination type of a delivery stream');
  const entry = current as RecordDestinationEntry;
  const config = mergeRecordConfig(spec, entry.config, update);
  if (update.ProcessingConfiguration !== undefined) {
    config.ProcessingConfiguration = normalizeProcessing(
      update.ProcessingConfiguration as Input,
      entry.config.ProcessingConfiguration,
      String(update.RoleARN ?? entry.config.RoleARN ?? ''),
    );
  }
  const next: RecordDestinationEntry = {
    ...entry,
    s3: mergeS3Update(entry.s3, update.S3Update as Input | undefined),
    config: config as RecordDestinationConfig,
  };
  spec.checkChange?.(entry.config, next.config);
  checkRecordDestination(spec, next, context);
  return next;
}

/** The wire `DestinationDescription`: both S3 views for S3, the kind's view otherwise. */
export function describeDestination(destination: DestinationState): Record<string, unknown> {
  if (destination.kind === 'Redshift') return describeRedshift(destination, describePlainS3);
  if (isRecordDestination(destination)) {
    const spec = specByKind.get(destination.kind);
    if (spec === undefined)
      throw new Error(`no configuration rules for destination kind ${destination.kind}`);
    return {
      DestinationId: destination.destinationId,
      [spec.descriptionMember]: describeRecordDestination(spec, destination),
    };
  }
  return {
    DestinationId: destination.destinationId,
    S3DestinationDescription: describePlainS3(destination.s3),
    ExtendedS3DestinationDescription: destination.s3,
  };
}

/** The `S3DestinationDescription` view of a stored S3 configuration. */
function describePlainS3(s3: S3DestinationState): Record<string, unknown> {
  const plain: Record<string, unknown> = { RoleARN: s3.RoleARN, BucketARN: s3.BucketARN };
  if (s3.Prefix !== undefined) plain.Prefix = s3.Prefix;
  if (s3.ErrorOutputPrefix !== undefined) plain.ErrorOutputPrefix = s3.ErrorOutputPrefix;
  plain.BufferingHints = s3.BufferingHints;
  plain.CompressionFormat = s3.CompressionFormat;
  plain.EncryptionConfiguration = s3.EncryptionConfiguration;
  plain.CloudWatchLoggingOptions = s3.CloudWatchLoggingOptions;
  return plain;
}

/** The S3 rules the Redshift destination's intermediate (and backup) S3 configuration follows. */
const s3Rules: S3Rules = { normalize, check: checkS3, normalizeProcessing };

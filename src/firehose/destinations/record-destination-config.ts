/**
 * Configuration rules shared by the record destinations (HTTP endpoint, OpenSearch/Elasticsearch,
 * Splunk): the stored form of a `*DestinationConfiguration` (AWS's defaults filled in), the merge
 * of a `*DestinationUpdate`, and the `*DestinationDescription` view. Each kind gives a
 * `RecordKindSpec` (its members, defaults, secrets and own rules); `destination-config.ts` keeps
 * the table of kinds and the processing rules common to every destination.
 *
 * Merge rule (same kind): a member present in the update replaces the stored one, except that
 * structures (BufferingHints, RetryOptions, EndpointConfiguration, RequestConfiguration, …) merge
 * member by member; lists are replaced whole. `S3Update` merges into the S3 configuration.
 */
import { invalidArgument } from '../../core/errors.js';
import type {
  RecordDestinationConfig,
  RecordDestinationEntry,
  RecordDestinationKind,
  S3DestinationState,
} from '../delivery-stream-model.js';
import { validatePrefixes } from '../delivery/prefix-expressions.js';
import { limits } from '../../core/limits.js';

export type Input = Readonly<Record<string, unknown>>;

export interface RecordKindSpec {
  readonly kind: RecordDestinationKind;
  readonly configurationMember: string;
  readonly updateMember: string;
  readonly descriptionMember: string;
  /** Members filled in when the request leaves them out (BufferingHints member-wise). */
  readonly defaults: Input;
  /** Members stored but never shown by Describe (AWS's Description shapes lack them). */
  readonly hidden?: (config: Input) => Input;
  /** The kind's own rules on a complete stored configuration (InvalidArgumentException). */
  readonly check?: (config: RecordDestinationConfig, context: DestinationContext) => void;
  /** Groups of members of which an update naming one drops the others (DomainARN / ClusterEndpoint). */
  readonly alternatives?: readonly (readonly string[])[];
  /** Rules on a change (one-way backup modes …). */
  readonly checkChange?: (current: RecordDestinationConfig, next: RecordDestinationConfig) => void;
}

/** Server settings some destinations check against at create/update time. */
export interface DestinationContext {
  /** OpenSearch/Elasticsearch domains this server can reach, by domain ARN or name. */
  readonly resolveDomain?: (domainArn: string) => string | undefined;
}

/** The S3Configuration of a record destination as stored (= `S3DestinationDescription`). */
export function normalizeS3Configuration(config: Input): S3DestinationState {
  const hints = (config.BufferingHints ?? {}) as Input;
  const state: Record<string, unknown> = { RoleARN: config.RoleARN, BucketARN: config.BucketARN };
  if (config.Prefix !== undefined) state.Prefix = config.Prefix;
  if (config.ErrorOutputPrefix !== undefined) state.ErrorOutputPrefix = config.ErrorOutputPrefix;
  state.BufferingHints = {
    SizeInMBs: (hints.SizeInMBs as number | undefined) ?? limits.s3BufferSizeMiBDefault,
    IntervalInSeconds:
      (hints.IntervalInSeconds as number | undefined) ?? limits.s3BufferIntervalSecondsDefault,
  };
  state.CompressionFormat = config.CompressionFormat ?? 'UNCOMPRESSED';
  state.EncryptionConfiguration = config.EncryptionConfiguration ?? { NoEncryptionConfig: 'NoEncryption' };
  state.CloudWatchLoggingOptions = config.CloudWatchLoggingOptions ?? { Enabled: false };
  const s3 = state as S3DestinationState;
  checkS3Configuration(s3);
  return s3;
}

function checkS3Configuration(s3: S3DestinationState): void {
  if (typeof s3.RoleARN !== 'string' || typeof s3.BucketARN !== 'string') {
    // The Update shapes make every member optional; a complete S3 configuration needs both.
    throw invalidArgument('S3Configuration must specify RoleARN and BucketARN.');
  }
  validatePrefixes(s3.Prefix, s3.ErrorOutputPrefix);
  const encryption = s3.EncryptionConfiguration as Input;
  if (encryption.NoEncryptionConfig !== undefined && encryption.KMSEncryptionConfig !== undefined) {
    throw invalidArgument(
      'EncryptionConfiguration must specify either NoEncryptionConfig or KMSEncryptionConfig, not both.',
    );
  }
}

/** Kind-specific members of a create request, with defaults (no S3Configuration, no processing). */
export function normalizeRecordConfig(spec: RecordKindSpec, config: Input): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(spec.defaults)) state[name] = value;
  for (const [name, value] of Object.entries(config)) {
    if (value === undefined || name === 'S3Configuration' || name === 'ProcessingConfiguration') continue;
    state[name] = isStructure(value) && isStructure(state[name]) ? { ...state[name], ...value } : value;
  }
  checkBufferingHintsGiven(config);
  return state;
}

/** A same-kind update merged into the stored kind-specific members (see the module comment). */
export function mergeRecordConfig(
  spec: RecordKindSpec,
  current: Input,
  update: Input,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  for (const group of spec.alternatives ?? []) {
    if (group.some((name) => update[name] !== undefined)) for (const name of group) delete next[name];
  }
  for (const [name, value] of Object.entries(update)) {
    if (value === undefined || name === 'S3Update' || name === 'ProcessingConfiguration') continue;
    next[name] = isStructure(value) && isStructure(next[name]) ? { ...next[name], ...value } : value;
  }
  return next;
}

/** `S3Update` merged into the stored S3 configuration (BufferingHints member-wise). */
export function mergeS3Update(current: S3DestinationState, update: Input | undefined): S3DestinationState {
  if (update === undefined) return current;
  const next: Record<string, unknown> = { ...current };
  for (const [name, value] of Object.entries(update)) {
    if (value === undefined) continue;
    next[name] = name === 'BufferingHints' ? { ...current.BufferingHints, ...(value as Input) } : value;
  }
  const s3 = next as S3DestinationState;
  checkS3Configuration(s3);
  return s3;
}

/** Describe's view: the stored members minus secrets, with S3DestinationDescription. */
export function describeRecordDestination(spec: RecordKindSpec, destination: RecordDestinationEntry): Input {
  const view: Record<string, unknown> = { ...(spec.hidden?.(destination.config) ?? destination.config) };
  view.S3DestinationDescription = destination.s3;
  return view;
}

/** SizeInMBs and IntervalInSeconds come together or not at all (the API reference's rule). */
function checkBufferingHintsGiven(config: Input): void {
  const hints = config.BufferingHints as Input | undefined;
  if (hints === undefined) return;
  if ((hints.SizeInMBs === undefined) !== (hints.IntervalInSeconds === undefined)) {
    throw invalidArgument('BufferingHints must specify both SizeInMBs and IntervalInSeconds, or neither.');
  }
}

function isStructure(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What the catalog holds for a delivery stream, and the names derived from it.
 *
 * A delivery stream is one catalog entry (`firehose/<account>/<region>/<name>`). Its destination
 * is kept in the form DescribeDeliveryStream answers (`ExtendedS3DestinationDescription`, defaults
 * filled in), so Describe and UpdateDestination work on one value. `deliveryStreamId` is random
 * per creation: a Direct PUT stream's records go to the log `firehose-<id>`, and the delivery
 * checkpoint lives under `firehose-checkpoints/<id>`, so a re-created stream of the same name
 * never sees an old one's data.
 */
import type { CompressionFormat } from './compression/compress-object.js';
import type { RedshiftState } from './redshift/redshift-config.js';

export const deliveryStreamStatuses = [
  'CREATING',
  'CREATING_FAILED',
  'DELETING',
  'DELETING_FAILED',
  'ACTIVE',
] as const;
export type DeliveryStreamStatus = (typeof deliveryStreamStatuses)[number];

export const deliveryStreamTypes = [
  'DirectPut',
  'KinesisStreamAsSource',
  'MSKAsSource',
  'DatabaseAsSource',
] as const;
export type DeliveryStreamType = (typeof deliveryStreamTypes)[number];

/** The ExtendedS3 destination as Describe shows it (every member a JSON value). */
export type S3DestinationState = Readonly<Record<string, unknown>> & {
  readonly RoleARN: string;
  readonly BucketARN: string;
  readonly Prefix?: string;
  readonly ErrorOutputPrefix?: string;
  readonly BufferingHints: { readonly SizeInMBs: number; readonly IntervalInSeconds: number };
  readonly CompressionFormat: CompressionFormat;
  readonly FileExtension?: string;
  readonly ProcessingConfiguration?: ProcessingConfigurationState;
};

export interface ProcessingConfigurationState {
  readonly Enabled: boolean;
  readonly Processors: readonly {
    readonly Type: string;
    readonly Parameters?: readonly { ParameterName: string; ParameterValue: string }[];
  }[];
}

/** The destinations that receive records (not objects); each also has an S3 bucket for backups. */
export const recordDestinationKinds = [
  'HttpEndpoint',
  'AmazonOpenSearchService',
  'Elasticsearch',
  'Splunk',
] as const;
export type RecordDestinationKind = (typeof recordDestinationKinds)[number];

export interface S3DestinationEntry {
  readonly destinationId: string;
  /**
   * ExtendedS3 (S3DestinationConfiguration creates one too, as on AWS), or Redshift: `s3` is then
   * its intermediate S3 configuration and `redshift` the rest.
   */
  readonly kind: 'ExtendedS3' | 'Redshift';
  readonly s3: S3DestinationState;
  readonly redshift?: RedshiftState;
}

/**
 * A record destination: `config` is its stored form (Describe's members, defaults filled in, plus
 * secrets such as AccessKey that Describe leaves out); `s3` is its S3Configuration, the bucket
 * for failed (or all) records, in the form `S3DestinationDescription` shows.
 */
export interface RecordDestinationEntry {
  readonly destinationId: string;
  readonly kind: RecordDestinationKind;
  readonly s3: S3DestinationState;
  readonly config: RecordDestinationConfig;
}

/** The members every record destination's stored form has (see `destinations/*-config.ts`). */
export type RecordDestinationConfig = Readonly<Record<string, unknown>> & {
  readonly BufferingHints: { readonly SizeInMBs: number; readonly IntervalInSeconds: number };
  readonly RetryOptions?: { readonly DurationInSeconds: number };
  readonly S3BackupMode: string;
  readonly ProcessingConfiguration?: ProcessingConfigurationState;
};

export type DestinationState = S3DestinationEntry | RecordDestinationEntry;

/** By membership, not by "not S3": other object destinations (Redshift's intermediate S3) are not record ones. */
export const isRecordDestination = (destination: DestinationState): destination is RecordDestinationEntry =>
  (recordDestinationKinds as readonly string[]).includes(destination.kind);

/** The buffering hints that decide when a buffer is delivered. */
export function bufferingHintsOf(destination: DestinationState): {
  readonly SizeInMBs: number;
  readonly IntervalInSeconds: number;
} {
  return isRecordDestination(destination) ? destination.config.BufferingHints : destination.s3.BufferingHints;
}

/** The destination's ProcessingConfiguration, wherever its kind keeps it. */
export function processingOf(destination: DestinationState): ProcessingConfigurationState | undefined {
  return isRecordDestination(destination)
    ? destination.config.ProcessingConfiguration
    : destination.s3.ProcessingConfiguration;
}

export interface KinesisSourceState {
  readonly kinesisStreamArn: string;
  readonly roleArn: string;
  readonly deliveryStartMs: number;
}

export interface EncryptionState {
  readonly status: 'ENABLED' | 'ENABLING' | 'DISABLED' | 'DISABLING';
  readonly keyType?: 'AWS_OWNED_CMK' | 'CUSTOMER_MANAGED_CMK';
  readonly keyArn?: string;
  /** Times of recent Start/Stop calls, for AWS's 25-per-24-hours limit. */
  readonly changesMs?: readonly number[];
}

export interface DeliveryStreamTransition {
  readonly kind: 'create' | 'delete' | 'encryption';
  readonly dueAtMs: number;
}

export interface DeliveryStreamRecord {
  readonly deliveryStreamId: string;
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly status: DeliveryStreamStatus;
  readonly type: 'DirectPut' | 'KinesisStreamAsSource';
  readonly createdAtMs: number;
  readonly lastUpdateMs?: number;
  /** VersionId as a number; the wire carries its decimal string. */
  readonly versionId: number;
  readonly tags: readonly { readonly Key: string; readonly Value?: string }[];
  readonly directPut?: { readonly throughputHintInMBs?: number };
  readonly kinesisSource?: KinesisSourceState;
  readonly destination: DestinationState;
  readonly encryption: EncryptionState;
  readonly transition?: DeliveryStreamTransition;
}

export const deliveryStreamKey = (accountId: string, region: string, name: string): string =>
  `firehose/${accountId}/${region}/${name}`;

export const deliveryStreamPrefix = (accountId: string, region: string): string =>
  `firehose/${accountId}/${region}/`;

/** Log ids of Direct PUT delivery streams all start with this; nothing else's may. */
export const firehoseLogPrefix = 'firehose-';

export const directPutLogId = (record: Pick<DeliveryStreamRecord, 'deliveryStreamId'>): string =>
  `${firehoseLogPrefix}${record.deliveryStreamId}`;

export const checkpointKey = (record: Pick<DeliveryStreamRecord, 'deliveryStreamId'>): string =>
  `firehose-checkpoints/${record.deliveryStreamId}`;

/**
 * The retry state of the batch a record destination is retrying (`RetryState` in
 * delivery/record-batch.ts), so that RetryOptions count from its first failure across restarts.
 */
export const retryStateKey = (record: Pick<DeliveryStreamRecord, 'deliveryStreamId'>): string =>
  `firehose-retries/${record.deliveryStreamId}`;

/** AWS's first (and, with one destination, only) destination id. */
export const firstDestinationId = 'destinationId-000000000001';

export function bucketNameOf(bucketArn: string): string {
  return bucketArn.slice(bucketArn.lastIndexOf(':') + 1);
}

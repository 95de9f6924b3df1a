/**
 * The Redshift destination's configuration (delivered to PostgreSQL in the Redshift role): from
 * `RedshiftDestinationConfiguration` to the stored form with AWS's defaults (RetryOptions 3600 s,
 * S3BackupMode Disabled, logging off, and the intermediate S3Configuration's own S3 defaults), the
 * merge of a `RedshiftDestinationUpdate`, and `RedshiftDestinationDescription` (no Password, as
 * AWS's shape has none).
 *
 * Stored: `destination.s3` is the intermediate S3 configuration (objects are written there first,
 * then loaded), so buffering, prefix and compression work as for S3; ProcessingConfiguration is
 * kept there too. `destination.redshift` holds the rest.
 *
 * Refused with InvalidArgumentException: intermediate CompressionFormat other than UNCOMPRESSED
 * or GZIP (COPY cannot read them), prefix expressions and ErrorOutputPrefix (AWS's Redshift
 * rules), COPY options that cannot be translated (`copy-options.ts`), SecretsManager credentials,
 * processors other than AppendDelimiterToRecord, a JDBC URL or table/column names that PostgreSQL
 * cannot be addressed with.
 */
import { invalidArgument } from '../../core/errors.js';
import {
  isRecordDestination,
  type DestinationState,
  type S3DestinationEntry,
  type S3DestinationState,
} from '../delivery-stream-model.js';
import { parseCopyOptions } from './copy-options.js';
import { columnNames, postgresTargetOf, tableNameSql } from './postgres-copy.js';

type Input = Readonly<Record<string, unknown>>;

export interface CopyCommandState {
  readonly DataTableName: string;
  readonly DataTableColumns?: string;
  readonly CopyOptions?: string;
}

export interface RedshiftState {
  readonly RoleARN: string;
  readonly ClusterJDBCURL: string;
  readonly CopyCommand: CopyCommandState;
  readonly Username: string;
  /** Kept to connect; never described. */
  readonly Password: string;
  readonly RetryOptions: { readonly DurationInSeconds: number };
  readonly S3BackupMode: 'Disabled' | 'Enabled';
  readonly S3BackupConfiguration?: S3DestinationState;
  readonly CloudWatchLoggingOptions: Readonly<Record<string, unknown>>;
}

/** AWS's default RetryOptions.DurationInSeconds for Redshift. */
export const redshiftRetryDurationSecondsDefault = 3600;

/** What destination-config.ts lends: the S3 configuration's normalisation and rules. */
export interface S3Rules {
  readonly normalize: (config: Input) => S3DestinationState;
  readonly check: (s3: S3DestinationState) => void;
  readonly normalizeProcessing: (
    config: Input,
    previous: S3DestinationState['ProcessingConfiguration'],
    /** The destination's role: a Lambda processor's RoleArn parameter defaults to it. */
    roleArn: string,
  ) => NonNullable<S3DestinationState['ProcessingConfiguration']>;
}

const notSupported = (what: string): Error =>
  invalidArgument(`${what} is not supported yet by this Firehose endpoint.`);

export function redshiftFromCreate(config: Input, destinationId: string, rules: S3Rules): DestinationState {
  const s3Input = config.S3Configuration as Input;
  let s3 = rules.normalize(s3Input);
  if (config.ProcessingConfiguration !== undefined) {
    s3 = {
      ...s3,
      ProcessingConfiguration: rules.normalizeProcessing(
        config.ProcessingConfiguration as Input,
        undefined,
        config.RoleARN as string,
      ),
    };
  }
  const redshift: RedshiftState = {
    RoleARN: config.RoleARN as string,
    ClusterJDBCURL: config.ClusterJDBCURL as string,
    CopyCommand: copyCommandOf(config.CopyCommand as Input),
    Username: config.Username as string,
    Password: config.Password as string,
    RetryOptions: {
      DurationInSeconds:
        ((config.RetryOptions as Input | undefined)?.DurationInSeconds as number | undefined) ??
        redshiftRetryDurationSecondsDefault,
    },
    S3BackupMode: (config.S3BackupMode as 'Disabled' | 'Enabled' | undefined) ?? 'Disabled',
    ...(config.S3BackupConfiguration === undefined
      ? {}
      : { S3BackupConfiguration: rules.normalize(config.S3BackupConfiguration as Input) }),
    CloudWatchLoggingOptions: (config.CloudWatchLoggingOptions as Input | undefined) ?? { Enabled: false },
  };
  if (config.SecretsManagerConfiguration !== undefined) {
    const secrets = config.SecretsManagerConfiguration as Input;
    if (secrets.Enabled === true) throw notSupported('SecretsManagerConfiguration');
  }
  if (config.Username === undefined || config.Password === undefined) {
    throw invalidArgument(
      'Username and Password are required when SecretsManagerConfiguration is not enabled.',
    );
  }
  checkRedshift(redshift, s3, rules);
  return { destinationId, kind: 'Redshift', s3, redshift };
}

function copyCommandOf(input: Input): CopyCommandState {
  return {
    DataTableName: input.DataTableName as string,
    ...(input.DataTableColumns === undefined ? {} : { DataTableColumns: input.DataTableColumns as string }),
    ...(input.CopyOptions === undefined ? {} : { CopyOptions: input.CopyOptions as string }),
  };
}

function checkRedshift(redshift: RedshiftState, s3: S3DestinationState, rules: S3Rules): void {
  if (postgresTargetOf(redshift.ClusterJDBCURL) === undefined) {
    throw invalidArgument(`ClusterJDBCURL ${redshift.ClusterJDBCURL} is not a valid JDBC URL.`);
  }
  if (tableNameSql(redshift.CopyCommand.DataTableName) === undefined) {
    throw notSupported(`The DataTableName ${redshift.CopyCommand.DataTableName} (not a SQL table name)`);
  }
  const columns = redshift.CopyCommand.DataTableColumns;
  if (columns !== undefined && columns.trim() !== '' && columnNames(columns) === undefined) {
    throw notSupported(`The DataTableColumns ${columns} (not a list of SQL column names)`);
  }
  const plan = parseCopyOptions(redshift.CopyCommand.CopyOptions);
  if (s3.CompressionFormat !== 'UNCOMPRESSED' && s3.CompressionFormat !== 'GZIP') {
    throw invalidArgument(
      `Compression format ${s3.CompressionFormat} is not supported for the Redshift destination; use UNCOMPRESSED or GZIP.`,
    );
  }
  if (plan.gzip !== (s3.CompressionFormat === 'GZIP')) {
    throw invalidArgument(
      plan.gzip
        ? 'CopyOptions GZIP needs the S3Configuration CompressionFormat GZIP.'
        : 'S3Configuration CompressionFormat GZIP needs GZIP in CopyOptions, or COPY cannot read the objects.',
    );
  }
  if (s3.ErrorOutputPrefix !== undefined) {
    throw invalidArgument('ErrorOutputPrefix is not supported for the Redshift destination.');
  }
  if (s3.Prefix !== undefined && s3.Prefix.includes('!{')) {
    throw invalidArgument('Prefix expressions are not supported for the Redshift destination.');
  }
  rules.check(s3);
  if (redshift.S3BackupMode === 'Enabled') {
    if (redshift.S3BackupConfiguration === undefined) {
      throw invalidArgument('S3BackupConfiguration is required when S3BackupMode is Enabled.');
    }
    rules.check(redshift.S3BackupConfiguration);
  }
}

/** RedshiftDestinationUpdate: present members replace stored ones; S3Update merges member-wise. */
export function mergeRedshiftUpdate(
  current: DestinationState,
  update: Input,
  rules: S3Rules,
): DestinationState {
  const previous = isRecordDestination(current) ? undefined : current.redshift;
  if (previous === undefined) throw notSupported('Changing the destination type');
  if (previous.S3BackupMode === 'Enabled' && update.S3BackupMode === 'Disabled') {
    throw invalidArgument('S3BackupMode cannot be changed from Enabled to Disabled.');
  }
  const redshift: Record<string, unknown> = { ...previous };
  for (const member of [
    'RoleARN',
    'ClusterJDBCURL',
    'Username',
    'Password',
    'S3BackupMode',
    'CloudWatchLoggingOptions',
  ]) {
    if (update[member] !== undefined) redshift[member] = update[member];
  }
  if (update.CopyCommand !== undefined) redshift.CopyCommand = copyCommandOf(update.CopyCommand as Input);
  if (update.RetryOptions !== undefined) {
    redshift.RetryOptions = { ...previous.RetryOptions, ...(update.RetryOptions as Input) };
  }
  if (update.S3BackupUpdate !== undefined) {
    redshift.S3BackupConfiguration =
      previous.S3BackupConfiguration === undefined
        ? rules.normalize(update.S3BackupUpdate as Input)
        : mergeS3(previous.S3BackupConfiguration, update.S3BackupUpdate as Input);
  }
  let s3 = current.s3;
  if (update.S3Update !== undefined) s3 = mergeS3(s3, update.S3Update as Input);
  if (update.ProcessingConfiguration !== undefined) {
    s3 = {
      ...s3,
      ProcessingConfiguration: rules.normalizeProcessing(
        update.ProcessingConfiguration as Input,
        s3.ProcessingConfiguration,
        (update.RoleARN as string | undefined) ?? (redshift.RoleARN as string),
      ),
    };
  }
  const next = redshift as unknown as RedshiftState;
  checkRedshift(next, s3, rules);
  return { ...(current as S3DestinationEntry), s3, redshift: next };
}

function mergeS3(current: S3DestinationState, update: Input): S3DestinationState {
  const next: Record<string, unknown> = { ...current };
  for (const [name, value] of Object.entries(update)) {
    if (value === undefined) continue;
    next[name] =
      name === 'BufferingHints' || name === 'EncryptionConfiguration'
        ? { ...(current[name] as Input), ...(value as Input) }
        : value;
  }
  return next as S3DestinationState;
}

/** `RedshiftDestinationDescription`, with `describeS3` giving the intermediate S3 view. */
export function describeRedshift(
  destination: DestinationState,
  describeS3: (s3: S3DestinationState) => Record<string, unknown>,
): Record<string, unknown> {
  const redshift = (destination as S3DestinationEntry).redshift as RedshiftState;
  const description: Record<string, unknown> = {
    RoleARN: redshift.RoleARN,
    ClusterJDBCURL: redshift.ClusterJDBCURL,
    CopyCommand: redshift.CopyCommand,
    Username: redshift.Username,
    RetryOptions: redshift.RetryOptions,
    S3DestinationDescription: describeS3(destination.s3),
  };
  if (destination.s3.ProcessingConfiguration !== undefined) {
    description.ProcessingConfiguration = destination.s3.ProcessingConfiguration;
  }
  description.S3BackupMode = redshift.S3BackupMode;
  if (redshift.S3BackupConfiguration !== undefined) {
    description.S3BackupDescription = describeS3(redshift.S3BackupConfiguration);
  }
  description.CloudWatchLoggingOptions = redshift.CloudWatchLoggingOptions;
  return { DestinationId: destination.destinationId, RedshiftDestinationDescription: description };
}

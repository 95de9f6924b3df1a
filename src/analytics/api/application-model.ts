/**
 * An analytics application as the catalog keeps it: the configuration the API was given (in
 * the model's own structures, so that DescribeApplication hands it back as it came), the
 * service-assigned ids, the version counter and the status with its pending transition.
 *
 * Invariants: `versionId` grows by one with every configuration change (never with Start/Stop);
 * `transition` is set exactly while the status is STARTING, STOPPING, UPDATING or DELETING, so a
 * restart in the middle finishes it; ids are never reused within an application.
 */
import { partitionOf } from '../../core/arn.js';
import { resourceNotFound } from '../../core/errors.js';
import type { ShapeValue } from '../../protocol/shape.js';
import type { inputShapes } from './shapes.generated.js';

export type RequestOf<Operation extends keyof typeof inputShapes> = ShapeValue<
  (typeof inputShapes)[Operation]
>;

export const applicationStatuses = [
  'DELETING',
  'STARTING',
  'STOPPING',
  'READY',
  'RUNNING',
  'UPDATING',
] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

export type InputConfiguration = RequestOf<'AddApplicationInput'>['Input'];
export type SourceSchema = InputConfiguration['InputSchema'];
export type RecordColumn = SourceSchema['RecordColumns'][number];
export type OutputConfiguration = RequestOf<'AddApplicationOutput'>['Output'];
export type ReferenceDataSourceConfiguration =
  RequestOf<'AddApplicationReferenceDataSource'>['ReferenceDataSource'];
export type LoggingOptionConfiguration =
  RequestOf<'AddApplicationCloudWatchLoggingOption'>['CloudWatchLoggingOption'];
export type ProcessingConfiguration =
  RequestOf<'AddApplicationInputProcessingConfiguration'>['InputProcessingConfiguration'];
export type StartingPosition = 'NOW' | 'TRIM_HORIZON' | 'LAST_STOPPED_POINT';

export interface StoredInput {
  readonly id: string;
  readonly input: InputConfiguration;
  /** Set by StartApplication; kept so that a restart resumes the same way. */
  readonly startingPosition?: StartingPosition;
}

export interface StoredOutput {
  readonly id: string;
  readonly output: OutputConfiguration;
}

export interface StoredReference {
  readonly id: string;
  readonly reference: ReferenceDataSourceConfiguration;
}

export interface StoredLoggingOption {
  readonly id: string;
  readonly option: LoggingOptionConfiguration;
}

export type TransitionKind = 'start' | 'stop' | 'update' | 'delete';

export interface ApplicationRecord {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly description?: string;
  readonly code?: string;
  readonly status: ApplicationStatus;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly versionId: number;
  readonly inputs: readonly StoredInput[];
  readonly outputs: readonly StoredOutput[];
  readonly references: readonly StoredReference[];
  readonly loggingOptions: readonly StoredLoggingOption[];
  /** Tags in the order they were first set. */
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
  /** The last number handed out in an id (`<n>.1`). */
  readonly lastIdNumber: number;
  readonly transition?: { readonly kind: TransitionKind; readonly dueAtMs: number };
  /**
   * Whether the application was RUNNING when its pending change began (UPDATING returns to
   * RUNNING); also true while RUNNING.
   */
  readonly running: boolean;
}

export function applicationKey(accountId: string, region: string, name: string): string {
  return `analytics/applications/${accountId}/${region}/${name}`;
}

export function applicationPrefix(accountId: string, region: string): string {
  return `analytics/applications/${accountId}/${region}/`;
}

export function applicationArn(region: string, accountId: string, name: string): string {
  return `arn:${partitionOf(region)}:kinesisanalytics:${region}:${accountId}:application/${name}`;
}

/** `arn:aws:kinesisanalytics:<region>:<account>:application/<name>` split, or undefined. */
export function parseApplicationArn(
  arn: string,
): { readonly region: string; readonly accountId: string; readonly name: string } | undefined {
  const match =
    /^arn:aws[a-z-]*:kinesisanalytics:([a-z0-9-]+):(\d{12}):application\/([a-zA-Z0-9_.-]{1,128})$/.exec(arn);
  if (match === null) return undefined;
  return { region: match[1] as string, accountId: match[2] as string, name: match[3] as string };
}

/** The in-application streams an input creates: `<prefix>_001` … `<prefix>_<count>`. */
export function inAppStreamNames(input: InputConfiguration): string[] {
  const count = input.InputParallelism?.Count ?? 1;
  return Array.from(
    { length: count },
    (_, index) => `${input.NamePrefix}_${String(index + 1).padStart(3, '0')}`,
  );
}

export function nextId(record: ApplicationRecord): { id: string; lastIdNumber: number } {
  const lastIdNumber = record.lastIdNumber + 1;
  return { id: `${lastIdNumber}.1`, lastIdNumber };
}

/**
 * The items without the one with `id`; ResourceNotFoundException naming the application and
 * `what` when there is none (the Delete… operations of inputs' parts, outputs, references, logging).
 */
export function withoutItem<T extends { readonly id: string }>(
  record: Pick<ApplicationRecord, 'name'>,
  items: readonly T[],
  id: string,
  what: string,
): T[] {
  if (!items.some((stored) => stored.id === id)) {
    throw resourceNotFound(`Application ${record.name} has no ${what} with id ${id}.`);
  }
  return items.filter((stored) => stored.id !== id);
}

/**
 * What the server's console endpoint `GET /_tributary/firehose/errors?DeliveryStreamName=<name>`
 * answers (docs/console.md): a delivery stream's last delivery errors, newest first. No DOM here,
 * so tests read the same types; `firehose-errors-client.ts` makes the signed call.
 */

export const firehoseErrorsPath = '/_tributary/firehose/errors';

export interface DeliveryErrorRow {
  /** Epoch seconds. */
  readonly Timestamp: number;
  readonly Destination: string;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
  readonly AttemptsMade: number;
  readonly RecordCount: number;
  /** `Retrying`, `ErrorOutputPrefix` or `S3Backup`. */
  readonly Outcome: string;
}

export interface LastErrors {
  readonly DeliveryStreamName: string;
  readonly TotalErrorCount: number;
  readonly Errors: readonly DeliveryErrorRow[];
}

/** What each outcome means for the records, as the panel says it. */
export const outcomeLabels: Readonly<Record<string, string>> = {
  Retrying: 'Retrying (records kept)',
  ErrorOutputPrefix: 'Written under the error output prefix',
  S3Backup: 'Written to the S3 backup',
};

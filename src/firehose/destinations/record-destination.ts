/**
 * A record destination: where a delivery stream sends its buffered records as requests rather
 * than as S3 objects (HTTP endpoint, OpenSearch/Elasticsearch `_bulk`, Splunk HEC). One
 * interface, checked by `test/conformance/record-destination-suite.ts`.
 *
 * Contract: `deliver` sends one attempt for `records` and resolves with the records that failed
 * (indexes into `records`, each with AWS's error code and message); an empty list means every
 * record was accepted. A whole-request failure (connection refused, timeout, non-success status,
 * a response that breaks the protocol) fails every record with the same error. `deliver` never
 * rejects for an operating error of the destination; it rejects only for programmer errors.
 * The worker retries the failed records, with the same `attempt.requestId`, until the delivery
 * stream's RetryOptions run out, then writes them to the S3 backup.
 */
import type { BufferedRecord } from '../delivery/delivery-buffer.js';

export interface DeliveryAttempt {
  /** Stable across retries of one batch (AWS's X-Amz-Firehose-Request-Id, best effort). */
  readonly requestId: string;
  /** 1 for the first attempt. */
  readonly attemptNumber: number;
  /** The delivery stream's ARN (X-Amz-Firehose-Source-Arn). */
  readonly sourceArn: string;
  /** The position in the batch of each record given to `deliver` (stable ids such as document ids). */
  readonly recordIndexes: readonly number[];
  /** Aborted when the delivery worker stops: requests in flight end at once (and count as failed). */
  readonly signal?: AbortSignal;
}

export interface RecordFailure {
  /** Index into the records given to `deliver`. */
  readonly index: number;
  /** AWS's error code, e.g. `HttpEndpoint.DestinationException`, or the bulk item's HTTP status. */
  readonly errorCode: string;
  readonly errorMessage: string;
}

/**
 * Members a destination adds to the failed-record envelope, before `rawData` (e.g. OpenSearch's
 * `esDocumentId`) or after it (HTTP's `subsequenceNumber`, Splunk's `EventId`), as AWS orders them.
 */
export interface EnvelopeFields {
  readonly beforeRawData?: Readonly<Record<string, string | number>>;
  readonly afterRawData?: Readonly<Record<string, string | number>>;
}

export interface DeliveryOutcome {
  readonly failures: readonly RecordFailure[];
}

export interface RecordDestination {
  /** `!{firehose:error-output-type}` of this destination's failed records. */
  readonly errorOutputType: string;
  deliver(records: readonly BufferedRecord[], attempt: DeliveryAttempt): Promise<DeliveryOutcome>;
  /** Destination-specific members of a failed record's S3 envelope; `batchIndex` as in `recordIndexes`. */
  envelopeFields(record: BufferedRecord, batchIndex: number, attempt: DeliveryAttempt): EnvelopeFields;
}

/** Every record of a batch failed with the same error. */
export function failAll(
  records: readonly BufferedRecord[],
  errorCode: string,
  errorMessage: string,
): DeliveryOutcome {
  return { failures: records.map((_, index) => ({ index, errorCode, errorMessage })) };
}

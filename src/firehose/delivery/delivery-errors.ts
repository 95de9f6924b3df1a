/**
 * The last delivery errors of each delivery stream, for the console's "Last errors" panel
 * (`GET /_tributary/firehose/errors`): what failed, with which code, after how many attempts, and
 * what became of the records (retried, written under the error output prefix, written to the S3
 * backup).
 *
 * Bounded: at most `keptMax` errors per delivery stream (the oldest go first), and one ring per
 * delivery stream id, removed with `forget` when the delivery stream is deleted (a stream created
 * again under the same name starts empty). A run of retries failing with the same error code is
 * one entry whose time, message and attempt count move on (a message may name an object key that
 * changes with every attempt), so a destination that stays down does not push every other error
 * out. Memory only: the errors are a view for operators, not state to recover.
 */
import assert from 'node:assert/strict';

/** What happened to the records of a failed step. */
export const deliveryErrorOutcomes = {
  /** Kept, and tried again after a delay (nothing is lost). */
  retrying: 'Retrying',
  /** Written as error documents under the S3 destination's ErrorOutputPrefix. */
  errorOutput: 'ErrorOutputPrefix',
  /** Given up by the destination once RetryOptions ran out, and written to the S3 backup. */
  s3Backup: 'S3Backup',
} as const;
export type DeliveryErrorOutcome = (typeof deliveryErrorOutcomes)[keyof typeof deliveryErrorOutcomes];

export interface DeliveryError {
  /** When it happened (the last attempt, for a run of retries). */
  readonly timeMs: number;
  /** The delivery stream's destination kind (`ExtendedS3`, `HttpEndpoint`, `OpenSearch`, …). */
  readonly destination: string;
  /** AWS's error code where there is one (`S3.NoSuchBucket`, `Lambda.FunctionError`, …). */
  readonly errorCode: string;
  readonly errorMessage: string;
  /** Attempts made so far (for a processor, its invocations of the batch). */
  readonly attempts: number;
  /** Records concerned. */
  readonly records: number;
  readonly outcome: DeliveryErrorOutcome;
}

interface Ring {
  readonly entries: DeliveryError[];
  /** Errors recorded since the ring was made (a run of retries counts once per attempt). */
  total: number;
}

export class DeliveryErrors {
  readonly #keptMax: number;
  readonly #rings = new Map<string, Ring>();

  constructor(keptMax: number) {
    assert(Number.isInteger(keptMax) && keptMax > 0, 'keptMax must be a positive integer');
    this.#keptMax = keptMax;
  }

  record(deliveryStreamId: string, error: DeliveryError): void {
    let ring = this.#rings.get(deliveryStreamId);
    if (ring === undefined) {
      ring = { entries: [], total: 0 };
      this.#rings.set(deliveryStreamId, ring);
    }
    ring.total += 1;
    const newest = ring.entries.at(-1);
    if (
      newest !== undefined &&
      error.outcome === deliveryErrorOutcomes.retrying &&
      newest.outcome === deliveryErrorOutcomes.retrying &&
      newest.errorCode === error.errorCode &&
      newest.destination === error.destination
    ) {
      ring.entries[ring.entries.length - 1] = error;
      return;
    }
    ring.entries.push(error);
    if (ring.entries.length > this.#keptMax) ring.entries.shift();
  }

  /** The kept errors of a delivery stream, newest first. */
  list(deliveryStreamId: string): DeliveryError[] {
    return [...(this.#rings.get(deliveryStreamId)?.entries ?? [])].reverse();
  }

  /** How many errors were recorded for a delivery stream, kept or not. */
  total(deliveryStreamId: string): number {
    return this.#rings.get(deliveryStreamId)?.total ?? 0;
  }

  forget(deliveryStreamId: string): void {
    this.#rings.delete(deliveryStreamId);
  }
}

/**
 * One sealed batch on its way to a record destination: which of its records are still to be
 * delivered, how many attempts were made, when the retry clock started, and the failures to write
 * to the S3 backup once retries run out.
 *
 * AWS's schedule: the retry clock starts at the first failure; the n-th retry waits
 * min(1 s · 2^(n-1), 120 s) ±15 %; once RetryOptions.DurationInSeconds have passed since the
 * first failure (0: no retry at all), the records that still fail are given up to the backup.
 * Only the failed records are retried (a bulk API may accept part of a batch). After a restart
 * the batch is read again from the source (at least once); the delivery worker stores
 * `retryState` in the catalog after each failed attempt and gives it back to the new batch, so
 * the attempts and the retry clock go on where they were instead of starting over.
 */
import { randomUUID } from 'node:crypto';
import { limits } from '../../core/limits.js';
import type { BufferedRecord } from './delivery-buffer.js';
import type {
  DeliveryAttempt,
  EnvelopeFields,
  RecordDestination,
  RecordFailure,
} from '../destinations/record-destination.js';

/** A record the destination did not take, with what the backup envelope needs. */
export interface GivenUpRecord {
  readonly record: BufferedRecord;
  readonly failure: RecordFailure;
  readonly attemptsMade: number;
  readonly attemptEndingMs: number;
  readonly fields: EnvelopeFields;
}

/** What of a batch's retries outlives a restart. */
export interface RetryState {
  readonly attemptsMade: number;
  readonly firstFailureMs: number;
}

export type AttemptResult =
  | { readonly kind: 'done'; readonly givenUp: readonly GivenUpRecord[] }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly failures: readonly RecordFailure[] };

export class RecordBatch {
  readonly records: readonly BufferedRecord[];
  readonly requestId = randomUUID();
  #pending: number[];
  #attempts = 0;
  #firstFailureMs: number | undefined;
  readonly #random: () => number;

  constructor(records: readonly BufferedRecord[], random: () => number = Math.random, resumed?: RetryState) {
    this.records = records;
    this.#pending = records.map((_, index) => index);
    this.#random = random;
    if (resumed !== undefined) {
      this.#attempts = resumed.attemptsMade;
      this.#firstFailureMs = resumed.firstFailureMs;
    }
  }

  /** The retries so far, once an attempt failed. */
  get retryState(): RetryState | undefined {
    const firstFailureMs = this.#firstFailureMs;
    return firstFailureMs === undefined ? undefined : { attemptsMade: this.#attempts, firstFailureMs };
  }

  /** The records the next attempt sends. */
  get pendingRecords(): readonly BufferedRecord[] {
    return this.#pending.map((index) => this.records[index] as BufferedRecord);
  }

  get attemptsMade(): number {
    return this.#attempts;
  }

  /**
   * Sends the pending records once and decides what comes next. `retryDurationMs` and the
   * destination are read per attempt, so an UpdateDestination applies to the next retry.
   */
  async attempt(
    destination: RecordDestination,
    context: {
      readonly sourceArn: string;
      readonly retryDurationMs: number;
      readonly nowMs: () => number;
      readonly signal?: AbortSignal;
    },
  ): Promise<AttemptResult> {
    this.#attempts += 1;
    const pendingRecords = this.#pending.map((index) => this.records[index] as BufferedRecord);
    const attempt: DeliveryAttempt = {
      requestId: this.requestId,
      attemptNumber: this.#attempts,
      sourceArn: context.sourceArn,
      recordIndexes: this.#pending,
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    };
    const outcome = await destination.deliver(pendingRecords, attempt);
    const endedMs = context.nowMs();
    if (outcome.failures.length === 0) return { kind: 'done', givenUp: [] };
    const failures = outcome.failures.map((failure) => ({
      ...failure,
      index: this.#pending[failure.index] as number,
    }));
    this.#firstFailureMs ??= endedMs;
    const delayMs = this.#retryDelayMs();
    if (endedMs + delayMs - this.#firstFailureMs > context.retryDurationMs) {
      return {
        kind: 'done',
        givenUp: failures.map((failure) => {
          const record = this.records[failure.index] as BufferedRecord;
          return {
            record,
            failure,
            attemptsMade: this.#attempts,
            attemptEndingMs: endedMs,
            fields: destination.envelopeFields(record, failure.index, attempt),
          };
        }),
      };
    }
    this.#pending = failures.map((failure) => failure.index);
    return { kind: 'retry', delayMs, failures };
  }

  /** The wait before the next attempt: 1 s doubling per retry, ±15 %, at most 120 s. */
  #retryDelayMs(): number {
    const base = Math.min(
      limits.recordRetryBackoffInitialMs * 2 ** (this.#attempts - 1),
      limits.recordRetryBackoffMaxMs,
    );
    const jitter = 1 + limits.recordRetryJitterFraction * (2 * this.#random() - 1);
    return Math.round(base * jitter);
  }
}

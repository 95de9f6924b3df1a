/**
 * The retry state of the batch a record destination is retrying (its attempts and first failure),
 * kept in the catalog so that a restart does not start its retries over: after each failed attempt
 * the delivery worker saves it with the checkpoint the batch starts at; the batch read again from
 * that same checkpoint after a restart resumes it; the next checkpoint clears it.
 *
 * A state saved with another checkpoint is stale (the crash came between the checkpoint and the
 * clear) and is dropped.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { retryStateKey, type DeliveryStreamRecord } from '../delivery-stream-model.js';
import type { RetryState } from './record-batch.js';
import type { SourcePosition } from './source-position.js';

/** Where the batch starts: the checkpoint, or null for the start of the source. */
export type BatchStart = SourcePosition | null;

interface StoredRetryState extends RetryState {
  readonly checkpoint: BatchStart;
}

export class RetryStateStore {
  readonly #catalog: Catalog;
  readonly #key: string;
  /** Whether the catalog may hold a state for this delivery stream. */
  #stored = true;

  constructor(catalog: Catalog, record: Pick<DeliveryStreamRecord, 'deliveryStreamId'>) {
    this.#catalog = catalog;
    this.#key = retryStateKey(record);
  }

  /** The state saved for a batch starting at `start`, if any. */
  async resume(start: BatchStart): Promise<RetryState | undefined> {
    if (!this.#stored) return undefined;
    const stored = await this.#catalog.get<StoredRetryState>(this.#key);
    if (stored === undefined) {
      this.#stored = false;
      return undefined;
    }
    if (JSON.stringify(stored.value.checkpoint) !== JSON.stringify(start)) {
      await this.clear();
      return undefined;
    }
    return { attemptsMade: stored.value.attemptsMade, firstFailureMs: stored.value.firstFailureMs };
  }

  async save(start: BatchStart, state: RetryState): Promise<void> {
    const stored: StoredRetryState = { checkpoint: start, ...state };
    await this.#catalog.put(this.#key, stored);
    this.#stored = true;
  }

  /** Forgets the state (the batch is done); a no-op when none can be stored. */
  async clear(): Promise<void> {
    if (!this.#stored) return;
    await this.#catalog.delete(this.#key);
    this.#stored = false;
  }
}

/**
 * Bounds the file handles that sealed segments keep open between reads. Without it a store of
 * hundreds of logs would either open and close a file on every read of old data, or keep one
 * descriptor per segment forever.
 *
 * The cache holds idle segments (an open handle, no user, not the active segment) in least
 * recently used order; past `openSegmentsMax` it closes the oldest. A segment in use is never in
 * it, so handles in use (bounded by concurrent reads) and active segments (one per log) come on
 * top of the bound.
 */

import type { StorageLogger } from './recover-log.js';
import type { Segment } from './segment.js';

export class HandleCache {
  readonly #openSegmentsMax: number;
  readonly #logger: StorageLogger;
  /** Insertion order is recency: the first key is the least recently used. */
  readonly #idle = new Set<Segment>();

  constructor(openSegmentsMax: number, logger: StorageLogger) {
    this.#openSegmentsMax = openSegmentsMax;
    this.#logger = logger;
  }

  get size(): number {
    return this.#idle.size;
  }

  /** `segment` just became idle with its handle open: keep it, closing the oldest beyond the bound. */
  noteIdle(segment: Segment): void {
    this.#idle.delete(segment);
    this.#idle.add(segment);
    while (this.#idle.size > this.#openSegmentsMax) {
      const oldest = this.#idle.values().next().value as Segment;
      this.#idle.delete(oldest);
      oldest.closeIdleHandle().catch((error: unknown) => {
        this.#logger('could not close a segment file', { file: oldest.filePath, error });
      });
    }
  }

  /** `segment` is in use, active, or gone: not the cache's to close. */
  forget(segment: Segment): void {
    this.#idle.delete(segment);
  }
}

/**
 * Direct PUT: the delivery stream's own log (`firehose-<id>`), which PutRecord/PutRecordBatch
 * append to before answering. Read in offset order; once records are delivered, whole log
 * segments before them are dropped.
 */
import { limits } from '../../core/limits.js';
import type { LogStore } from '../../log/log-store.js';
import type { BufferedRecord } from '../delivery/delivery-buffer.js';
import type { DeliverySource, SourcePosition } from '../delivery/source-position.js';

export class DirectPutSource implements DeliverySource {
  readonly #logStore: LogStore;
  readonly #logId: string;
  #offset: number;
  /** Arrival time of the last record read, for dropping delivered segments. */
  #lastTimestampMs: number | undefined;

  constructor(logStore: LogStore, logId: string, checkpoint: SourcePosition | undefined) {
    this.#logStore = logStore;
    this.#logId = logId;
    this.#offset = checkpoint?.kind === 'directPut' ? checkpoint.offset : 0;
  }

  async readMore(maxBytes: number): Promise<BufferedRecord[]> {
    const records = await this.#logStore.read(this.#logId, this.#offset, {
      maxRecords: limits.deliveryReadRecordsMax,
      maxBytes: Math.max(1, Math.min(maxBytes, limits.deliveryReadBytesMax)),
    });
    const last = records[records.length - 1];
    if (last === undefined) return [];
    this.#offset = last.offset + 1;
    this.#lastTimestampMs = last.timestampMs;
    return records.map((record) => ({ data: record.data, arrivalMs: record.timestampMs }));
  }

  position(): SourcePosition {
    return { kind: 'directPut', offset: this.#offset };
  }

  async delivered(position: SourcePosition): Promise<void> {
    // Timestamps never decrease in a log, so every record older than the last delivered one is
    // delivered; trimming drops only whole segments of such records.
    if (
      position.kind === 'directPut' &&
      position.offset === this.#offset &&
      this.#lastTimestampMs !== undefined
    ) {
      await this.#logStore.trimBefore(this.#logId, this.#lastTimestampMs);
    }
  }
}

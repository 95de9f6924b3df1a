/**
 * Direct PUT: the delivery stream's own log (`firehose-<id>`), which PutRecord/PutRecordBatch
 * append to before answering. Read in offset order; once records are delivered, whole log
 * segments before them are dropped — but not those another reader still holds (an analytics
 * application behind the delivery, see `direct-put-holds.ts`), unless they are older than
 * `limits.directPutReaderHoldMsMax`. Records not yet delivered are never dropped.
 */
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import type { LogStore } from '../../log/log-store.js';
import type { BufferedRecord } from '../delivery/delivery-buffer.js';
import type { DeliverySource, SourcePosition } from '../delivery/source-position.js';
import type { DirectPutHolds } from './direct-put-holds.js';

export interface DirectPutReaders {
  readonly holds: DirectPutHolds;
  /** The delivery stream's ARN, as the readers name it. */
  readonly deliveryStreamArn: string;
  readonly clock: Clock;
}

export class DirectPutSource implements DeliverySource {
  readonly #logStore: LogStore;
  readonly #logId: string;
  readonly #readers: DirectPutReaders;
  #offset: number;
  /** Arrival time of the last record read, for dropping delivered segments. */
  #lastTimestampMs: number | undefined;

  constructor(
    logStore: LogStore,
    logId: string,
    checkpoint: SourcePosition | undefined,
    readers: DirectPutReaders,
  ) {
    this.#logStore = logStore;
    this.#logId = logId;
    this.#readers = readers;
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
      await this.#logStore.trimBefore(this.#logId, await this.#cutMs(this.#lastTimestampMs));
    }
  }

  /**
   * Where trimming may cut: before the last delivered record's time, or earlier when a reader
   * still holds an older offset (the held record's time: every record at or after it stays), but
   * never earlier than the hold's age limit.
   */
  async #cutMs(deliveredMs: number): Promise<number> {
    const { holds, deliveryStreamArn, clock } = this.#readers;
    const held = await holds.heldOffset(deliveryStreamArn, this.#logId);
    if (held === undefined || held >= this.#offset) return deliveredMs;
    // An offset before the log's start reads the first record still there.
    const [first] = await this.#logStore.read(this.#logId, held, { maxRecords: 1, maxBytes: 1 });
    if (first === undefined) return deliveredMs;
    const oldestKeptMs = clock.nowMs() - limits.directPutReaderHoldMsMax;
    return Math.min(deliveredMs, Math.max(first.timestampMs, oldestKeptMs));
  }
}

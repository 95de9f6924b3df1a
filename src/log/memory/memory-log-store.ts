/**
 * A LogStore held in memory: for tests, and for `--storage memory` where losing everything on
 * exit is the point. It keeps the interface's invariants (dense offsets, clamped timestamps,
 * call order, bounded reads) but no durability; retention drops single records, the smallest
 * unit it has. Data is copied on append and on read so callers can neither change stored
 * records nor be surprised by a shared buffer.
 */

import { assert } from '../../core/assert.js';
import {
  logIdPattern,
  LogStoreError,
  type AppendInput,
  type AppendResult,
  type LogBounds,
  type LogRecord,
  type LogStore,
  type ReadOptions,
} from '../log-store.js';
import { RecordBatch } from '../record-batch.js';
import { recordBytes } from '../record-bytes.js';

interface MemoryLog {
  /** Record i has offset `startOffset + i`. */
  records: LogRecord[];
  startOffset: number;
  lastTimestampMs: number | undefined;
}

export class MemoryLogStore implements LogStore {
  readonly #logs = new Map<string, MemoryLog>();
  #closed = false;

  async open(): Promise<void> {
    this.#closed = false;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async createLog(logId: string): Promise<void> {
    this.#assertOpen();
    assert(logIdPattern.test(logId), `invalid log id ${logId}`);
    if (!this.#logs.has(logId))
      this.#logs.set(logId, { records: [], startOffset: 0, lastTimestampMs: undefined });
  }

  async deleteLog(logId: string): Promise<void> {
    this.#assertOpen();
    this.#logs.delete(logId);
  }

  async listLogs(): Promise<string[]> {
    this.#assertOpen();
    return [...this.#logs.keys()].sort();
  }

  async append(logId: string, records: readonly AppendInput[], timestampMs: number): Promise<AppendResult> {
    const log = this.#log(logId);
    const clampedMs = Math.max(timestampMs, log.lastTimestampMs ?? timestampMs);
    const firstOffset = log.startOffset + log.records.length;
    records.forEach((record, index) => {
      log.records.push({
        offset: firstOffset + index,
        timestampMs: clampedMs,
        partitionKey: record.partitionKey,
        data: Buffer.from(record.data),
      });
    });
    if (records.length > 0) log.lastTimestampMs = clampedMs;
    return { firstOffset, timestampMs: clampedMs };
  }

  async read(logId: string, fromOffset: number, options: ReadOptions): Promise<LogRecord[]> {
    return this.#select(logId, fromOffset, options).map((record) => ({
      ...record,
      data: Buffer.from(record.data),
    }));
  }

  async readBatch(logId: string, fromOffset: number, options: ReadOptions): Promise<RecordBatch> {
    const selected = this.#select(logId, fromOffset, options);
    const log = this.#log(logId);
    // The batch copies keys and data into a buffer of its own.
    return RecordBatch.fromRecords(selected, selected[0]?.offset ?? Math.max(fromOffset, log.startOffset));
  }

  /** The stored records a read returns (not copied). */
  #select(logId: string, fromOffset: number, options: ReadOptions): LogRecord[] {
    const log = this.#log(logId);
    const result: LogRecord[] = [];
    let bytes = 0;
    for (let index = Math.max(0, fromOffset - log.startOffset); index < log.records.length; index++) {
      if (result.length >= options.maxRecords) break;
      const record = log.records[index]!;
      bytes += recordBytes(record.partitionKey, record.data.length);
      if (result.length > 0 && bytes > options.maxBytes) break;
      result.push(record);
    }
    return result;
  }

  async bounds(logId: string): Promise<LogBounds> {
    const log = this.#log(logId);
    return {
      startOffset: log.startOffset,
      endOffset: log.startOffset + log.records.length,
      lastTimestampMs: log.lastTimestampMs,
    };
  }

  async offsetAtTimestamp(logId: string, timestampMs: number): Promise<number> {
    const log = this.#log(logId);
    return log.startOffset + firstIndexAtOrAfter(log.records, timestampMs);
  }

  async trimBefore(logId: string, timestampMs: number): Promise<number> {
    const log = this.#log(logId);
    const dropCount = firstIndexAtOrAfter(log.records, timestampMs);
    log.records.splice(0, dropCount);
    log.startOffset += dropCount;
    return log.startOffset;
  }

  #log(logId: string): MemoryLog {
    this.#assertOpen();
    const log = this.#logs.get(logId);
    if (log === undefined) throw new LogStoreError('NoSuchLog', `no log ${logId}`);
    return log;
  }

  #assertOpen(): void {
    if (this.#closed) throw new LogStoreError('Closed', 'the log store is closed');
  }
}

/** Binary search over non-decreasing timestamps: the first index whose timestamp is >= target. */
function firstIndexAtOrAfter(records: readonly LogRecord[], timestampMs: number): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (records[middle]!.timestampMs < timestampMs) low = middle + 1;
    else high = middle;
  }
  return low;
}

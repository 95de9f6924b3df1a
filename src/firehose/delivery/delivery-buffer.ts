/**
 * One delivery stream's buffer: the records read from its source since the last delivered object.
 * The source's position after them becomes the checkpoint once their object is written.
 *
 * Bounded: the worker stops reading once `bytes` reaches the destination's SizeInMBs, so a buffer
 * holds at most that plus one read.
 */
import type { KinesisRecordMetadata } from '../processing/processing-record.js';

export interface BufferedRecord {
  readonly data: Buffer;
  /** Arrival time in Firehose, epoch ms: what `!{timestamp:...}` and the object name use. */
  readonly arrivalMs: number;
  /** The Kinesis sequence number of a record read from a stream (error output documents). */
  readonly sequenceNumber?: string;
  /** Where a record read from a stream came from (a Lambda processor's kinesisRecordMetadata). */
  readonly kinesis?: KinesisRecordMetadata;
}

export class DeliveryBuffer {
  records: BufferedRecord[] = [];
  bytes = 0;
  /** When the oldest buffered record became due for the interval trigger (epoch ms). */
  oldestMs: number | undefined;

  add(record: BufferedRecord, dueFromMs: number): void {
    this.records.push(record);
    this.bytes += record.data.length;
    if (this.oldestMs === undefined) this.oldestMs = dueFromMs;
  }

  get empty(): boolean {
    return this.records.length === 0;
  }

  /** Whether the buffer should be delivered now, by size or by interval. */
  isDue(nowMs: number, sizeBytes: number, intervalMs: number): boolean {
    if (this.empty) return false;
    return this.bytes >= sizeBytes || nowMs - (this.oldestMs ?? nowMs) >= intervalMs;
  }

  clear(): void {
    this.records = [];
    this.bytes = 0;
    this.oldestMs = undefined;
  }
}

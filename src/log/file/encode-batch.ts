/**
 * Builds the one buffer a flush cycle writes for one log: every queued append's records framed
 * back to back, with offsets following on from the log's end and timestamps clamped so they
 * never go back. Nothing is committed here: the caller commits `EncodedBatch` only once the
 * bytes are written (and synced, by policy).
 *
 * The loop allocates nothing per record beyond what the caller's inputs already hold; index
 * entries (one per `indexIntervalBytes`) are the only per-batch extras.
 */

import { assert } from '../../core/assert.js';
import type { AppendInput, AppendResult } from '../log-store.js';
import { keyUtf8Bytes, writeFrame } from './record-frame.js';
import type { Segment } from './segment.js';

export interface PendingAppend {
  readonly records: readonly AppendInput[];
  readonly timestampMs: number;
  /** The frames' total size, measured once when the append was queued. */
  readonly frameBytes: number;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface EncodedBatch {
  readonly buffer: Buffer;
  readonly recordCount: number;
  readonly firstTimestampMs: number;
  readonly lastTimestampMs: number;
  /** New sparse index entries as (offset, position, timestamp) triplets. */
  readonly index: readonly number[];
  /** One result per pending append, in order. */
  readonly results: readonly AppendResult[];
}

/** Where a batch goes: the end of the active segment and its index spacing. */
export type BatchTarget = Pick<Segment, 'sizeBytes' | 'lastIndexedPosition' | 'indexIntervalBytes'>;

/** The target of a batch of empty appends, which writes nothing. */
export const noSegment: BatchTarget = { sizeBytes: 0, lastIndexedPosition: 0, indexIntervalBytes: Infinity };

export function encodeBatch(
  segment: BatchTarget,
  firstOffset: number,
  lastTimestampMs: number | undefined,
  entries: readonly PendingAppend[],
  totalBytes: number,
): EncodedBatch {
  const buffer = Buffer.allocUnsafe(totalBytes);
  const index: number[] = [];
  const results: AppendResult[] = [];
  let offset = firstOffset;
  let position = 0;
  let lastIndexedPosition = segment.lastIndexedPosition;
  let lastMs = lastTimestampMs;
  let firstMs: number | undefined;
  for (const entry of entries) {
    const timestampMs = lastMs === undefined ? entry.timestampMs : Math.max(entry.timestampMs, lastMs);
    results.push({ firstOffset: offset, timestampMs });
    if (entry.records.length === 0) continue;
    firstMs ??= timestampMs;
    lastMs = timestampMs;
    for (const record of entry.records) {
      const filePosition = segment.sizeBytes + position;
      if (filePosition - lastIndexedPosition >= segment.indexIntervalBytes) {
        index.push(offset, filePosition, timestampMs);
        lastIndexedPosition = filePosition;
      }
      const keyBytes = keyUtf8Bytes(record.partitionKey);
      position = writeFrame(
        buffer,
        position,
        offset,
        timestampMs,
        record.partitionKey,
        keyBytes,
        record.data,
      );
      offset++;
    }
  }
  // A mismatch means a caller changed an input while its append was queued.
  assert(position === totalBytes, `encoded ${position} bytes, expected ${totalBytes}`);
  return {
    buffer,
    recordCount: offset - firstOffset,
    firstTimestampMs: firstMs ?? lastMs ?? 0,
    lastTimestampMs: lastMs ?? 0,
    index,
    results,
  };
}

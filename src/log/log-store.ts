/**
 * The log: the source of truth for record data.
 *
 * A LogStore holds many independent logs (one per shard), each an append-only sequence of
 * records at consecutive offsets starting at 0. The store assigns offsets and timestamps; callers
 * derive sequence numbers from them. Everything a caller may do goes through this interface so
 * that a NATS JetStream implementation (cluster mode) can replace the file one without touching
 * callers: no caller may depend on local files, and every query is async.
 *
 * Invariants every implementation keeps (checked by `test/conformance/log-store-suite.ts`):
 * - offsets within a log are dense: a successful append of n records at `firstOffset` makes
 *   `endOffset` = firstOffset + n, and a read returns records in offset order with no gaps;
 * - timestamps within a log never decrease (the store clamps a smaller one up to the last);
 * - `append` resolves only when its records are durable under the store's sync policy, and a
 *   rejected append leaves nothing visible;
 * - concurrent appends to one log are ordered in call order;
 * - reads fetch only what they return, bounded by `maxRecords` and `maxBytes` (the first
 *   record is returned even when it alone is larger than `maxBytes`).
 */

import type { RecordBatch } from './record-batch.js';

export interface AppendInput {
  readonly partitionKey: string;
  readonly data: Uint8Array;
}

export interface LogRecord {
  readonly offset: number;
  /** Arrival time in epoch milliseconds, as assigned at append. */
  readonly timestampMs: number;
  readonly partitionKey: string;
  readonly data: Buffer;
}

export interface AppendResult {
  readonly firstOffset: number;
  /** The timestamp every record of this append got (the requested one, or the log's last). */
  readonly timestampMs: number;
}

export interface ReadOptions {
  readonly maxRecords: number;
  readonly maxBytes: number;
}

export interface LogBounds {
  /** The first offset still readable (moves forward when retention drops old data). */
  readonly startOffset: number;
  /** The offset the next record will get; `startOffset === endOffset` means empty. */
  readonly endOffset: number;
  /** Timestamp of the newest record, or undefined when the log has never held one. */
  readonly lastTimestampMs: number | undefined;
}

export const syncPolicies = ['always', 'interval', 'never'] as const;
export type SyncPolicy = (typeof syncPolicies)[number];

export interface LogStore {
  /** Opens the store, recovering every log (truncating torn tails, rebuilding indexes). */
  open(): Promise<void>;
  /** Flushes and closes; pending appends finish first. */
  close(): Promise<void>;

  /** Creates an empty log; creating one that exists is a no-op. Log ids match [A-Za-z0-9_-]{1,200}. */
  createLog(logId: string): Promise<void>;
  /** Deletes a log and its data; deleting a missing log is a no-op. */
  deleteLog(logId: string): Promise<void>;
  /** Ids of every log the store holds (used at start to find orphans of deleted streams). */
  listLogs(): Promise<string[]>;

  /**
   * Appends records to a log, in order, all with the timestamp `timestampMs` (clamped up to the
   * log's last timestamp). Rejects with `LogStoreError` code `NoSuchLog` for an unknown log and
   * with `Storage` when the data cannot be made durable (disk full, I/O error).
   */
  append(logId: string, records: readonly AppendInput[], timestampMs: number): Promise<AppendResult>;

  /**
   * Records from `fromOffset` on, in offset order. An offset before `startOffset` reads from
   * `startOffset`; at or past `endOffset` gives []. A record that fails its checksum rejects with
   * code `Corrupt`, never comes back as data.
   */
  read(logId: string, fromOffset: number, options: ReadOptions): Promise<LogRecord[]>;

  /**
   * The same records as `read`, as one `RecordBatch` (columns of positions into a few buffers,
   * no object per record): for callers that copy records onward in bulk, like GetRecords. A
   * caller that keeps no view into the batch once done calls `release()`, so that the store may
   * reuse the batch's read buffers.
   */
  readBatch(logId: string, fromOffset: number, options: ReadOptions): Promise<RecordBatch>;

  bounds(logId: string): Promise<LogBounds>;

  /** The first offset whose timestamp is >= `timestampMs`, or `endOffset` when none is. */
  offsetAtTimestamp(logId: string, timestampMs: number): Promise<number>;

  /**
   * Retention: drops data older than `timestampMs`, in whole units (segments) only, so records
   * older than the cut may remain readable until their unit expires entirely. Returns the new
   * `startOffset`.
   */
  trimBefore(logId: string, timestampMs: number): Promise<number>;
}

export const logStoreErrorCodes = ['NoSuchLog', 'Storage', 'Corrupt', 'Closed'] as const;
export type LogStoreErrorCode = (typeof logStoreErrorCodes)[number];

export class LogStoreError extends Error {
  readonly code: LogStoreErrorCode;
  constructor(code: LogStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LogStoreError';
    this.code = code;
  }
}

export const logIdPattern = /^[A-Za-z0-9_-]{1,200}$/;

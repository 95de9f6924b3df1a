/**
 * What the parent asks a load worker process to do, and what the worker reports back. Every job
 * is bounded in time; the parent adds up the results of all workers.
 */
import type { Encoding } from './request-bodies.js';

export interface PutRecordsJob {
  readonly kind: 'put-records';
  readonly endpoint: string;
  /** One stream: `bodyCount` distinct bodies. Several: one body per stream, sharing the records. */
  readonly streamNames: readonly string[];
  readonly recordBytes: number;
  readonly batchSize: number;
  readonly encoding: Encoding;
  readonly connections: number;
  readonly durationMs: number;
  /** Paces the worker to this rate when set (the latency figure's background load). */
  readonly recordsPerSecond: number | null;
  /** Stops early once this much record data is acknowledged (the 10 GB fill). */
  readonly dataBytesMax: number | null;
  readonly bodyCount: number;
}

export interface PutRecordJob {
  readonly kind: 'put-record';
  readonly endpoint: string;
  readonly streamName: string;
  readonly recordBytes: number;
  readonly connections: number;
  readonly durationMs: number;
}

/** Reads the given shards from TRIM_HORIZON until each returns an empty page. */
export interface DrainJob {
  readonly kind: 'drain';
  readonly endpoint: string;
  readonly streamName: string;
  readonly shardIds: readonly string[];
  readonly limit: number;
  readonly durationMs: number;
}

export type LoadJob = PutRecordsJob | PutRecordJob | DrainJob;

export interface LoadResult {
  readonly requests: number;
  /** Records acknowledged (puts) or read (drain). */
  readonly records: number;
  readonly failedRecords: number;
  /** Non-200 answers and transport errors. */
  readonly errors: number;
  readonly firstError: string | null;
  readonly dataBytes: number;
  /** CPU the worker used while running the job (user + system). */
  readonly cpuSeconds: number;
  readonly elapsedMs: number;
}

export type ParentMessage = { readonly type: 'job'; readonly job: LoadJob } | { readonly type: 'go' };

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly result: LoadResult }
  | { readonly type: 'failed'; readonly message: string };

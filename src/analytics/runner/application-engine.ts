/**
 * The contract between the runner (which feeds an application's input rows and delivers its
 * outputs) and a SQL engine (which runs the application code). The runner owns I/O, time and
 * checkpoints; the engine owns SQL state. An engine is single-threaded and synchronous: `push`
 * and `advanceTime` emit through `onOutput` before they return, so that once the runner has
 * delivered what they emitted, every row up to its checkpoint has been fully processed.
 */
import type { SqlValue, StreamColumn } from '../records/sql-value.js';

/** A row of an in-application stream: ROWTIME (epoch ms) and the values in column order. */
export interface Row {
  readonly rowtimeMs: number;
  readonly values: readonly SqlValue[];
}

export interface InAppStream {
  readonly name: string;
  readonly columns: readonly StreamColumn[];
}

export interface EngineSetup {
  /** The application code (CREATE STREAM / CREATE PUMP …). */
  readonly code: string;
  /**
   * The input in-application streams (`<prefix>_001` …): APPROXIMATE_ARRIVAL_TIME, then the
   * schema's columns; ROWTIME is the row's own.
   */
  readonly inputs: readonly InAppStream[];
  /** The in-application streams an output reads; the engine reports rows of these only. */
  readonly outputStreams: ReadonlySet<string>;
  /** Rows that reached an output stream (or `error_stream`), in ROWTIME order per stream. */
  readonly onOutput: (streamName: string, columns: readonly StreamColumn[], rows: readonly Row[]) => void;
  /** Reference tables (S3 reference data), loaded before the application starts; static while it runs. */
  readonly tables?: readonly ReferenceTableRows[];
  /** A tap on the in-application streams the engine writes (live results), any of them. */
  readonly tap?: EngineTap;
}

export interface ReferenceTableRows {
  readonly name: string;
  readonly columns: readonly StreamColumn[];
  /** Values in column order. */
  readonly rows: readonly (readonly SqlValue[])[];
}

/**
 * Live results: `wants` is asked per row (it must be cheap); rows of wanted streams are handed to
 * `rows` batched per stream, like `onOutput`, before `push` / `advanceTime` return.
 */
export interface EngineTap {
  wants(streamName: string): boolean;
  rows(streamName: string, columns: readonly StreamColumn[], rows: readonly Row[]): void;
}

export interface ApplicationEngine {
  /** Appends rows, ROWTIME non-decreasing, to an input in-application stream. */
  push(streamName: string, rows: readonly Row[]): void;
  /** The clock reached `nowMs` (a rowtime bound): windows ending by then may emit. */
  advanceTime(nowMs: number): void;
  close(): void;
}

/** Builds an engine for an application; throws CodeValidationException-style errors for bad code. */
export type ApplicationEngineFactory = (setup: EngineSetup) => ApplicationEngine;

/**
 * Live results: who listens to which in-application stream of which application, and the rows
 * and status changes handed to them. The runner asks `wants` for every row it could report (a map
 * lookup) and publishes rows of tapped streams only, so an application nobody watches pays
 * nothing. Subscriptions outlive runs: one made while the application is READY receives rows
 * once it runs, and sees it stop and start again.
 *
 * Invariant: a listener is called synchronously from the runner's pass; it must not block (the
 * HTTP side queues, bounded, and drops the oldest rows of a slow client).
 */
import type { StreamColumn } from '../records/sql-value.js';
import type { Row } from './application-engine.js';

export interface LiveListener {
  rows(columns: readonly StreamColumn[], rows: readonly Row[]): void;
  /** The application started running (`RUNNING`) or stopped (`READY`). */
  status(status: 'RUNNING' | 'READY'): void;
}

export class LiveTaps {
  /** Listeners by application key, then by in-application stream name. */
  readonly #listeners = new Map<string, Map<string, Set<LiveListener>>>();

  /** Adds a listener; the returned function removes it. */
  subscribe(applicationKey: string, streamName: string, listener: LiveListener): () => void {
    let streams = this.#listeners.get(applicationKey);
    if (streams === undefined) this.#listeners.set(applicationKey, (streams = new Map()));
    let listeners = streams.get(streamName);
    if (listeners === undefined) streams.set(streamName, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      streams.delete(streamName);
      if (streams.size === 0) this.#listeners.delete(applicationKey);
    };
  }

  wants(applicationKey: string, streamName: string): boolean {
    return this.#listeners.get(applicationKey)?.has(streamName) === true;
  }

  publish(
    applicationKey: string,
    streamName: string,
    columns: readonly StreamColumn[],
    rows: readonly Row[],
  ): void {
    const listeners = this.#listeners.get(applicationKey)?.get(streamName);
    if (listeners === undefined || rows.length === 0) return;
    for (const listener of [...listeners]) listener.rows(columns, rows);
  }

  status(applicationKey: string, status: 'RUNNING' | 'READY'): void {
    for (const listeners of this.#listeners.get(applicationKey)?.values() ?? []) {
      for (const listener of [...listeners]) listener.status(status);
    }
  }

  /** Listener count, for tests and metrics. */
  get size(): number {
    let count = 0;
    for (const streams of this.#listeners.values())
      for (const listeners of streams.values()) count += listeners.size;
    return count;
  }
}

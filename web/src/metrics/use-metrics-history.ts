/**
 * Polls GET /metrics on the server that served the page (same origin, unsigned: the endpoint is
 * the one Prometheus scrapes) every `metricsPollMs`, and keeps the parsed reads as a bounded
 * history. One poll at a time: the next read is scheduled when the previous one ends, so a slow
 * server is never asked twice at once. Stops when the page using it goes away.
 */
import { useEffect, useState } from 'preact/hooks';
import { appendSnapshot, type Snapshot } from './metric-history.js';
import { parsePrometheusText } from './prometheus-text.js';

export const metricsPollMs = 2000;

export interface MetricsHistory {
  readonly history: readonly Snapshot[];
  /** The last read's failure, cleared by the next read that succeeds. */
  readonly error: unknown;
}

export function useMetricsHistory(pollMs = metricsPollMs): MetricsHistory {
  const [state, setState] = useState<MetricsHistory>({ history: [], error: undefined });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async (): Promise<void> => {
      try {
        const response = await fetch('/metrics', { cache: 'no-store' });
        if (!response.ok) throw new Error(`GET /metrics answered HTTP ${response.status}`);
        const text = await response.text();
        const snapshot = { timeMs: Date.now(), exposition: parsePrometheusText(text) };
        if (!stopped)
          setState((previous) => ({ history: appendSnapshot(previous.history, snapshot), error: undefined }));
      } catch (error) {
        if (!stopped) setState((previous) => ({ ...previous, error }));
      } finally {
        if (!stopped) timer = setTimeout(() => void read(), pollMs);
      }
    };
    void read();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [pollMs]);
  return state;
}

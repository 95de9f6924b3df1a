/**
 * Real-time results of a running application: one tab per in-application stream (the source
 * data, each stream the code creates, and error_stream), rows appearing as they arrive, newest
 * first. Pause freezes the table (rows keep arriving and wait, up to the row cap); the row cap
 * bounds what the page keeps. A closed feed is reopened with a fresh presigned URL, a few times.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Credentials } from '../session.js';
import { openLiveFeed, presignLiveUrl, type LiveRow } from '../analytics/live-results.js';

const rowCaps = [50, 100, 500, 1000] as const;
const reconnectDelayMs = 1500;
const reconnectAttemptsMax = 3;

export interface LiveStreamTab {
  readonly stream: string;
  readonly label: string;
}

type FeedState = 'connecting' | 'open' | 'closed' | 'failed';

export function LiveResults({
  credentials,
  applicationName,
  tabs,
  initialStream,
}: {
  credentials: Credentials;
  applicationName: string;
  tabs: readonly LiveStreamTab[];
  initialStream?: string;
}) {
  const [selected, setSelected] = useState(initialStream ?? tabs[0]?.stream ?? '');
  const stream = tabs.some((tab) => tab.stream === selected) ? selected : (tabs[0]?.stream ?? '');
  return (
    <div class="live-results">
      <div class="tabs live-tabs" role="tablist" aria-label="In-application streams">
        {tabs.map((tab) => (
          <button
            type="button"
            role="tab"
            key={tab.stream}
            aria-selected={tab.stream === stream}
            class={tab.stream === stream ? 'tab-selected' : undefined}
            onClick={() => setSelected(tab.stream)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {stream !== '' && (
        <LiveTable key={stream} credentials={credentials} applicationName={applicationName} stream={stream} />
      )}
    </div>
  );
}

function LiveTable({
  credentials,
  applicationName,
  stream,
}: {
  credentials: Credentials;
  applicationName: string;
  stream: string;
}) {
  const [rows, setRows] = useState<LiveRow[]>([]);
  const [waiting, setWaiting] = useState<LiveRow[]>([]);
  const [paused, setPaused] = useState(false);
  const [cap, setCap] = useState<number>(100);
  const [state, setState] = useState<FeedState>('connecting');
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [dropped, setDropped] = useState(0);
  const [generation, setGeneration] = useState(0);
  const pausedRef = useRef(paused);
  const capRef = useRef(cap);
  pausedRef.current = paused;
  capRef.current = cap;

  useEffect(() => {
    let close: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let failures = 0;
    const connect = async (): Promise<void> => {
      setState('connecting');
      const url = await presignLiveUrl(credentials, applicationName, stream);
      if (stopped) return;
      close = openLiveFeed(url, {
        onOpen: () => {
          failures = 0;
          setState('open');
        },
        onRow: (row) => {
          const keep = (list: LiveRow[]): LiveRow[] => [row, ...list].slice(0, capRef.current);
          if (pausedRef.current) setWaiting(keep);
          else setRows(keep);
        },
        onStatus: setStatus,
        onDropped: (count) => setDropped((total) => total + count),
        onClosed: () => {
          failures++;
          if (stopped) return;
          if (failures > reconnectAttemptsMax) {
            setState('failed');
            return;
          }
          setState('closed');
          timer = setTimeout(() => void connect(), reconnectDelayMs);
        },
      });
    };
    void connect().catch((error: unknown) => {
      console.warn('live results: could not presign the feed URL', error);
      setState('failed');
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
      close?.();
    };
  }, [credentials, applicationName, stream, generation]);

  const resume = (): void => {
    setRows((list) => [...waiting, ...list].slice(0, cap));
    setWaiting([]);
    setPaused(false);
  };
  const columns = columnsOf(rows);

  return (
    <div class="live-table" role="tabpanel" aria-label={`Rows of ${stream}`}>
      <div class="toolbar-form live-toolbar">
        <span class="live-state" role="status" aria-live="polite" data-testid="live-state">
          {stateText(state)}
          {status !== undefined && ` · application ${status}`}
          {dropped > 0 && ` · ${dropped} rows dropped by the server`}
        </span>
        {paused ? (
          <button type="button" onClick={resume}>
            Resume{waiting.length > 0 ? ` (${waiting.length} new)` : ''}
          </button>
        ) : (
          <button type="button" onClick={() => setPaused(true)}>
            Pause
          </button>
        )}
        <label>
          Row cap{' '}
          <select
            value={String(cap)}
            onChange={(event) => {
              const value = Number(event.currentTarget.value);
              setCap(value);
              setRows((list) => list.slice(0, value));
            }}
          >
            {rowCaps.map((value) => (
              <option key={value} value={String(value)}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setRows([])} disabled={rows.length === 0}>
          Clear
        </button>
        {state === 'failed' && (
          <button type="button" onClick={() => setGeneration((value) => value + 1)}>
            Reconnect
          </button>
        )}
      </div>
      {rows.length === 0 ? (
        <p class="empty-inline" data-testid="live-empty">
          {state === 'failed'
            ? 'The live results could not be opened. Is the application running?'
            : `No rows from ${stream} yet. New rows appear here as the application writes them.`}
        </p>
      ) : (
        <div class="table-scroll">
          <table class="table live-rows" data-testid="live-rows">
            <caption class="visually-hidden">
              Newest rows of {stream} ({rows.length})
            </caption>
            <thead>
              <tr>
                <th scope="col">ROWTIME</th>
                {columns.map((column) => (
                  <th scope="col" key={column}>
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={rows.length - index}>
                  <td class="nowrap">{row.rowtime}</td>
                  {columns.map((column) => (
                    <td key={column}>{cellText(row.row[column])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function stateText(state: FeedState): string {
  switch (state) {
    case 'connecting':
      return 'Connecting…';
    case 'open':
      return 'Live';
    case 'closed':
      return 'Reconnecting…';
    case 'failed':
      return 'Disconnected';
  }
}

/** Column names in the order they first appear (oldest row first, as the stream defines them). */
function columnsOf(rows: readonly LiveRow[]): string[] {
  const seen = new Set<string>();
  for (let index = rows.length - 1; index >= 0; index--) {
    for (const name of Object.keys(rows[index]?.row ?? {})) seen.add(name);
  }
  return [...seen].filter((name) => name !== 'ROWTIME');
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Live results of Analytics applications for the console, as server-sent events:
 *
 *   GET /_tributary/analytics/live?application=<ApplicationName>&stream=<in-application stream>
 *
 * answers `text/event-stream`; every row of the stream is one `event: row` with
 * `data: {"rowtime":"<ISO>","row":{"COL":value,…}}` (values as a JSON output writes them). While
 * the application is not RUNNING an `event: status` (`{"status":"READY"}`) says so; the stream
 * stays open and rows flow once it runs (and `{"status":"RUNNING"}` when it starts). The account
 * comes from SigV4 credentials, in the Authorization header or presigned query parameters
 * (EventSource cannot set headers), parsed but not verified, as the API does. A comment
 * `: keepalive` every `keepaliveMs`.
 *
 * Bounded: each subscriber queues at most `bufferRowsMax` rows while its connection cannot take
 * more; past that the oldest are dropped and counted, and once it drains an `event: dropped`
 * (`{"count":n}`) precedes the rows that follow.
 */
import { invalidArgument, resourceNotFound, ServiceError } from '../core/errors.js';
import type { RequestScope } from '../core/request-scope.js';
import {
  requestScope,
  sendConsoleError,
  type ConsoleRequest as Request,
  type ConsoleResponse as Response,
} from './console-request.js';
import type { Row } from '../analytics/runner/application-engine.js';
import type { LiveListener, LiveTaps } from '../analytics/runner/live-taps.js';
import { formatRow } from '../analytics/runner/output-format.js';
import type { StreamColumn } from '../analytics/records/sql-value.js';

/** What the event stream uses of a response, the same for HTTP/1.1 and HTTP/2. */
interface EventSink {
  write(text: string): boolean;
  end(): void;
  on(event: 'drain' | 'close' | 'error', listener: () => void): void;
  readonly writableEnded: boolean;
}

export const analyticsLivePath = '/_tributary/analytics/live';

export interface LiveApplication {
  /** The application's catalog key (what the runner's taps are keyed by). */
  readonly key: string;
  readonly status: string;
  /** Its in-application streams, names as the engine keeps them. */
  readonly streams: ReadonlySet<string>;
}

export interface AnalyticsLiveOptions {
  readonly taps: LiveTaps;
  /** The application of that name in the scope; throws ResourceNotFoundException when none. */
  readonly findApplication: (scope: RequestScope, name: string) => LiveApplication;
  readonly defaultAccountId: string;
  readonly defaultRegion: string;
  readonly keepaliveMs: number;
  readonly bufferRowsMax: number;
}

export class AnalyticsLiveEndpoint {
  readonly #options: AnalyticsLiveOptions;
  readonly #open = new Set<() => void>();

  constructor(options: AnalyticsLiveOptions) {
    this.#options = options;
  }

  /** Open event streams, for tests. */
  get openCount(): number {
    return this.#open.size;
  }

  handle(request: Request, response: Response): void {
    request.resume();
    let application: LiveApplication;
    let stream: string;
    try {
      ({ application, stream } = this.#resolve(request));
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      // The console's contract: an unknown application or stream is a 404 (the API's is 400).
      sendConsoleError(request, response, error);
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    this.#stream(application, stream, response as unknown as EventSink);
  }

  /** Ends every open event stream (the server is stopping). */
  close(): void {
    for (const end of [...this.#open]) end();
  }

  #resolve(request: Request): { application: LiveApplication; stream: string } {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const scope = requestScope(request, url, this.#options);
    const name = url.searchParams.get('application');
    const wanted = url.searchParams.get('stream');
    if (name === null || name === '' || wanted === null || wanted === '') {
      throw invalidArgument('Query parameters application and stream are required.');
    }
    const application = this.#options.findApplication(scope, name);
    // Names as written; an unquoted name is upper case in the engine.
    const stream = application.streams.has(wanted) ? wanted : wanted.toUpperCase();
    if (!application.streams.has(stream)) {
      throw resourceNotFound(`Application ${name} has no in-application stream ${wanted}.`);
    }
    return { application, stream };
  }

  #stream(application: LiveApplication, stream: string, response: EventSink): void {
    const { bufferRowsMax, keepaliveMs, taps } = this.#options;
    /** Events waiting for the connection to drain; rows are at most `bufferRowsMax` of them. */
    const queue: { text: string; row: boolean }[] = [];
    let queuedRows = 0;
    let dropped = 0;
    let blocked = false;
    let ended = false;

    const write = (text: string): void => {
      if (!response.write(text)) blocked = true;
    };
    const flush = (): void => {
      blocked = false;
      if (dropped > 0) {
        write(`event: dropped\ndata: {"count":${dropped}}\n\n`);
        dropped = 0;
      }
      while (!blocked && queue.length > 0) {
        const next = queue.shift()!;
        if (next.row) queuedRows--;
        write(next.text);
      }
    };
    const send = (text: string, row: boolean): void => {
      if (ended) return;
      if (!blocked && queue.length === 0 && dropped === 0) {
        write(text);
        return;
      }
      queue.push({ text, row });
      if (row) queuedRows++;
      while (queuedRows > bufferRowsMax) {
        const index = queue.findIndex((entry) => entry.row);
        queue.splice(index, 1);
        queuedRows--;
        dropped++;
      }
    };
    const listener: LiveListener = {
      rows: (columns: readonly StreamColumn[], rows: readonly Row[]) => {
        for (const row of rows) send(rowEvent(columns, row), true);
      },
      status: (status) => send(statusEvent(status), false),
    };

    const unsubscribe = taps.subscribe(application.key, stream, listener);
    const keepalive = setInterval(() => send(': keepalive\n\n', false), keepaliveMs);
    keepalive.unref();
    const end = (): void => {
      if (ended) return;
      ended = true;
      clearInterval(keepalive);
      unsubscribe();
      this.#open.delete(end);
      if (!response.writableEnded) response.end();
    };
    this.#open.add(end);
    response.on('drain', flush);
    // Only the response's close means the client went away (a request closes once read).
    response.on('close', end);
    response.on('error', end);

    // A first comment sends the headers at once, so the client knows it is connected.
    send(': connected\n\n', false);
    if (application.status !== 'RUNNING') send(statusEvent(application.status), false);
  }
}

function rowEvent(columns: readonly StreamColumn[], row: Row): string {
  const values = formatRow('JSON', columns, row).toString('utf8');
  return `event: row\ndata: {"rowtime":${JSON.stringify(new Date(row.rowtimeMs).toISOString())},"row":${values}}\n\n`;
}

function statusEvent(status: string): string {
  return `event: status\ndata: ${JSON.stringify({ status })}\n\n`;
}

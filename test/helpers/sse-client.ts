/**
 * A minimal server-sent events client for tests of the live results endpoint: one HTTP/1.1 GET,
 * events parsed as they arrive (`event:` / `data:` lines, comments kept apart), and the socket
 * can be paused to play a slow client. Also builds the endpoint's URL with SigV4 credentials in
 * presigned query parameters, as the console's EventSource sends them (the server parses them and
 * does not verify the signature).
 */
import http from 'node:http';

export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

export interface SseConnection {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** Events so far, in order. */
  readonly events: SseEvent[];
  /** Comment lines so far (`: keepalive`). */
  readonly comments: string[];
  /** The whole body, for non-event answers (a 404's JSON). */
  body(): string;
  waitFor(predicate: (events: readonly SseEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  pause(): void;
  resume(): void;
  close(): void;
}

export function liveUrl(
  endpoint: string,
  application: string,
  stream: string,
  options: { accessKeyId?: string; region?: string; presigned?: boolean } = {},
): string {
  const url = new URL('/_tributary/analytics/live', endpoint);
  url.searchParams.set('application', application);
  url.searchParams.set('stream', stream);
  if (options.presigned !== false) {
    const date = '20261207T120000Z';
    url.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
    url.searchParams.set(
      'X-Amz-Credential',
      `${options.accessKeyId ?? 'test'}/20261207/${options.region ?? 'us-east-1'}/kinesisanalytics/aws4_request`,
    );
    url.searchParams.set('X-Amz-Date', date);
    url.searchParams.set('X-Amz-Expires', '3600');
    url.searchParams.set('X-Amz-SignedHeaders', 'host');
    url.searchParams.set('X-Amz-Signature', '0'.repeat(64));
  }
  return url.toString();
}

/** An Authorization header as SDKs send it, with `X-Amz-Date`. */
export function authorizationHeaders(accessKeyId = 'test', region = 'us-east-1'): Record<string, string> {
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261207/${region}/kinesisanalytics/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
    'x-amz-date': '20261207T120000Z',
  };
}

export function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      let raw = '';
      let pending = '';
      const waiters = new Set<() => void>();
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        raw += chunk;
        pending += chunk;
        for (;;) {
          const end = pending.indexOf('\n\n');
          if (end < 0) break;
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, data: data.join('\n') });
        }
        for (const waiter of [...waiters]) waiter();
      });
      response.on('error', () => undefined);
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        events,
        comments,
        body: () => raw,
        waitFor(predicate, timeoutMs = 30_000) {
          if (predicate(events)) return Promise.resolve();
          return new Promise<void>((done, fail) => {
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(
                new Error(
                  `events not as expected after ${timeoutMs} ms: ${JSON.stringify(events.slice(-5))}`,
                ),
              );
            }, timeoutMs);
            const check = () => {
              if (!predicate(events)) return;
              clearTimeout(timer);
              waiters.delete(check);
              done();
            };
            waiters.add(check);
          });
        },
        pause: () => {
          response.pause();
          response.socket.pause();
        },
        resume: () => {
          response.socket.resume();
          response.resume();
        },
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}

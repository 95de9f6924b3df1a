/**
 * One HTTP(S) request from a record destination, with the bounds Firehose applies: a response
 * timeout, a cap on the response size, and no redirects followed. Trust for HTTPS comes from
 * Node's CA store (`NODE_EXTRA_CA_CERTS` adds a private CA, see docs/firehose.md).
 *
 * Transport failures resolve as `{ failure }` with a neutral kind the destination maps onto its
 * own AWS error code (`HttpEndpoint.ConnectionFailed`, `Splunk.ConnectionTimeout`, ...).
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export type TransportFailureKind = 'connectionFailed' | 'connectionReset' | 'timeout' | 'responseTooLarge';

export interface TransportFailure {
  readonly kind: TransportFailureKind;
  readonly message: string;
}

export type HttpResult = { readonly response: HttpResponse } | { readonly failure: TransportFailure };

export interface HttpRequestOptions {
  readonly method: 'POST' | 'GET';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly timeoutMs: number;
  readonly responseBytesMax: number;
  /** Aborts the request (the server is stopping): it then fails as `connectionReset`. */
  readonly signal?: AbortSignal;
}

export function sendHttpRequest(url: string, options: HttpRequestOptions): Promise<HttpResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: HttpResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      settle({ failure: { kind: 'connectionFailed', message: `Invalid URL: ${url}` } });
      return;
    }
    const transport = target.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['Content-Length'] = String(options.body.length);
    let connected = false;
    const request = transport.request(target, {
      method: options.method,
      headers,
      agent: false,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const timer = setTimeout(() => {
      settle({
        failure: { kind: 'timeout', message: `No response within ${options.timeoutMs} ms.` },
      });
      request.destroy();
    }, options.timeoutMs);
    request.on('socket', (socket) => {
      socket.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        connected = true;
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      const kind = connected || error.code === 'ECONNRESET' ? 'connectionReset' : 'connectionFailed';
      settle({ failure: { kind, message: error.message } });
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > options.responseBytesMax) {
          settle({
            failure: {
              kind: 'responseTooLarge',
              message: `The response is larger than ${options.responseBytesMax} bytes.`,
            },
          });
          response.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error) => {
        settle({ failure: { kind: 'connectionReset', message: error.message } });
      });
      response.on('end', () => {
        settle({
          response: {
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          },
        });
      });
    });
    request.end(options.body);
  });
}

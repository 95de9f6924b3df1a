/**
 * GET (and HEAD) requests on the API port: a table from path to route, in one small function so
 * that more pages (the console's static files) are one more entry. HEAD answers the same status
 * and headers as GET, with no body. Paths are matched without their query string.
 */
import type http from 'node:http';
import type http2 from 'node:http2';

type Request = http.IncomingMessage | http2.Http2ServerRequest;
type Response = http.ServerResponse | http2.Http2ServerResponse;

export interface GetReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A route answers from the request; it may throw only for programmer errors (answered 500). */
export type GetRoute = (request: Request) => GetReply | Promise<GetReply>;

const textPlain = 'text/plain; charset=utf-8';

export const notFoundReply: GetReply = { status: 404, contentType: textPlain, body: 'Not Found\n' };

/** Answers GET and HEAD from `routes` (exact paths); other paths get `fallback` (404 by default). */
export function createGetHandler(
  routes: Readonly<Record<string, GetRoute>>,
  log: (message: string, fields?: Record<string, unknown>) => void,
  fallback: GetRoute = () => notFoundReply,
): (request: Request, response: Response) => void {
  const table = new Map(Object.entries(routes));
  return (request, response) => {
    request.resume();
    const route = table.get(pathOf(request.url)) ?? fallback;
    Promise.resolve()
      .then(() => route(request))
      .then(
        (reply) => send(request, response, reply),
        (error: unknown) => {
          log('GET route failed', {
            url: request.url,
            error: error instanceof Error ? error.stack : String(error),
          });
          send(request, response, { status: 500, contentType: textPlain, body: 'Internal Server Error\n' });
        },
      );
  };
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query < 0 ? raw : raw.slice(0, query);
}

function send(request: Request, response: Response, reply: GetReply): void {
  if (response.headersSent || response.destroyed) return;
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
  response.setHeader('Content-Type', reply.contentType);
  response.setHeader('Content-Length', body.length);
  for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
  response.writeHead(reply.status);
  if (request.method === 'HEAD') response.end();
  else response.end(body);
}

/** A JSON reply. */
export function jsonReply(status: number, value: unknown): GetReply {
  return { status, contentType: 'application/json', body: `${JSON.stringify(value)}\n` };
}

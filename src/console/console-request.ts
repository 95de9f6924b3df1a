/**
 * What the console's own endpoints (`/_tributary/...`) share with the API: the account and region
 * of a request from its SigV4 credentials (Authorization header or presigned query parameters,
 * parsed but not verified, as the API does), and errors as AWS-style JSON bodies. An unknown
 * resource is a 404 here (the API answers 400): the endpoints are GETs of a resource.
 */
import type http from 'node:http';
import type http2 from 'node:http2';
import { ServiceError } from '../core/errors.js';
import type { RequestScope } from '../core/request-scope.js';
import { accountIdFor, parseSigV4 } from '../protocol/sigv4.js';

export type ConsoleRequest = http.IncomingMessage | http2.Http2ServerRequest;
export type ConsoleResponse = http.ServerResponse | http2.Http2ServerResponse;

export interface ScopeDefaults {
  readonly defaultAccountId: string;
  readonly defaultRegion: string;
}

/** The request's account and region; throws AWS's SigV4 errors when it carries no credentials. */
export function requestScope(request: ConsoleRequest, url: URL, defaults: ScopeDefaults): RequestScope {
  const auth = parseSigV4(request.headers as Record<string, string | string[] | undefined>, url.searchParams);
  return {
    accountId: accountIdFor(auth.accessKeyId, defaults.defaultAccountId),
    region: auth.region === '' ? defaults.defaultRegion : auth.region,
  };
}

/** Answers a ServiceError as `{"__type","message"}` with its status (404 for an unknown resource). */
export function sendConsoleError(
  request: ConsoleRequest,
  response: ConsoleResponse,
  error: ServiceError,
): void {
  const body = `${JSON.stringify({ __type: error.code, message: error.message })}\n`;
  const status = error.code === 'ResourceNotFoundException' ? 404 : error.status;
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  if (request.method === 'HEAD') response.end();
  else response.end(body);
}

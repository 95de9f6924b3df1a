/**
 * The AWS JSON 1.1 / CBOR 1.1 request pipeline, in AWS's order of checks: body size, content
 * type, target, body syntax, operation, authentication, input validation, then the operation.
 * Every response carries `x-amzn-RequestId` and a byte-exact Content-Length; every failure is a
 * `ServiceError` rendered by `error-response.ts`, and anything else is logged and answered as
 * InternalFailure, so one bad request never takes the server down.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type http2 from 'node:http2';
import { AssertionError } from '../core/assert.js';
import { internalFailure, ServiceError, serializationError, unknownOperation } from '../core/errors.js';
import { limits } from '../core/limits.js';
import type { ApiService } from './api-service.js';
import { decodeCbor } from './cbor.js';
import type { DecodeOffload } from './decode-offload.js';
import { contentTypes, encodeBody, errorBody, type WireEncoding } from './error-response.js';
import { EventStreamReply, startEventStream } from './event-stream-reply.js';
import { decodeJsonBody } from './json-codec.js';
import { accountIdFor, parseSigV4, type RequestHeaders } from './sigv4.js';
import { validateInput } from './validate.js';

type Request = http.IncomingMessage | http2.Http2ServerRequest;
type Response = http.ServerResponse | http2.Http2ServerResponse;

/** An answer to a POST, before either HTTP layer frames it (Content-Length is added there). */
export interface ApiReply {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

/** A SubscribeToShard answer: an event stream that only the `node:http`/HTTP/2 path writes. */
interface EventStreamAnswer {
  readonly encoding: WireEncoding;
  readonly stream: EventStreamReply;
}

/**
 * The same pipeline for the HTTP/1.1 fast lane (`http1-fast-lane.ts`), which parses plain POSTs
 * itself: `accepts` says which requests it may take (not CORS, not event streams), `answer`
 * runs the pipeline on a whole body of at most `bodyBytesMax` bytes.
 */
export interface ApiFastLane {
  readonly bodyBytesMax: number;
  accepts(headers: Readonly<Record<string, string>>): boolean;
  answer(headers: Readonly<Record<string, string>>, url: string, body: Buffer): Promise<ApiReply>;
}

export interface ApiHandler {
  (request: Request, response: Response): void;
  readonly fastLane: ApiFastLane;
}

export interface ApiHandlerOptions {
  readonly services: readonly ApiService[];
  readonly defaultAccountId: string;
  readonly defaultRegion: string;
  readonly requestBodyBytesMax?: number;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
  /** GET and HEAD requests (console, metrics) go here; without it they get AWS's 403. */
  readonly onGet?: (request: Request, response: Response) => void;
  /** Decodes large bodies of the operations marked `offload` on a worker thread. */
  readonly decodeOffload?: DecodeOffload;
}

const exposedHeaders =
  'x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date';

const eventStreamTargetSuffix = '.SubscribeToShard';

export function createApiHandler(options: ApiHandlerOptions): ApiHandler {
  const servicesByPrefix = new Map(options.services.map((service) => [service.targetPrefix, service]));
  const bodyBytesMax = options.requestBodyBytesMax ?? limits.requestBodyBytesMax;

  const handler = (request: Request, response: Response): void => {
    const requestId = randomUUID();
    response.setHeader('x-amzn-RequestId', requestId);
    const origin = request.headers.origin;
    if (origin !== undefined) {
      response.setHeader('Access-Control-Allow-Origin', '*');
      if (request.method === 'OPTIONS') return answerPreflight(request, response);
      response.setHeader('Access-Control-Expose-Headers', exposedHeaders);
    }
    if ((request.method === 'GET' || request.method === 'HEAD') && options.onGet !== undefined) {
      return options.onGet(request, response);
    }
    if (request.method !== 'POST') {
      drain(request);
      return sendXmlError(
        response,
        403,
        'AccessDeniedException',
        'Unable to determine service/operation name to be authorized',
      );
    }
    readBody(request, bodyBytesMax).then(
      (body) => {
        if (body === undefined) return sendTooLarge(request, response);
        answerSafely(request.headers, request.url, body, requestId)
          .then((reply) => {
            if ('stream' in reply) return startEventStream(response, reply.encoding, reply.stream);
            for (const [name, value] of reply.headers) response.setHeader(name, value);
            send(response, reply.status, undefined, reply.body);
          })
          .catch((error: unknown) => {
            options.log('request failed unexpectedly', { requestId, error: errorText(error) });
            if (!response.headersSent) send(response, 500, 'json', errorBody(internalFailure(error), 'json'));
          });
      },
      (error: unknown) => {
        options.log('request body could not be read', { requestId, error: errorText(error) });
        response.destroy();
      },
    );
  };

  const fastLane: ApiFastLane = {
    bodyBytesMax,
    accepts: (headers) =>
      headers.origin === undefined && headers['x-amz-target']?.endsWith(eventStreamTargetSuffix) !== true,
    answer: async (headers, url, body) => {
      const requestId = randomUUID();
      let reply = await answerSafely(headers, url, body, requestId);
      // `accepts` keeps SubscribeToShard away from the fast lane.
      if ('stream' in reply) reply = jsonReply(500, 'json', errorBody(internalFailure(undefined), 'json'));
      return { ...reply, headers: [['x-amzn-RequestId', requestId], ...reply.headers] };
    },
  };
  return Object.assign(handler, { fastLane });

  /** `answer`, with a bug logged and answered as InternalFailure instead of thrown. */
  async function answerSafely(
    headers: RequestHeaders,
    url: string | undefined,
    body: Buffer,
    requestId: string,
  ): Promise<ApiReply | EventStreamAnswer> {
    try {
      return await answer(headers, url, body, requestId);
    } catch (error) {
      options.log('request failed unexpectedly', { requestId, error: errorText(error) });
      return jsonReply(500, 'json', errorBody(internalFailure(error), 'json'));
    }
  }

  /** The pipeline after the body is read: never throws for a client's mistake, only for a bug. */
  async function answer(
    headers: RequestHeaders,
    url: string | undefined,
    body: Buffer,
    requestId: string,
  ): Promise<ApiReply | EventStreamAnswer> {
    const contentType = (headerOf(headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const encoding: WireEncoding | undefined =
      contentType === contentTypes.json ? 'json' : contentType === contentTypes.cbor ? 'cbor' : undefined;
    const [prefix, operationName] = splitTarget(headerOf(headers, 'x-amz-target'));
    const service = prefix === undefined ? undefined : servicesByPrefix.get(prefix);
    const operation = operationName === undefined ? undefined : service?.operations.get(operationName);
    const known = operationName !== undefined && service?.modelOperations.has(operationName) === true;

    if (encoding === undefined) {
      if (prefix === undefined || operationName === undefined) {
        return xmlError(
          403,
          'AccessDeniedException',
          'Unable to determine service/operation name to be authorized',
        );
      }
      return { status: 404, headers: [], body: Buffer.from('<UnknownOperationException/>\n', 'utf8') };
    }

    const fail = (error: ServiceError): ApiReply => ({
      status: error.status,
      headers: [
        ['x-amzn-ErrorType', error.code],
        ['Content-Type', contentTypes[encoding]],
      ],
      body: errorBody(error, encoding),
    });

    if (body.length === 0) return fail(known ? serializationError() : unknownOperation());
    // A body the worker decoded and validated has passed the syntax and shape checks; any other
    // body (and any the worker gave back) is decoded here, where every error is made.
    const worked =
      operation?.offload === true && encoding === 'json'
        ? await options.decodeOffload?.decode(`${prefix}.${operationName}`, encoding, body)
        : undefined;
    if (worked !== undefined) {
      // The body was moved to the worker, which then stopped: there is nothing left to decode.
      if (worked.body === undefined) return fail(internalFailure(new Error('the decoding worker stopped')));
      body = worked.body;
    }
    const offloaded = worked?.input;
    let decoded: unknown = offloaded;
    if (offloaded === undefined) {
      try {
        decoded = encoding === 'json' ? decodeJsonBody(body) : decodeCbor(body);
      } catch (error) {
        return fail(error instanceof ServiceError ? error : serializationError());
      }
    }
    if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
      return fail(serializationError());
    }
    if (operation === undefined) return fail(unknownOperation());

    try {
      // Node delivers header names lower-cased, which is what parseSigV4 expects.
      const auth = parseSigV4(headers, queryOf(url));
      const scope = {
        accountId: accountIdFor(auth.accessKeyId, options.defaultAccountId),
        region: auth.region === '' ? options.defaultRegion : auth.region,
      };
      const special = operation.inputShapeFor?.(scope, decoded as Record<string, unknown>);
      const input =
        offloaded !== undefined && special === undefined
          ? offloaded
          : validateInput(
              special ?? operation.inputShape,
              offloaded === undefined ? decoded : redecode(body, encoding),
            );
      const output = await operation.run(scope, input);
      if (output instanceof EventStreamReply) return { encoding, stream: output };
      return jsonReply(200, encoding, output === undefined ? Buffer.alloc(0) : encodeBody(output, encoding));
    } catch (error) {
      if (error instanceof ServiceError) {
        if (error.status >= 500)
          options.log('operation failed', { operation: operationName, error: errorText(error) });
        return fail(error);
      }
      if (error instanceof AssertionError)
        options.log('BUG: assertion failed', { requestId, error: errorText(error) });
      else
        options.log('operation failed unexpectedly', { operation: operationName, error: errorText(error) });
      return fail(internalFailure(error));
    }
  }
}

/** A reply with a body in the request's encoding. */
function jsonReply(status: number, encoding: WireEncoding, body: Buffer): ApiReply {
  return { status, headers: [['Content-Type', contentTypes[encoding]]], body };
}

/** The body decoded again on the main thread, for a validation other than the worker's. */
function redecode(body: Buffer, encoding: WireEncoding): unknown {
  return encoding === 'json' ? decodeJsonBody(body) : decodeCbor(body);
}

function splitTarget(target: string | undefined): [string | undefined, string | undefined] {
  if (target === undefined) return [undefined, undefined];
  const dot = target.indexOf('.');
  if (dot < 0) return [target || undefined, undefined];
  return [target.slice(0, dot) || undefined, target.slice(dot + 1) || undefined];
}

function headerOf(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' || value === undefined ? value : value[0];
}

const noQuery: URLSearchParams = new URLSearchParams();

/** The query parameters of a request path; most requests have none, and parse no URL for it. */
function queryOf(url: string | undefined): URLSearchParams {
  return url?.includes('?') === true ? new URL(url, 'http://localhost').searchParams : noQuery;
}

/**
 * Reads the whole body; undefined when it is larger than allowed. An oversized body is still read
 * to its end and dropped (up to a bound), and only then answered: Node closes a connection whose
 * response ends before its request did, and the client, still sending, would see EPIPE instead of
 * our 413.
 */
function readBody(request: Request, bytesMax: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const declared = Number(headerOf(request.headers, 'content-length'));
    let tooLarge = Number.isFinite(declared) && declared > bytesMax;
    request.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (tooLarge) {
        if (total > discardBytesMax) request.destroy();
        return;
      }
      if (total > bytesMax) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    request.on('end', () => {
      ended = true;
      if (tooLarge) resolve(undefined);
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
    });
    request.on('error', reject);
    request.on('close', () => {
      if (!ended) reject(new Error(`connection closed after ${total} bytes of the request body`));
    });
  });
}

/** How much of an oversized body is read and dropped before the connection is cut. */
const discardBytesMax = 64 * 1024 * 1024;

function drain(request: Request): void {
  request.resume();
}

/** 413 with an empty body (no Transfer-Encoding, which HTTP/2 forbids), as AWS answers. */
function sendTooLarge(_request: Request, response: Response): void {
  send(response, 413, undefined, Buffer.alloc(0));
}

function answerPreflight(request: Request, response: Response): void {
  const requestHeaders = headerOf(request.headers, 'access-control-request-headers');
  const requestMethod = headerOf(request.headers, 'access-control-request-method');
  if (requestHeaders !== undefined) response.setHeader('Access-Control-Allow-Headers', requestHeaders);
  if (requestMethod !== undefined) response.setHeader('Access-Control-Allow-Methods', requestMethod);
  response.setHeader('Access-Control-Max-Age', '172800');
  drain(request);
  send(response, 200, undefined, Buffer.alloc(0));
}

/** AWS answers requests it cannot route with an XML-ish body (no SDK ever sees these). */
function xmlError(status: number, code: string, message: string): ApiReply {
  const body = `<${code}>\n  <Message>${message}</Message>\n</${code}>\n`;
  return { status, headers: [], body: Buffer.from(body, 'utf8') };
}

function sendXmlError(response: Response, status: number, code: string, message: string): void {
  const reply = xmlError(status, code, message);
  send(response, reply.status, undefined, reply.body);
}

function send(response: Response, status: number, encoding: WireEncoding | undefined, body: Buffer): void {
  if (encoding !== undefined) response.setHeader('Content-Type', contentTypes[encoding]);
  response.setHeader('Content-Length', body.length);
  response.writeHead(status);
  response.end(body);
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

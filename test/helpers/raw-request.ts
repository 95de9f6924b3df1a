/**
 * Hand-made requests, for what SDKs never send (malformed bodies, missing auth) and for CBOR,
 * which the JavaScript SDK does not speak for Kinesis but the Java SDK does by default.
 */
import http from 'node:http';
import http2 from 'node:http2';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export interface RawRequest {
  readonly target?: string;
  readonly contentType?: string;
  readonly body?: Buffer | string;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  readonly path?: string;
  /** Omit the Authorization and X-Amz-Date headers. */
  readonly unsigned?: boolean;
  readonly accessKeyId?: string;
  readonly region?: string;
  /**
   * For streamed answers (SubscribeToShard): called with each body chunk; when it answers true
   * the connection is closed and the response resolves with what arrived so far.
   */
  readonly stopWhen?: (chunk: Buffer) => boolean;
}

export function signatureHeaders(accessKeyId = 'AKIDEXAMPLE', region = 'us-east-1'): Record<string, string> {
  return {
    authorization:
      `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261122/${region}/kinesis/aws4_request, ` +
      'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' +
      '0'.repeat(64),
    'x-amz-date': '20261122T000000Z',
  };
}

function headersOf(request: RawRequest, body: Buffer): Record<string, string> {
  return {
    ...(request.target === undefined ? {} : { 'x-amz-target': request.target }),
    ...(request.contentType === undefined ? {} : { 'content-type': request.contentType }),
    ...(request.unsigned === true ? {} : signatureHeaders(request.accessKeyId, request.region)),
    'content-length': String(body.length),
    ...request.headers,
  };
}

export function http1Request(endpoint: string, request: RawRequest): Promise<RawResponse> {
  const body = Buffer.from(request.body ?? '');
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      `${endpoint}${request.path ?? '/'}`,
      { method: request.method ?? 'POST', headers: headersOf(request, body), agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        const answer = (): void =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          });
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (request.stopWhen?.(chunk) === true) {
            answer();
            outgoing.destroy();
          }
        });
        response.on('end', answer);
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export function http2Request(endpoint: string, request: RawRequest): Promise<RawResponse> {
  const body = Buffer.from(request.body ?? '');
  return new Promise((resolve, reject) => {
    const session = http2.connect(endpoint);
    session.on('error', reject);
    const stream = session.request({
      ':method': request.method ?? 'POST',
      ':path': request.path ?? '/',
      ...headersOf(request, body),
    });
    const chunks: Buffer[] = [];
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    stream.on('response', (responseHeaders) => {
      status = Number(responseHeaders[':status']);
      headers = responseHeaders as Record<string, string | string[] | undefined>;
    });
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (request.stopWhen?.(chunk) === true) {
        resolve({ status, headers, body: Buffer.concat(chunks) });
        session.destroy();
      }
    });
    stream.on('end', () => {
      session.close();
      resolve({ status, headers, body: Buffer.concat(chunks) });
    });
    stream.on('error', reject);
    stream.end(body);
  });
}

/**
 * A bare Kinesis JSON client for benchmarks: `node:http` over a keep-alive Agent, request bodies
 * passed in as ready-made Buffers, and a syntactically valid SigV4 Authorization header whose
 * signature is not computed (Tributary parses signatures but does not verify them). The SDK is not
 * used here because its per-request work (serialising, signing, middleware) would make the client,
 * not the server, the thing being measured.
 */
import http from 'node:http';

export interface KinesisResponse {
  readonly status: number;
  readonly body: Buffer;
}

export const jsonContentType = 'application/x-amz-json-1.1';
export const cborContentType = 'application/x-amz-cbor-1.1';
export type ContentType = typeof jsonContentType | typeof cborContentType;

const fakeSignature = '0'.repeat(64);

/** `20261122T042741Z`, the basic ISO 8601 form SigV4 uses. */
function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export class KinesisHttpClient {
  readonly #agent: http.Agent;
  readonly #host: string;
  readonly #port: number;
  readonly #timeoutMs: number;

  constructor(endpoint: string, options: { connections: number; timeoutMs?: number }) {
    const url = new URL(endpoint);
    this.#host = url.hostname;
    this.#port = Number(url.port);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  }

  /**
   * Sends one operation; rejects on a transport error or timeout, resolves with any HTTP status.
   * A body given as several Buffers is written piece by piece, so large bodies can share parts.
   */
  send(
    operation: string,
    body: Buffer | readonly Buffer[],
    contentType: ContentType = jsonContentType,
  ): Promise<KinesisResponse> {
    const parts = Buffer.isBuffer(body) ? [body] : body;
    let length = 0;
    for (const part of parts) length += part.length;
    const date = amzDate(new Date());
    const headers = {
      'content-type': contentType,
      'content-length': String(length),
      'x-amz-target': `Kinesis_20131202.${operation}`,
      'x-amz-date': date,
      authorization:
        `AWS4-HMAC-SHA256 Credential=test/${date.slice(0, 8)}/us-east-1/kinesis/aws4_request, ` +
        `SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${fakeSignature}`,
    };
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent: this.#agent,
          host: this.#host,
          port: this.#port,
          method: 'POST',
          path: '/',
          headers,
          timeout: this.#timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
          );
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${operation} timed out`)));
      request.on('error', reject);
      for (const part of parts) request.write(part);
      request.end();
    });
  }

  /** Sends a JSON input and parses the JSON output; throws on any non-200 answer. */
  async call<T>(operation: string, input: unknown): Promise<T> {
    const response = await this.send(operation, Buffer.from(JSON.stringify(input)));
    if (response.status !== 200) {
      throw new Error(`${operation} answered ${response.status}: ${response.body.toString('utf8')}`);
    }
    return (response.body.length === 0 ? {} : JSON.parse(response.body.toString('utf8'))) as T;
  }

  close(): void {
    this.#agent.destroy();
  }
}

/**
 * One keep-alive HTTP/1.1 connection over a bare socket, for the load workers: the request head is
 * a few string concatenations and the answer is cut out by Content-Length (or chunked framing)
 * without `node:http`'s per-request machinery, which costs more CPU than some of the servers spend
 * on the same request. One request at a time per connection; reconnects after a close. The SigV4
 * header is well-formed with a dummy signature, its date taken once per connection (runs are far
 * shorter than any clock-skew window).
 */
import net from 'node:net';
import { jsonContentType, type ContentType, type KinesisResponse } from './kinesis-http-client.js';

const headerEnd = Buffer.from('\r\n\r\n');
const fakeSignature = '0'.repeat(64);
/** An answer larger than this is an error: GetRecords answers are at most about 14 MB. */
const responseBytesMax = 64 * 1024 * 1024;

interface Pending {
  readonly resolve: (response: KinesisResponse) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export class RawKinesisConnection {
  readonly #host: string;
  readonly #port: number;
  readonly #timeoutMs: number;
  readonly #fixedHeaders: string;
  #socket: net.Socket | null = null;
  #chunks: Buffer[] = [];
  #bytes = 0;
  #pending: Pending | null = null;

  constructor(endpoint: string, timeoutMs = 30_000) {
    const url = new URL(endpoint);
    this.#host = url.hostname;
    this.#port = Number(url.port);
    this.#timeoutMs = timeoutMs;
    const date = amzDate(new Date());
    this.#fixedHeaders =
      `host: ${url.host}\r\nx-amz-date: ${date}\r\n` +
      `authorization: AWS4-HMAC-SHA256 Credential=test/${date.slice(0, 8)}/us-east-1/kinesis/aws4_request, ` +
      `SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${fakeSignature}\r\n`;
  }

  send(
    operation: string,
    body: Buffer | readonly Buffer[],
    contentType: ContentType = jsonContentType,
  ): Promise<KinesisResponse> {
    if (this.#pending !== null) throw new Error('one request at a time per connection');
    const parts = Buffer.isBuffer(body) ? [body] : body;
    let length = 0;
    for (const part of parts) length += part.length;
    const head =
      `POST / HTTP/1.1\r\n${this.#fixedHeaders}content-type: ${contentType}\r\n` +
      `x-amz-target: Kinesis_20131202.${operation}\r\ncontent-length: ${length}\r\n\r\n`;
    const socket = this.#connect();
    return new Promise<KinesisResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy(new Error(`${operation} timed out after ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      this.#pending = { resolve, reject, timer };
      socket.cork();
      socket.write(head, 'latin1');
      for (const part of parts) socket.write(part);
      socket.uncork();
    });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = null;
  }

  #connect(): net.Socket {
    if (this.#socket !== null && !this.#socket.destroyed) return this.#socket;
    const socket = net.connect({ host: this.#host, port: this.#port, noDelay: true });
    this.#socket = socket;
    this.#chunks = [];
    this.#bytes = 0;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = null;
      this.#fail(new Error('connection closed'));
    });
    return socket;
  }

  #fail(error: Error): void {
    const pending = this.#pending;
    if (pending === null) return;
    this.#pending = null;
    clearTimeout(pending.timer);
    pending.reject(error);
  }

  #onData(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    if (this.#bytes > responseBytesMax) {
      this.#socket?.destroy(new Error(`answer over ${responseBytesMax} bytes`));
      return;
    }
    const response = this.#takeResponse();
    if (response === null) return;
    const pending = this.#pending;
    this.#pending = null;
    if (pending === null) return;
    clearTimeout(pending.timer);
    pending.resolve(response);
  }

  /** Cuts one complete answer off the front of the received bytes, or null if it is incomplete. */
  #takeResponse(): KinesisResponse | null {
    const first = this.#chunks[0];
    if (first === undefined) return null;
    // Headers are small: look for their end in the first chunk, joining chunks only if needed.
    let buffer = first;
    let end = buffer.indexOf(headerEnd);
    if (end < 0) {
      if (this.#chunks.length === 1) return null;
      buffer = Buffer.concat(this.#chunks);
      this.#chunks = [buffer];
      end = buffer.indexOf(headerEnd);
      if (end < 0) return null;
    }
    const head = buffer.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const bodyStart = end + headerEnd.length;
    const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (lengthMatch !== null) {
      const total = bodyStart + Number(lengthMatch[1]);
      if (this.#bytes < total) return null;
      const all = this.#chunks.length === 1 ? buffer : Buffer.concat(this.#chunks);
      this.#keepRest(all, total);
      return { status, body: all.subarray(bodyStart, total) };
    }
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const all = this.#chunks.length === 1 ? buffer : Buffer.concat(this.#chunks);
      this.#chunks = [all];
      const decoded = decodeChunked(all, bodyStart);
      if (decoded === null) return null;
      this.#keepRest(all, decoded.end);
      return { status, body: decoded.body };
    }
    // Neither: the body runs to the close of the connection, which this client does not support.
    this.#socket?.destroy(new Error(`answer without a length: ${head.slice(0, 200)}`));
    return null;
  }

  #keepRest(all: Buffer, consumed: number): void {
    const rest = all.subarray(consumed);
    this.#chunks = rest.length === 0 ? [] : [rest];
    this.#bytes = rest.length;
  }
}

/** The body of a chunked answer starting at `start`, and where it ends; null while incomplete. */
function decodeChunked(buffer: Buffer, start: number): { body: Buffer; end: number } | null {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at, 'latin1');
    if (lineEnd < 0) return null;
    const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
    if (!Number.isFinite(size)) throw new Error('bad chunk size');
    const dataStart = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = buffer.indexOf(headerEnd, lineEnd, 'latin1');
      if (trailerEnd < 0) return null;
      return { body: Buffer.concat(parts), end: trailerEnd + headerEnd.length };
    }
    if (buffer.length < dataStart + size + 2) return null;
    parts.push(buffer.subarray(dataStart, dataStart + size));
    at = dataStart + size + 2;
  }
}

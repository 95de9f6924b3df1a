/**
 * HTTP/1.1 keep-alive connections answered without `node:http` while their requests are plain API
 * POSTs: a request line `POST /… HTTP/1.1`, well-formed headers without duplicates, a Host, a
 * Content-Length within the API's bound, and no Transfer-Encoding, Expect, Upgrade, Connection
 * other than keep-alive, or anything the API handler declines (CORS, event streams).
 *
 * Why: `node:http` builds an IncomingMessage and a ServerResponse (two streams, their events, a
 * headers object filled line by line, header validation on every setHeader) for each request.
 * For one-record PutRecord calls the main thread's time per request went from 85 to 72 µs with
 * this lane (the CPU tables of two full `npm run bench` runs, docs/benchmarks.md).
 *
 * Anything else goes back to `node:http`, which then owns the connection for good: the lane stops
 * at a request boundary, pushes the bytes it holds back into the socket and hands the socket over,
 * so `node:http` answers it exactly as it would have (400, 413, 431, chunked bodies, GETs of the
 * console, SubscribeToShard).
 *
 * One request at a time per connection, answered in order; bytes of pipelined requests wait
 * (reading pauses beyond `pipelinedBytesMax`), a head larger than `headBytesMax` (Node's limit)
 * goes to `node:http`, and an idle connection closes after the same keep-alive timeout.
 */
import { STATUS_CODES } from 'node:http';
import type net from 'node:net';
import type { ApiFastLane, ApiReply } from './api-handler.js';

/** Node's default `maxHeaderSize`: a longer head is `node:http`'s to refuse (431). */
const headBytesMax = 16 * 1024;
const pipelinedBytesMax = 64 * 1024;
export const keepAliveTimeoutMs = 65_000;
const headEnd = Buffer.from('\r\n\r\n', 'latin1');
/** Bodies from this size get a buffer of their own (see `#takeRequest`). */
const ownedBodyBytesMin = 16 * 1024;
/** Replies up to this size go out as one buffer (one send); larger ones as head and body. */
const joinedReplyBytesMax = 16 * 1024;
/** 1 for the characters of an HTTP token (a header name), by character code. */
const tokenCharacters = new Uint8Array(128);
for (const character of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  tokenCharacters[character.charCodeAt(0)] = 1;
}
const requestLineEnd = ' HTTP/1.1';
/** Space or horizontal tab: what is trimmed around a header value. */
const isBlank = (code: number): boolean => code === 32 || code === 9;
const digitsPattern = /^\d{1,15}$/;

interface RequestHead {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyStart: number;
  readonly contentLength: number;
}

/**
 * The head of a request the lane may answer, or undefined for anything else (then `node:http`
 * gets the connection and decides what it is).
 */
export function parseFastHead(
  head: string,
  lane: Pick<ApiFastLane, 'accepts' | 'bodyBytesMax'>,
): RequestHead | undefined {
  // One pass over the head by character codes: this runs for every request.
  const firstEnd = head.indexOf('\r\n');
  const lineEnd = firstEnd < 0 ? head.length : firstEnd;
  if (!head.startsWith('POST /') || head.slice(lineEnd - requestLineEnd.length, lineEnd) !== requestLineEnd) {
    return undefined;
  }
  const urlEnd = lineEnd - requestLineEnd.length;
  for (let at = 5; at < urlEnd; at++) {
    const code = head.charCodeAt(at);
    if (code <= 32 || code === 127) return undefined;
  }
  const url = head.slice(5, urlEnd);
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let at = lineEnd + 2; at < head.length;) {
    let end = head.indexOf('\r\n', at);
    if (end < 0) end = head.length;
    let colon = at;
    for (; colon < end; colon++) {
      const code = head.charCodeAt(colon);
      if (code === 58) break;
      if (code > 127 || tokenCharacters[code] === 0) return undefined;
    }
    if (colon === at || colon === end) return undefined;
    let from = colon + 1;
    let to = end;
    for (let index = from; index < to; index++) {
      const code = head.charCodeAt(index);
      if ((code < 32 && code !== 9) || code === 127) return undefined;
    }
    while (from < to && isBlank(head.charCodeAt(from))) from++;
    while (to > from && isBlank(head.charCodeAt(to - 1))) to--;
    const key = head.slice(at, colon).toLowerCase();
    if (headers[key] !== undefined) return undefined;
    headers[key] = head.slice(from, to);
    at = end + 2;
  }
  // Node's server refuses an HTTP/1.1 request without Host (400): let it.
  if (headers.host === undefined) return undefined;
  const length = headers['content-length'];
  if (length === undefined || !digitsPattern.test(length)) return undefined;
  const contentLength = Number(length);
  if (contentLength > lane.bodyBytesMax) return undefined;
  if (
    headers['transfer-encoding'] !== undefined ||
    headers.expect !== undefined ||
    headers.upgrade !== undefined
  ) {
    return undefined;
  }
  const connection = headers.connection;
  if (connection !== undefined && connection.toLowerCase() !== 'keep-alive') return undefined;
  if (!lane.accepts(headers)) return undefined;
  return { url, headers, bodyStart: head.length + headEnd.length, contentLength };
}

let dateSecond = -1;
let dateText = '';

/** The Date header's value, made once a second. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/** The status line and headers of a reply, as `node:http` would write them. */
export function replyHead(reply: ApiReply): string {
  let head = `HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? 'unknown'}\r\n`;
  for (const [name, value] of reply.headers) head += `${name}: ${value}\r\n`;
  return (
    head +
    `Content-Length: ${reply.body.length}\r\nDate: ${httpDate()}\r\n` +
    `Connection: keep-alive\r\nKeep-Alive: timeout=${keepAliveTimeoutMs / 1000}\r\n\r\n`
  );
}

export class Http1FastLane {
  readonly #socket: net.Socket;
  readonly #lane: ApiFastLane;
  readonly #handOff: (socket: net.Socket) => void;
  #chunks: Buffer[] = [];
  #length = 0;
  #head: RequestHead | undefined;
  #busy = false;
  #closing = false;
  #done = false;
  readonly #onData = (chunk: Buffer): void => {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    if (this.#busy) {
      if (this.#length > pipelinedBytesMax) this.#socket.pause();
      return;
    }
    this.#pump();
  };
  readonly #onTimeout = (): void => {
    if (this.#busy) return;
    if (this.#length === 0) this.#socket.end();
    else this.#socket.destroy();
  };

  /** Takes the socket with the bytes already read from it (`first`). */
  constructor(
    socket: net.Socket,
    first: Buffer,
    lane: ApiFastLane,
    handOff: (socket: net.Socket) => void,
    idleTimeoutMs = keepAliveTimeoutMs,
  ) {
    this.#socket = socket;
    this.#lane = lane;
    this.#handOff = handOff;
    // `on`, not setTimeout's callback (a `once`): a timeout while busy is ignored, later ones count.
    socket.setTimeout(idleTimeoutMs);
    socket.on('timeout', this.#onTimeout);
    socket.on('data', this.#onData);
    this.#onData(first);
  }

  /** Whether `node:http` has the connection now. */
  get handedOff(): boolean {
    return this.#done;
  }

  /** Closes the connection once the request in progress (if any) is answered. */
  close(): void {
    this.#closing = true;
    if (!this.#busy && this.#length === 0) this.#socket.end();
  }

  #pump(): void {
    while (!this.#busy && !this.#done && this.#length > 0) {
      if (this.#closing) {
        this.#socket.destroy();
        return;
      }
      if (this.#head === undefined) {
        const data = this.#flatten();
        const end = data.indexOf(headEnd);
        if (end < 0 || end > headBytesMax) {
          if (end >= 0 || data.length > headBytesMax + headEnd.length) this.#giveUp();
          return;
        }
        this.#head = parseFastHead(data.toString('latin1', 0, end), this.#lane);
        if (this.#head === undefined) return this.#giveUp();
      }
      const head = this.#head;
      const bodyEnd = head.bodyStart + head.contentLength;
      if (this.#length < bodyEnd) return;
      const body = this.#takeRequest(head.bodyStart, bodyEnd);
      this.#head = undefined;
      this.#busy = true;
      this.#lane.answer(head.headers, head.url, body).then(
        (reply) => this.#reply(reply),
        () => this.#socket.destroy(),
      );
    }
  }

  #reply(reply: ApiReply): void {
    this.#busy = false;
    const socket = this.#socket;
    if (socket.destroyed) return;
    const head = replyHead(reply);
    if (reply.body.length <= joinedReplyBytesMax) {
      const headBytes = Buffer.byteLength(head, 'latin1');
      const out = Buffer.allocUnsafe(headBytes + reply.body.length);
      out.write(head, 0, 'latin1');
      reply.body.copy(out, headBytes);
      socket.write(out);
    } else {
      socket.cork();
      socket.write(head, 'latin1');
      socket.write(reply.body);
      socket.uncork();
    }
    if (this.#closing && this.#length === 0) {
      socket.end();
      return;
    }
    if (socket.isPaused()) socket.resume();
    if (socket.writableNeedDrain) socket.once('drain', () => this.#pump());
    else this.#pump();
  }

  /**
   * Cuts the request that ends at `bodyEnd` off the bytes held and returns its body. A small body
   * that arrived in one read is a view into it; any other is copied once into a buffer of its own,
   * which the decoding worker can then take without a copy (and which keeps no read buffer alive).
   */
  #takeRequest(bodyStart: number, bodyEnd: number): Buffer {
    const first = this.#chunks[0];
    if (this.#chunks.length === 1 && first !== undefined && bodyEnd - bodyStart < ownedBodyBytesMin) {
      const rest = first.subarray(bodyEnd);
      this.#chunks = rest.length === 0 ? [] : [rest];
      this.#length = rest.length;
      return first.subarray(bodyStart, bodyEnd);
    }
    const body = Buffer.allocUnsafeSlow(bodyEnd - bodyStart);
    const rest: Buffer[] = [];
    let at = 0;
    for (const chunk of this.#chunks) {
      const from = Math.max(bodyStart - at, 0);
      const to = Math.min(bodyEnd - at, chunk.length);
      if (from < to) chunk.copy(body, at + from - bodyStart, from, to);
      if (bodyEnd - at < chunk.length) rest.push(chunk.subarray(Math.max(bodyEnd - at, 0)));
      at += chunk.length;
    }
    this.#chunks = rest;
    this.#length -= bodyEnd;
    return body;
  }

  /** All bytes held, as one buffer (they start at a request boundary). */
  #flatten(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks, this.#length)];
    return this.#chunks[0] ?? Buffer.alloc(0);
  }

  /** Hands the connection, with the bytes held, to `node:http`. */
  #giveUp(): void {
    this.#done = true;
    const socket = this.#socket;
    socket.off('data', this.#onData);
    socket.setTimeout(0);
    socket.removeListener('timeout', this.#onTimeout);
    socket.pause();
    const held = this.#flatten();
    this.#chunks = [];
    this.#length = 0;
    if (held.length > 0) socket.unshift(held);
    this.#handOff(socket);
    socket.resume();
  }
}

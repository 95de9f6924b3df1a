/**
 * One TCP port for HTTP/1.1 and HTTP/2 cleartext. The first bytes of each connection decide:
 * the HTTP/2 preface ("PRI * HTTP/2.0…", sent with prior knowledge by the JavaScript SDK v3 and
 * Java's Netty client) goes to the HTTP/2 server, anything else to HTTP/1.1 (boto3, the CLI).
 *
 * HTTP/2 sessions read from the native handle, so bytes pushed back with `unshift` would be lost;
 * they get a Duplex that replays the sniffed bytes first (reference §1.2). HTTP/1.1 connections
 * start in the fast lane (`http1-fast-lane.ts`), which answers plain API POSTs itself and hands
 * the socket, with the bytes it holds unshifted, to `node:http` at the first request it does not
 * take.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { Duplex } from 'node:stream';
import type { ApiFastLane } from './api-handler.js';
import { Http1FastLane, keepAliveTimeoutMs } from './http1-fast-lane.js';

export type RequestListener = (
  request: http.IncomingMessage | http2.Http2ServerRequest,
  response: http.ServerResponse | http2.Http2ServerResponse,
) => void;

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly onRequest: RequestListener;
  /** When given, HTTP/1.1 connections start in the fast lane (`http1-fast-lane.ts`). */
  readonly fastLane?: ApiFastLane;
}

const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** A connection that has not sent enough to be classified by then is closed. */
const sniffTimeoutMs = 10_000;

export class HttpServer {
  readonly #options: HttpServerOptions;
  readonly #tcp: net.Server;
  readonly #http1: http.Server;
  readonly #http2: http2.Http2Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #sessions = new Set<http2.Http2Session>();
  readonly #lanes = new Set<Http1FastLane>();

  constructor(options: HttpServerOptions) {
    this.#options = options;
    this.#http1 = http.createServer(
      { keepAliveTimeout: keepAliveTimeoutMs, requestTimeout: 300_000 },
      options.onRequest,
    );
    this.#http2 = http2.createServer(
      { settings: { maxConcurrentStreams: 1000, initialWindowSize: 1 << 20 }, maxSessionMemory: 64 },
      options.onRequest,
    );
    this.#http2.on('session', (session: http2.Http2Session) => {
      this.#sessions.add(session);
      session.on('close', () => this.#sessions.delete(session));
      // A session error (a peer that breaks the protocol) ends that session only.
      session.on('error', () => session.destroy());
    });
    this.#tcp = net.createServer((socket) => this.#sniff(socket));
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#tcp.once('error', reject);
      this.#tcp.listen(this.#options.port, this.#options.host, () => {
        this.#tcp.off('error', reject);
        const address = this.#tcp.address();
        resolve(typeof address === 'object' && address !== null ? address.port : this.#options.port);
      });
    });
  }

  /** Stops accepting, lets requests in flight finish for up to `graceMs`, then closes the rest. */
  async close(graceMs = 2000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#tcp.close(() => resolve()));
    this.#http1.closeIdleConnections();
    for (const lane of this.#lanes) if (!lane.handedOff) lane.close();
    for (const session of this.#sessions) session.close();
    const deadline = setTimeout(() => {
      for (const socket of this.#sockets) socket.destroy();
      for (const session of this.#sessions) session.destroy();
    }, graceMs);
    deadline.unref();
    await closed;
    clearTimeout(deadline);
  }

  #sniff(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setNoDelay(true);
    let head: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), sniffTimeoutMs);
    const onData = (chunk: Buffer): void => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const compared = Math.min(head.length, preface.length);
      const couldBePreface = head.subarray(0, compared).equals(preface.subarray(0, compared));
      if (couldBePreface && head.length < preface.length) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.pause();
      if (couldBePreface) {
        this.#http2.emit('connection', new ReplayDuplex(socket, head));
      } else if (this.#options.fastLane !== undefined) {
        const lane = new Http1FastLane(socket, head, this.#options.fastLane, (handed) =>
          this.#http1.emit('connection', handed),
        );
        this.#lanes.add(lane);
        socket.on('close', () => this.#lanes.delete(lane));
        socket.resume();
      } else {
        socket.unshift(head);
        this.#http1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
    socket.once('end', () => clearTimeout(timer));
  }
}

/** A socket seen through a Duplex that first yields bytes already read from it. */
class ReplayDuplex extends Duplex {
  readonly #socket: net.Socket;

  constructor(socket: net.Socket, head: Buffer) {
    super({ allowHalfOpen: false });
    this.#socket = socket;
    this.push(head);
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.destroy());
    socket.on('error', (error) => this.destroy(error));
  }

  get remoteAddress(): string | undefined {
    return this.#socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.#socket.remotePort;
  }

  setTimeout(timeoutMs: number, callback?: () => void): this {
    this.#socket.setTimeout(timeoutMs, callback);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.#socket.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, delayMs?: number): this {
    this.#socket.setKeepAlive(enable, delayMs);
    return this;
  }

  override _read(): void {
    this.#socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#socket.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#socket.destroy(error ?? undefined);
    callback(error);
  }
}

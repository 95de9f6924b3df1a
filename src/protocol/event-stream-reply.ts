/**
 * Streaming answers (SubscribeToShard): an operation returns an `EventStreamReply` instead of an
 * output structure once every check that AWS answers with an HTTP error has passed; the handler
 * then answers 200 `application/vnd.amazon.eventstream` (no Content-Length: chunked on
 * HTTP/1.1, DATA frames on HTTP/2) and hands the reply a sink for its events.
 *
 * The sink encodes each payload in the request's encoding (JSON or CBOR) and frames it. `event`
 * resolves only when the transport can take more (the socket's or HTTP/2 stream's `drain`), so
 * a producer that awaits it holds at most one event in memory beyond the transport's buffers.
 */
import type http from 'node:http';
import type http2 from 'node:http2';
import { encodeBody, type WireEncoding } from './error-response.js';
import { encodeEventStreamMessage, eventStreamContentType } from './event-stream.js';

export interface EventStreamSink {
  /**
   * Sends one event; resolves once the transport can take more, or at once when the stream is
   * closed (then answers false).
   */
  event(eventType: string, payload: object): Promise<boolean>;
  /** Sends a modelled exception (`:message-type` exception) and ends the stream. */
  exception(code: string, message: string): Promise<void>;
  /** Ends the response normally (END_STREAM, or the terminating chunk). Idempotent. */
  end(): void;
  /** True once the client went away or the stream was ended. */
  readonly closed: boolean;
  /** Called once when the stream closes, for any reason. */
  onClose(listener: () => void): void;
}

export class EventStreamReply {
  readonly start: (sink: EventStreamSink) => void;

  constructor(start: (sink: EventStreamSink) => void) {
    this.start = start;
  }
}

/** Event payload content types, by the request's encoding. */
const payloadContentTypes: Record<WireEncoding, string> = {
  json: 'application/json',
  cbor: 'application/cbor',
};

type Response = http.ServerResponse | http2.Http2ServerResponse;

/** Answers 200 with an event-stream body and runs the reply on it. */
export function startEventStream(response: Response, encoding: WireEncoding, reply: EventStreamReply): void {
  response.setHeader('Content-Type', eventStreamContentType);
  response.writeHead(200);
  reply.start(new ResponseSink(response, encoding));
}

class ResponseSink implements EventStreamSink {
  readonly #response: Response;
  readonly #encoding: WireEncoding;
  readonly #closeListeners: (() => void)[] = [];
  #closed = false;

  constructor(response: Response, encoding: WireEncoding) {
    this.#response = response;
    this.#encoding = encoding;
    response.once('close', () => this.#markClosed());
  }

  get closed(): boolean {
    return this.#closed;
  }

  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closeListeners.push(listener);
  }

  async event(eventType: string, payload: object): Promise<boolean> {
    return this.#write(
      {
        ':message-type': 'event',
        ':event-type': eventType,
        ':content-type': payloadContentTypes[this.#encoding],
      },
      encodeBody(payload, this.#encoding),
    );
  }

  async exception(code: string, message: string): Promise<void> {
    await this.#write(
      {
        ':message-type': 'exception',
        ':exception-type': code,
        ':content-type': payloadContentTypes[this.#encoding],
      },
      encodeBody({ message }, this.#encoding),
    );
    this.end();
  }

  end(): void {
    if (this.#closed) return;
    this.#response.end();
    this.#markClosed();
  }

  async #write(headers: Record<string, string>, payload: Buffer): Promise<boolean> {
    if (this.#closed) return false;
    const frame = encodeEventStreamMessage({ headers, payload });
    if ((this.#response as NodeJS.WritableStream).write(frame)) return true;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.#response.off('drain', done);
        this.#response.off('close', done);
        resolve();
      };
      this.#response.on('drain', done);
      this.#response.on('close', done);
    });
    return !this.#closed;
  }

  #markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const listener of this.#closeListeners.splice(0)) listener();
  }
}

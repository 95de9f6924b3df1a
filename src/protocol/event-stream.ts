/**
 * `application/vnd.amazon.eventstream` framing, the body of SubscribeToShard responses.
 *
 * A message is a 12-byte prelude (total length, headers length, CRC32 of those 8 bytes), the
 * headers, the payload and a CRC32 of everything before it; all integers big-endian. The
 * checksum is CRC-32 (IEEE, zlib's), not the CRC32C that frames log records. Headers are
 * `[name length u8][name][type u8][value]`; every header type is decoded, but only strings (7)
 * are written, which is all Kinesis sends.
 *
 * `decodeEventStreamMessage` checks both checksums and every length, and `EventStreamDecoder`
 * reassembles messages split across chunks (or several in one chunk), bounded by
 * `eventStreamMessageBytesMax`, so a corrupt or hostile stream fails with an error, never with
 * an unbounded buffer.
 */
import { crc32 } from 'node:zlib';

export const eventStreamContentType = 'application/vnd.amazon.eventstream';

/** Prelude (12 bytes) plus the trailing message CRC (4 bytes). */
const preludeBytes = 12;
const overheadBytes = preludeBytes + 4;
/** AWS's limits: 16 MiB per message, 128 KiB of headers. */
export const eventStreamMessageBytesMax = 16 * 1024 * 1024;
export const eventStreamHeadersBytesMax = 128 * 1024;

export type EventStreamHeaderValue =
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'byte' | 'short' | 'integer'; readonly value: number }
  | { readonly type: 'long'; readonly value: bigint }
  | { readonly type: 'binary'; readonly value: Buffer }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'timestamp'; readonly value: Date }
  | { readonly type: 'uuid'; readonly value: string };

export interface EventStreamMessage {
  /** Header names to string values: what encode writes. */
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: Buffer;
}

export interface DecodedEventStreamMessage {
  readonly headers: Readonly<Record<string, EventStreamHeaderValue>>;
  readonly payload: Buffer;
}

export class EventStreamError extends Error {
  override readonly name = 'EventStreamError';
}

/** Frames one message whose headers are all strings. */
export function encodeEventStreamMessage(message: EventStreamMessage): Buffer {
  const headerParts: Buffer[] = [];
  let headersLength = 0;
  for (const [name, value] of Object.entries(message.headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    if (nameBytes.length === 0 || nameBytes.length > 255) {
      throw new EventStreamError(`header name must be 1..255 bytes: ${name}`);
    }
    if (valueBytes.length > 0xffff) throw new EventStreamError(`header ${name} is over 65535 bytes`);
    const part = Buffer.allocUnsafe(1 + nameBytes.length + 1 + 2 + valueBytes.length);
    let at = part.writeUInt8(nameBytes.length, 0);
    at += nameBytes.copy(part, at);
    at = part.writeUInt8(7, at);
    at = part.writeUInt16BE(valueBytes.length, at);
    valueBytes.copy(part, at);
    headerParts.push(part);
    headersLength += part.length;
  }
  const totalLength = overheadBytes + headersLength + message.payload.length;
  if (headersLength > eventStreamHeadersBytesMax) throw new EventStreamError('headers over 128 KiB');
  if (totalLength > eventStreamMessageBytesMax) throw new EventStreamError('message over 16 MiB');
  const frame = Buffer.allocUnsafe(totalLength);
  frame.writeUInt32BE(totalLength, 0);
  frame.writeUInt32BE(headersLength, 4);
  frame.writeUInt32BE(crc32(frame.subarray(0, 8)), 8);
  let at = preludeBytes;
  for (const part of headerParts) at += part.copy(frame, at);
  at += message.payload.copy(frame, at);
  frame.writeUInt32BE(crc32(frame.subarray(0, at)), at);
  return frame;
}

/** Decodes exactly one whole message, checking lengths and both checksums. */
export function decodeEventStreamMessage(frame: Buffer): DecodedEventStreamMessage {
  if (frame.length < overheadBytes) throw new EventStreamError('message shorter than its prelude');
  const totalLength = frame.readUInt32BE(0);
  const headersLength = frame.readUInt32BE(4);
  if (totalLength !== frame.length) {
    throw new EventStreamError(`message length ${totalLength} does not match the frame (${frame.length})`);
  }
  if (crc32(frame.subarray(0, 8)) !== frame.readUInt32BE(8)) {
    throw new EventStreamError('prelude checksum mismatch');
  }
  if (headersLength > totalLength - overheadBytes) throw new EventStreamError('headers overrun the message');
  const end = totalLength - 4;
  if (crc32(frame.subarray(0, end)) !== frame.readUInt32BE(end)) {
    throw new EventStreamError('message checksum mismatch');
  }
  return {
    headers: decodeHeaders(frame.subarray(preludeBytes, preludeBytes + headersLength)),
    payload: Buffer.from(frame.subarray(preludeBytes + headersLength, end)),
  };
}

function decodeHeaders(bytes: Buffer): Record<string, EventStreamHeaderValue> {
  const headers: Record<string, EventStreamHeaderValue> = {};
  let at = 0;
  const need = (count: number): void => {
    if (at + count > bytes.length) throw new EventStreamError('header runs past the headers section');
  };
  while (at < bytes.length) {
    need(1);
    const nameLength = bytes.readUInt8(at);
    at += 1;
    need(nameLength + 1);
    const name = bytes.toString('utf8', at, at + nameLength);
    at += nameLength;
    const type = bytes.readUInt8(at);
    at += 1;
    let value: EventStreamHeaderValue;
    switch (type) {
      case 0:
      case 1:
        value = { type: 'boolean', value: type === 0 };
        break;
      case 2:
        need(1);
        value = { type: 'byte', value: bytes.readInt8(at) };
        at += 1;
        break;
      case 3:
        need(2);
        value = { type: 'short', value: bytes.readInt16BE(at) };
        at += 2;
        break;
      case 4:
        need(4);
        value = { type: 'integer', value: bytes.readInt32BE(at) };
        at += 4;
        break;
      case 5:
        need(8);
        value = { type: 'long', value: bytes.readBigInt64BE(at) };
        at += 8;
        break;
      case 6:
      case 7: {
        need(2);
        const length = bytes.readUInt16BE(at);
        at += 2;
        need(length);
        const slice = bytes.subarray(at, at + length);
        value =
          type === 6
            ? { type: 'binary', value: Buffer.from(slice) }
            : { type: 'string', value: slice.toString('utf8') };
        at += length;
        break;
      }
      case 8:
        need(8);
        value = { type: 'timestamp', value: new Date(Number(bytes.readBigInt64BE(at))) };
        at += 8;
        break;
      case 9: {
        need(16);
        const hex = bytes.toString('hex', at, at + 16);
        value = {
          type: 'uuid',
          value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
        };
        at += 16;
        break;
      }
      default:
        throw new EventStreamError(`unknown header type ${type} for ${name}`);
    }
    headers[name] = value;
  }
  return headers;
}

/**
 * Splits a byte stream into messages: feed chunks in, get whole messages out. Holds at most one
 * incomplete message (≤ 16 MiB); a bad prelude or checksum throws.
 */
export class EventStreamDecoder {
  #buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): DecodedEventStreamMessage[] {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    const messages: DecodedEventStreamMessage[] = [];
    for (;;) {
      if (this.#buffered.length < preludeBytes) break;
      const totalLength = this.#buffered.readUInt32BE(0);
      if (crc32(this.#buffered.subarray(0, 8)) !== this.#buffered.readUInt32BE(8)) {
        throw new EventStreamError('prelude checksum mismatch');
      }
      if (totalLength < overheadBytes || totalLength > eventStreamMessageBytesMax) {
        throw new EventStreamError(`message length ${totalLength} out of range`);
      }
      if (this.#buffered.length < totalLength) break;
      messages.push(decodeEventStreamMessage(this.#buffered.subarray(0, totalLength)));
      this.#buffered = this.#buffered.subarray(totalLength);
    }
    return messages;
  }

  /** Bytes of an incomplete message still held (0 at a message boundary). */
  get pendingBytes(): number {
    return this.#buffered.length;
  }
}

/** The string value of a header, or undefined when absent or of another type. */
export function stringHeader(message: DecodedEventStreamMessage, name: string): string | undefined {
  const header = message.headers[name];
  return header?.type === 'string' ? header.value : undefined;
}

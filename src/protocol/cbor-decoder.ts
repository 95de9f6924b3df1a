/**
 * CBOR decoder for request bodies. Defensive, since the bytes come from the network: every read
 * is bounds-checked, nesting is bounded (`cborDepthMax`), declared lengths may not exceed the
 * bytes left (so no huge allocation), and any malformation is a `SerializationException`.
 * Tag 1 wraps epoch MILLISECONDS (AWS's deviation from RFC 8949).
 */

import { serializationError } from '../core/errors.js';
import {
  BREAK,
  INFO_INDEFINITE,
  MAJOR_ARRAY,
  MAJOR_BYTES,
  MAJOR_MAP,
  MAJOR_NEGATIVE,
  MAJOR_TAG,
  MAJOR_TEXT,
  MAJOR_UNSIGNED,
  TAG_EPOCH,
} from './cbor-constants.js';
import { setOwnProperty } from './own-property.js';

/** Deepest nesting of arrays, maps and tags a request may use. */
export const cborDepthMax = 64;

/** Returned by `#readArgument` for additional info 31. */
const INDEFINITE = -1;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeCbor(bytes: Uint8Array): unknown {
  const decoder = new CborDecoder(bytes);
  const value = decoder.readItem(0);
  decoder.expectEnd();
  return value;
}

class CborDecoder {
  readonly #bytes: Buffer;
  readonly #view: DataView;
  #offset = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  expectEnd(): void {
    if (this.#offset !== this.#bytes.length) {
      throw serializationError(`CBOR: ${this.#bytes.length - this.#offset} trailing byte(s) after the value`);
    }
  }

  readItem(depth: number): unknown {
    const initial = this.#readByte();
    if (initial === BREAK) throw serializationError('CBOR: unexpected break code');
    return this.#readItemAfter(initial, depth);
  }

  #readItemAfter(initial: number, depth: number): unknown {
    const major = initial >> 5;
    const info = initial & 0x1f;
    switch (major) {
      case MAJOR_UNSIGNED:
        return this.#readDefiniteArgument(info, major);
      case MAJOR_NEGATIVE:
        return -1 - this.#readDefiniteArgument(info, major);
      case MAJOR_BYTES:
        return this.#readBytes(info);
      case MAJOR_TEXT:
        return this.#readText(info);
      case MAJOR_ARRAY:
        return this.#readArray(info, depth + 1);
      case MAJOR_MAP:
        return this.#readMap(info, depth + 1);
      case MAJOR_TAG:
        return this.#readTag(info, depth + 1);
      default:
        // Major type 7: simple values and floats.
        return this.#readSimple(info);
    }
  }

  #readByte(): number {
    this.#need(1);
    return this.#bytes[this.#offset++]!;
  }

  #need(count: number): void {
    if (count > this.#bytes.length - this.#offset) throw serializationError('CBOR: unexpected end of input');
  }

  /** The argument of an initial byte, or INDEFINITE for additional info 31. */
  #readArgument(info: number): number {
    if (info < 24) return info;
    let value: number;
    switch (info) {
      case 24:
        this.#need(1);
        value = this.#view.getUint8(this.#offset);
        this.#offset += 1;
        return value;
      case 25:
        this.#need(2);
        value = this.#view.getUint16(this.#offset);
        this.#offset += 2;
        return value;
      case 26:
        this.#need(4);
        value = this.#view.getUint32(this.#offset);
        this.#offset += 4;
        return value;
      case 27: {
        this.#need(8);
        const high = this.#view.getUint32(this.#offset);
        const low = this.#view.getUint32(this.#offset + 4);
        this.#offset += 8;
        // Beyond 2^53 the number loses precision; no Kinesis member needs more.
        return high * 0x1_0000_0000 + low;
      }
      case INFO_INDEFINITE:
        return INDEFINITE;
      default:
        throw serializationError(`CBOR: reserved additional information value ${info}`);
    }
  }

  #readDefiniteArgument(info: number, major: number): number {
    const value = this.#readArgument(info);
    if (value === INDEFINITE) throw serializationError(`CBOR: major type ${major} cannot be indefinite`);
    return value;
  }

  /** A definite length, checked against what is left so that no huge allocation is made. */
  #readLength(info: number, bytesPerItem: number): number {
    const length = this.#readArgument(info);
    if (length !== INDEFINITE) this.#need(length * bytesPerItem);
    return length;
  }

  /** A byte string, as a view of the request body (no copy: the body is not reused). */
  #readBytes(info: number): Buffer {
    const length = this.#readLength(info, 1);
    if (length !== INDEFINITE) return this.#take(length);
    return Buffer.concat(this.#readChunks(MAJOR_BYTES));
  }

  #readText(info: number, isMapKey = false): string {
    const length = this.#readLength(info, 1);
    if (length === INDEFINITE) return decodeUtf8(Buffer.concat(this.#readChunks(MAJOR_TEXT)));
    this.#need(length);
    const start = this.#offset;
    this.#offset += length;
    return isMapKey
      ? mapKeyText(this.#bytes, start, length)
      : decodeUtf8(this.#bytes.subarray(start, start + length));
  }

  /** The definite-length chunks of an indefinite byte or text string, up to its break. */
  #readChunks(major: number): Buffer[] {
    const chunks: Buffer[] = [];
    for (;;) {
      const initial = this.#readByte();
      if (initial === BREAK) return chunks;
      if (initial >> 5 !== major) throw serializationError('CBOR: wrong chunk type in an indefinite string');
      const length = this.#readLength(initial & 0x1f, 1);
      if (length === INDEFINITE) throw serializationError('CBOR: nested indefinite string chunk');
      chunks.push(this.#take(length));
    }
  }

  #take(length: number): Buffer {
    this.#need(length);
    const slice = this.#bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return slice;
  }

  #checkDepth(depth: number): void {
    if (depth > cborDepthMax) throw serializationError(`CBOR: nesting deeper than ${cborDepthMax}`);
  }

  #readArray(info: number, depth: number): unknown[] {
    this.#checkDepth(depth);
    const length = this.#readLength(info, 1);
    if (length !== INDEFINITE) {
      const items = new Array<unknown>(length);
      for (let i = 0; i < length; i++) items[i] = this.readItem(depth);
      return items;
    }
    const items: unknown[] = [];
    for (;;) {
      const initial = this.#readByte();
      if (initial === BREAK) return items;
      items.push(this.#readItemAfter(initial, depth));
    }
  }

  #readMap(info: number, depth: number): Record<string, unknown> {
    this.#checkDepth(depth);
    const length = this.#readLength(info, 2);
    const map: Record<string, unknown> = {};
    if (length !== INDEFINITE) {
      for (let i = 0; i < length; i++) this.#readEntry(map, this.#readByte(), depth);
      return map;
    }
    for (;;) {
      const initial = this.#readByte();
      if (initial === BREAK) return map;
      this.#readEntry(map, initial, depth);
    }
  }

  #readEntry(map: Record<string, unknown>, keyInitial: number, depth: number): void {
    if (keyInitial >> 5 !== MAJOR_TEXT) throw serializationError('CBOR: map keys must be text strings');
    const key = this.#readText(keyInitial & 0x1f, true);
    setOwnProperty(map, key, this.readItem(depth));
  }

  #readTag(info: number, depth: number): unknown {
    this.#checkDepth(depth);
    const tag = this.#readDefiniteArgument(info, MAJOR_TAG);
    const content = this.readItem(depth);
    if (tag !== TAG_EPOCH) return content;
    // AWS deviation from RFC 8949: the number is epoch milliseconds.
    const date = typeof content === 'number' ? new Date(content) : undefined;
    if (date === undefined || Number.isNaN(date.getTime())) {
      throw serializationError('CBOR: tag 1 must wrap a number of epoch milliseconds within the Date range');
    }
    return date;
  }

  #readSimple(info: number): unknown {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 25: {
        this.#need(2);
        const half = this.#view.getUint16(this.#offset);
        this.#offset += 2;
        return decodeHalf(half);
      }
      case 26: {
        this.#need(4);
        const value = this.#view.getFloat32(this.#offset);
        this.#offset += 4;
        return value;
      }
      case 27: {
        this.#need(8);
        const value = this.#view.getFloat64(this.#offset);
        this.#offset += 8;
        return value;
      }
      case INFO_INDEFINITE:
        throw serializationError('CBOR: unexpected break code');
      default:
        throw serializationError(`CBOR: unsupported simple value (additional information ${info})`);
    }
  }
}

function decodeHalf(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * Map keys repeat in every request ("Records", "PartitionKey", "Data"): handing back the same
 * string object lets V8 skip re-internalizing it for each property it sets. Bounded; keys past
 * the bound are decoded as usual.
 */
const mapKeyCache = new Map<number, string>();
const mapKeyCacheMax = 512;
const mapKeyCachedLengthMax = 32;

function mapKeyText(bytes: Buffer, start: number, length: number): string {
  if (length > mapKeyCachedLengthMax) return decodeUtf8(bytes.subarray(start, start + length));
  let hash = length;
  for (let index = start; index < start + length; index++) {
    const byte = bytes[index]!;
    if (byte >= 0x80) return decodeUtf8(bytes.subarray(start, start + length));
    hash = (Math.imul(hash, 31) + byte) | 0;
  }
  const cached = mapKeyCache.get(hash);
  if (cached !== undefined && cached.length === length && sameAscii(cached, bytes, start)) return cached;
  const text = bytes.toString('latin1', start, start + length);
  if (mapKeyCache.size < mapKeyCacheMax) mapKeyCache.set(hash, text);
  return text;
}

function sameAscii(text: string, bytes: Buffer, start: number): boolean {
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) !== bytes[start + index]) return false;
  }
  return true;
}

function decodeUtf8(bytes: Buffer): string {
  // Map keys and most values are short ASCII: skip the strict decoder for them.
  if (bytes.length <= 64) {
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return bytes.toString('latin1');
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // serializationError() takes no cause; the decoder's own message adds nothing.
    throw serializationError('CBOR: invalid UTF-8 in a text string');
  }
}

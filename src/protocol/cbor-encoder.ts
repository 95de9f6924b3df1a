/**
 * CBOR encoder for responses: one growable buffer, no per-value allocation. Objects become
 * definite-length maps (undefined members skipped), integers take their smallest encoding,
 * other numbers float64, and a Date is tag 1 wrapping an INTEGER of epoch milliseconds, which
 * is what the Java SDK parses (a float there throws NumberFormatException).
 */

import { assert } from '../core/assert.js';
import {
  MAJOR_ARRAY,
  MAJOR_BYTES,
  MAJOR_MAP,
  MAJOR_NEGATIVE,
  MAJOR_TAG,
  MAJOR_TEXT,
  MAJOR_UNSIGNED,
  TAG_EPOCH,
} from './cbor-constants.js';

/** Deepest value we encode; deeper means a cycle or a bug, not a real response. */
const encodeDepthMax = 256;
const initialCapacityBytes = 256;
const shortTextLengthMax = 64;

export function encodeCbor(value: unknown): Buffer {
  const encoder = new CborEncoder();
  encoder.write(value, 0);
  return encoder.finish();
}

class CborEncoder {
  #buffer = Buffer.allocUnsafe(initialCapacityBytes);
  #offset = 0;

  finish(): Buffer {
    return this.#buffer.subarray(0, this.#offset);
  }

  #reserve(count: number): void {
    const needed = this.#offset + count;
    if (needed <= this.#buffer.length) return;
    let capacity = this.#buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.#buffer.copy(grown, 0, 0, this.#offset);
    this.#buffer = grown;
  }

  /** Where the last head began, so a speculative one can be taken back. */
  #headStart = 0;

  /** An initial byte with its argument in the smallest encoding. */
  #writeHead(major: number, argument: number): void {
    this.#reserve(9);
    this.#headStart = this.#offset;
    const type = major << 5;
    const buffer = this.#buffer;
    if (argument < 24) {
      buffer[this.#offset++] = type | argument;
    } else if (argument < 0x100) {
      buffer[this.#offset++] = type | 24;
      buffer[this.#offset++] = argument;
    } else if (argument < 0x1_0000) {
      buffer[this.#offset++] = type | 25;
      buffer.writeUInt16BE(argument, this.#offset);
      this.#offset += 2;
    } else if (argument < 0x1_0000_0000) {
      buffer[this.#offset++] = type | 26;
      buffer.writeUInt32BE(argument, this.#offset);
      this.#offset += 4;
    } else {
      buffer[this.#offset++] = type | 27;
      buffer.writeUInt32BE(Math.floor(argument / 0x1_0000_0000), this.#offset);
      buffer.writeUInt32BE(argument % 0x1_0000_0000, this.#offset + 4);
      this.#offset += 8;
    }
  }

  write(value: unknown, depth: number): void {
    assert(depth <= encodeDepthMax, 'CBOR encode: value nested too deeply (a cycle?)');
    switch (typeof value) {
      case 'string':
        return this.#writeText(value);
      case 'number':
        return this.#writeNumber(value);
      case 'boolean':
        return this.#writeByte(value ? 0xf5 : 0xf4);
      case 'bigint':
        return this.#writeBigInt(value);
      case 'undefined':
        return this.#writeByte(0xf7);
      case 'object':
        return this.#writeObject(value, depth);
      default:
        assert(false, `CBOR encode: cannot encode a ${typeof value}`);
    }
  }

  #writeByte(byte: number): void {
    this.#reserve(1);
    this.#buffer[this.#offset++] = byte;
  }

  #writeText(text: string): void {
    // Short ASCII (member names, sequence numbers, shard ids) is copied a character at a time:
    // cheaper than a native UTF-8 write call for a few dozen bytes.
    if (text.length <= shortTextLengthMax) {
      this.#writeHead(MAJOR_TEXT, text.length);
      this.#reserve(text.length);
      const buffer = this.#buffer;
      const start = this.#offset;
      let index = 0;
      for (; index < text.length; index++) {
        const code = text.charCodeAt(index);
        if (code >= 0x80) break;
        buffer[start + index] = code;
      }
      if (index === text.length) {
        this.#offset += text.length;
        return;
      }
      // Not ASCII after all: take back the head and write it as UTF-8 below.
      this.#offset = this.#headStart;
    }
    const length = Buffer.byteLength(text, 'utf8');
    this.#writeHead(MAJOR_TEXT, length);
    this.#reserve(length);
    this.#offset += this.#buffer.write(text, this.#offset, length, 'utf8');
  }

  #writeBytes(bytes: Uint8Array): void {
    this.#writeHead(MAJOR_BYTES, bytes.length);
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.#offset);
    this.#offset += bytes.length;
  }

  #writeNumber(value: number): void {
    if (Number.isSafeInteger(value)) {
      if (value >= 0) this.#writeHead(MAJOR_UNSIGNED, value);
      else this.#writeHead(MAJOR_NEGATIVE, -1 - value);
      return;
    }
    this.#reserve(9);
    this.#buffer[this.#offset++] = 0xfb;
    this.#buffer.writeDoubleBE(value, this.#offset);
    this.#offset += 8;
  }

  #writeBigInt(value: bigint): void {
    const negative = value < 0n;
    const argument = negative ? -1n - value : value;
    assert(argument < 1n << 64n, 'CBOR encode: bigint out of 64-bit range');
    if (argument <= BigInt(Number.MAX_SAFE_INTEGER)) {
      this.#writeHead(negative ? MAJOR_NEGATIVE : MAJOR_UNSIGNED, Number(argument));
      return;
    }
    this.#reserve(9);
    this.#buffer[this.#offset++] = ((negative ? MAJOR_NEGATIVE : MAJOR_UNSIGNED) << 5) | 27;
    this.#buffer.writeBigUInt64BE(argument, this.#offset);
    this.#offset += 8;
  }

  #writeObject(value: object | null, depth: number): void {
    if (value === null) return this.#writeByte(0xf6);
    if (value instanceof Uint8Array) return this.#writeBytes(value);
    if (value instanceof Date) {
      const epochMs = value.getTime();
      assert(Number.isFinite(epochMs), 'CBOR encode: invalid Date');
      this.#writeHead(MAJOR_TAG, TAG_EPOCH);
      return this.#writeNumber(epochMs);
    }
    if (Array.isArray(value)) {
      this.#writeHead(MAJOR_ARRAY, value.length);
      for (const item of value) this.write(item, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    let count = 0;
    for (const key of keys) if (record[key] !== undefined) count++;
    this.#writeHead(MAJOR_MAP, count);
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      this.#writeText(key);
      this.write(member, depth + 1);
    }
  }
}

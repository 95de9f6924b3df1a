/**
 * JSON codec for `application/x-amz-json-1.1`.
 *
 * `encodeJson` is a small writer rather than `JSON.stringify` with a replacer because two AWS
 * rules do not fit a replacer: blobs are base64 strings and timestamps are epoch SECONDS as a
 * plain decimal (`1700000000.123`, never `1.700000000123E9`, which Java SDK 2.3.x rejects).
 * `decodeJson` maps any syntax error to a message-less SerializationException, as AWS does.
 */

import { assert } from '../core/assert.js';
import { serializationError } from '../core/errors.js';
import { parseJsonBytes } from './json-bytes.js';

/** Deepest value we encode; deeper means a cycle or a bug, not a real response. */
const encodeDepthMax = 256;

/**
 * Encodes a response. The value is first made JSON-ready — blobs become base64 strings and
 * timestamps numbers of epoch seconds, copying only the objects and arrays that hold one — and
 * then handed to the native `JSON.stringify`, several times faster than a writer in JavaScript.
 * Seconds are `ms / 1000`: between 1e-7 and 1e21 JavaScript prints numbers without an exponent,
 * and the shortest round-trip form of a division by 1000 has at most three fractional digits.
 */
export function encodeJson(value: unknown): string {
  return JSON.stringify(jsonReady(value, 0));
}

/** Epoch seconds with up to three fractional digits and no exponent. */
export function formatEpochSeconds(date: Date): string {
  return String(epochSeconds(date));
}

function epochSeconds(date: Date): number {
  const epochMs = date.getTime();
  assert(Number.isFinite(epochMs), 'JSON encode: invalid Date');
  return epochMs / 1000;
}

function jsonReady(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) {
    assert(typeof value !== 'bigint', 'JSON encode: bigint values have no JSON form');
    return value;
  }
  assert(depth <= encodeDepthMax, 'JSON encode: value nested too deeply (a cycle?)');
  if (value instanceof Uint8Array) {
    const buffer = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.length);
    return buffer.toString('base64');
  }
  if (value instanceof Date) return epochSeconds(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const member: unknown = value[index];
      const ready = jsonReady(member, depth + 1);
      if (ready !== member) {
        copy ??= value.slice();
        copy[index] = ready;
      }
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const member = record[key];
    const ready = jsonReady(member, depth + 1);
    if (ready !== member) {
      copy ??= { ...record };
      copy[key] = ready;
    }
  }
  return copy ?? value;
}

/**
 * Parses a request body. An empty body counts as `{}` (SDKs send `{}`, but curl users do not).
 * Anything but a JSON object at the top level is a SerializationException with no message.
 */
export function decodeJson(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw serializationError();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw serializationError();
  return value as Record<string, unknown>;
}

/**
 * Parses a request body given as bytes: what `decodeJson(body.toString('utf8'))` gives, the
 * common SDK body parsed straight from the bytes (`json-bytes.ts`), anything else as before.
 */
export function decodeJsonBody(body: Buffer): Record<string, unknown> {
  const parsed = parseJsonBytes(body);
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    return parsed as Record<string, unknown>;
  }
  return decodeJson(body.toString('utf8'));
}

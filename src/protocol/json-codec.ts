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

/** Deepest value we encode; deeper means a cycle or a bug, not a real response. */
const encodeDepthMax = 256;

export function encodeJson(value: unknown): string {
  const parts: string[] = [];
  writeValue(parts, value, 0);
  return parts.join('');
}

/** Epoch seconds with up to three fractional digits and no exponent. */
export function formatEpochSeconds(date: Date): string {
  const epochMs = date.getTime();
  assert(Number.isFinite(epochMs), 'JSON encode: invalid Date');
  const sign = epochMs < 0 ? '-' : '';
  const absoluteMs = Math.abs(epochMs);
  const seconds = Math.floor(absoluteMs / 1000);
  const milliseconds = absoluteMs % 1000;
  if (milliseconds === 0) return `${sign}${seconds}`;
  const fraction = String(milliseconds).padStart(3, '0').replace(/0+$/, '');
  return `${sign}${seconds}.${fraction}`;
}

function writeValue(parts: string[], value: unknown, depth: number): void {
  assert(depth <= encodeDepthMax, 'JSON encode: value nested too deeply (a cycle?)');
  switch (typeof value) {
    case 'string':
      parts.push(JSON.stringify(value));
      return;
    case 'number':
      // Same text as JSON.stringify: non-finite numbers become null.
      parts.push(Number.isFinite(value) ? String(value) : 'null');
      return;
    case 'boolean':
      parts.push(value ? 'true' : 'false');
      return;
    case 'bigint':
      parts.push(value.toString());
      return;
    case 'object':
      writeObject(parts, value, depth);
      return;
    default:
      // undefined (and functions or symbols, which never reach a response) as in an array slot.
      parts.push('null');
  }
}

function writeObject(parts: string[], value: object | null, depth: number): void {
  if (value === null) {
    parts.push('null');
  } else if (value instanceof Uint8Array) {
    const buffer = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.length);
    parts.push('"', buffer.toString('base64'), '"');
  } else if (value instanceof Date) {
    parts.push(formatEpochSeconds(value));
  } else if (Array.isArray(value)) {
    parts.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(',');
      writeValue(parts, value[i], depth + 1);
    }
    parts.push(']');
  } else {
    parts.push('{');
    let first = true;
    for (const [key, member] of Object.entries(value)) {
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      parts.push(first ? '' : ',', JSON.stringify(key), ':');
      first = false;
      writeValue(parts, member, depth + 1);
    }
    parts.push('}');
  }
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

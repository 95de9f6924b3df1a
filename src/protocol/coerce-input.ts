/**
 * Step 1 of input validation: check a decoded body against its shape's TYPES, as AWS's Coral
 * deserializer does, and normalize it (blobs to Buffer, timestamps to Date, integers floored).
 *
 * The first mismatch throws a `SerializationException` whose `Message` is Coral's text, Java
 * class names and grammar included ("can not be converted to an String"). Unknown members are
 * dropped and null members count as absent. JSON and CBOR bodies both come through here: CBOR
 * already carries Buffers and Dates, JSON carries base64 strings and epoch-second numbers.
 */

import { serializationError } from '../core/errors.js';
import { unreachable } from '../core/assert.js';
import { setOwnProperty } from './own-property.js';
import type { ListShape, MapShape, Shape, StructureShape } from './shape.js';

const START_OF_STRUCTURE = 'Start of structure or map found where not expected.';
const START_OF_LIST = 'Start of list found where not expected';

/** Checks and normalizes a whole request body against its input structure. */
export function coerceInput(shape: StructureShape, body: unknown): Record<string, unknown> {
  if (body === null || body === undefined) return {};
  return coerceStructure(shape, body);
}

function coerce(shape: Shape, value: unknown): unknown {
  switch (shape.type) {
    case 'structure':
      return coerceStructure(shape, value);
    case 'string':
      if (typeof value === 'string') return value;
      throw scalarMismatch(value, 'an String');
    case 'integer':
    case 'long':
      if (typeof value === 'number') return Math.floor(value);
      throw scalarMismatch(value, shape.type === 'integer' ? 'an Integer' : 'an Long');
    case 'double':
      if (typeof value === 'number') return value;
      throw scalarMismatch(value, 'an Double');
    case 'boolean':
      return coerceBoolean(value);
    case 'blob':
      return coerceBlob(value);
    case 'timestamp':
      if (value instanceof Date) return value;
      // JSON timestamps are epoch seconds: integer, decimal or exponent form.
      if (typeof value === 'number') return new Date(Math.round(value * 1000));
      throw scalarMismatch(value, 'a Timestamp');
    case 'list':
      return coerceList(shape, value);
    case 'map':
      return coerceMap(shape, value);
    default:
      return unreachable(shape);
  }
}

function coerceStructure(shape: StructureShape, value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) throw serializationError(START_OF_LIST);
  if (!isPlainObject(value)) throw serializationError('Expected null');
  const result: Record<string, unknown> = {};
  for (const name of memberNamesOf(shape)) {
    if (!Object.hasOwn(value, name)) continue;
    const member = value[name];
    if (member === null || member === undefined) continue;
    result[name] = coerce(shape.members[name]!, member);
  }
  return result;
}

const memberNames = new WeakMap<StructureShape, readonly string[]>();

function memberNamesOf(shape: StructureShape): readonly string[] {
  let names = memberNames.get(shape);
  if (names === undefined) {
    names = Object.keys(shape.members);
    memberNames.set(shape, names);
  }
  return names;
}

function coerceList(shape: ListShape, value: unknown): unknown[] {
  if (Array.isArray(value)) {
    // A null element stays null: the constraint step reports it.
    return value.map((item: unknown) =>
      item === null || item === undefined ? null : coerce(shape.member, item),
    );
  }
  if (isPlainObject(value)) throw serializationError(START_OF_STRUCTURE);
  throw serializationError('Expected list or null');
}

function coerceMap(shape: MapShape, value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) throw serializationError(START_OF_LIST);
  if (!isPlainObject(value)) throw serializationError('Expected map or null');
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    setOwnProperty(result, key, item === null || item === undefined ? null : coerce(shape.value, item));
  }
  return result;
}

function coerceBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  // AWS upper-cases the offending string in its message.
  if (typeof value === 'string') {
    throw serializationError(`'${value.toUpperCase()}' can not be converted to an Boolean`);
  }
  throw scalarMismatch(value, 'an Boolean');
}

function coerceBlob(value: unknown): Buffer {
  if (value instanceof Uint8Array) {
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.length);
  }
  if (typeof value === 'string') return decodeStrictBase64(value);
  throw scalarMismatch(value, 'a Blob');
}

/**
 * Decodes standard padded base64, rejecting what Coral rejects, with Coral's texts.
 *
 * Fast path (every well-formed blob): Node's decoder skips characters it does not know and stops
 * at padding, so valid input is exactly the input whose decoded length is 3/4 of its length less
 * the padding — once the two URL-safe characters, which Node accepts and Coral does not, are
 * ruled out. Only the last quantum can carry stray bits, so only it is re-encoded to compare.
 * Anything else takes the slow path, which finds the exact fault and AWS's message for it.
 */
export function decodeStrictBase64(text: string): Buffer {
  const length = text.length;
  if (length % 4 === 0 && !text.includes('-') && !text.includes('_')) {
    const padding =
      length === 0 || text.charCodeAt(length - 1) !== 61 ? 0 : text.charCodeAt(length - 2) === 61 ? 2 : 1;
    const firstPad = text.indexOf('=');
    if (firstPad === -1 || firstPad === length - padding) {
      const bytes = Buffer.from(text, 'base64');
      if (bytes.length === (length / 4) * 3 - padding) {
        if (padding === 0) return bytes;
        if (bytes.subarray(bytes.length - (3 - padding)).toString('base64') === text.slice(length - 4))
          return bytes;
      }
    }
  }
  return decodeStrictBase64Slowly(text);
}

function decodeStrictBase64Slowly(text: string): Buffer {
  const prefix = `'${text}' can not be converted to a Blob: `;
  if (text.length % 4 !== 0) {
    throw serializationError(
      `${prefix}Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`,
    );
  }
  const bad = /[^A-Za-z0-9+/=]|=[^=]/.exec(text);
  if (bad) throw serializationError(`${prefix}Invalid Base64 character: '${bad[0][0]}'`);
  const bytes = Buffer.from(text, 'base64');
  // Non-zero bits after the last character's payload, or too much padding ("ab==="): the
  // canonical re-encoding differs. "dectected" is AWS's spelling.
  if (bytes.toString('base64') !== text) {
    throw serializationError(`${prefix}Invalid last non-pad Base64 character dectected`);
  }
  return bytes;
}

/** A value of the wrong kind where a scalar (string, number, boolean, blob, timestamp) belongs. */
function scalarMismatch(value: unknown, target: string): Error {
  if (Array.isArray(value)) return serializationError(START_OF_LIST);
  if (isPlainObject(value)) return serializationError(START_OF_STRUCTURE);
  return serializationError(`class ${javaClassOf(value)} can not be converted to ${target}`);
}

/**
 * The Java class Coral's JSON/CBOR reader would have produced for a scalar. Numbers take the
 * smallest class that holds them, as recorded against real Kinesis (kinesalite's suite): 23 is a
 * Short, -2147483648 an Integer, 2147483648 a Long, 34.56 a Double.
 */
function javaClassOf(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'java.lang.Double';
    if (value >= -32768 && value <= 32767) return 'java.lang.Short';
    if (value >= -2147483648 && value <= 2147483647) return 'java.lang.Integer';
    if (Math.abs(value) <= 2 ** 63) return 'java.lang.Long';
    return 'java.math.BigInteger';
  }
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'string') return 'java.lang.String';
  if (value instanceof Uint8Array) return 'java.nio.HeapByteBuffer';
  if (value instanceof Date) return 'java.util.Date';
  return 'java.lang.Object';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date)
  );
}

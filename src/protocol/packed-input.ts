/**
 * A validated input carried between threads cheaply. Structured cloning an object graph of many
 * small records (each with a Buffer) costs more on the receiving thread than decoding the JSON
 * body would; so the decoding worker sends the validated input as JSON text with every blob
 * replaced by a marker `{"$b": n}`, and the blobs' bytes back to back in one transferable
 * buffer. Model member names never start with `$`, so a marker cannot be a member.
 *
 * Only plain values pack: objects, arrays, strings, booleans, finite numbers, null and Buffers.
 * Anything else (a Date of a timestamp member, a non-finite number) makes `packInput` answer
 * undefined, and the caller decodes the body on the main thread instead.
 */

export interface PackedInput {
  readonly json: string;
  /** Every blob's bytes, back to back. */
  readonly bytes: Uint8Array;
  /** Blob n is `bytes[offsets[n], offsets[n + 1])`. */
  readonly offsets: Int32Array;
}

const markerKey = '$b';

export function packInput(input: Record<string, unknown>): PackedInput | undefined {
  const blobs: Uint8Array[] = [];
  let total = 0;
  // A copy with markers, then a plain stringify: a replacer costs several times the stringify.
  const mark = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) {
      if (typeof value === 'number' && !Number.isFinite(value)) throw unpackable;
      if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol')
        throw unpackable;
      return value;
    }
    if (value instanceof Uint8Array) {
      blobs.push(value);
      total += value.length;
      return { [markerKey]: blobs.length - 1 };
    }
    if (Array.isArray(value)) return value.map(mark);
    if (!isPlain(value)) throw unpackable;
    const copy: Record<string, unknown> = {};
    for (const key in value) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) copy[key] = mark(member);
    }
    return copy;
  };
  let json: string;
  try {
    json = JSON.stringify(mark(input));
  } catch (error) {
    if (error === unpackable) return undefined;
    throw error;
  }
  const bytes = new Uint8Array(total);
  const offsets = new Int32Array(blobs.length + 1);
  let position = 0;
  blobs.forEach((blob, index) => {
    bytes.set(blob, position);
    position += blob.length;
    offsets[index + 1] = position;
  });
  return { json, bytes, offsets };
}

const unpackable = new Error('not packable');

/** The input `packInput` packed, its blobs as Buffers over `bytes` (no copy). */
export function unpackInput(packed: PackedInput): Record<string, unknown> {
  const bytes = Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.byteLength);
  // A walk after a plain parse: JSON.parse's reviver costs several times the parse itself.
  const revive = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) value[index] = revive(value[index]);
      return value;
    }
    const record = value as Record<string, unknown>;
    const marker = record[markerKey];
    if (typeof marker === 'number') return bytes.subarray(packed.offsets[marker], packed.offsets[marker + 1]);
    for (const key in record) record[key] = revive(record[key]);
    return record;
  };
  return revive(JSON.parse(packed.json)) as Record<string, unknown>;
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Standard base64 (RFC 4648, with padding) written straight into a byte buffer: for response
 * writers that copy many small blobs into one body, where `toString('base64')` would make a
 * string per blob only to copy it again. For blobs of about 100 bytes this loop is also cheaper
 * than the native encoder's call (measured on Node 20).
 */

const alphabet = Uint8Array.from(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  (character) => character.charCodeAt(0),
);
const padding = 0x3d; // '='

/** The base64 length of `bytes` bytes. */
export function base64Bytes(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/**
 * Writes the base64 of `source[start, end)` into `target` at `at` (which must have room for
 * `base64Bytes(end - start)`) and returns the position after it.
 */
export function writeBase64(
  source: Uint8Array,
  start: number,
  end: number,
  target: Uint8Array,
  at: number,
): number {
  const wholeEnd = end - ((end - start) % 3);
  let position = at;
  let index = start;
  for (; index < wholeEnd; index += 3) {
    const bits = (source[index]! << 16) | (source[index + 1]! << 8) | source[index + 2]!;
    target[position] = alphabet[bits >>> 18]!;
    target[position + 1] = alphabet[(bits >>> 12) & 63]!;
    target[position + 2] = alphabet[(bits >>> 6) & 63]!;
    target[position + 3] = alphabet[bits & 63]!;
    position += 4;
  }
  const rest = end - wholeEnd;
  if (rest > 0) {
    const bits = (source[index]! << 16) | (rest === 2 ? source[index + 1]! << 8 : 0);
    target[position] = alphabet[bits >>> 18]!;
    target[position + 1] = alphabet[(bits >>> 12) & 63]!;
    target[position + 2] = rest === 2 ? alphabet[(bits >>> 6) & 63]! : padding;
    target[position + 3] = padding;
    position += 4;
  }
  return position;
}

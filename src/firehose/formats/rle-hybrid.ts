/**
 * Parquet's RLE / bit-packed hybrid encoding (definition and repetition levels, dictionary
 * indices): runs of 8 or more equal values become RLE runs, everything else goes in bit-packed
 * groups of 8 (the last group zero-padded; readers stop at the value count they were given).
 */
import { assert } from '../../core/assert.js';

export function encodeRleHybrid(values: ArrayLike<number>, count: number, bitWidth: number): Buffer {
  assert(bitWidth <= 24, 'bit widths above 24 would overflow the packing buffer');
  const valueBytes = Math.ceil(bitWidth / 8);
  // Worst case per 8 values: a bit-packed group (bitWidth bytes + a header byte) or an RLE run
  // (a header of up to 5 bytes + the value).
  const out = Buffer.allocUnsafe(Math.ceil(count / 8) * Math.max(bitWidth + 1, 5 + valueBytes) + 16);
  let at = 0;
  let index = 0;
  while (index < count) {
    const runEnd = runEndFrom(values, index, count);
    if (runEnd - index >= 8) {
      at = writeVarint(out, at, (runEnd - index) * 2);
      let value = values[index] ?? 0;
      for (let byte = 0; byte < valueBytes; byte++) {
        out[at++] = value & 0xff;
        value >>>= 8;
      }
      index = runEnd;
      continue;
    }
    // Bit-packed groups until a run of 8 starts at a group boundary.
    let end = index;
    do {
      end += 8;
    } while (end < count && runEndFrom(values, end, count) - end < 8 && (end - index) / 8 < 63);
    const groups = (end - index) / 8;
    out[at++] = (groups << 1) | 1;
    let buffer = 0;
    let bits = 0;
    for (let position = index; position < end; position++) {
      const value = position < count ? (values[position] ?? 0) : 0;
      buffer |= value << bits;
      bits += bitWidth;
      while (bits >= 8) {
        out[at++] = buffer & 0xff;
        buffer >>>= 8;
        bits -= 8;
      }
    }
    index = Math.min(end, count);
  }
  return out.subarray(0, at);
}

/** Bits needed for values up to `max`. */
export function bitWidthOf(max: number): number {
  return max === 0 ? 0 : 32 - Math.clz32(max);
}

function runEndFrom(values: ArrayLike<number>, start: number, count: number): number {
  const first = values[start];
  let end = start + 1;
  while (end < count && values[end] === first) end++;
  return end;
}

function writeVarint(out: Buffer, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  out[at++] = value;
  return at;
}

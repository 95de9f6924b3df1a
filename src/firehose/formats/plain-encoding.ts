/**
 * Parquet PLAIN encoding of typed values, per physical type: little-endian numbers, bit-packed
 * booleans, length-prefixed byte arrays, big-endian two's complement decimals in fixed-length
 * arrays, and INT96 timestamps (nanoseconds of the day, then the Julian day).
 *
 * 64-bit integers, decimals and timestamps arrive as numbers where they fit (the common case,
 * kept off BigInt for speed) or as bigints: an INT64 or unscaled decimal is the integer either
 * way; a timestamp is epoch MILLISECONDS as a number, epoch NANOSECONDS as a bigint.
 */
import { unreachable } from '../../core/assert.js';
import type { TypedValue } from './json-deserializer.js';
import { PhysicalType } from './parquet-schema.js';

const JULIAN_DAY_OF_EPOCH = 2_440_588n;
const NANOS_PER_DAY = 86_400_000_000_000n;
const JULIAN_DAY_OF_EPOCH_NUMBER = 2_440_588;
const MS_PER_DAY = 86_400_000;
const TWO_POW_32 = 2 ** 32;
/** Largest magnitude `writeIntBE` takes in 6 bytes, halved to stay clear of the sign bit. */
const INT48_LIMIT = 2 ** 47;

/** A signed 64-bit little-endian integer from a safe-integer number or a bigint. */
function writeInt64(out: Buffer, value: number | bigint, offset: number): void {
  if (typeof value === 'bigint') {
    out.writeBigInt64LE(value, offset);
    return;
  }
  const high = Math.floor(value / TWO_POW_32);
  out.writeUInt32LE(value - high * TWO_POW_32, offset);
  out.writeInt32LE(high, offset + 4);
}

export function plainEncode(
  physicalType: PhysicalType,
  typeLength: number,
  values: readonly TypedValue[],
): Buffer {
  const count = values.length;
  switch (physicalType) {
    case PhysicalType.BOOLEAN: {
      const out = Buffer.alloc(Math.ceil(count / 8));
      values.forEach((value, index) => {
        if (value === true) out[index >> 3] = (out[index >> 3] ?? 0) | (1 << (index & 7));
      });
      return out;
    }
    case PhysicalType.INT32: {
      const out = Buffer.allocUnsafe(count * 4);
      for (let index = 0; index < count; index++) out.writeInt32LE(values[index] as number, index * 4);
      return out;
    }
    case PhysicalType.INT64: {
      const out = Buffer.allocUnsafe(count * 8);
      for (let index = 0; index < count; index++)
        writeInt64(out, values[index] as number | bigint, index * 8);
      return out;
    }
    case PhysicalType.INT96: {
      const out = Buffer.allocUnsafe(count * 12);
      for (let index = 0; index < count; index++) {
        const value = values[index] as number | bigint;
        if (typeof value === 'number') {
          const days = Math.floor(value / MS_PER_DAY);
          const nanosOfDay = (value - days * MS_PER_DAY) * 1_000_000;
          writeInt64(out, nanosOfDay, index * 12);
          out.writeInt32LE(days + JULIAN_DAY_OF_EPOCH_NUMBER, index * 12 + 8);
          continue;
        }
        const nanos = value;
        let days = nanos / NANOS_PER_DAY;
        let nanosOfDay = nanos % NANOS_PER_DAY;
        if (nanosOfDay < 0n) {
          nanosOfDay += NANOS_PER_DAY;
          days -= 1n;
        }
        out.writeBigInt64LE(nanosOfDay, index * 12);
        out.writeInt32LE(Number(days + JULIAN_DAY_OF_EPOCH), index * 12 + 8);
      }
      return out;
    }
    case PhysicalType.FLOAT: {
      const out = Buffer.allocUnsafe(count * 4);
      for (let index = 0; index < count; index++) out.writeFloatLE(values[index] as number, index * 4);
      return out;
    }
    case PhysicalType.DOUBLE: {
      const out = Buffer.allocUnsafe(count * 8);
      for (let index = 0; index < count; index++) out.writeDoubleLE(values[index] as number, index * 8);
      return out;
    }
    case PhysicalType.BYTE_ARRAY: {
      let bytes = 0;
      for (const value of values) {
        bytes +=
          4 + (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : (value as Buffer).length);
      }
      const out = Buffer.allocUnsafe(bytes);
      let at = 0;
      for (const value of values) {
        if (typeof value === 'string') {
          const length = out.write(value, at + 4, 'utf8');
          out.writeUInt32LE(length, at);
          at += 4 + length;
        } else {
          const buffer = value as Buffer;
          out.writeUInt32LE(buffer.length, at);
          buffer.copy(out, at + 4);
          at += 4 + buffer.length;
        }
      }
      return out;
    }
    case PhysicalType.FIXED_LEN_BYTE_ARRAY: {
      const out = Buffer.allocUnsafe(count * typeLength);
      for (let index = 0; index < count; index++) {
        writeTwosComplement(values[index] as number | bigint, out, index * typeLength, typeLength);
      }
      return out;
    }
    default:
      return unreachable(physicalType, 'physical type');
  }
}

/** Big-endian two's complement of `value` in `width` bytes. */
function writeTwosComplement(value: number | bigint, out: Buffer, offset: number, width: number): void {
  if (typeof value === 'number' && Math.abs(value) < INT48_LIMIT) {
    const low = Math.min(width, 6);
    out.fill(value < 0 ? 0xff : 0, offset, offset + width - low);
    out.writeIntBE(value, offset + width - low, low);
    return;
  }
  let rest = BigInt.asUintN(width * 8, BigInt(value));
  for (let byte = width - 1; byte >= 0; byte--) {
    out[offset + byte] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/**
 * The on-disk frame of one record, little-endian:
 *
 *   u32 length        bytes after this field
 *   u32 crc           CRC32C of the length field and of everything after the crc field
 *   u64 offset        the record's offset in its log
 *   f64 timestampMs   epoch milliseconds (integral, exact up to 2^53)
 *   u16 keyBytes      UTF-8 length of the partition key
 *   key, data
 *
 * The CRC covers the length too, so a flipped bit anywhere in a frame is caught; the offset in
 * the frame lets recovery tell a stale frame (left behind a failed truncate) from the next one.
 * Readers must call `checkFrame` before any accessor: nothing unchecked is ever returned as data.
 */

import { crc32cRange } from '../../core/crc32c.js';

export const frameHeaderBytes = 26;
/** Anything longer is a corrupt length field (records are at most ~10 MiB). */
export const frameBytesMax = 64 * 1024 * 1024;
export const partitionKeyBytesMax = 0xffff;

const twoTo32 = 0x1_0000_0000;

/** `checkFrame` results besides a frame's total length. */
export const frameIncomplete = -1;
export const frameCorrupt = -2;

/** Bytes a frame takes on disk. */
export function frameBytes(keyBytes: number, dataBytes: number): number {
  return frameHeaderBytes + keyBytes + dataBytes;
}

/**
 * Writes one frame at `position` of `buffer` (which must have room) and returns the position
 * after it. `keyBytes` is the key's UTF-8 length, measured once by the caller.
 */
export function writeFrame(
  buffer: Buffer,
  position: number,
  offset: number,
  timestampMs: number,
  partitionKey: string,
  keyBytes: number,
  data: Uint8Array,
): number {
  const keyStart = position + frameHeaderBytes;
  const end = keyStart + keyBytes + data.length;
  writeUint32(buffer, position, end - position - 4);
  writeUint32(buffer, position + 8, offset % twoTo32);
  writeUint32(buffer, position + 12, Math.floor(offset / twoTo32));
  buffer.writeDoubleLE(timestampMs, position + 16);
  buffer[position + 24] = keyBytes & 0xff;
  buffer[position + 25] = keyBytes >>> 8;
  if (keyBytes === partitionKey.length) {
    // All ASCII (any other character takes more UTF-8 bytes than UTF-16 units): copy the codes,
    // cheaper for a short key than a call into the encoder.
    for (let index = 0; index < keyBytes; index++) buffer[keyStart + index] = partitionKey.charCodeAt(index);
  } else {
    buffer.write(partitionKey, keyStart, keyBytes, 'utf8');
  }
  buffer.set(data, keyStart + keyBytes);
  const crc = crc32cRange(buffer, position + 8, end, crc32cRange(buffer, position, position + 4));
  buffer.writeUInt32LE(crc, position + 4);
  return end;
}

/**
 * Checks the frame at `position`, given `available` bytes of it in `buffer`: its total length
 * when whole and intact, `frameIncomplete` when more bytes are needed (`neededBytes` tells how
 * many), `frameCorrupt` when its length or CRC is wrong.
 */
export function checkFrame(buffer: Buffer, position: number, available: number): number {
  if (available < 4) return frameIncomplete;
  const length = readUint32(buffer, position);
  if (length < frameHeaderBytes - 4 || length > frameBytesMax) return frameCorrupt;
  const total = length + 4;
  if (available < total) return frameIncomplete;
  const end = position + total;
  const crc = crc32cRange(buffer, position + 8, end, crc32cRange(buffer, position, position + 4));
  if (crc !== readUint32(buffer, position + 4)) return frameCorrupt;
  if (frameHeaderBytes + frameKeyBytes(buffer, position) > total) return frameCorrupt;
  return total;
}

/** How many bytes the frame at `position` needs in all (at least its length field). */
export function neededBytes(buffer: Buffer, position: number, available: number): number {
  return available < 4 ? 4 : readUint32(buffer, position) + 4;
}

export function frameOffset(buffer: Buffer, position: number): number {
  return readUint32(buffer, position + 12) * twoTo32 + readUint32(buffer, position + 8);
}

export function frameTimestampMs(buffer: Buffer, position: number): number {
  return buffer.readDoubleLE(position + 16);
}

export function frameKeyBytes(buffer: Buffer, position: number): number {
  return buffer[position + 24]! | (buffer[position + 25]! << 8);
}

export function framePartitionKey(buffer: Buffer, position: number): string {
  const start = position + frameHeaderBytes;
  return buffer.toString('utf8', start, start + frameKeyBytes(buffer, position));
}

/** The UTF-8 length of a partition key, without a call into the encoder for an ASCII one. */
export function keyUtf8Bytes(partitionKey: string): number {
  for (let index = 0; index < partitionKey.length; index++) {
    if (partitionKey.charCodeAt(index) >= 0x80) return Buffer.byteLength(partitionKey, 'utf8');
  }
  return partitionKey.length;
}

function writeUint32(buffer: Buffer, position: number, value: number): void {
  buffer[position] = value & 0xff;
  buffer[position + 1] = (value >>> 8) & 0xff;
  buffer[position + 2] = (value >>> 16) & 0xff;
  buffer[position + 3] = value >>> 24;
}

/**
 * A little-endian u32 read straight from the bytes: the accessors run once or more per record
 * read, on frames already known to lie within `buffer`, so Buffer's argument checks are skipped.
 */
function readUint32(buffer: Buffer, position: number): number {
  return (
    (buffer[position]! | (buffer[position + 1]! << 8) | (buffer[position + 2]! << 16)) +
    buffer[position + 3]! * 0x1000000
  );
}

/** The record's data as a view into `buffer` (no copy). */
export function frameData(buffer: Buffer, position: number, total: number): Buffer {
  return buffer.subarray(position + frameHeaderBytes + frameKeyBytes(buffer, position), position + total);
}

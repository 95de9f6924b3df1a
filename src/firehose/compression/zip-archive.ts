/**
 * A ZIP archive holding one DEFLATE entry, which is what Firehose's `ZIP` compression writes
 * (one entry named with a UUID, observed by floci-io/floci#2410). Sizes are known up front, so
 * the local header carries them and no data descriptor follows. Firehose objects are bounded by
 * the buffering hints (at most 128 MiB), far below the 4 GiB where ZIP64 would be needed.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { assert } from '../../core/assert.js';

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
const VERSION_NEEDED_DEFLATE = 20;
/** Upper byte 3 = Unix, lower byte 20 = spec 2.0. */
const VERSION_MADE_BY = (3 << 8) | 20;
const METHOD_DEFLATE = 8;
const ZIP32_BYTES_MAX = 0xffffffff;
/** Unix mode 0644 for a regular file, in the high half of the external attributes. */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;

export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
  /** Modification time, milliseconds since the epoch (stored in MS-DOS form, UTC fields). */
  readonly modifiedMs: number;
}

export function zipSingleEntry(entry: ZipEntry): Buffer {
  assert(entry.data.length < ZIP32_BYTES_MAX, 'a ZIP entry this large needs ZIP64');
  const name = Buffer.from(entry.name, 'utf8');
  const compressed = deflateRawSync(entry.data);
  const checksum = crc32(entry.data) >>> 0;
  const { time, date } = dosDateTime(entry.modifiedMs);

  const local = Buffer.alloc(30);
  local.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
  local.writeUInt16LE(VERSION_NEEDED_DEFLATE, 4);
  local.writeUInt16LE(0, 6); // flags
  local.writeUInt16LE(METHOD_DEFLATE, 8);
  local.writeUInt16LE(time, 10);
  local.writeUInt16LE(date, 12);
  local.writeUInt32LE(checksum, 14);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(entry.data.length, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(0, 28); // extra field length

  const central = Buffer.alloc(46);
  central.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
  central.writeUInt16LE(VERSION_MADE_BY, 4);
  central.writeUInt16LE(VERSION_NEEDED_DEFLATE, 6);
  central.writeUInt16LE(0, 8); // flags
  central.writeUInt16LE(METHOD_DEFLATE, 10);
  central.writeUInt16LE(time, 12);
  central.writeUInt16LE(date, 14);
  central.writeUInt32LE(checksum, 16);
  central.writeUInt32LE(compressed.length, 20);
  central.writeUInt32LE(entry.data.length, 24);
  central.writeUInt16LE(name.length, 28);
  // extra length, comment length, disk number, internal attributes: all 0 (bytes 30..37)
  central.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
  central.writeUInt32LE(0, 42); // offset of the local header

  const centralOffset = local.length + name.length + compressed.length;
  const centralSize = central.length + name.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  // disk numbers: 0 (bytes 4..7)
  end.writeUInt16LE(1, 8); // entries on this disk
  end.writeUInt16LE(1, 10); // entries in total
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);
  end.writeUInt16LE(0, 20); // comment length

  return Buffer.concat([local, name, compressed, central, name, end]);
}

/** MS-DOS date and time fields (2-second resolution, years 1980..2107). */
function dosDateTime(epochMs: number): { time: number; date: number } {
  const at = new Date(epochMs);
  const year = Math.min(Math.max(at.getUTCFullYear(), 1980), 2107);
  const time = (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1);
  const date = ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate();
  return { time, date };
}

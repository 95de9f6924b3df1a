/**
 * The index file next to each segment (`<base offset>.index`): what recovery needs to know
 * about the segment without reading it. It is only ever a shortcut; a missing, short or bad
 * one just means the segment is scanned, and the store writes it afresh.
 *
 * The file is a run of blocks, each appended (no fsync needed: a block is checksummed, and one
 * that did not reach the disk is simply not there). Each block states the segment's summary as
 * of some committed size and carries the sparse index entries added since the block before,
 * little-endian:
 *
 *   u32 length            bytes after this field
 *   u32 crc               CRC32C of the length field and of everything after the crc field
 *   u32 magic             0x78646974 ("tidx")
 *   u32 entryCount        index entries in this block
 *   f64 baseOffset
 *   f64 sizeBytes         bytes of the segment file this summary covers
 *   f64 recordCount
 *   f64 firstTimestampMs  NaN when the segment holds no record
 *   f64 lastTimestampMs   NaN when the segment holds no record
 *   entries               entryCount × (u32 offset - baseOffset, u32 position, f64 timestampMs)
 *
 * Recovery takes the last good block: when its `sizeBytes` equals the segment file's size the
 * segment is not read at all (a sealed segment; the active one after a clean close); when the
 * file is longer (a crash after appends), only the bytes after `sizeBytes` are scanned.
 */

import { crc32cRange } from '../../core/crc32c.js';
import type { SparseIndex } from './segment.js';

export const indexFileSuffix = '.index';
const indexNamePattern = /^(\d{20})\.index$/;
const blockMagic = 0x78646974;
export const indexBlockHeaderBytes = 56;
const indexEntryBytes = 16;

export function indexFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}${indexFileSuffix}`;
}

/** The base offset an index file name encodes, or undefined for any other file. */
export function parseIndexFileName(name: string): number | undefined {
  const match = indexNamePattern.exec(name);
  return match === null ? undefined : Number(match[1]);
}

export interface SegmentSummary {
  readonly baseOffset: number;
  readonly sizeBytes: number;
  readonly recordCount: number;
  readonly firstTimestampMs: number | undefined;
  readonly lastTimestampMs: number | undefined;
}

export interface DecodedIndexFile {
  /** The last good block's summary, and every entry up to it. */
  readonly summary: SegmentSummary;
  readonly index: SparseIndex;
  /** Bytes of good blocks; less than the file's length when a torn or bad block follows. */
  readonly goodBytes: number;
}

export function encodeIndexBlock(summary: SegmentSummary, entries: SparseIndex): Buffer {
  const total = indexBlockHeaderBytes + entries.count * indexEntryBytes;
  const buffer = Buffer.allocUnsafe(total);
  buffer.writeUInt32LE(total - 4, 0);
  buffer.writeUInt32LE(blockMagic, 8);
  buffer.writeUInt32LE(entries.count, 12);
  buffer.writeDoubleLE(summary.baseOffset, 16);
  buffer.writeDoubleLE(summary.sizeBytes, 24);
  buffer.writeDoubleLE(summary.recordCount, 32);
  buffer.writeDoubleLE(summary.firstTimestampMs ?? NaN, 40);
  buffer.writeDoubleLE(summary.lastTimestampMs ?? NaN, 48);
  let position = indexBlockHeaderBytes;
  for (let index = 0; index < entries.count; index++) {
    buffer.writeUInt32LE(entries.offsets[index]!, position);
    buffer.writeUInt32LE(entries.positions[index]!, position + 4);
    buffer.writeDoubleLE(entries.timestamps[index]!, position + 8);
    position += indexEntryBytes;
  }
  buffer.writeUInt32LE(crc32cRange(buffer, 8, total, crc32cRange(buffer, 0, 4)), 4);
  return buffer;
}

/**
 * Reads the good blocks of an index file for the segment at `baseOffset`: undefined when not
 * even the first one is good. A block is good when whole, checksummed, of this segment, and
 * consistent with the blocks before it (sizes, counts and entries only ever grow).
 */
export function decodeIndexFile(buffer: Buffer, baseOffset: number): DecodedIndexFile | undefined {
  let summary: SegmentSummary | undefined;
  let goodBytes = 0;
  let count = 0;
  let capacity = 0;
  let offsets = new Uint32Array(0);
  let positions = new Uint32Array(0);
  let timestamps = new Float64Array(0);
  let position = 0;
  while (buffer.length - position >= indexBlockHeaderBytes) {
    const total = buffer.readUInt32LE(position) + 4;
    if (total < indexBlockHeaderBytes || total > buffer.length - position) break;
    const crc = crc32cRange(
      buffer,
      position + 8,
      position + total,
      crc32cRange(buffer, position, position + 4),
    );
    if (crc !== buffer.readUInt32LE(position + 4) || buffer.readUInt32LE(position + 8) !== blockMagic) break;
    const entryCount = buffer.readUInt32LE(position + 12);
    if (total !== indexBlockHeaderBytes + entryCount * indexEntryBytes) break;
    const block: SegmentSummary = {
      baseOffset: buffer.readDoubleLE(position + 16),
      sizeBytes: buffer.readDoubleLE(position + 24),
      recordCount: buffer.readDoubleLE(position + 32),
      firstTimestampMs: definedOrUndefined(buffer.readDoubleLE(position + 40)),
      lastTimestampMs: definedOrUndefined(buffer.readDoubleLE(position + 48)),
    };
    if (!followsOn(summary, block, baseOffset)) break;
    if (count + entryCount > capacity) {
      capacity = Math.max(16, capacity * 2, count + entryCount);
      offsets = grow(offsets, capacity, count);
      positions = grow(positions, capacity, count);
      timestamps = grow(timestamps, capacity, count);
    }
    let entryPosition = position + indexBlockHeaderBytes;
    let consistent = true;
    for (let entry = count; entry < count + entryCount; entry++) {
      offsets[entry] = buffer.readUInt32LE(entryPosition);
      positions[entry] = buffer.readUInt32LE(entryPosition + 4);
      timestamps[entry] = buffer.readDoubleLE(entryPosition + 8);
      entryPosition += indexEntryBytes;
      const previous = entry - 1;
      consistent &&=
        offsets[entry]! < block.recordCount &&
        positions[entry]! < block.sizeBytes &&
        (entry === 0
          ? offsets[entry] === 0 && positions[entry] === 0
          : offsets[entry]! > offsets[previous]! && positions[entry]! > positions[previous]!);
    }
    if (!consistent) break;
    count += entryCount;
    summary = block;
    position += total;
    goodBytes = position;
  }
  if (summary === undefined) return undefined;
  return { summary, index: { count, offsets, positions, timestamps }, goodBytes };
}

/** A block may follow `previous` when it is of the same segment and covers at least as much. */
function followsOn(previous: SegmentSummary | undefined, block: SegmentSummary, baseOffset: number): boolean {
  if (block.baseOffset !== baseOffset) return false;
  if (!Number.isSafeInteger(block.sizeBytes) || !Number.isSafeInteger(block.recordCount)) return false;
  if ((block.recordCount === 0) !== (block.sizeBytes === 0)) return false;
  if ((block.recordCount === 0) !== (block.lastTimestampMs === undefined)) return false;
  if ((block.recordCount === 0) !== (block.firstTimestampMs === undefined)) return false;
  if (previous === undefined) return block.sizeBytes >= 0 && block.recordCount >= 0;
  return block.sizeBytes >= previous.sizeBytes && block.recordCount >= previous.recordCount;
}

function definedOrUndefined(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}

function grow<T extends Uint32Array | Float64Array>(array: T, capacity: number, used: number): T {
  const grown = new (array.constructor as new (length: number) => T)(capacity);
  grown.set(array.subarray(0, used));
  return grown;
}

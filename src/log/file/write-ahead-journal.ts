/**
 * The store's write-ahead journal: one preallocated file that makes a small flush cycle durable
 * with one write, however many logs the cycle touched.
 *
 * Why: under policy `always` a cycle used to write each touched log's segment with O_DSYNC, in
 * parallel. With many small appends spread over shards (PutRecord from 16 callers over 4 shards)
 * that is ~3.5 durable writes per cycle, each a trip to the I/O thread pool (~30 µs of the main
 * thread on our VMs) and together slower than one (`node dist/bench/durable-write-latency.js`:
 * 4 files × 600 B in parallel 0.43 ms, one file × 2,400 B 0.28 ms). A small cycle now writes its
 * segments' bytes into the page cache (no fsync) and the same bytes, with where they go, to this
 * file in one O_DSYNC write at a fixed position: an overwrite of zeroed blocks, which needs no
 * metadata update either. Large cycles still write their segments durably (the store decides).
 *
 * Layout: block 0 holds the header (magic, version, epoch, CRC32C). Records follow from byte
 * 4096, back to back: magic, epoch, sequence, payload length, CRC32C over those and the payload;
 * the payload is entries (log id, segment base offset, position in the segment, bytes). A record
 * counts only if its magic, epoch (the header's), sequence (one after the previous) and CRC are
 * right: the first that is not ends the journal, so a torn or stale record is never applied.
 *
 * Checkpoint: once every segment the journal covers is fsynced, a new epoch in the header makes
 * every record stale at once, and writing starts again at 4096. The store checkpoints when a
 * record would not fit, before it deletes a log whose segments the journal covers (a new log of
 * the same id must not receive the old one's bytes), and at close, so a clean restart replays
 * nothing. A torn header is read as "nothing to replay", which is right: it is written only after
 * the fsyncs it stands for.
 *
 * Replay (at open, before logs are recovered): each entry's bytes are written back at their
 * position in their segment file, grouped per file and fsynced; files that no longer exist (a
 * trimmed segment) are skipped. Writing bytes a segment already holds changes nothing, so replay
 * after a `kill -9`, when the page cache kept everything, is harmless.
 */

import { crc32cRange } from '../../core/crc32c.js';
import { assert } from '../../core/assert.js';
import {
  isNotFound,
  readFully,
  writeFileAtomic,
  writeFully,
  type FileHandle,
  type FileSystem,
} from '../file-system.js';
import { LogStoreError } from '../log-store.js';
import type { StorageLogger } from './recover-log.js';

const headerMagic = 0x4a425254; // 'TRBJ' read little-endian
const recordMagic = 0x52425254; // 'TRBR'
const formatVersion = 1;
const headerBytes = 16;
/** Records start at the second 4 KiB block, so a header write never shares a block with them. */
export const journalRecordsStart = 4096;
const recordHeaderBytes = 20;
/** Per entry: log id length (u8), base offset (f64), position (u32), length (u32). */
export const journalEntryHeaderBytes = 1 + 8 + 4 + 4;

export interface JournalEntry {
  readonly logId: string;
  readonly segmentBaseOffset: number;
  readonly positionBytes: number;
  readonly bytes: Buffer;
}

/** The bytes a record of these entries takes in the journal. */
export function journalRecordBytes(entries: readonly JournalEntry[]): number {
  let bytes = recordHeaderBytes;
  for (const entry of entries) bytes += journalEntryHeaderBytes + entry.logId.length + entry.bytes.length;
  return bytes;
}

/** The entries of the current epoch, in the order they were written. */
export async function readJournal(fileSystem: FileSystem, filePath: string): Promise<JournalEntry[]> {
  let handle: FileHandle;
  try {
    handle = await fileSystem.open(filePath, 'read');
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  try {
    const header = Buffer.alloc(headerBytes);
    if ((await readFully(handle, header, headerBytes, 0)) < headerBytes) return [];
    const epoch = validEpoch(header);
    if (epoch === undefined) return [];
    const fileBytes = await handle.sizeBytes();
    const entries: JournalEntry[] = [];
    const recordHeader = Buffer.alloc(recordHeaderBytes);
    let position = journalRecordsStart;
    for (let sequence = 0; ; sequence++) {
      if ((await readFully(handle, recordHeader, recordHeaderBytes, position)) < recordHeaderBytes) break;
      const payloadBytes = recordHeader.readUInt32LE(12);
      const plausible =
        recordHeader.readUInt32LE(0) === recordMagic &&
        recordHeader.readUInt32LE(4) === epoch &&
        recordHeader.readUInt32LE(8) === sequence &&
        position + recordHeaderBytes + payloadBytes <= fileBytes;
      if (!plausible) break;
      const record = Buffer.alloc(recordHeaderBytes + payloadBytes);
      recordHeader.copy(record);
      const payload = record.subarray(recordHeaderBytes);
      if ((await readFully(handle, payload, payloadBytes, position + recordHeaderBytes)) < payloadBytes)
        break;
      const crc = crc32cRange(record, recordHeaderBytes, record.length, crc32cRange(record, 0, 16));
      if (crc !== recordHeader.readUInt32LE(16)) break;
      const parsed = parseEntries(payload);
      if (parsed === undefined) break;
      entries.push(...parsed);
      position += record.length;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

function parseEntries(payload: Buffer): JournalEntry[] | undefined {
  const entries: JournalEntry[] = [];
  let at = 0;
  while (at < payload.length) {
    if (at + journalEntryHeaderBytes > payload.length) return undefined;
    const idBytes = payload[at]!;
    const segmentBaseOffset = payload.readDoubleLE(at + 1);
    const positionBytes = payload.readUInt32LE(at + 9);
    const length = payload.readUInt32LE(at + 13);
    at += journalEntryHeaderBytes;
    if (at + idBytes + length > payload.length) return undefined;
    const logId = payload.toString('latin1', at, at + idBytes);
    at += idBytes;
    entries.push({ logId, segmentBaseOffset, positionBytes, bytes: payload.subarray(at, at + length) });
    at += length;
  }
  return entries;
}

/** The journal being written: one O_DSYNC handle, a write position and the current epoch. */
export class WriteAheadJournal {
  readonly filePath: string;
  readonly sizeBytes: number;
  readonly #fileSystem: FileSystem;
  #handle: FileHandle | undefined;
  #epoch = 0;
  #sequence = 0;
  #positionBytes = journalRecordsStart;

  constructor(fileSystem: FileSystem, filePath: string, sizeBytes: number) {
    assert(sizeBytes >= journalRecordsStart * 2 && Number.isInteger(sizeBytes));
    this.#fileSystem = fileSystem;
    this.filePath = filePath;
    this.sizeBytes = sizeBytes;
  }

  /**
   * Opens the file for writing and starts a new epoch: call after `readJournal` and the replay of
   * what it returned. A missing file, one of another size or one whose header is unreadable is
   * created afresh, zero-filled (a fresh epoch count over old records could revive one of them).
   */
  async open(logger: StorageLogger): Promise<void> {
    let handle: FileHandle | undefined;
    try {
      handle = await this.#fileSystem.open(this.filePath, 'readWrite', { durableWrites: true });
      const header = Buffer.alloc(headerBytes);
      const epoch =
        (await readFully(handle, header, headerBytes, 0)) === headerBytes ? validEpoch(header) : undefined;
      if (epoch !== undefined && (await handle.sizeBytes()) === this.sizeBytes) {
        this.#epoch = epoch;
      } else {
        logger('recreating the write-ahead journal', { file: this.filePath, sizeBytes: this.sizeBytes });
        await handle.close();
        handle = undefined;
      }
    } catch (error) {
      await handle?.close();
      handle = undefined;
      if (!isNotFound(error)) throw error;
    }
    this.#handle = handle ?? (await this.#create());
    await this.startEpoch();
  }

  async #create(): Promise<FileHandle> {
    // Zero-filled at once, so later O_DSYNC writes overwrite allocated blocks (a few MiB, once).
    await writeFileAtomic(this.#fileSystem, this.filePath, Buffer.alloc(this.sizeBytes));
    return this.#fileSystem.open(this.filePath, 'readWrite', { durableWrites: true });
  }

  /** Whether a record of `recordBytes` fits before the end of the file. */
  fits(recordBytes: number): boolean {
    return this.#positionBytes + recordBytes <= this.sizeBytes;
  }

  /** Bytes of records written in this epoch. */
  get usedBytes(): number {
    return this.#positionBytes - journalRecordsStart;
  }

  /** Writes one record of `entries` durably; throws Storage, leaving the position as it was. */
  async append(entries: readonly JournalEntry[]): Promise<void> {
    const handle = this.#requireHandle();
    const record = Buffer.allocUnsafe(journalRecordBytes(entries));
    assert(this.fits(record.length), 'the caller checks that a record fits');
    record.writeUInt32LE(recordMagic, 0);
    record.writeUInt32LE(this.#epoch, 4);
    record.writeUInt32LE(this.#sequence, 8);
    record.writeUInt32LE(record.length - recordHeaderBytes, 12);
    let at = recordHeaderBytes;
    for (const entry of entries) {
      record[at] = entry.logId.length;
      record.writeDoubleLE(entry.segmentBaseOffset, at + 1);
      record.writeUInt32LE(entry.positionBytes, at + 9);
      record.writeUInt32LE(entry.bytes.length, at + 13);
      at += journalEntryHeaderBytes;
      at += record.write(entry.logId, at, 'latin1');
      at += entry.bytes.copy(record, at);
    }
    record.writeUInt32LE(
      crc32cRange(record, recordHeaderBytes, record.length, crc32cRange(record, 0, 16)),
      16,
    );
    try {
      await writeFully(handle, record, this.#positionBytes);
    } catch (error) {
      throw new LogStoreError('Storage', `cannot write the journal: ${describe(error)}`, { cause: error });
    }
    this.#positionBytes += record.length;
    this.#sequence++;
  }

  /** Makes every record written so far stale: call only once what they cover is fsynced. */
  async startEpoch(): Promise<void> {
    const handle = this.#requireHandle();
    const epoch = (this.#epoch + 1) >>> 0 || 1;
    const header = Buffer.alloc(headerBytes);
    header.writeUInt32LE(headerMagic, 0);
    header.writeUInt32LE(formatVersion, 4);
    header.writeUInt32LE(epoch, 8);
    header.writeUInt32LE(crc32cRange(header, 0, 12), 12);
    try {
      await writeFully(handle, header, 0);
    } catch (error) {
      throw new LogStoreError('Storage', `cannot write the journal header: ${describe(error)}`, {
        cause: error,
      });
    }
    this.#epoch = epoch;
    this.#sequence = 0;
    this.#positionBytes = journalRecordsStart;
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  #requireHandle(): FileHandle {
    assert(this.#handle !== undefined, 'the journal is not open');
    return this.#handle;
  }
}

/** The epoch of a well-formed header, or undefined. */
function validEpoch(header: Buffer): number | undefined {
  const valid =
    header.readUInt32LE(0) === headerMagic &&
    header.readUInt32LE(4) === formatVersion &&
    header.readUInt32LE(12) === crc32cRange(header, 0, 12);
  return valid ? header.readUInt32LE(8) : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

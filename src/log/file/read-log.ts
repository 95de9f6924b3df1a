/**
 * Reads from a file-backed log: find the segment by binary search, jump to the nearest sparse
 * index entry at or before the wanted offset, and read forward only as far as the read's bounds
 * need. Every frame is checked (length, CRC, offset in sequence) before it is returned; a bad one
 * rejects the read with Corrupt.
 *
 * From the first offset that the hot tail (`tail-cache.ts`) holds, the rest of a read comes from
 * memory instead, synchronously.
 *
 * Reads look only at committed state (a segment's `sizeBytes` and `endOffset`, snapshotted when
 * the read reaches it), so a write in flight is never visible. A read gives a `RecordBatch`:
 * positions into the read's own chunks (at most 2 MiB each, never shared with the store) or into
 * tail blocks, with no object per record; a chunk's frames are walked synchronously, one await
 * per chunk read.
 */

import { isNotFound } from '../file-system.js';
import { LogStoreError, type ReadOptions } from '../log-store.js';
import { RecordBatch } from '../record-batch.js';
import type { ChunkPool } from './chunk-pool.js';
import type { FileLog } from './file-log.js';
import { FrameCursor } from './frame-cursor.js';
import { frameHeaderBytes, frameKeyBytes, frameOffset, frameTimestampMs } from './record-frame.js';
import type { IndexEntry, Segment } from './segment.js';
import type { TailCache } from './tail-cache.js';

const readAheadBytesMin = 4 * 1024;
export const readAheadBytesMax = 2 * 1024 * 1024;
/** A batch's first columns are sized for at most this many records (they grow past it). */
const batchCapacityMax = 16 * 1024;

/** Called for each checked frame in `chunk` at `position`; returns false to stop. */
type FrameVisitor = (chunk: Buffer, position: number, totalBytes: number, offset: number) => boolean;

export async function readBatch(
  log: FileLog,
  fromOffset: number,
  options: ReadOptions,
  tailCache: TailCache,
  chunkPool?: ChunkPool,
): Promise<RecordBatch> {
  let offset = Math.max(fromOffset, log.startOffset);
  let batch = new RecordBatch(offset, batchCapacity(log, offset, options));
  // Pooled chunks go back to the pool when the batch is released (never, if it is not).
  const allocate =
    chunkPool === undefined
      ? undefined
      : (size: number): Buffer => {
          const chunk = chunkPool.take(size);
          if (chunkPool.owns(chunk)) batch.onRelease(() => chunkPool.give(chunk));
          return chunk;
        };
  let bytes = 0;
  while (batch.count < options.maxRecords && offset < log.endOffset) {
    if (tailCache.covers(log, offset)) {
      // The rest is in memory, up to the committed end: no file read, no await.
      tailCache.read(log, offset, options.maxRecords, options.maxBytes, batch, bytes);
      break;
    }
    const segment = log.segmentFor(offset);
    if (segment === undefined) break;
    const entry = segment.floorEntry(offset);
    const skipBytes = entry.offset < offset ? segment.indexIntervalBytes : 0;
    // Read ahead about what the wanted records take, judged by the segment's average frame
    // (plus an eighth): reading far past them costs copies and memory the read then drops.
    const averageFrameBytes = segment.recordCount > 0 ? segment.sizeBytes / segment.recordCount : 4096;
    const frameBytesGuess = Math.min(4096, Math.ceil(averageFrameBytes * 1.125));
    const wantedBytes = Math.min(
      options.maxBytes - bytes,
      (options.maxRecords - batch.count) * frameBytesGuess,
    );
    let full = false;
    const records = batch;
    const visit: FrameVisitor = (chunk, position, totalBytes, frameOffsetValue) => {
      if (frameOffsetValue < offset) return true;
      // Key plus data, the measure every LogStore bounds reads by (see record-bytes.ts).
      const recordBytes = totalBytes - frameHeaderBytes;
      if (records.count > 0 && bytes + recordBytes > options.maxBytes) {
        full = true;
        return false;
      }
      bytes += recordBytes;
      records.push(
        chunk,
        position + frameHeaderBytes,
        frameKeyBytes(chunk, position),
        position + totalBytes,
        frameTimestampMs(chunk, position),
      );
      full = records.count >= options.maxRecords;
      return !full;
    };
    const visitedEndOffset = await visitSegment(
      log,
      segment,
      entry,
      skipBytes + wantedBytes,
      visit,
      allocate,
    );
    if (visitedEndOffset === undefined) {
      // The segment went away under us (retention): carry on from the new start, unless that
      // would leave a gap after records already read (the next read carries on from there).
      if (log.startOffset <= offset) continue;
      if (batch.count > 0) break;
      offset = log.startOffset;
      batch = new RecordBatch(offset, batchCapacity(log, offset, options));
      continue;
    }
    if (full) break;
    // Where the visit stopped, not the segment's end now: it may have grown meanwhile.
    offset = Math.max(offset, visitedEndOffset);
  }
  return batch;
}

/** Columns for the records the read can return at most: a reader at the tip gets small ones. */
function batchCapacity(log: FileLog, offset: number, options: ReadOptions): number {
  return Math.max(1, Math.min(options.maxRecords, log.endOffset - offset, batchCapacityMax));
}

export async function findOffsetAtTimestamp(log: FileLog, timestampMs: number): Promise<number> {
  const segment = log.firstSegmentReaching(timestampMs);
  if (segment === undefined || segment.firstTimestampMs === undefined) return log.endOffset;
  if (segment.firstTimestampMs >= timestampMs) return Math.max(segment.baseOffset, log.startOffset);
  let found = segment.endOffset;
  await visitSegment(
    log,
    segment,
    segment.entryBeforeTimestamp(timestampMs),
    readAheadBytesMin,
    (chunk, position, _, offset) => {
      if (frameTimestampMs(chunk, position) < timestampMs) return true;
      found = offset;
      return false;
    },
  );
  return Math.max(found, log.startOffset);
}

/**
 * Walks the segment's committed frames from `entry` until `visit` says stop. Returns the end
 * offset of what it considered committed, or undefined when the segment's file was deleted by
 * retention before it could be opened.
 */
async function visitSegment(
  log: FileLog,
  segment: Segment,
  entry: IndexEntry,
  readAheadBytes: number,
  visit: FrameVisitor,
  allocate?: (size: number) => Buffer,
): Promise<number | undefined> {
  const limitBytes = segment.sizeBytes;
  const endOffset = segment.endOffset;
  try {
    await segment.withHandle(async (handle) => {
      const cursor = new FrameCursor(
        handle,
        entry.position,
        limitBytes,
        Math.min(readAheadBytesMax, Math.max(readAheadBytesMin, readAheadBytes)),
        allocate,
      );
      for (let expected = entry.offset; expected < endOffset; expected++) {
        // Frames whole in the current chunk are walked synchronously: one await per chunk.
        const stepped = cursor.step();
        const step = stepped === 'more' ? await cursor.next() : stepped;
        if (step !== 'frame' || frameOffset(cursor.chunk, cursor.position) !== expected) {
          throw new LogStoreError(
            'Corrupt',
            `log ${log.id}: bad record frame at offset ${expected} in ${segment.filePath}`,
          );
        }
        if (!visit(cursor.chunk, cursor.position, cursor.totalBytes, expected)) return;
      }
    });
    return endOffset;
  } catch (error) {
    if (error instanceof LogStoreError) throw error;
    if (log.deleted) throw new LogStoreError('NoSuchLog', `no log ${log.id}`, { cause: error });
    if (isNotFound(error) && !log.segments.includes(segment)) return undefined;
    throw new LogStoreError('Storage', `log ${log.id}: cannot read ${segment.filePath}`, { cause: error });
  }
}

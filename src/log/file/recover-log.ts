/**
 * Recovery of one log directory at open: reads its metadata, loads or rebuilds each segment's
 * state, and repairs what a crash can leave behind.
 *
 * - A segment whose index file covers all of it is not read at all (sealed segments, and the
 *   active one after a clean close). One whose file is longer than its index covers (a crash
 *   after appends) is scanned from where the index ends; one without a usable index, whole.
 *   Index files are then brought up to date, so the next open does not scan again.
 * - A torn or corrupt tail of the last segment (a write that never completed, or was never
 *   acknowledged) is truncated away, and the truncation logged.
 * - A bad frame inside a sealed segment is not truncated: data after it was acknowledged, so
 *   the segment keeps its offsets (up to the next segment's base) and reads that reach the bad
 *   frame reject with Corrupt.
 * - Segments wholly before the recorded start offset (a trim that crashed before deleting them)
 *   are deleted, and so are index files without a segment; leftover temporary files are removed.
 */

import * as path from 'node:path';
import { FileLog } from './file-log.js';
import { logMetaFileName, readLogMeta } from './log-meta.js';
import { persistSegmentIndex, readSegmentIndex } from './persist-segment-index.js';
import { scanSegment } from './scan-segment.js';
import { indexFileName, parseIndexFileName } from './segment-index-file.js';
import { parseSegmentFileName, Segment, segmentFileName, type SegmentContext } from './segment.js';

export type StorageLogger = (message: string, fields?: object) => void;

/** What recovery did, summed over logs (for tests and start-up logging). */
export interface RecoveryStats {
  segments: number;
  /** Segments whose index file covered them wholly: not read. */
  segmentsFromIndex: number;
  scannedBytes: number;
  /** Segment writes copied back from the write-ahead journal before recovery. */
  journalEntriesReplayed: number;
}

export function emptyRecoveryStats(): RecoveryStats {
  return { segments: 0, segmentsFromIndex: 0, scannedBytes: 0, journalEntriesReplayed: 0 };
}

export async function recoverLog(
  context: SegmentContext,
  directory: string,
  logId: string,
  logger: StorageLogger,
  stats: RecoveryStats,
): Promise<FileLog> {
  const { fileSystem } = context;
  const meta = await readLogMeta(fileSystem, directory);
  const baseOffsets: number[] = [];
  const indexBaseOffsets: number[] = [];
  for (const name of await fileSystem.readdir(directory)) {
    const baseOffset = parseSegmentFileName(name);
    const indexBaseOffset = parseIndexFileName(name);
    if (baseOffset !== undefined) baseOffsets.push(baseOffset);
    else if (indexBaseOffset !== undefined) indexBaseOffsets.push(indexBaseOffset);
    else if (name.endsWith('.tmp')) await fileSystem.unlink(path.join(directory, name));
    else if (name !== logMetaFileName) logger('ignoring unknown file in log directory', { logId, name });
  }
  baseOffsets.sort((a, b) => a - b);

  const segments: Segment[] = [];
  for (const [index, baseOffset] of baseOffsets.entries()) {
    const nextBaseOffset = baseOffsets[index + 1];
    const fileBytes = (await fileSystem.stat(path.join(directory, segmentFileName(baseOffset)))).sizeBytes;
    const segment = await loadSegment(context, directory, baseOffset, fileBytes, nextBaseOffset);
    stats.segments++;
    if (fileBytes > 0 && segment.persistedSizeBytes === fileBytes) stats.segmentsFromIndex++;
    const scan = await scanSegment(fileSystem, segment, fileBytes);
    stats.scannedBytes += scan.scannedBytes;
    if (scan.failure !== undefined && nextBaseOffset === undefined) {
      await truncateTail(segment, scan.fileBytes);
      logger('truncated the torn tail of a segment', {
        logId,
        file: segment.filePath,
        reason: scan.failure,
        keptBytes: segment.sizeBytes,
        droppedBytes: scan.fileBytes - segment.sizeBytes,
        endOffset: segment.endOffset,
      });
    } else if (scan.failure !== undefined && nextBaseOffset !== undefined) {
      segment.corruptAtBytes = segment.sizeBytes;
      // Keep the offsets the sealed segment was acknowledged with; reads fail at the bad frame.
      segment.recordCount = Math.max(segment.recordCount, nextBaseOffset - baseOffset);
      logger('bad frame inside a sealed segment: reads reaching it will fail', {
        logId,
        file: segment.filePath,
        reason: scan.failure,
        atBytes: segment.corruptAtBytes,
      });
    }
    segments.push(segment);
  }

  while (
    segments.length > 0 &&
    segments[0]!.endOffset <= meta.startOffset &&
    segments[0]!.baseOffset < meta.startOffset
  ) {
    const stale = segments.shift()!;
    await fileSystem.unlink(stale.filePath);
    logger('deleted a segment before the start offset', { logId, file: stale.filePath });
  }
  const live = new Set(segments.map((segment) => segment.baseOffset));
  for (const baseOffset of indexBaseOffsets) {
    if (!live.has(baseOffset)) await fileSystem.unlink(path.join(directory, indexFileName(baseOffset)));
  }
  for (const [index, segment] of segments.entries()) {
    await persistSegmentIndex(fileSystem, segment, logger);
    if (index < segments.length - 1) segment.trimIndexCapacity();
  }

  const startOffset = Math.max(meta.startOffset, segments[0]?.baseOffset ?? meta.startOffset);
  const lastSegmentMs = segments.findLast(
    (segment) => segment.lastTimestampMs !== undefined,
  )?.lastTimestampMs;
  const lastTimestampMs =
    lastSegmentMs === undefined || meta.lastTimestampMs === undefined
      ? (lastSegmentMs ?? meta.lastTimestampMs)
      : Math.max(lastSegmentMs, meta.lastTimestampMs);
  return new FileLog(logId, directory, segments, startOffset, lastTimestampMs);
}

/**
 * The segment as its index file describes it, when the file is usable: it covers no more than
 * the segment file holds and, for a sealed segment it covers wholly, ends where the next begins.
 * Otherwise an empty segment that the scan fills from the start.
 */
async function loadSegment(
  context: SegmentContext,
  directory: string,
  baseOffset: number,
  fileBytes: number,
  nextBaseOffset: number | undefined,
): Promise<Segment> {
  const segment = new Segment(context, directory, baseOffset);
  const read = await readSegmentIndex(context.fileSystem, segment);
  if (read === undefined) return segment;
  const { decoded } = read;
  const usable =
    decoded !== undefined &&
    decoded.summary.sizeBytes <= fileBytes &&
    !(
      nextBaseOffset !== undefined &&
      decoded.summary.sizeBytes === fileBytes &&
      baseOffset + decoded.summary.recordCount !== nextBaseOffset
    );
  if (!usable) {
    segment.indexFileNeedsRewrite = true;
    return segment;
  }
  const { summary, index } = decoded;
  segment.loadIndex(index);
  segment.sizeBytes = summary.sizeBytes;
  segment.recordCount = summary.recordCount;
  segment.firstTimestampMs = summary.firstTimestampMs;
  segment.lastTimestampMs = summary.lastTimestampMs;
  segment.persistedSizeBytes = summary.sizeBytes;
  segment.persistedEntryCount = index.count;
  segment.indexFileNeedsRewrite = decoded.goodBytes < read.fileBytes;
  return segment;
}

async function truncateTail(segment: Segment, fileBytes: number): Promise<void> {
  if (fileBytes === segment.sizeBytes) return;
  await segment.withHandle(async (handle) => {
    await handle.truncate(segment.sizeBytes);
    await handle.datasync();
  });
}

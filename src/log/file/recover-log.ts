/**
 * Recovery of one log directory at open: reads its metadata, scans its segments, and repairs
 * what a crash can leave behind.
 *
 * - A torn or corrupt tail of the last segment (a write that never completed, or was never
 *   acknowledged) is truncated away, and the truncation logged.
 * - A bad frame inside a sealed segment is not truncated: data after it was acknowledged, so
 *   the segment keeps its offsets (up to the next segment's base) and reads that reach the bad
 *   frame reject with Corrupt.
 * - Segments wholly before the recorded start offset (a trim that crashed before deleting them)
 *   are deleted; leftover temporary files are removed.
 */

import * as path from 'node:path';
import type { FileSystem } from '../file-system.js';
import { FileLog } from './file-log.js';
import { logMetaFileName, readLogMeta } from './log-meta.js';
import { scanSegment } from './scan-segment.js';
import { parseSegmentFileName, type Segment } from './segment.js';

export type StorageLogger = (message: string, fields?: object) => void;

export async function recoverLog(
  fileSystem: FileSystem,
  directory: string,
  logId: string,
  indexIntervalBytes: number,
  logger: StorageLogger,
): Promise<FileLog> {
  const meta = await readLogMeta(fileSystem, directory);
  const baseOffsets: number[] = [];
  for (const name of await fileSystem.readdir(directory)) {
    const baseOffset = parseSegmentFileName(name);
    if (baseOffset !== undefined) baseOffsets.push(baseOffset);
    else if (name.endsWith('.tmp')) await fileSystem.unlink(path.join(directory, name));
    else if (name !== logMetaFileName) logger('ignoring unknown file in log directory', { logId, name });
  }
  baseOffsets.sort((a, b) => a - b);

  const segments: Segment[] = [];
  for (const [index, baseOffset] of baseOffsets.entries()) {
    const nextBaseOffset = baseOffsets[index + 1];
    const scan = await scanSegment(fileSystem, directory, baseOffset, indexIntervalBytes);
    const { segment } = scan;
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

async function truncateTail(segment: Segment, fileBytes: number): Promise<void> {
  if (fileBytes === segment.sizeBytes) return;
  await segment.withHandle(async (handle) => {
    await handle.truncate(segment.sizeBytes);
    await handle.datasync();
  });
}

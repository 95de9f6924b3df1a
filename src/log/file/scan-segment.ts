/**
 * Recovery of one segment: walks frames from where the segment's known state ends (the start
 * of the file, or the end its index file covers), checking length, CRC and that offsets follow
 * on, and extends the segment's counts, timestamps and sparse index. It reads each byte once,
 * in chunks; memory stays bounded by the chunk size.
 *
 * It stops at the first bad frame and says where: the caller decides whether that is a torn
 * tail to truncate (last segment) or corruption to keep failing on (sealed segment).
 */

import type { FileSystem } from '../file-system.js';
import { FrameCursor } from './frame-cursor.js';
import { frameOffset, frameTimestampMs } from './record-frame.js';
import type { Segment } from './segment.js';

const scanChunkBytes = 1024 * 1024;

export interface SegmentScan {
  /** Bytes in the file, which exceed `segment.sizeBytes` when the scan stopped at a bad frame. */
  readonly fileBytes: number;
  /** Why the scan stopped before the end of the file. */
  readonly failure: 'torn' | 'corrupt' | 'out-of-sequence' | undefined;
  /** Bytes the scan read. */
  readonly scannedBytes: number;
}

/** Scans `segment`'s file from `segment.sizeBytes` (a frame boundary) to its end. */
export async function scanSegment(
  fileSystem: FileSystem,
  segment: Segment,
  fileBytes: number,
): Promise<SegmentScan> {
  const startBytes = segment.sizeBytes;
  if (startBytes >= fileBytes) return { fileBytes, failure: undefined, scannedBytes: 0 };
  const handle = await fileSystem.open(segment.filePath, 'read');
  try {
    const cursor = new FrameCursor(handle, startBytes, fileBytes, scanChunkBytes);
    let failure: SegmentScan['failure'];
    for (;;) {
      const step = await cursor.next();
      if (step === 'end') break;
      if (step !== 'frame') {
        failure = step;
        break;
      }
      const offset = frameOffset(cursor.chunk, cursor.position);
      if (offset !== segment.endOffset) {
        // A whole, checksummed frame with the wrong offset: a stale one that a failed truncate left.
        failure = 'out-of-sequence';
        break;
      }
      const timestampMs = frameTimestampMs(cursor.chunk, cursor.position);
      if (segment.wantsIndexEntry(cursor.filePosition)) {
        segment.addIndexEntry(offset, cursor.filePosition, timestampMs);
      }
      segment.commit(1, cursor.totalBytes, timestampMs, timestampMs);
    }
    return { fileBytes, failure, scannedBytes: fileBytes - startBytes };
  } finally {
    await handle.close();
  }
}

/**
 * Recovery of one segment: walks every frame from the start, checking length, CRC and that
 * offsets follow on from the base offset, and rebuilds the segment's counts, timestamps and
 * sparse index. It reads the whole file once, in chunks; memory stays bounded by the chunk size.
 *
 * It stops at the first bad frame and says where: the caller decides whether that is a torn
 * tail to truncate (last segment) or corruption to keep failing on (sealed segment).
 */

import type { FileSystem } from '../file-system.js';
import { FrameCursor } from './frame-cursor.js';
import { frameOffset, frameTimestampMs } from './record-frame.js';
import { Segment } from './segment.js';

const scanChunkBytes = 1024 * 1024;

export interface SegmentScan {
  readonly segment: Segment;
  /** Bytes in the file, which exceed `segment.sizeBytes` when the scan stopped at a bad frame. */
  readonly fileBytes: number;
  /** Why the scan stopped before the end of the file. */
  readonly failure: 'torn' | 'corrupt' | 'out-of-sequence' | undefined;
}

export async function scanSegment(
  fileSystem: FileSystem,
  directory: string,
  baseOffset: number,
  indexIntervalBytes: number,
): Promise<SegmentScan> {
  const segment = new Segment(fileSystem, directory, baseOffset, indexIntervalBytes);
  const handle = await fileSystem.open(segment.filePath, 'read');
  try {
    const fileBytes = await handle.sizeBytes();
    const cursor = new FrameCursor(handle, 0, fileBytes, scanChunkBytes);
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
    return { segment, fileBytes, failure };
  } finally {
    await handle.close();
  }
}

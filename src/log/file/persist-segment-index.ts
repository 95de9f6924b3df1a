/**
 * Keeping a segment's index file in step with the segment (see `segment-index-file.ts` for the
 * format): appending a block with the entries added since the last one, or rewriting the file
 * whole when it cannot be appended to. Failures are logged, never thrown: the index file is a
 * shortcut for recovery, and a stale or missing one only costs a scan at the next open.
 *
 * Writes of one segment's index file go one after another (`persistSegmentIndexInTurn`), so that
 * two never overlap; the store starts the checkpoints of active segments without waiting for
 * them (the flush cycle does not wait for a file that only speeds up recovery) and waits for the
 * last one before it seals, trims or deletes the segment.
 */

import * as path from 'node:path';
import { isNotFound, writeFileAtomic, type FileSystem } from '../file-system.js';
import type { StorageLogger } from './recover-log.js';
import {
  decodeIndexFile,
  encodeIndexBlock,
  indexFileName,
  type DecodedIndexFile,
} from './segment-index-file.js';
import type { Segment } from './segment.js';

export function indexFilePath(segment: Segment): string {
  return path.join(path.dirname(segment.filePath), indexFileName(segment.baseOffset));
}

/** Brings the index file up to the segment's committed state; true when it is. */
export async function persistSegmentIndex(
  fileSystem: FileSystem,
  segment: Segment,
  logger: StorageLogger,
): Promise<boolean> {
  if (segment.corruptAtBytes !== undefined) return false;
  const rewrite = segment.indexFileNeedsRewrite;
  if (!rewrite && segment.persistedSizeBytes === segment.sizeBytes) return true;
  const from = rewrite ? 0 : segment.persistedEntryCount;
  const block = encodeIndexBlock(segment, segment.indexEntries(from));
  const sizeBytes = segment.sizeBytes;
  const entryCount = segment.indexEntryCount;
  try {
    if (rewrite) await writeFileAtomic(fileSystem, indexFilePath(segment), block);
    else await fileSystem.appendFile(indexFilePath(segment), block);
  } catch (error) {
    // A torn block may now end the file; later blocks behind it would never be read.
    segment.indexFileNeedsRewrite = true;
    logger('could not write a segment index file', { file: indexFilePath(segment), error });
    return false;
  }
  segment.indexFileNeedsRewrite = false;
  segment.persistedSizeBytes = sizeBytes;
  segment.persistedEntryCount = entryCount;
  return true;
}

/** `persistSegmentIndex` once every earlier index write of the segment is done; never rejects. */
export function persistSegmentIndexInTurn(
  fileSystem: FileSystem,
  segment: Segment,
  logger: StorageLogger,
): Promise<boolean> {
  segment.indexWritesPending++;
  const run = segment.indexWrite
    .then(() => persistSegmentIndex(fileSystem, segment, logger))
    .catch((error: unknown) => {
      logger('could not write a segment index file', { file: indexFilePath(segment), error });
      return false;
    })
    .finally(() => {
      segment.indexWritesPending--;
    });
  segment.indexWrite = run.then(() => undefined);
  return run;
}

/** The segment's index file, decoded; undefined when missing or wholly bad. */
export async function readSegmentIndex(
  fileSystem: FileSystem,
  segment: Segment,
): Promise<{ decoded: DecodedIndexFile | undefined; fileBytes: number } | undefined> {
  let buffer: Buffer;
  try {
    buffer = await fileSystem.readFile(indexFilePath(segment));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return { decoded: decodeIndexFile(buffer, segment.baseOffset), fileBytes: buffer.length };
}

/**
 * The small metadata file of a log: where it starts and its last timestamp. Segments say
 * everything else, but once retention has deleted every segment only this file remembers the
 * offsets (the next record must not reuse one) and the timestamp to clamp to.
 *
 * Written only at create and trim, always atomically (temp file, fsync, rename, fsync dir).
 */

import * as path from 'node:path';
import { isNotFound, writeFileAtomic, type FileSystem } from '../file-system.js';
import { LogStoreError } from '../log-store.js';

export const logMetaFileName = 'meta.json';

export interface LogMeta {
  readonly startOffset: number;
  readonly lastTimestampMs: number | undefined;
}

export const emptyLogMeta: LogMeta = { startOffset: 0, lastTimestampMs: undefined };

/** The log's metadata, or `emptyLogMeta` when the file is missing (a create that crashed). */
export async function readLogMeta(fileSystem: FileSystem, directory: string): Promise<LogMeta> {
  const filePath = path.join(directory, logMetaFileName);
  let text: string;
  try {
    text = (await fileSystem.readFile(filePath)).toString('utf8');
  } catch (error) {
    if (isNotFound(error)) return emptyLogMeta;
    throw new LogStoreError('Storage', `cannot read ${filePath}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LogStoreError('Corrupt', `${filePath} is not JSON`, { cause: error });
  }
  if (!isLogMetaJson(parsed)) throw new LogStoreError('Corrupt', `${filePath} is not log metadata`);
  return { startOffset: parsed.startOffset, lastTimestampMs: parsed.lastTimestampMs ?? undefined };
}

export async function writeLogMeta(fileSystem: FileSystem, directory: string, meta: LogMeta): Promise<void> {
  const json = JSON.stringify({
    startOffset: meta.startOffset,
    lastTimestampMs: meta.lastTimestampMs ?? null,
  });
  await writeFileAtomic(fileSystem, path.join(directory, logMetaFileName), Buffer.from(json));
}

function isLogMetaJson(value: unknown): value is { startOffset: number; lastTimestampMs: number | null } {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(record['startOffset']) &&
    (record['lastTimestampMs'] === null || typeof record['lastTimestampMs'] === 'number')
  );
}

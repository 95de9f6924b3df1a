/**
 * The file catalog's on-disk formats. The journal is JSON lines, one write each:
 *   {"k":"streams/a","v":{...},"ver":7}     a put
 *   {"k":"streams/a","del":true,"ver":8}    a delete
 * The snapshot is one JSON document `{"revision":N,"entries":[{"k","v","ver"}...]}`. Replaying a
 * journal over a snapshot skips lines whose version the snapshot already covers, so a crash
 * between writing a snapshot and emptying the journal replays nothing twice.
 */

import { CatalogError } from './catalog-error.js';
import { CatalogMap } from './catalog-map.js';

export function putLine(key: string, json: string, version: number): string {
  return `{"k":${JSON.stringify(key)},"v":${json},"ver":${version}}\n`;
}

export function deleteLine(key: string, version: number): string {
  return `{"k":${JSON.stringify(key)},"del":true,"ver":${version}}\n`;
}

export function formatSnapshot(map: CatalogMap): string {
  const entries = [...map.entries()].map(
    ([key, entry]) => `{"k":${JSON.stringify(key)},"v":${entry.json},"ver":${entry.version}}`,
  );
  return `{"revision":${map.revision},"entries":[\n${entries.join(',\n')}\n]}\n`;
}

export function parseSnapshot(text: string, map: CatalogMap): void {
  const parsed = parseJson(text, 'snapshot') as { revision?: unknown; entries?: unknown };
  if (!Number.isSafeInteger(parsed.revision) || !Array.isArray(parsed.entries)) {
    throw new CatalogError('Corrupt', 'catalog snapshot has no revision or entries');
  }
  for (const entry of parsed.entries as unknown[]) {
    const { key, value, version } = journalFields(entry);
    map.set(key, JSON.stringify(value), version);
  }
  map.revision = Math.max(map.revision, parsed.revision as number);
}

/**
 * Applies the journal's lines newer than the map's revision. A last line that is cut short or
 * unparsable is a write that never completed, and is dropped: the returned byte count is how
 * much of the journal is good. A bad line before the last is corruption.
 */
export function replayJournal(text: string, map: CatalogMap): { goodBytes: number; droppedBytes: number } {
  const snapshotRevision = map.revision;
  let position = 0;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    const isLast = newline === -1 || newline === text.length - 1;
    if (newline === -1) break;
    let line: unknown;
    try {
      line = JSON.parse(text.slice(position, newline));
    } catch (error) {
      if (isLast) break;
      throw new CatalogError('Corrupt', `catalog journal has a bad line at character ${position}`, {
        cause: error,
      });
    }
    const { key, value, version, deleted } = journalFields(line);
    if (version > snapshotRevision) {
      if (deleted) map.delete(key, version);
      else map.set(key, JSON.stringify(value), version);
    }
    position = newline + 1;
  }
  const goodBytes = Buffer.byteLength(text.slice(0, position), 'utf8');
  return { goodBytes, droppedBytes: Buffer.byteLength(text, 'utf8') - goodBytes };
}

function journalFields(line: unknown): { key: string; value: unknown; version: number; deleted: boolean } {
  const record = (typeof line === 'object' && line !== null ? line : {}) as Record<string, unknown>;
  const key = record['k'];
  const version = record['ver'];
  if (typeof key !== 'string' || !Number.isSafeInteger(version) || (version as number) <= 0) {
    throw new CatalogError('Corrupt', `catalog entry without a key or version: ${JSON.stringify(line)}`);
  }
  return { key, value: record['v'], version: version as number, deleted: record['del'] === true };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CatalogError('Corrupt', `catalog ${what} is not JSON`, { cause: error });
  }
}

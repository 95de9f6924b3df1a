/**
 * The catalog's state, shared by the memory and file catalogs: entries kept as JSON text (so
 * every read hands out a fresh copy and every value is known to round-trip) and one revision
 * counter that every write takes the next number of. Versions are therefore positive, grow with
 * every write to a key, and never repeat even across a delete and re-create.
 */

import { assert } from '../core/assert.js';
import { CatalogConflictError, type CatalogEntry } from './catalog.js';

/** Printable ASCII without spaces, 1 to 1024 characters. */
export const catalogKeyPattern = /^[\x21-\x7e]{1,1024}$/;

export interface StoredEntry {
  readonly json: string;
  readonly version: number;
}

export class CatalogMap {
  readonly #entries = new Map<string, StoredEntry>();
  revision = 0;

  get size(): number {
    return this.#entries.size;
  }

  stored(key: string): StoredEntry | undefined {
    return this.#entries.get(key);
  }

  get<T>(key: string): CatalogEntry<T> | undefined {
    const entry = this.#entries.get(key);
    return entry === undefined ? undefined : toEntry<T>(key, entry);
  }

  list<T>(prefix: string): CatalogEntry<T>[] {
    const keys = [...this.#entries.keys()].filter((key) => key.startsWith(prefix)).sort(compareKeys);
    return keys.map((key) => toEntry<T>(key, this.#entries.get(key)!));
  }

  set(key: string, json: string, version: number): void {
    this.#entries.set(key, { json, version });
    this.revision = Math.max(this.revision, version);
  }

  delete(key: string, version: number): void {
    this.#entries.delete(key);
    this.revision = Math.max(this.revision, version);
  }

  entries(): IterableIterator<[string, StoredEntry]> {
    return this.#entries.entries();
  }
}

/** Throws CatalogConflictError unless the key's current version (0 when missing) is the expected one. */
export function checkVersion(
  key: string,
  current: StoredEntry | undefined,
  expectedVersion: number | undefined,
): void {
  const actualVersion = current?.version ?? 0;
  if (expectedVersion !== undefined && expectedVersion !== actualVersion) {
    throw new CatalogConflictError(key, expectedVersion, actualVersion);
  }
}

export function assertKey(key: string): void {
  assert(catalogKeyPattern.test(key), `invalid catalog key ${JSON.stringify(key)}`);
}

/** The value as JSON text; a value JSON cannot hold is a programmer error. */
export function toJson(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  assert(json !== undefined, 'catalog values must be JSON values');
  return json;
}

/** Key order: plain code-unit order, the same on every platform and locale. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toEntry<T>(key: string, entry: StoredEntry): CatalogEntry<T> {
  return { key, value: JSON.parse(entry.json) as T, version: entry.version };
}

/**
 * A Catalog held in memory, for tests and `--storage memory`: the same versions, conflicts and
 * copies as the file catalog, without durability.
 */

import type { Catalog, CatalogEntry } from './catalog.js';
import { CatalogError } from './catalog-error.js';
import { assertKey, CatalogMap, checkVersion, toJson } from './catalog-map.js';

export class MemoryCatalog implements Catalog {
  readonly #map = new CatalogMap();
  #closed = false;

  async open(): Promise<void> {
    this.#closed = false;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async get<T = unknown>(key: string): Promise<CatalogEntry<T> | undefined> {
    this.#assertOpen();
    return this.#map.get<T>(key);
  }

  async list<T = unknown>(prefix: string): Promise<CatalogEntry<T>[]> {
    this.#assertOpen();
    return this.#map.list<T>(prefix);
  }

  async put(key: string, value: unknown, expectedVersion?: number): Promise<number> {
    this.#assertOpen();
    assertKey(key);
    const json = toJson(value);
    checkVersion(key, this.#map.stored(key), expectedVersion);
    const version = this.#map.revision + 1;
    this.#map.set(key, json, version);
    return version;
  }

  async delete(key: string, expectedVersion?: number): Promise<void> {
    this.#assertOpen();
    assertKey(key);
    const current = this.#map.stored(key);
    checkVersion(key, current, expectedVersion);
    if (current !== undefined) this.#map.delete(key, this.#map.revision + 1);
  }

  #assertOpen(): void {
    if (this.#closed) throw new CatalogError('Closed', 'the catalog is closed');
  }
}

/**
 * The catalog: durable, versioned metadata (streams, shards, consumers, delivery streams,
 * applications) with compare-and-set, so that a NATS JetStream key-value bucket can implement it
 * in cluster mode.
 *
 * Keys are strings of printable ASCII without spaces, at most 1024 characters; values are JSON
 * values (what JSON.stringify/parse round-trips). Every successful write gives the key a new,
 * larger version; `put` with `expectedVersion` succeeds only when the key's current version is
 * that one (0 means "must not exist"), otherwise it rejects with `CatalogConflictError`.
 * A write resolves only once it is durable. Invariants are checked by
 * `test/conformance/catalog-suite.ts`.
 */

export interface CatalogEntry<T = unknown> {
  readonly key: string;
  readonly value: T;
  /** Positive; grows with every write to the key. */
  readonly version: number;
}

export interface Catalog {
  open(): Promise<void>;
  close(): Promise<void>;
  get<T = unknown>(key: string): Promise<CatalogEntry<T> | undefined>;
  /** Every entry whose key starts with `prefix`, in key order. */
  list<T = unknown>(prefix: string): Promise<CatalogEntry<T>[]>;
  /** Writes a value; `expectedVersion` undefined writes unconditionally. Returns the new version. */
  put(key: string, value: unknown, expectedVersion?: number): Promise<number>;
  /** Deletes a key; `expectedVersion` as for put. Deleting a missing key unconditionally is a no-op. */
  delete(key: string, expectedVersion?: number): Promise<void>;
}

export class CatalogConflictError extends Error {
  readonly key: string;
  readonly expectedVersion: number;
  readonly actualVersion: number;
  constructor(key: string, expectedVersion: number, actualVersion: number) {
    super(`catalog key ${key} is at version ${actualVersion}, not ${expectedVersion}`);
    this.name = 'CatalogConflictError';
    this.key = key;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/**
 * The durable Catalog: the whole map in memory, every write appended to a journal of JSON lines
 * and fsynced before it resolves. Writes from concurrent callers are group-committed: one cycle
 * checks each queued write's expected version in call order (against the state the earlier
 * writes of the cycle leave), writes the accepted lines with one write call, fsyncs once, then
 * applies them and resolves. A failed write or fsync truncates the journal back and rejects the
 * cycle's writes with CatalogError('Storage'); the map is unchanged, so nothing of them is seen.
 *
 * At open, and when the journal outgrows `journalBytesMax`, the map is written as a snapshot
 * (temp file, fsync, rename, fsync dir) and the journal emptied. Recovery drops a torn last line.
 */

import * as path from 'node:path';
import {
  isNotFound,
  nodeFileSystem,
  writeFileAtomic,
  writeFully,
  type FileHandle,
  type FileSystem,
} from '../log/file-system.js';
import type { Catalog, CatalogEntry } from './catalog.js';
import { CatalogError } from './catalog-error.js';
import { deleteLine, formatSnapshot, parseSnapshot, putLine, replayJournal } from './catalog-journal.js';
import { assertKey, CatalogMap, checkVersion, toJson, type StoredEntry } from './catalog-map.js';

const snapshotFileName = 'catalog.snapshot.json';
const journalFileName = 'catalog.journal';

export interface FileCatalogOptions {
  readonly directory: string;
  readonly fileSystem?: FileSystem;
  /** The journal is compacted into a snapshot once it is this large. Default 4 MiB. */
  readonly journalBytesMax?: number;
  readonly logger?: (message: string, fields?: object) => void;
}

interface PendingWrite {
  readonly key: string;
  /** undefined for a delete. */
  readonly json: string | undefined;
  readonly expectedVersion: number | undefined;
  readonly resolve: (version: number) => void;
  readonly reject: (error: unknown) => void;
}

export class FileCatalog implements Catalog {
  readonly #directory: string;
  readonly #fileSystem: FileSystem;
  readonly #journalBytesMax: number;
  readonly #logger: (message: string, fields?: object) => void;

  #state: 'new' | 'open' | 'closed' = 'new';
  readonly #map = new CatalogMap();
  #journal: FileHandle | undefined;
  #journalBytes = 0;
  /** A failed write's bytes may lie past `#journalBytes` (its truncate failed too): cut them first. */
  #journalNeedsTruncate = false;
  #pending: PendingWrite[] = [];
  #flushing: Promise<void> | undefined;

  constructor(options: FileCatalogOptions) {
    this.#directory = options.directory;
    this.#fileSystem = options.fileSystem ?? nodeFileSystem;
    this.#journalBytesMax = options.journalBytesMax ?? 4 * 1024 * 1024;
    this.#logger = options.logger ?? (() => undefined);
  }

  async open(): Promise<void> {
    if (this.#state === 'open') return;
    await storageStep('cannot open the catalog', async () => {
      await this.#fileSystem.mkdirs(this.#directory);
      const snapshot = await this.#readIfExists(snapshotFileName);
      if (snapshot !== undefined) parseSnapshot(snapshot, this.#map);
      const journal = await this.#readIfExists(journalFileName);
      if (journal !== undefined) {
        const { droppedBytes } = replayJournal(journal, this.#map);
        if (droppedBytes > 0)
          this.#logger('dropped a torn last line of the catalog journal', { droppedBytes });
      }
      await this.#compact();
    });
    this.#state = 'open';
  }

  async close(): Promise<void> {
    if (this.#state !== 'open') return;
    this.#state = 'closed';
    while (this.#flushing !== undefined) await this.#flushing;
    await this.#journal?.close();
    this.#journal = undefined;
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
    return this.#enqueue(key, toJson(value), expectedVersion);
  }

  async delete(key: string, expectedVersion?: number): Promise<void> {
    this.#assertOpen();
    assertKey(key);
    await this.#enqueue(key, undefined, expectedVersion);
  }

  #enqueue(key: string, json: string | undefined, expectedVersion: number | undefined): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#pending.push({ key, json, expectedVersion, resolve, reject });
      this.#flushing ??= this.#flushLoop();
    });
  }

  /** Runs cycles until the queue is empty; writes queued during a cycle go in the next one. */
  async #flushLoop(): Promise<void> {
    // Let the callers of this tick queue up before the first cycle.
    await Promise.resolve();
    while (this.#pending.length > 0) {
      const cycle = this.#pending;
      this.#pending = [];
      await this.#flushCycle(cycle);
    }
    this.#flushing = undefined;
  }

  async #flushCycle(cycle: readonly PendingWrite[]): Promise<void> {
    const changes = new Map<string, StoredEntry | undefined>();
    const accepted: { write: PendingWrite; version: number }[] = [];
    let revision = this.#map.revision;
    let lines = '';
    for (const write of cycle) {
      const current = changes.has(write.key) ? changes.get(write.key) : this.#map.stored(write.key);
      try {
        checkVersion(write.key, current, write.expectedVersion);
      } catch (conflict) {
        write.reject(conflict);
        continue;
      }
      if (write.json === undefined && current === undefined) {
        write.resolve(0);
        continue;
      }
      const version = ++revision;
      lines +=
        write.json === undefined ? deleteLine(write.key, version) : putLine(write.key, write.json, version);
      changes.set(write.key, write.json === undefined ? undefined : { json: write.json, version });
      accepted.push({ write, version });
    }
    if (accepted.length === 0) return;
    try {
      await this.#appendToJournal(Buffer.from(lines, 'utf8'));
    } catch (error) {
      for (const { write } of accepted) write.reject(error);
      return;
    }
    for (const [key, entry] of changes) {
      if (entry === undefined) this.#map.delete(key, revision);
      else this.#map.set(key, entry.json, entry.version);
    }
    this.#map.revision = revision;
    for (const { write, version } of accepted) write.resolve(version);
    if (this.#journalBytes > this.#journalBytesMax) {
      await this.#compact().catch((error: unknown) => {
        // The journal still holds everything; compaction is retried after the next write.
        this.#logger('catalog compaction failed', { error });
      });
    }
  }

  async #appendToJournal(data: Buffer): Promise<void> {
    const journal = this.#journal;
    if (journal === undefined) throw new CatalogError('Closed', 'the catalog is closed');
    const positionBytes = this.#journalBytes;
    try {
      if (this.#journalNeedsTruncate) {
        await journal.truncate(positionBytes);
        this.#journalNeedsTruncate = false;
      }
      await writeFully(journal, data, positionBytes);
      await journal.datasync();
      this.#journalBytes += data.length;
    } catch (error) {
      await journal.truncate(positionBytes).catch((truncateError: unknown) => {
        this.#journalNeedsTruncate = true;
        this.#logger('could not truncate the catalog journal after a failed write', { error: truncateError });
      });
      throw new CatalogError('Storage', `cannot write the catalog journal: ${String(error)}`, {
        cause: error,
      });
    }
  }

  /** Writes the map as the snapshot, then starts an empty journal. */
  async #compact(): Promise<void> {
    await writeFileAtomic(
      this.#fileSystem,
      path.join(this.#directory, snapshotFileName),
      Buffer.from(formatSnapshot(this.#map), 'utf8'),
    );
    if (this.#journal === undefined) {
      this.#journal = await this.#fileSystem.open(path.join(this.#directory, journalFileName), 'truncate');
      await this.#fileSystem.syncDirectory(this.#directory);
    } else {
      await this.#journal.truncate(0);
    }
    await this.#journal.datasync();
    this.#journalBytes = 0;
  }

  async #readIfExists(name: string): Promise<string | undefined> {
    try {
      return (await this.#fileSystem.readFile(path.join(this.#directory, name))).toString('utf8');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  #assertOpen(): void {
    if (this.#state !== 'open') throw new CatalogError('Closed', `the catalog is ${this.#state}`);
  }
}

async function storageStep(message: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (error instanceof CatalogError) throw error;
    throw new CatalogError('Storage', `${message}: ${String(error)}`, { cause: error });
  }
}

/**
 * Glue databases and tables in the durable catalog, namespaced by catalog id (the account by
 * default) and region. Names are stored lower-cased, as Glue does for Hive compatibility. Each
 * table keeps its versions (`VersionId` "1", "2", ... grows with every UpdateTable; archived
 * unless `SkipArchive`), so a delivery stream can pin a schema version.
 *
 * Keys: `glue/<catalog>/<region>/db/<database>`, `glue/<catalog>/<region>/table/<database>/<table>`
 * and `glue/<catalog>/<region>/table-version/<database>/<table>/<version, 10 digits>`, with
 * names URI-encoded (catalog keys are printable ASCII without spaces). Values are JSON; Dates
 * inside user input are kept as `{"epochMs": n}` and revived on read.
 */
import type { Catalog } from '../catalog/catalog.js';
import { CatalogConflictError } from '../catalog/catalog.js';
import type { Clock } from '../core/clock.js';
import {
  alreadyExists,
  concurrentModification,
  databaseNotFound,
  tableNotFound,
  versionNotFound,
} from './glue-errors.js';

export interface GlueLocation {
  readonly catalogId: string;
  readonly region: string;
}

export interface DatabaseRecord {
  readonly name: string;
  /** DatabaseInput without Name, as given. */
  readonly input: Record<string, unknown>;
  readonly createdAtMs: number;
}

export interface TableRecord {
  readonly databaseName: string;
  readonly name: string;
  /** TableInput without Name, as given. */
  readonly input: Record<string, unknown>;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly versionId: number;
}

const VERSION_DIGITS = 10;

export class GlueStore {
  readonly #catalog: Catalog;
  readonly clock: Clock;

  constructor(catalog: Catalog, clock: Clock) {
    this.#catalog = catalog;
    this.clock = clock;
  }

  async createDatabase(at: GlueLocation, name: string, input: Record<string, unknown>): Promise<void> {
    const record: DatabaseRecord = {
      name: name.toLowerCase(),
      input: toStored(input),
      createdAtMs: this.clock.nowMs(),
    };
    try {
      await this.#catalog.put(databaseKey(at, record.name), record, 0);
    } catch (error) {
      if (error instanceof CatalogConflictError) throw alreadyExists('Database');
      throw error;
    }
  }

  async getDatabase(at: GlueLocation, name: string): Promise<DatabaseRecord> {
    const entry = await this.#catalog.get<DatabaseRecord>(databaseKey(at, name.toLowerCase()));
    if (entry === undefined) throw databaseNotFound(name.toLowerCase());
    return revive(entry.value);
  }

  async listDatabases(at: GlueLocation): Promise<DatabaseRecord[]> {
    const entries = await this.#catalog.list<DatabaseRecord>(`${prefix(at)}db/`);
    return entries.map((entry) => revive(entry.value)).sort((a, b) => compare(a.name, b.name));
  }

  /** Deletes a database with its tables and their versions. */
  async deleteDatabase(at: GlueLocation, name: string): Promise<void> {
    const database = await this.getDatabase(at, name);
    for (const suffix of ['table-version/', 'table/']) {
      for (const entry of await this.#catalog.list(`${prefix(at)}${suffix}${encode(database.name)}/`)) {
        await this.#catalog.delete(entry.key);
      }
    }
    await this.#catalog.delete(databaseKey(at, database.name));
  }

  async createTable(
    at: GlueLocation,
    databaseName: string,
    name: string,
    input: Record<string, unknown>,
  ): Promise<void> {
    const database = await this.getDatabase(at, databaseName);
    const nowMs = this.clock.nowMs();
    const record: TableRecord = {
      databaseName: database.name,
      name: name.toLowerCase(),
      input: toStored(input),
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
      versionId: 1,
    };
    try {
      await this.#catalog.put(tableKey(at, record.databaseName, record.name), record, 0);
    } catch (error) {
      if (error instanceof CatalogConflictError) throw alreadyExists('Table');
      throw error;
    }
    await this.#catalog.put(versionKey(at, record.databaseName, record.name, 1), record);
  }

  async getTable(at: GlueLocation, databaseName: string, name: string): Promise<TableRecord> {
    return revive((await this.#tableEntry(at, databaseName, name)).value);
  }

  /** A stored version of a table; undefined or "LATEST" is the current one. */
  async getTableVersion(
    at: GlueLocation,
    databaseName: string,
    name: string,
    versionId?: string,
  ): Promise<TableRecord> {
    if (versionId === undefined || versionId === 'LATEST') return this.getTable(at, databaseName, name);
    const table = await this.getTable(at, databaseName, name);
    if (!/^[0-9]{1,10}$/.test(versionId)) throw versionNotFound();
    const entry = await this.#catalog.get<TableRecord>(
      versionKey(at, table.databaseName, table.name, Number(versionId)),
    );
    if (entry === undefined) throw versionNotFound();
    return revive(entry.value);
  }

  async listTables(at: GlueLocation, databaseName: string): Promise<TableRecord[]> {
    const database = await this.getDatabase(at, databaseName);
    const entries = await this.#catalog.list<TableRecord>(`${prefix(at)}table/${encode(database.name)}/`);
    return entries.map((entry) => revive(entry.value)).sort((a, b) => compare(a.name, b.name));
  }

  /**
   * Replaces a table's definition and gives it the next version. `expectedVersionId`, when
   * given, must be the current version (else ConcurrentModificationException).
   */
  async updateTable(
    at: GlueLocation,
    databaseName: string,
    input: Record<string, unknown> & { readonly Name: string },
    options: { readonly skipArchive: boolean; readonly expectedVersionId?: string | undefined },
  ): Promise<void> {
    const entry = await this.#tableEntry(at, databaseName, input.Name);
    const current = entry.value;
    if (options.expectedVersionId !== undefined && options.expectedVersionId !== String(current.versionId)) {
      throw concurrentModification(
        `Update table failed due to concurrent modifications: table version ${current.versionId}, not ${options.expectedVersionId}.`,
      );
    }
    const { Name: _name, ...rest } = input;
    void _name;
    const next: TableRecord = {
      ...current,
      input: toStored(rest),
      updatedAtMs: this.clock.nowMs(),
      versionId: current.versionId + 1,
    };
    try {
      await this.#catalog.put(entry.key, next, entry.version);
    } catch (error) {
      if (error instanceof CatalogConflictError) {
        throw concurrentModification('Update table failed due to concurrent modifications.');
      }
      throw error;
    }
    if (options.skipArchive)
      await this.#catalog.delete(versionKey(at, current.databaseName, current.name, current.versionId));
    await this.#catalog.put(versionKey(at, next.databaseName, next.name, next.versionId), next);
  }

  async deleteTable(at: GlueLocation, databaseName: string, name: string): Promise<void> {
    const entry = await this.#tableEntry(at, databaseName, name);
    await this.#catalog.delete(entry.key, entry.version);
    const versions = `${prefix(at)}table-version/${encode(entry.value.databaseName)}/${encode(entry.value.name)}/`;
    for (const version of await this.#catalog.list(versions)) await this.#catalog.delete(version.key);
  }

  async #tableEntry(at: GlueLocation, databaseName: string, name: string) {
    const database = await this.getDatabase(at, databaseName);
    const entry = await this.#catalog.get<TableRecord>(tableKey(at, database.name, name.toLowerCase()));
    if (entry === undefined) throw tableNotFound(name.toLowerCase());
    return entry;
  }
}

function prefix(at: GlueLocation): string {
  return `glue/${encode(at.catalogId)}/${encode(at.region)}/`;
}
function databaseKey(at: GlueLocation, name: string): string {
  return `${prefix(at)}db/${encode(name)}`;
}
function tableKey(at: GlueLocation, databaseName: string, name: string): string {
  return `${prefix(at)}table/${encode(databaseName)}/${encode(name)}`;
}
function versionKey(at: GlueLocation, databaseName: string, name: string, versionId: number): string {
  return `${prefix(at)}table-version/${encode(databaseName)}/${encode(name)}/${String(versionId).padStart(VERSION_DIGITS, '0')}`;
}

/** URI encoding, plus the characters it leaves that could be confused with key structure. */
function encode(name: string): string {
  return encodeURIComponent(name).replace(
    /[!'()*~]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Dates to `{epochMs}` objects so that the value survives JSON. */
function toStored(value: Record<string, unknown>): Record<string, unknown> {
  return mapDeep(value, (item) => (item instanceof Date ? { epochMs: item.getTime() } : undefined)) as Record<
    string,
    unknown
  >;
}

function revive<T>(value: T): T {
  return mapDeep(value, (item) => {
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      const keys = Object.keys(item);
      const epochMs = (item as { epochMs?: unknown }).epochMs;
      if (keys.length === 1 && typeof epochMs === 'number') return new Date(epochMs);
    }
    return undefined;
  }) as T;
}

function mapDeep(value: unknown, replace: (item: unknown) => unknown): unknown {
  const replaced = replace(value);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(value)) return value.map((item) => mapDeep(item, replace));
  if (typeof value === 'object' && value !== null && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapDeep(item, replace)]));
  }
  return value;
}

/**
 * What Firehose's record format conversion asks of the Glue catalog: the columns of a table
 * (at a version, or the newest for `LATEST`/none), read straight from the durable catalog.
 * Partition keys are not included: their values live in the S3 key, not in the Parquet file.
 * A missing database, table or version is Glue's EntityNotFoundException.
 */
import type { Catalog } from '../catalog/catalog.js';
import { AssertionError } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import { GlueStore } from './glue-store.js';

export interface TableColumnsQuery {
  readonly accountId: string;
  readonly region: string;
  readonly databaseName: string;
  readonly tableName: string;
  /** Glue's catalog id; the account by default. */
  readonly catalogId?: string;
  readonly versionId?: string;
}

export interface GlueColumnDefinition {
  readonly Name: string;
  readonly Type?: string;
  readonly Comment?: string;
}

export async function readTableColumns(
  catalog: Catalog,
  query: TableColumnsQuery,
): Promise<GlueColumnDefinition[]> {
  const store = new GlueStore(catalog, readOnlyClock);
  const table = await store.getTableVersion(
    { catalogId: query.catalogId ?? query.accountId, region: query.region },
    query.databaseName,
    query.tableName,
    query.versionId,
  );
  const descriptor = table.input['StorageDescriptor'] as
    { readonly Columns?: GlueColumnDefinition[] } | undefined;
  return descriptor?.Columns ?? [];
}

/** Reading needs no clock: the store only stamps writes. */
const readOnlyClock: Clock = {
  nowMs() {
    throw new AssertionError('readTableColumns must not write');
  },
  schedule() {
    throw new AssertionError('readTableColumns must not schedule');
  },
};

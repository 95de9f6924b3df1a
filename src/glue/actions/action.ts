/**
 * A Glue operation: its name and the function that runs it on validated input (shapes from
 * `../shapes.generated.ts`, checked by the protocol layer first), with the store and the
 * caller's scope. Also the views that turn stored records into AWS's `Database` and `Table`.
 */
import type { RequestScope } from '../../core/request-scope.js';
import { invalidInput } from '../glue-errors.js';
import type { DatabaseRecord, GlueLocation, GlueStore, TableRecord } from '../glue-store.js';

export interface GlueContext {
  readonly store: GlueStore;
  readonly scope: RequestScope;
}

export interface GlueAction<Input = never> {
  readonly name: string;
  run(context: GlueContext, input: Input): Promise<object | undefined>;
}

export function defineGlueAction<Input>(
  name: string,
  run: (context: GlueContext, input: Input) => Promise<object | undefined>,
): GlueAction<Input> {
  return { name, run };
}

/** The catalog a request names; the caller's account by default. */
export function locationOf(scope: RequestScope, catalogId: string | undefined): GlueLocation {
  return { catalogId: catalogId ?? scope.accountId, region: scope.region };
}

const DEFAULT_PERMISSIONS = [
  { Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] },
];

export function databaseView(record: DatabaseRecord, at: GlueLocation): Record<string, unknown> {
  return {
    ...record.input,
    Name: record.name,
    CreateTime: new Date(record.createdAtMs),
    CreateTableDefaultPermissions: record.input['CreateTableDefaultPermissions'] ?? DEFAULT_PERMISSIONS,
    CatalogId: at.catalogId,
  };
}

export function tableView(record: TableRecord, at: GlueLocation): Record<string, unknown> {
  return {
    ...record.input,
    Name: record.name,
    DatabaseName: record.databaseName,
    CreateTime: new Date(record.createdAtMs),
    UpdateTime: new Date(record.updatedAtMs),
    Retention: record.input['Retention'] ?? 0,
    PartitionKeys: record.input['PartitionKeys'] ?? [],
    IsRegisteredWithLakeFormation: false,
    CatalogId: at.catalogId,
    VersionId: String(record.versionId),
  };
}

/** Pages of names: NextToken is the last name of the previous page, base64url. */
export function page<T extends { readonly name: string }>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
  resultsMax: number,
): { items: T[]; nextToken: string | undefined } {
  let after: string | undefined;
  if (nextToken !== undefined) {
    const decoded = Buffer.from(nextToken, 'base64url').toString('utf8');
    if (!decoded.startsWith('after:')) throw invalidInput('Invalid pagination token');
    after = decoded.slice('after:'.length);
  }
  const limit = Math.min(maxResults ?? resultsMax, resultsMax);
  const rest = after === undefined ? items : items.filter((item) => item.name > after);
  const chosen = rest.slice(0, limit);
  const last = chosen[chosen.length - 1];
  return {
    items: chosen,
    nextToken:
      rest.length > chosen.length && last !== undefined
        ? Buffer.from(`after:${last.name}`).toString('base64url')
        : undefined,
  };
}

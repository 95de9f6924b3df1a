import { databaseView, defineGlueAction, locationOf, page } from './action.js';

interface GetDatabasesInput {
  readonly CatalogId?: string;
  readonly NextToken?: string;
  readonly MaxResults?: number;
  readonly ResourceShareType?: 'FOREIGN' | 'ALL' | 'FEDERATED';
  readonly AttributesToGet?: readonly string[];
}

/** Glue's `CatalogGetterPageSize` maximum. */
const DATABASES_PAGE_MAX = 100;

export const getDatabases = defineGlueAction<GetDatabasesInput>(
  'GetDatabases',
  async ({ store, scope }, input) => {
    const at = locationOf(scope, input.CatalogId);
    // Nothing is shared with another account here: FOREIGN and FEDERATED list nothing.
    const own =
      input.ResourceShareType === 'FOREIGN' || input.ResourceShareType === 'FEDERATED'
        ? []
        : await store.listDatabases(at);
    const { items, nextToken } = page(own, input.MaxResults, input.NextToken, DATABASES_PAGE_MAX);
    const namesOnly =
      input.AttributesToGet !== undefined && input.AttributesToGet.every((attribute) => attribute === 'NAME');
    return {
      DatabaseList: items.map((record) => (namesOnly ? { Name: record.name } : databaseView(record, at))),
      NextToken: nextToken,
    };
  },
);

import { databaseView, defineGlueAction, locationOf } from './action.js';

interface GetDatabaseInput {
  readonly CatalogId?: string;
  readonly Name: string;
}

export const getDatabase = defineGlueAction<GetDatabaseInput>(
  'GetDatabase',
  async ({ store, scope }, input) => {
    const at = locationOf(scope, input.CatalogId);
    return { Database: databaseView(await store.getDatabase(at, input.Name), at) };
  },
);

import { defineGlueAction, locationOf } from './action.js';

interface DeleteDatabaseInput {
  readonly CatalogId?: string;
  readonly Name: string;
}

/** Deletes the database and every table in it, as Glue does. */
export const deleteDatabase = defineGlueAction<DeleteDatabaseInput>(
  'DeleteDatabase',
  async ({ store, scope }, input) => {
    await store.deleteDatabase(locationOf(scope, input.CatalogId), input.Name);
    return {};
  },
);

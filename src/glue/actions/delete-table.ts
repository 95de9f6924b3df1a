import { defineGlueAction, locationOf } from './action.js';

interface DeleteTableInput {
  readonly CatalogId?: string;
  readonly DatabaseName: string;
  readonly Name: string;
}

export const deleteTable = defineGlueAction<DeleteTableInput>(
  'DeleteTable',
  async ({ store, scope }, input) => {
    await store.deleteTable(locationOf(scope, input.CatalogId), input.DatabaseName, input.Name);
    return {};
  },
);

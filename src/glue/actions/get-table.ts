import { defineGlueAction, locationOf, tableView } from './action.js';

interface GetTableInput {
  readonly CatalogId?: string;
  readonly DatabaseName: string;
  readonly Name: string;
}

export const getTable = defineGlueAction<GetTableInput>('GetTable', async ({ store, scope }, input) => {
  const at = locationOf(scope, input.CatalogId);
  return { Table: tableView(await store.getTable(at, input.DatabaseName, input.Name), at) };
});

import { defineGlueAction, locationOf } from './action.js';

interface CreateDatabaseInput {
  readonly CatalogId?: string;
  readonly DatabaseInput: { readonly Name: string } & Record<string, unknown>;
  readonly Tags?: Record<string, string>;
}

export const createDatabase = defineGlueAction<CreateDatabaseInput>(
  'CreateDatabase',
  async ({ store, scope }, input) => {
    const { Name, ...rest } = input.DatabaseInput;
    await store.createDatabase(locationOf(scope, input.CatalogId), Name, rest);
    return {};
  },
);

import { defineGlueAction, locationOf } from './action.js';
import { checkTableInput } from './table-input.js';

interface CreateTableInput {
  readonly CatalogId?: string;
  readonly DatabaseName: string;
  readonly TableInput: { readonly Name: string } & Record<string, unknown>;
}

export const createTable = defineGlueAction<CreateTableInput>(
  'CreateTable',
  async ({ store, scope }, input) => {
    checkTableInput(input.TableInput);
    const { Name, ...rest } = input.TableInput;
    await store.createTable(locationOf(scope, input.CatalogId), input.DatabaseName, Name, rest);
    return {};
  },
);

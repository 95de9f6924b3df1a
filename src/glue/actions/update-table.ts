import { defineGlueAction, locationOf } from './action.js';
import { checkTableInput } from './table-input.js';

interface UpdateTableInput {
  readonly CatalogId?: string;
  readonly DatabaseName: string;
  readonly TableInput: { readonly Name: string } & Record<string, unknown>;
  readonly SkipArchive?: boolean;
  readonly VersionId?: string;
}

/** Replaces the table definition (not a merge, as Glue does) and gives it the next VersionId. */
export const updateTable = defineGlueAction<UpdateTableInput>(
  'UpdateTable',
  async ({ store, scope }, input) => {
    checkTableInput(input.TableInput);
    await store.updateTable(locationOf(scope, input.CatalogId), input.DatabaseName, input.TableInput, {
      skipArchive: input.SkipArchive ?? false,
      expectedVersionId: input.VersionId,
    });
    return {};
  },
);

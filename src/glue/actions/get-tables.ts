import { invalidInput } from '../glue-errors.js';
import { defineGlueAction, locationOf, page, tableView } from './action.js';

interface GetTablesInput {
  readonly CatalogId?: string;
  readonly DatabaseName: string;
  readonly Expression?: string;
  readonly NextToken?: string;
  readonly MaxResults?: number;
  readonly AttributesToGet?: readonly string[];
}

const TABLES_PAGE_MAX = 100;

/**
 * `Expression` is a regular expression that a whole table name must match; Glue also treats
 * `*` alone as "everything", Hive style.
 */
export const getTables = defineGlueAction<GetTablesInput>('GetTables', async ({ store, scope }, input) => {
  const at = locationOf(scope, input.CatalogId);
  let pattern: RegExp | undefined;
  if (input.Expression !== undefined && input.Expression !== '' && input.Expression !== '*') {
    try {
      pattern = new RegExp(`^(?:${input.Expression})$`, 'u');
    } catch {
      throw invalidInput(`Expression ${input.Expression} is not a valid regular expression.`);
    }
  }
  const tables = (await store.listTables(at, input.DatabaseName)).filter(
    (table) => pattern === undefined || pattern.test(table.name),
  );
  const { items, nextToken } = page(tables, input.MaxResults, input.NextToken, TABLES_PAGE_MAX);
  const attributes = input.AttributesToGet;
  return {
    TableList: items.map((record) => {
      const view = tableView(record, at);
      if (attributes === undefined) return view;
      return Object.fromEntries(
        Object.entries({ NAME: 'Name', TABLE_TYPE: 'TableType' })
          .filter(([attribute]) => attributes.includes(attribute))
          .map(([, member]) => [member, view[member]]),
      );
    }),
    NextToken: nextToken,
  };
});

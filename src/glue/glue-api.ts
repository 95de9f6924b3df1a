/**
 * The Glue Data Catalog subset (`AWSGlue.*`: databases and tables) as an `ApiService` on the
 * same port, so that `aws glue create-table` defines the schema a Firehose delivery stream
 * converts records to. Every other Glue operation answers as an operation this endpoint does not
 * implement.
 */
import type { ApiOperation, ApiService } from '../protocol/api-service.js';
import type { StructureShape } from '../protocol/shape.js';
import type { GlueAction } from './actions/action.js';
import { createDatabase } from './actions/create-database.js';
import { createTable } from './actions/create-table.js';
import { deleteDatabase } from './actions/delete-database.js';
import { deleteTable } from './actions/delete-table.js';
import { getDatabase } from './actions/get-database.js';
import { getDatabases } from './actions/get-databases.js';
import { getTable } from './actions/get-table.js';
import { getTables } from './actions/get-tables.js';
import { updateTable } from './actions/update-table.js';
import type { GlueStore } from './glue-store.js';
import { inputShapes, operationNames } from './shapes.generated.js';

export const glueTargetPrefix = 'AWSGlue';

const glueActions: readonly GlueAction<never>[] = [
  createDatabase,
  getDatabase,
  getDatabases,
  deleteDatabase,
  createTable,
  getTable,
  getTables,
  updateTable,
  deleteTable,
];

export function glueApi(store: GlueStore): ApiService {
  const operations = new Map<string, ApiOperation>();
  for (const action of glueActions) {
    const inputShape = inputShapes[action.name as keyof typeof inputShapes] as StructureShape | undefined;
    if (inputShape === undefined) throw new Error(`no input shape for ${action.name}`);
    operations.set(action.name, {
      name: action.name,
      inputShape,
      run: (scope, input) => action.run({ store, scope }, input as never),
    });
  }
  return { targetPrefix: glueTargetPrefix, operations, modelOperations: new Set<string>(operationNames) };
}

/**
 * The in-application streams an application has, running or not: its inputs' streams
 * (`SOURCE_SQL_STREAM_001` …), the streams its code creates (names as the engine keeps them:
 * unquoted names upper case), and `error_stream`. Found by binding the code the way the engine
 * will; code that does not bind (it cannot start then) has only its input streams.
 */
import { inAppStreamNames, type ApplicationRecord } from '../api/application-model.js';
import { ProcessingClock } from '../exec/sql-engine.js';
import { SqlValidationError } from '../plan/sql-validation-error.js';
import { SqlSyntaxError } from '../sql/sql-syntax-error.js';
import { inputColumns } from './application-runner.js';
import { bindForInputs } from './bind-for-inputs.js';
import { errorStreamName } from './error-stream.js';

export function inApplicationStreams(record: ApplicationRecord): Set<string> {
  const names = new Set<string>([errorStreamName]);
  const inputs = record.inputs.flatMap((stored) => {
    const columns = inputColumns(stored);
    return inAppStreamNames(stored.input).map((name) => ({ name, columns }));
  });
  for (const input of inputs) names.add(input.name);
  if ((record.code ?? '').trim() === '' || inputs.length === 0) return names;
  const tables = record.references.map(({ reference }) => ({
    name: reference.TableName,
    columns: reference.ReferenceSchema.RecordColumns.map((column) => ({
      name: column.Name,
      sqlType: column.SqlType,
    })),
  }));
  try {
    const plan = bindForInputs(record.code ?? '', inputs, new ProcessingClock(), tables);
    for (const name of plan.streams.keys()) names.add(name);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError || error instanceof SqlValidationError)) throw error;
  }
  return names;
}

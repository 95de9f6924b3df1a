/**
 * Code validation at CreateApplication, at every configuration change (UpdateApplication,
 * AddApplicationInput, …) and at StartApplication: the one place that decides whether application
 * code is acceptable. Without inputs only the syntax can be checked; with them the code is bound
 * as the engine would run it (names, types, pump column counts). Both kinds of problem answer
 * CodeValidationException naming the line and column.
 */
import { ProcessingClock } from '../exec/sql-engine.js';
import { SqlValidationError } from '../plan/sql-validation-error.js';
import { bindForInputs } from '../runner/bind-for-inputs.js';
import { parseScript } from '../sql/parser.js';
import { SqlSyntaxError } from '../sql/sql-syntax-error.js';
import { codeValidation } from './analytics-errors.js';
import {
  inAppStreamNames,
  type InputConfiguration,
  type ReferenceDataSourceConfiguration,
} from './application-model.js';

/**
 * Throws CodeValidationException when `code` is not a valid application script, or (when the
 * inputs are configured) does not bind against their in-application streams and the reference
 * tables. Empty code is valid.
 */
export function validateApplicationCode(
  code: string,
  inputs: readonly InputConfiguration[] = [],
  references: readonly ReferenceDataSourceConfiguration[] = [],
): void {
  if (code.trim() === '') return;
  try {
    if (inputs.length === 0) {
      parseScript(code);
      return;
    }
    const streams = inputs.flatMap((input) => {
      const columns = [
        { name: 'APPROXIMATE_ARRIVAL_TIME', sqlType: 'TIMESTAMP' },
        ...input.InputSchema.RecordColumns.map((column) => ({ name: column.Name, sqlType: column.SqlType })),
      ];
      return inAppStreamNames(input).map((name) => ({ name, columns }));
    });
    const tables = references.map((reference) => ({
      name: reference.TableName,
      columns: reference.ReferenceSchema.RecordColumns.map((column) => ({
        name: column.Name,
        sqlType: column.SqlType,
      })),
    }));
    bindForInputs(code, streams, new ProcessingClock(), tables);
  } catch (error) {
    if (error instanceof SqlSyntaxError) {
      throw codeValidation(`Application code is not valid SQL: ${error.message}`);
    }
    if (error instanceof SqlValidationError) {
      throw codeValidation(`Application code is not valid: ${error.message}`);
    }
    throw error;
  }
}

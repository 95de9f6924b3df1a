/**
 * Code validation at CreateApplication, UpdateApplication and AddApplicationInput: the one place
 * that decides whether application code is acceptable. Today it parses the script (syntax errors
 * name the line and column); binding it against the inputs' columns comes with the engine.
 */
import { parseScript } from '../sql/parser.js';
import { SqlSyntaxError } from '../sql/sql-syntax-error.js';
import { codeValidation } from './analytics-errors.js';

/** Throws CodeValidationException when `code` is not a valid application script. */
export function validateApplicationCode(code: string): void {
  try {
    parseScript(code);
  } catch (error) {
    if (error instanceof SqlSyntaxError) {
      throw codeValidation(`Application code is not valid SQL: ${error.message}`);
    }
    throw error;
  }
}

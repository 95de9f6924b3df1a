/**
 * Public entry of the SQL front end: parse application code into a tree, print a tree back to
 * SQL, and the error both raise for bad input. The rest of the directory is internal.
 */
export { parseExpression, parseScript } from './parser.js';
export { printExpression, printQuery, printScript, printStatement } from './printer.js';
export { SqlSyntaxError } from './sql-syntax-error.js';
export { sqlLimits } from './sql-limits.js';
export { withoutSpans } from './ast.js';
export type * from './ast.js';

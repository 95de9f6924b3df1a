/**
 * The error the binder raises for code that parses but cannot run: unknown names, type errors,
 * pump column counts, streaming rules. Like SqlSyntaxError its message starts with
 * "line L, column C:" so it can go to the user as CodeValidationException's message.
 */
import type { Span } from '../sql/ast.js';

export class SqlValidationError extends Error {
  override readonly name = 'SqlValidationError';
  readonly line: number;
  readonly column: number;
  /** The message without the position prefix. */
  readonly reason: string;

  constructor(reason: string, at: Span) {
    super(`line ${at.line}, column ${at.column}: ${reason}`);
    this.reason = reason;
    this.line = at.line;
    this.column = at.column;
  }
}

export function validationError(reason: string, at: Span): never {
  throw new SqlValidationError(reason, at);
}

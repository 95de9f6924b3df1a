/**
 * The one error the front end raises for bad input. Its message starts with "line L, column C:"
 * so that it can go to the user as is (CreateApplication answers CodeValidationException with it).
 */
import type { Span } from './lexer.js';

export class SqlSyntaxError extends Error {
  override readonly name = 'SqlSyntaxError';
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The message without the position prefix. */
  readonly reason: string;

  constructor(reason: string, at: Span) {
    super(`line ${at.line}, column ${at.column}: ${reason}`);
    this.reason = reason;
    this.line = at.line;
    this.column = at.column;
    this.offset = at.start;
  }
}

/**
 * The parser's view of the token list: look-ahead, keyword tests, "expected X but found Y"
 * errors and the nesting bound. Keywords are matched on unquoted words only, so a quoted
 * identifier is never a keyword.
 */
import { isReserved } from './keywords.js';
import type { Span, Token } from './lexer.js';
import { sqlLimits } from './sql-limits.js';
import { SqlSyntaxError } from './sql-syntax-error.js';
import { identifier, type Identifier } from './ast.js';

/** How a token is named in an error message. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'word':
      return token.value;
    case 'quotedIdentifier':
      return `"${token.value.replaceAll('"', '""')}"`;
    case 'string':
      return `string '${truncate(token.value)}'`;
    case 'unicodeString':
      return `string U&'${truncate(token.value)}'`;
    case 'binaryString':
      return `binary string X'${truncate(token.value)}'`;
    case 'integer':
    case 'decimal':
    case 'approximate':
      return `number ${token.value}`;
    case 'operator':
      return `'${token.value}'`;
    case 'eof':
      return 'end of input';
  }
}

/** `a`, `a or b`, `a, b or c`. */
export function oneOf(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

const truncate = (text: string): string => (text.length > 20 ? `${text.slice(0, 20)}...` : text);

export class TokenCursor {
  readonly #tokens: readonly Token[];
  #index = 0;
  #depth = 0;

  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
  }

  peek(ahead = 0): Token {
    const last = this.#tokens[this.#tokens.length - 1]!;
    return this.#tokens[this.#index + ahead] ?? last;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.#index += 1;
    return token;
  }

  /** The end offset of the last token taken. */
  get previousEnd(): number {
    return this.#tokens[this.#index - 1]?.span.end ?? 0;
  }

  /** The span from `start` (a token or span) to the end of the last token taken. */
  spanFrom(start: Token | Span): Span {
    const span = 'span' in start ? start.span : start;
    return {
      start: span.start,
      end: Math.max(this.previousEnd, span.start),
      line: span.line,
      column: span.column,
    };
  }

  isWord(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'word' && token.value === word;
  }

  isOperator(operator: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'operator' && token.value === operator;
  }

  /** True for a token that can be a name here: a quoted identifier or an unreserved word. */
  isIdentifier(ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'quotedIdentifier' || (token.kind === 'word' && !isReserved(token.value));
  }

  acceptWord(word: string): Token | null {
    return this.isWord(word) ? this.next() : null;
  }

  acceptOperator(operator: string): Token | null {
    return this.isOperator(operator) ? this.next() : null;
  }

  expectWord(word: string): Token {
    return this.acceptWord(word) ?? this.fail(word);
  }

  expectOperator(operator: string): Token {
    return this.acceptOperator(operator) ?? this.fail(`'${operator}'`);
  }

  /** A name; `anyWord` also takes reserved words (after a dot, where no keyword can stand). */
  identifier(what: string, anyWord = false): Identifier {
    const token = this.peek();
    if (this.isIdentifier() || (anyWord && token.kind === 'word')) {
      this.next();
      return identifier(token.value, token.span);
    }
    if (token.kind === 'word') {
      return this.error(
        `expected ${what} but found reserved word ${token.value} (quote it to use it as a name)`,
      );
    }
    return this.fail(what);
  }

  /** `name [. name]*`. */
  qualifiedName(what: string): Identifier[] {
    const parts = [this.identifier(what)];
    while (this.acceptOperator('.')) parts.push(this.identifier(what, true));
    return parts;
  }

  /** `(a, b, ...)`. */
  identifierList(what: string): Identifier[] {
    this.expectOperator('(');
    const names = [this.identifier(what)];
    while (this.acceptOperator(',')) names.push(this.identifier(what));
    this.expectOperator(')');
    return names;
  }

  /** Comma-separated items of at least one. */
  list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.acceptOperator(',')) items.push(item());
    return items;
  }

  integer(what: string): number {
    const token = this.peek();
    if (token.kind !== 'integer') return this.fail(what);
    this.next();
    return Number(token.value);
  }

  fail(expected: string, token: Token = this.peek()): never {
    throw new SqlSyntaxError(`expected ${expected} but found ${describeToken(token)}`, token.span);
  }

  error(message: string, at: Span | Token = this.peek()): never {
    throw new SqlSyntaxError(message, 'span' in at ? at.span : at);
  }

  /** Runs a recursive step under the nesting bound. */
  nested<T>(step: () => T): T {
    if (this.#depth >= sqlLimits.nestingDepthMax) {
      this.error(`the statement is nested too deeply (more than ${sqlLimits.nestingDepthMax} levels)`);
    }
    this.#depth += 1;
    try {
      return step();
    } finally {
      this.#depth -= 1;
    }
  }
}

/**
 * Lexer for the Kinesis Data Analytics (SQLstream) dialect. It turns application code into tokens
 * that carry their source span. Words are not classified as keywords here (see keywords.ts);
 * unquoted words are folded to upper case, quoted identifiers keep their case. Whitespace and
 * comments (`--`, `//` and `/* *\/`) are skipped. Every error names the line and column.
 */
import { SqlSyntaxError } from './sql-syntax-error.js';
import { sqlLimits } from './sql-limits.js';

/** Where a token or node sits in the source: offsets [start, end) and the start's line/column. */
export interface Span {
  readonly start: number;
  readonly end: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
}

export type TokenKind =
  | 'word'
  | 'quotedIdentifier'
  | 'string'
  | 'unicodeString'
  | 'binaryString'
  | 'integer'
  | 'decimal'
  | 'approximate'
  | 'operator'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /**
   * word: upper-cased; quotedIdentifier: the name with `""` undone; string: the value with `''`
   * undone; unicodeString: the body with `''` undone, escapes still raw (UESCAPE may follow);
   * binaryString: the hex digits, upper-cased; numbers: the text with the exponent as `E`;
   * operator: the operator; eof: ''.
   */
  readonly value: string;
  readonly span: Span;
}

// prettier-ignore
const operators = ['<>', '!=', '>=', '<=', '||', '=', '<', '>', '+', '-', '*', '/', '(', ')', ',', ';', '.'];

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
const isWordStart = (ch: string | undefined): boolean =>
  ch !== undefined && ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch === '_');
const isWordPart = (ch: string | undefined): boolean => isWordStart(ch) || isDigit(ch);
const isHexDigit = (ch: string): boolean => /^[0-9A-Fa-f]$/.test(ch);

export function tokenize(source: string): Token[] {
  return new Lexer(source).run();
}

class Lexer {
  readonly #source: string;
  #offset = 0;
  #line = 1;
  #lineStart = 0;
  readonly #tokens: Token[] = [];

  constructor(source: string) {
    this.#source = source;
  }

  run(): Token[] {
    if (this.#source.length > sqlLimits.sourceCharsMax) {
      throw new SqlSyntaxError(
        `application code is ${this.#source.length} characters; the limit is ${sqlLimits.sourceCharsMax}`,
        { start: 0, end: 0, line: 1, column: 1 },
      );
    }
    for (;;) {
      this.#skipTrivia();
      if (this.#offset >= this.#source.length) break;
      this.#tokens.push(this.#token());
    }
    const here = this.#position(this.#offset);
    this.#tokens.push({ kind: 'eof', value: '', span: { ...here, end: here.start } });
    return this.#tokens;
  }

  #position(offset: number): { start: number; line: number; column: number } {
    return { start: offset, line: this.#line, column: offset - this.#lineStart + 1 };
  }

  #fail(message: string, offset: number, line = this.#line, lineStart = this.#lineStart): never {
    throw new SqlSyntaxError(message, { start: offset, end: offset, line, column: offset - lineStart + 1 });
  }

  /** Advances over one character, keeping line and column right across \n, \r\n and \r. */
  #advance(): void {
    const ch = this.#source[this.#offset];
    this.#offset += 1;
    if (ch === '\n' || (ch === '\r' && this.#source[this.#offset] !== '\n')) {
      this.#line += 1;
      this.#lineStart = this.#offset;
    }
  }

  #skipTrivia(): void {
    const src = this.#source;
    while (this.#offset < src.length) {
      const ch = src[this.#offset];
      const next = src[this.#offset + 1];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f') {
        this.#advance();
      } else if ((ch === '-' && next === '-') || (ch === '/' && next === '/')) {
        while (this.#offset < src.length && src[this.#offset] !== '\n' && src[this.#offset] !== '\r') {
          this.#offset += 1;
        }
      } else if (ch === '/' && next === '*') {
        const [offset, line, lineStart] = [this.#offset, this.#line, this.#lineStart];
        this.#offset += 2;
        while (!(src[this.#offset] === '*' && src[this.#offset + 1] === '/')) {
          if (this.#offset >= src.length) this.#fail('unterminated comment', offset, line, lineStart);
          this.#advance();
        }
        this.#offset += 2;
      } else {
        return;
      }
    }
  }

  #token(): Token {
    const src = this.#source;
    const begin = this.#position(this.#offset);
    const [line, lineStart] = [this.#line, this.#lineStart];
    const make = (kind: TokenKind, value: string): Token => ({
      kind,
      value,
      span: { start: begin.start, end: this.#offset, line, column: begin.column },
    });
    const ch = src[this.#offset] ?? '';
    const next = src[this.#offset + 1];
    if ((ch === 'U' || ch === 'u') && next === '&' && src[this.#offset + 2] === "'") {
      this.#offset += 2;
      return make('unicodeString', this.#quoted("'", 'string literal'));
    }
    if ((ch === 'X' || ch === 'x') && next === "'") {
      this.#offset += 1;
      const hex = this.#quoted("'", 'binary string literal');
      const bad = [...hex].findIndex((digit) => !isHexDigit(digit));
      if (bad >= 0 || hex.length % 2 !== 0) {
        this.#fail(
          bad >= 0
            ? `binary string literal has a non-hexadecimal character '${hex[bad]}'`
            : 'binary string literal needs an even number of hexadecimal digits',
          begin.start,
          line,
          lineStart,
        );
      }
      return make('binaryString', hex.toUpperCase());
    }
    if (isWordStart(ch)) {
      while (isWordPart(src[this.#offset])) this.#offset += 1;
      return make('word', src.slice(begin.start, this.#offset).toUpperCase());
    }
    if (ch === '"') {
      const name = this.#quoted('"', 'quoted identifier');
      if (name === '') this.#fail('a quoted identifier cannot be empty', begin.start, line, lineStart);
      return make('quotedIdentifier', name);
    }
    if (ch === "'") return make('string', this.#quoted("'", 'string literal'));
    if (isDigit(ch) || (ch === '.' && isDigit(next))) return this.#number(make);
    const operator = operators.find((op) => src.startsWith(op, this.#offset));
    if (operator !== undefined) {
      this.#offset += operator.length;
      return make('operator', operator);
    }
    // Printable ASCII is shown as itself; anything else (control, non-breaking space, é, emoji) by code point.
    const codePoint = src.codePointAt(this.#offset) ?? 0;
    const shown =
      codePoint > 0x20 && codePoint < 0x7f
        ? `'${ch}'`
        : `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
    return this.#fail(`unexpected character ${shown}`, begin.start);
  }

  /** Reads a quote-delimited body where a doubled quote stands for one. */
  #quoted(quote: string, what: string): string {
    const src = this.#source;
    const [offset, line, lineStart] = [this.#offset, this.#line, this.#lineStart];
    this.#offset += 1;
    let value = '';
    for (;;) {
      if (this.#offset >= src.length) this.#fail(`unterminated ${what}`, offset, line, lineStart);
      const ch = src[this.#offset]!;
      if (ch === quote) {
        if (src[this.#offset + 1] !== quote) break;
        value += quote;
        this.#offset += 2;
      } else {
        value += ch;
        this.#advance();
      }
    }
    this.#offset += 1;
    return value;
  }

  #number(make: (kind: TokenKind, value: string) => Token): Token {
    const src = this.#source;
    const start = this.#offset;
    let kind: TokenKind = 'integer';
    while (isDigit(src[this.#offset])) this.#offset += 1;
    if (src[this.#offset] === '.') {
      kind = 'decimal';
      this.#offset += 1;
      while (isDigit(src[this.#offset])) this.#offset += 1;
    }
    let text = src.slice(start, this.#offset);
    if (src[this.#offset] === 'e' || src[this.#offset] === 'E') {
      const exponentStart = this.#offset;
      this.#offset += 1;
      if (src[this.#offset] === '+' || src[this.#offset] === '-') this.#offset += 1;
      if (!isDigit(src[this.#offset])) this.#fail('malformed number: the exponent has no digits', start);
      while (isDigit(src[this.#offset])) this.#offset += 1;
      kind = 'approximate';
      text += 'E' + src.slice(exponentStart + 1, this.#offset);
    }
    if (isWordPart(src[this.#offset]) || src[this.#offset] === '.') {
      this.#fail(`malformed number '${src.slice(start, this.#offset + 1)}'`, start);
    }
    return make(kind, text);
  }
}

/**
 * Hive column types as a Glue table declares them (`string`, `decimal(10,2)`,
 * `array<struct<a:int,b:string>>`, `map<string,bigint>`...), parsed into a tree. Names are
 * case-insensitive; `set<>` (from DynamoDB crawls) and `uniontype` are not types Firehose converts.
 */

export type HivePrimitiveName =
  | 'string'
  | 'varchar'
  | 'char'
  | 'tinyint'
  | 'smallint'
  | 'int'
  | 'bigint'
  | 'boolean'
  | 'float'
  | 'double'
  | 'date'
  | 'timestamp'
  | 'binary';

export type HiveType =
  | { readonly kind: 'primitive'; readonly name: HivePrimitiveName; readonly length?: number }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'array'; readonly element: HiveType }
  | { readonly kind: 'map'; readonly key: HiveType; readonly value: HiveType }
  | { readonly kind: 'struct'; readonly fields: readonly HiveField[] };

export interface HiveField {
  readonly name: string;
  readonly type: HiveType;
}

export class HiveTypeError extends Error {
  override readonly name = 'HiveTypeError';
}

const SIMPLE: Record<string, HivePrimitiveName> = {
  string: 'string',
  tinyint: 'tinyint',
  smallint: 'smallint',
  int: 'int',
  integer: 'int',
  bigint: 'bigint',
  boolean: 'boolean',
  float: 'float',
  double: 'double',
  date: 'date',
  timestamp: 'timestamp',
  binary: 'binary',
};

/** Deepest nesting accepted; Glue's own limit on a type string is 131072 characters. */
const DEPTH_MAX = 64;

export function parseHiveType(text: string): HiveType {
  const parser = new TypeParser(text);
  const type = parser.type(0);
  parser.end();
  return type;
}

class TypeParser {
  #text: string;
  #at = 0;
  constructor(text: string) {
    this.#text = text;
  }

  type(depth: number): HiveType {
    if (depth > DEPTH_MAX) throw this.#error('type nests too deeply');
    const word = this.#word().toLowerCase();
    switch (word) {
      case 'array': {
        this.#expect('<');
        const element = this.type(depth + 1);
        this.#expect('>');
        return { kind: 'array', element };
      }
      case 'map': {
        this.#expect('<');
        const key = this.type(depth + 1);
        this.#expect(',');
        const value = this.type(depth + 1);
        this.#expect('>');
        return { kind: 'map', key, value };
      }
      case 'struct': {
        this.#expect('<');
        const fields: HiveField[] = [];
        if (!this.#accept('>')) {
          do {
            const name = this.#word().toLowerCase();
            this.#expect(':');
            fields.push({ name, type: this.type(depth + 1) });
          } while (this.#accept(','));
          this.#expect('>');
        }
        return { kind: 'struct', fields };
      }
      case 'decimal': {
        let precision = 10;
        let scale = 0;
        if (this.#accept('(')) {
          precision = this.#number();
          if (this.#accept(',')) scale = this.#number();
          this.#expect(')');
        }
        if (precision < 1 || precision > 38 || scale > precision) {
          throw this.#error(`decimal(${precision},${scale}) is outside decimal(1..38, 0..precision)`);
        }
        return { kind: 'decimal', precision, scale };
      }
      case 'varchar':
      case 'char': {
        this.#expect('(');
        const length = this.#number();
        this.#expect(')');
        if (length < 1) throw this.#error(`${word}(${length}) needs a positive length`);
        return { kind: 'primitive', name: word, length };
      }
      default: {
        const name = SIMPLE[word];
        if (name === undefined) throw this.#error(`unsupported type '${word}'`);
        return { kind: 'primitive', name };
      }
    }
  }

  end(): void {
    this.#skipSpace();
    if (this.#at !== this.#text.length) throw this.#error('unexpected text after the type');
  }

  #word(): string {
    this.#skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.#text.slice(this.#at));
    if (match === null) throw this.#error('expected a name');
    this.#at += match[0].length;
    return match[0];
  }

  #number(): number {
    this.#skipSpace();
    const match = /^[0-9]{1,9}/.exec(this.#text.slice(this.#at));
    if (match === null) throw this.#error('expected a number');
    this.#at += match[0].length;
    return Number(match[0]);
  }

  #accept(token: string): boolean {
    this.#skipSpace();
    if (this.#text[this.#at] !== token) return false;
    this.#at++;
    return true;
  }

  #expect(token: string): void {
    if (!this.#accept(token)) throw this.#error(`expected '${token}'`);
  }

  #skipSpace(): void {
    while (this.#at < this.#text.length && /\s/.test(this.#text[this.#at] ?? '')) this.#at++;
  }

  #error(message: string): HiveTypeError {
    return new HiveTypeError(`${message} at position ${this.#at} of '${this.#text}'`);
  }
}

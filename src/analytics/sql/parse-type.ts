/** Data types (`VARCHAR(32)`, `DECIMAL(10, 2)`, `DOUBLE PRECISION`, ...) and interval qualifiers. */
import { dataType, intervalQualifier, type DataType, type IntervalQualifier, type TypeName } from './ast.js';
import { isTimeUnit, type TimeUnit } from './keywords.js';
import type { TokenCursor } from './token-cursor.js';

/** Synonyms folded into one name; DOUBLE PRECISION and CHARACTER VARYING are handled in code. */
const typeSynonyms: Readonly<Record<string, TypeName>> = {
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INTEGER: 'INTEGER',
  INT: 'INTEGER',
  BIGINT: 'BIGINT',
  DECIMAL: 'DECIMAL',
  DEC: 'DECIMAL',
  NUMERIC: 'NUMERIC',
  REAL: 'REAL',
  DOUBLE: 'DOUBLE',
  FLOAT: 'FLOAT',
  CHAR: 'CHAR',
  CHARACTER: 'CHAR',
  VARCHAR: 'VARCHAR',
  BINARY: 'BINARY',
  VARBINARY: 'VARBINARY',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
  INTERVAL: 'INTERVAL',
};

/** Which types take `(n)` and which `(p, s)`. */
const takesLength: ReadonlySet<TypeName> = new Set([
  'CHAR',
  'VARCHAR',
  'BINARY',
  'VARBINARY',
  'FLOAT',
  'TIME',
  'TIMESTAMP',
]);
const takesScale: ReadonlySet<TypeName> = new Set(['DECIMAL', 'NUMERIC']);

export function parseDataType(c: TokenCursor): DataType {
  const start = c.peek();
  let name = start.kind === 'word' ? typeSynonyms[start.value] : undefined;
  if (name === undefined) return c.fail('a data type');
  c.next();
  if (name === 'DOUBLE') c.acceptWord('PRECISION');
  if ((name === 'CHAR' || name === 'BINARY') && c.acceptWord('VARYING')) {
    name = name === 'CHAR' ? 'VARCHAR' : 'VARBINARY';
  }
  if (name === 'INTERVAL') {
    const interval = parseIntervalQualifier(c);
    return dataType({ name, length: null, scale: null, interval, span: c.spanFrom(start) });
  }
  let length: number | null = null;
  let scale: number | null = null;
  if ((takesLength.has(name) || takesScale.has(name)) && c.acceptOperator('(')) {
    length = c.integer('a length or precision');
    if (takesScale.has(name) && c.acceptOperator(',')) scale = c.integer('a scale');
    c.expectOperator(')');
  }
  return dataType({ name, length, scale, interval: null, span: c.spanFrom(start) });
}

export const timeUnitExpected = 'a time unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)';

function timeUnit(c: TokenCursor): TimeUnit {
  const token = c.peek();
  if (token.kind === 'word' && isTimeUnit(token.value)) {
    c.next();
    return token.value;
  }
  return c.fail(timeUnitExpected);
}

export function isAtTimeUnit(c: TokenCursor): boolean {
  const token = c.peek();
  return token.kind === 'word' && isTimeUnit(token.value);
}

/** `unit [(p [, f])] [TO unit [(f)]]`. */
export function parseIntervalQualifier(c: TokenCursor): IntervalQualifier {
  const begin = c.peek();
  const start = timeUnit(c);
  let startPrecision: number | null = null;
  let fractionalPrecision: number | null = null;
  if (c.acceptOperator('(')) {
    startPrecision = c.integer('a precision');
    if (start === 'SECOND' && c.acceptOperator(','))
      fractionalPrecision = c.integer('a fractional precision');
    c.expectOperator(')');
  }
  let end: TimeUnit | null = null;
  if (c.acceptWord('TO')) {
    end = timeUnit(c);
    if (end === 'SECOND' && c.acceptOperator('(')) {
      fractionalPrecision = c.integer('a fractional precision');
      c.expectOperator(')');
    }
  }
  return intervalQualifier({ start, startPrecision, end, fractionalPrecision, span: c.spanFrom(begin) });
}

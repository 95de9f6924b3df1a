/**
 * Column types of input schemas (`RecordColumn.SqlType`) and the coercion of source values to
 * them, the way Kinesis Analytics maps JSON and CSV input (reference §8): null is NULL for every
 * type; numbers must fit integer types exactly; strings are parsed for numeric, boolean and
 * datetime types and truncated to CHAR/VARCHAR lengths; objects and arrays become their JSON text
 * in character columns. A value that cannot be coerced is a `CoercionError`: the record goes to
 * the error stream.
 */
import type { SqlValue } from './sql-value.js';

export const columnTypeKinds = [
  'CHAR',
  'VARCHAR',
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'REAL',
  'DOUBLE',
  'DECIMAL',
  'BOOLEAN',
  'TIMESTAMP',
  'DATE',
  'TIME',
  'BINARY',
  'VARBINARY',
] as const;
export type ColumnTypeKind = (typeof columnTypeKinds)[number];

export interface ColumnType {
  readonly kind: ColumnTypeKind;
  /** CHAR/VARCHAR/BINARY length. */
  readonly length?: number;
}

export class CoercionError extends Error {
  override readonly name = 'CoercionError';
}

const synonyms: Readonly<Record<string, ColumnTypeKind>> = {
  CHAR: 'CHAR',
  CHARACTER: 'CHAR',
  VARCHAR: 'VARCHAR',
  'CHARACTER VARYING': 'VARCHAR',
  'CHAR VARYING': 'VARCHAR',
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  REAL: 'REAL',
  FLOAT: 'DOUBLE',
  DOUBLE: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  DECIMAL: 'DECIMAL',
  DEC: 'DECIMAL',
  NUMERIC: 'DECIMAL',
  BOOLEAN: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMP',
  DATE: 'DATE',
  TIME: 'TIME',
  BINARY: 'BINARY',
  VARBINARY: 'VARBINARY',
};

/** Parses `VARCHAR(64)`, `DOUBLE PRECISION`, `DECIMAL(8,2)` …; undefined when unknown. */
export function parseColumnType(text: string): ColumnType | undefined {
  const match = /^\s*([A-Za-z]+(?:\s+[A-Za-z]+)?)\s*(?:\(\s*(\d+)\s*(?:,\s*\d+\s*)?\))?\s*$/.exec(text);
  if (match === null) return undefined;
  const kind = synonyms[(match[1] as string).toUpperCase().replace(/\s+/g, ' ')];
  if (kind === undefined) return undefined;
  const length = match[2] === undefined ? undefined : Number(match[2]);
  if (kind === 'CHAR' || kind === 'BINARY') return { kind, length: length ?? 1 };
  if (kind === 'VARCHAR' || kind === 'VARBINARY') return length === undefined ? { kind } : { kind, length };
  return { kind };
}

const integerRanges = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INTEGER: [-2147483648, 2147483647],
} as const;

const bigintMin = -(2n ** 63n);
const bigintMax = 2n ** 63n - 1n;

/** Coerces a value parsed from JSON (or a CSV field's text) to the column type. */
export function coerceValue(value: unknown, type: ColumnType): SqlValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
      return fromBoolean(value, type);
    case 'number':
      return fromNumber(value, type);
    case 'string':
      return fromString(value, type);
    default:
      if (type.kind === 'CHAR' || type.kind === 'VARCHAR') return truncate(JSON.stringify(value), type);
      throw new CoercionError(
        `cannot convert a JSON ${Array.isArray(value) ? 'array' : 'object'} to ${type.kind}`,
      );
  }
}

function fromBoolean(value: boolean, type: ColumnType): SqlValue {
  switch (type.kind) {
    case 'BOOLEAN':
      return value;
    case 'CHAR':
    case 'VARCHAR':
      return truncate(String(value), type);
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'REAL':
    case 'DOUBLE':
    case 'DECIMAL':
      return value ? 1 : 0;
    case 'BIGINT':
      return value ? 1n : 0n;
    case 'BINARY':
    case 'VARBINARY':
      return Buffer.from([value ? 1 : 0]);
    default:
      throw new CoercionError(`cannot convert a boolean to ${type.kind}`);
  }
}

function fromNumber(value: number, type: ColumnType): SqlValue {
  switch (type.kind) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER': {
      const [min, max] = integerRanges[type.kind];
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new CoercionError(`${value} does not fit ${type.kind}`);
      }
      return value;
    }
    case 'BIGINT': {
      if (!Number.isInteger(value)) throw new CoercionError(`${value} does not fit BIGINT`);
      const big = BigInt(value);
      if (big < bigintMin || big > bigintMax) throw new CoercionError(`${value} does not fit BIGINT`);
      return big;
    }
    case 'REAL':
    case 'DOUBLE':
    case 'DECIMAL':
      return value;
    case 'BOOLEAN':
      return value !== 0;
    case 'CHAR':
    case 'VARCHAR':
      return truncate(String(value), type);
    default:
      throw new CoercionError(`cannot convert a number to ${type.kind}`);
  }
}

function fromString(text: string, type: ColumnType): SqlValue {
  switch (type.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return truncate(text, type);
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER': {
      const trimmed = text.trim();
      if (trimmed === '') return null;
      if (!/^[+-]?\d+$/.test(trimmed)) throw new CoercionError(`'${text}' is not a number`);
      return fromNumber(Number(trimmed), type);
    }
    case 'BIGINT': {
      const trimmed = text.trim();
      if (trimmed === '') return null;
      if (!/^[+-]?\d+$/.test(trimmed)) throw new CoercionError(`'${text}' is not a number`);
      const big = BigInt(trimmed);
      if (big < bigintMin || big > bigintMax) throw new CoercionError(`${text} does not fit BIGINT`);
      return big;
    }
    case 'REAL':
    case 'DOUBLE':
    case 'DECIMAL': {
      const trimmed = text.trim();
      if (trimmed === '') return null;
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
        throw new CoercionError(`'${text}' is not a number`);
      }
      return Number(trimmed);
    }
    case 'BOOLEAN':
      return text.trim().toLowerCase() === 'true';
    case 'TIMESTAMP':
    case 'DATE':
    case 'TIME': {
      if (text.trim() === '') return null;
      const parsed = type.kind === 'TIME' ? parseTime(text) : parseTimestamp(text);
      if (parsed === undefined) throw new CoercionError(`'${text}' is not a ${type.kind}`);
      return type.kind === 'DATE' ? new Date(Math.floor(parsed / 86_400_000) * 86_400_000) : new Date(parsed);
    }
    case 'BINARY':
    case 'VARBINARY': {
      const match = /^X'([0-9a-fA-F]*)'$/.exec(text.trim());
      if (match === null || (match[1] as string).length % 2 !== 0) {
        throw new CoercionError(`'${text}' is not a binary literal`);
      }
      return Buffer.from(match[1] as string, 'hex');
    }
    default:
      return type.kind satisfies never;
  }
}

function truncate(text: string, type: ColumnType): string {
  return type.length === undefined || text.length <= type.length ? text : text.slice(0, type.length);
}

const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Epoch milliseconds of `1992-02-14`, `1992-02-14 18:35:44.0`, ISO `2018-05-09T12:50:41.337510`
 * (fractions past milliseconds are truncated) with an optional zone; UTC without one.
 */
export function parseTimestamp(text: string): number | undefined {
  const match = timestampPattern.exec(text.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const milliseconds = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  let ms = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour ?? 0),
    Number(minute ?? 0),
    Number(second ?? 0),
    milliseconds,
  );
  const date = new Date(ms);
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return undefined;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

function parseTime(text: string): number | undefined {
  const match = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
  if (match === null) return undefined;
  const [, hour, minute, second, fraction] = match;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return undefined;
  return Date.UTC(
    1970,
    0,
    1,
    Number(hour),
    Number(minute),
    Number(second ?? 0),
    Number((fraction ?? '0').slice(0, 3).padEnd(3, '0')),
  );
}

/**
 * The binder's types. Runtime values are plain JavaScript: every numeric type is a `number`
 * (BIGINT and DECIMAL included: 53 bits of precision), CHAR/VARCHAR a `string`, BINARY a
 * `Uint8Array`, BOOLEAN a `boolean`, DATE/TIME/TIMESTAMP and day-time INTERVALs a number of
 * milliseconds (DATE at midnight UTC, TIME since midnight), a log parser's row an array of field
 * values, and NULL `null`.
 */
import type { DataType } from '../sql/ast.js';

export type TypeName =
  | 'TINYINT'
  | 'SMALLINT'
  | 'INTEGER'
  | 'BIGINT'
  | 'DECIMAL'
  | 'REAL'
  | 'DOUBLE'
  | 'CHAR'
  | 'VARCHAR'
  | 'BINARY'
  | 'VARBINARY'
  | 'BOOLEAN'
  | 'DATE'
  | 'TIME'
  | 'TIMESTAMP'
  | 'INTERVAL'
  | 'NULL'
  | 'ROW';

export interface RowField {
  readonly name: string;
  readonly type: SqlType;
}

export interface SqlType {
  readonly name: TypeName;
  /** CHAR/VARCHAR/BINARY length, DECIMAL precision; null when unbounded or not applicable. */
  readonly length: number | null;
  /** DECIMAL scale. */
  readonly scale: number | null;
  /** ROW fields (log parser results). */
  readonly fields: readonly RowField[] | null;
}

export const sqlType = (
  name: TypeName,
  length: number | null = null,
  scale: number | null = null,
): SqlType => ({
  name,
  length,
  scale,
  fields: null,
});

export const rowType = (fields: readonly RowField[]): SqlType => ({
  name: 'ROW',
  length: null,
  scale: null,
  fields,
});

export const types = {
  tinyint: sqlType('TINYINT'),
  smallint: sqlType('SMALLINT'),
  integer: sqlType('INTEGER'),
  bigint: sqlType('BIGINT'),
  decimal: sqlType('DECIMAL', 19, 0),
  real: sqlType('REAL'),
  double: sqlType('DOUBLE'),
  varchar: sqlType('VARCHAR'),
  varchar1024: sqlType('VARCHAR', 1024),
  binary: sqlType('VARBINARY'),
  boolean: sqlType('BOOLEAN'),
  date: sqlType('DATE'),
  time: sqlType('TIME'),
  timestamp: sqlType('TIMESTAMP'),
  interval: sqlType('INTERVAL'),
  null: sqlType('NULL'),
} as const;

const integerRanks: Readonly<Partial<Record<TypeName, number>>> = {
  TINYINT: 1,
  SMALLINT: 2,
  INTEGER: 3,
  BIGINT: 4,
};

export const isInteger = (t: SqlType): boolean => integerRanks[t.name] !== undefined;
export const isApproximate = (t: SqlType): boolean => t.name === 'REAL' || t.name === 'DOUBLE';
export const isExact = (t: SqlType): boolean => isInteger(t) || t.name === 'DECIMAL';
export const isNumeric = (t: SqlType): boolean => isExact(t) || isApproximate(t);
export const isString = (t: SqlType): boolean => t.name === 'CHAR' || t.name === 'VARCHAR';
export const isBinary = (t: SqlType): boolean => t.name === 'BINARY' || t.name === 'VARBINARY';
export const isDatetime = (t: SqlType): boolean =>
  t.name === 'DATE' || t.name === 'TIME' || t.name === 'TIMESTAMP';
export const isNull = (t: SqlType): boolean => t.name === 'NULL';

/** The type of `a op b` for arithmetic on two numeric types. */
export function numericResult(a: SqlType, b: SqlType): SqlType {
  if (isNull(a)) return b;
  if (isNull(b)) return a;
  if (isApproximate(a) || isApproximate(b)) return types.double;
  if (a.name === 'DECIMAL' || b.name === 'DECIMAL') {
    const scale = Math.max(a.scale ?? 0, b.scale ?? 0);
    return sqlType('DECIMAL', 19, scale);
  }
  return (integerRanks[a.name] ?? 0) >= (integerRanks[b.name] ?? 0) ? a : b;
}

/** A type both branches of CASE / COALESCE / UNION can take. */
export function commonType(a: SqlType, b: SqlType): SqlType | null {
  if (isNull(a)) return b;
  if (isNull(b)) return a;
  if (isNumeric(a) && isNumeric(b)) return numericResult(a, b);
  if (isString(a) && isString(b)) {
    const length = a.length === null || b.length === null ? null : Math.max(a.length, b.length);
    return sqlType('VARCHAR', length);
  }
  if (a.name === b.name) return a;
  if (isBinary(a) && isBinary(b)) return types.binary;
  if (isDatetime(a) && isDatetime(b) && (a.name === 'TIMESTAMP' || b.name === 'TIMESTAMP'))
    return types.timestamp;
  return null;
}

/** Whether values of `a` and `b` may be compared with = < > (no implicit string-number casts). */
export function comparable(a: SqlType, b: SqlType): boolean {
  return commonType(a, b) !== null && a.name !== 'ROW' && b.name !== 'ROW';
}

/**
 * Whether a pump may insert a value of `source` into a column of `target`. Numeric widening and
 * narrowing are allowed (narrowing truncates), strings into numbers and datetimes are allowed and
 * fail per row into error_stream (reference §18.5), DATE into TIMESTAMP is allowed.
 */
export function assignable(source: SqlType, target: SqlType): boolean {
  if (isNull(source)) return true;
  if (isNumeric(target)) return isNumeric(source) || isString(source);
  if (isString(target)) return isString(source);
  if (isDatetime(target))
    return (
      source.name === target.name ||
      isString(source) ||
      (source.name === 'DATE' && target.name === 'TIMESTAMP')
    );
  if (isBinary(target)) return isBinary(source);
  if (target.name === 'BOOLEAN') return source.name === 'BOOLEAN';
  return false;
}

/** The binder's type for a declared column or CAST target. */
export function fromDataType(d: DataType): SqlType {
  switch (d.name) {
    case 'NUMERIC':
    case 'DECIMAL':
      return sqlType('DECIMAL', d.length ?? 19, d.scale ?? 0);
    case 'FLOAT':
      return types.double;
    case 'CHAR':
      return sqlType('CHAR', d.length ?? 1);
    case 'VARCHAR':
    case 'BINARY':
    case 'VARBINARY':
      return sqlType(d.name, d.length);
    default:
      return sqlType(d.name);
  }
}

export function describeType(t: SqlType): string {
  if (t.name === 'ROW')
    return `ROW(${(t.fields ?? []).map((f) => `${f.name} ${describeType(f.type)}`).join(', ')})`;
  if (t.name === 'DECIMAL') return `DECIMAL(${t.length ?? 19}, ${t.scale ?? 0})`;
  if (t.length !== null && (isString(t) || isBinary(t))) return `${t.name}(${t.length})`;
  return t.name;
}

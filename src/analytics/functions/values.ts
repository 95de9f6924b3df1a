/**
 * Value conversions shared by CAST, pump inserts and input mapping, plus comparison and the text
 * forms of datetimes. Values follow plan/sql-type.ts: numbers, strings, booleans, Uint8Array,
 * milliseconds for datetimes and intervals, arrays for rows, null.
 */
import { describeType, isApproximate, isInteger, isString, type SqlType } from '../plan/sql-type.js';
import { conversionError } from './sql-runtime-error.js';

export type Value = unknown;

const integerBounds: Readonly<Record<string, readonly [number, number]>> = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INTEGER: [-2147483648, 2147483647],
  BIGINT: [-(2 ** 63), 2 ** 63],
};

const dayMs = 86_400_000;

/** `2004-09-27 13:48:23.123`, `2004-09-27T13:48:23.337510Z`, `2004-09-27`: ms since epoch, or null. */
export function parseTimestampText(text: string): number | null {
  const match =
    /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/.exec(
      text,
    );
  if (match === null) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  let value = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
    ms,
  );
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return null;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    value -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isNaN(value) ? null : value;
}

export function parseTimeText(text: string): number | null {
  const match = /^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?\s*$/.exec(text);
  if (match === null) return null;
  const [, h, m, s, fraction] = match;
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s ?? 0)) * 1000 + ms;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2004-09-27 13:48:23.123` (SQL's text form; the milliseconds only when not zero). */
export function timestampText(ms: number): string {
  const d = new Date(ms);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return d.getUTCMilliseconds() === 0 ? base : `${base}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export const dateText = (ms: number): string => timestampText(ms).slice(0, 10);

export function timeText(ms: number): string {
  const t = ((ms % dayMs) + dayMs) % dayMs;
  const s = Math.floor(t / 1000);
  const base = `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  return t % 1000 === 0 ? base : `${base}.${pad(t % 1000, 3)}`;
}

/** A number's text as SQL casts it (integers without a point, others as JavaScript writes them). */
export const numberText = (n: number): string => String(n);

export function valueText(value: Value, type: SqlType): string {
  if (value === null) return 'NULL';
  switch (type.name) {
    case 'TIMESTAMP':
      return timestampText(value as number);
    case 'DATE':
      return dateText(value as number);
    case 'TIME':
      return timeText(value as number);
    case 'BOOLEAN':
      return value === true ? 'TRUE' : 'FALSE';
    case 'BINARY':
    case 'VARBINARY':
      return Buffer.from(value as Uint8Array)
        .toString('hex')
        .toUpperCase();
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

function toNumber(value: Value, from: SqlType): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim();
    const n = text === '' ? NaN : Number(text);
    if (Number.isNaN(n)) throw conversionError(`Cannot convert '${value}' to a number`);
    return n;
  }
  throw conversionError(`Cannot convert a ${describeType(from)} value to a number`);
}

function toTimestamp(value: Value, from: SqlType, target: SqlType): number {
  if (typeof value === 'number') {
    if (from.name === 'TIMESTAMP' || from.name === 'DATE' || from.name === 'TIME') return value;
    throw conversionError(`Cannot convert ${describeType(from)} to ${describeType(target)}`);
  }
  if (typeof value === 'string') {
    const parsed = target.name === 'TIME' ? parseTimeText(value) : parseTimestampText(value);
    if (parsed === null) throw conversionError(`Cannot convert '${value}' to ${target.name}`);
    return parsed;
  }
  throw conversionError(`Cannot convert a ${describeType(from)} value to ${target.name}`);
}

/**
 * A converter from `from` to `target`, for CAST and inserts. Numbers into integer types truncate
 * toward zero and fail out of range; strings into CHAR/VARCHAR(n) are cut to n characters.
 */
export function converter(from: SqlType, target: SqlType): (value: Value) => Value {
  const run = converterOf(from, target);
  return (value) => (value === null ? null : run(value));
}

function converterOf(from: SqlType, target: SqlType): (value: Value) => Value {
  if (isInteger(target)) {
    const [low, high] = integerBounds[target.name]!;
    return (value) => {
      const n = Math.trunc(toNumber(value, from));
      if (!(n >= low && n <= high))
        throw conversionError(`Value ${String(value)} is out of range for ${target.name}`);
      return n;
    };
  }
  if (target.name === 'DECIMAL') {
    const factor = 10 ** (target.scale ?? 0);
    return (value) => {
      const n = toNumber(value, from);
      if (!Number.isFinite(n)) throw conversionError(`Value ${String(value)} is out of range for DECIMAL`);
      return Math.round(n * factor) / factor;
    };
  }
  if (target.name === 'REAL') return (value) => Math.fround(toNumber(value, from));
  if (target.name === 'DOUBLE') return (value) => toNumber(value, from);
  if (isString(target)) {
    const length = target.length;
    return (value) => {
      const text = typeof value === 'string' ? value : valueText(value, from);
      return length !== null && text.length > length ? text.slice(0, length) : text;
    };
  }
  switch (target.name) {
    case 'BOOLEAN':
      return (value) => {
        if (typeof value === 'boolean') return value;
        if (typeof value === 'number') return value !== 0;
        if (typeof value === 'string') {
          const text = value.trim().toUpperCase();
          if (text === 'TRUE') return true;
          if (text === 'FALSE') return false;
        }
        throw conversionError(`Cannot convert '${String(value)}' to BOOLEAN`);
      };
    case 'TIMESTAMP':
      return (value) => toTimestamp(value, from, target);
    case 'DATE':
      return (value) => {
        const ms = toTimestamp(value, from, target);
        return ms - (((ms % dayMs) + dayMs) % dayMs);
      };
    case 'TIME':
      return (value) => {
        const ms =
          from.name === 'TIME' || typeof value === 'string'
            ? toTimestamp(value, from, target)
            : (value as number);
        return ((ms % dayMs) + dayMs) % dayMs;
      };
    case 'BINARY':
    case 'VARBINARY':
      return (value) => {
        if (value instanceof Uint8Array) return value;
        throw conversionError(`Cannot convert a ${describeType(from)} value to ${target.name}`);
      };
    case 'INTERVAL':
      return (value) => {
        if (typeof value === 'number' && (from.name === 'INTERVAL' || isApproximate(from) || isInteger(from)))
          return value;
        throw conversionError(`Cannot convert a ${describeType(from)} value to INTERVAL`);
      };
    default:
      return (value) => value;
  }
}

/** Orders two non-null values of comparable types: numbers, strings, booleans, binaries. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Equality for grouping and IS NOT DISTINCT FROM (NULLs equal each other). */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return false;
}

/** A string that identifies a list of values for hashing groups and join keys. */
export function keyOf(values: readonly Value[]): string {
  let key = '';
  for (const v of values) {
    if (v === null) key += '\u0000N|';
    else if (typeof v === 'string') key += `s${v.length}:${v}|`;
    else if (v instanceof Uint8Array) key += `x${Buffer.from(v).toString('hex')}|`;
    else if (Array.isArray(v)) key += `r${keyOf(v)}|`;
    else key += `${typeof v === 'number' ? 'n' : 'b'}${String(v)}|`;
  }
  return key;
}

/** A value as the runner and outputs write it in JSON: timestamps as ISO strings. */
export function jsonValue(value: Value, type: SqlType): unknown {
  if (value === null) return null;
  switch (type.name) {
    case 'TIMESTAMP':
      return new Date(value as number).toISOString();
    case 'DATE':
      return dateText(value as number);
    case 'TIME':
      return timeText(value as number);
    case 'BINARY':
    case 'VARBINARY':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'ROW': {
      const record: Record<string, unknown> = {};
      (type.fields ?? []).forEach(
        (field, i) => (record[field.name] = jsonValue((value as Value[])[i] ?? null, field.type)),
      );
      return record;
    }
    case 'REAL':
      return typeof value === 'number' && Number.isFinite(value) ? shortestReal(value) : value;
    default:
      return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  }
}

/** A REAL (32-bit) value written with the fewest digits that read back as the same float: 10.1, not 10.100000381469727. */
function shortestReal(value: number): number {
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

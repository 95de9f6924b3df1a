/**
 * Reads Firehose records as JSON for format conversion, as the two deserializers a delivery
 * stream can name do: the OpenX JSON SerDe (`OpenXJsonSerDe`: case-insensitive keys by default,
 * `ColumnToJsonKeyMappings`, `ConvertDotsInJsonKeysToUnderscores`, lenient about numbers and
 * booleans given as strings) and the Hive JSON SerDe (`HiveJsonSerDe`: `TimestampFormats`,
 * strict: no numbers as strings, no objects in string columns).
 *
 * A record may hold several concatenated objects (`{"a":1}{"a":2}`): each is a row. Values are
 * coerced to the column's Hive type and checked (`ConversionError` when they do not fit), giving
 * the typed values `parquet-writer.ts` encodes: strings, numbers, bigints (bigint, decimal
 * unscaled as numbers where they are safe integers, else bigints; timestamps as epoch
 * milliseconds when whole, else bigint nanoseconds), booleans, Buffers, arrays (array, struct fields in order),
 * and `[key, value]` pairs (map). Missing keys and JSON nulls are nulls.
 */
import { unreachable } from '../../core/assert.js';
import { malformed, parseError } from './conversion-error.js';
import type { HiveField, HiveType } from './hive-type.js';
import {
  compileTimestampFormat,
  parseHiveTimestamp,
  parseOpenXTimestamp,
  type CompiledTimestampFormat,
} from './timestamp-parse.js';

export type DeserializerConfig =
  | {
      readonly kind: 'openx';
      readonly caseInsensitive: boolean;
      readonly convertDotsInJsonKeysToUnderscores: boolean;
      /** Column name → JSON key. */
      readonly columnToJsonKeyMappings: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'hive'; readonly timestampFormats: readonly string[] };

export type TypedValue =
  null | string | number | bigint | boolean | Buffer | TypedValue[] | [TypedValue, TypedValue][];
export type TypedRow = TypedValue[];

const INT_RANGES = {
  tinyint: [-128, 127],
  smallint: [-32768, 32767],
  int: [-2147483648, 2147483647],
} as const;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const DAY_MS = 86_400_000;

export class JsonDeserializer {
  readonly #config: DeserializerConfig;
  readonly #timestampFormats: readonly CompiledTimestampFormat[];
  /** Per column: the key to look for first. */
  readonly #lookupKeys: readonly string[];
  readonly #normalizeKeys: boolean;
  /** Per column: its value coercion, compiled once from the Hive type. */
  readonly #coercers: readonly Coercer[];

  constructor(columns: readonly HiveField[], config: DeserializerConfig) {
    this.#config = config;
    this.#timestampFormats =
      config.kind === 'hive' ? config.timestampFormats.map(compileTimestampFormat) : [];
    this.#lookupKeys = columns.map((column) => {
      const mapped = config.kind === 'openx' ? config.columnToJsonKeyMappings[column.name] : undefined;
      return mapped === undefined ? column.name : this.#normalize(mapped);
    });
    this.#normalizeKeys =
      config.kind === 'hive' || config.caseInsensitive || config.convertDotsInJsonKeysToUnderscores;
    this.#coercers = columns.map((column) => this.#compile(column.type, column.name));
  }

  /** The rows of one record; throws `ConversionError`. */
  rows(record: Buffer): TypedRow[] {
    const objects = parseObjects(record);
    if (objects.length === 1) return [this.#row(objects[0] as Record<string, unknown>)];
    return objects.map((object) => this.#row(object));
  }

  #row(object: Record<string, unknown>): TypedRow {
    const coercers = this.#coercers;
    const keys = this.#lookupKeys;
    const row: TypedRow = new Array<TypedValue>(coercers.length);
    for (let index = 0; index < coercers.length; index++) {
      const value = this.#lookup(object, keys[index] as string);
      row[index] = value === undefined || value === null ? null : (coercers[index] as Coercer)(value);
    }
    return row;
  }

  #lookup(object: Record<string, unknown>, key: string): unknown {
    const direct = object[key];
    // JSON values are never functions: a function is Object.prototype's (`constructor`...).
    if (direct !== undefined && typeof direct !== 'function') return direct;
    if (!this.#normalizeKeys) return undefined;
    for (const candidate of Object.keys(object)) {
      if (this.#normalize(candidate) === key) return object[candidate];
    }
    return undefined;
  }

  #normalize(key: string): string {
    const config = this.#config;
    if (config.kind === 'hive') return key.toLowerCase();
    let out = config.convertDotsInJsonKeysToUnderscores ? key.replaceAll('.', '_') : key;
    if (config.caseInsensitive) out = out.toLowerCase();
    return out;
  }

  /** A function from a non-null JSON value to the typed value of `type`. */
  #compile(type: HiveType, path: string): Coercer {
    switch (type.kind) {
      case 'primitive':
        return this.#primitive(type.name, type.length, path, false);
      case 'decimal': {
        const lenient = this.#config.kind === 'openx';
        return (value) => decimalValue(value, type.precision, type.scale, lenient, path);
      }
      case 'array': {
        const element = this.#compile(type.element, `${path}[]`);
        return (value) => {
          if (!Array.isArray(value)) throw malformed(`${path}: expected a JSON array`);
          return value.map((item: unknown) => (item === undefined || item === null ? null : element(item)));
        };
      }
      case 'map': {
        const key = this.#mapKey(type.key, path);
        const entry = this.#compile(type.value, `${path}{}`);
        return (value) => {
          if (!isObject(value)) throw malformed(`${path}: expected a JSON object for a map`);
          return Object.entries(value).map(([name, item]): [TypedValue, TypedValue] => [
            key(name),
            item === undefined || item === null ? null : entry(item),
          ]);
        };
      }
      case 'struct': {
        const fields = type.fields.map((field) => ({
          name: field.name,
          coerce: this.#compile(field.type, `${path}.${field.name}`),
        }));
        return (value) => {
          if (!isObject(value)) throw malformed(`${path}: expected a JSON object for a struct`);
          return fields.map((field) => {
            const item = this.#lookup(value, field.name);
            return item === undefined || item === null ? null : field.coerce(item);
          });
        };
      }
    }
  }

  #mapKey(type: HiveType, path: string): Coercer {
    if (type.kind === 'primitive') return this.#primitive(type.name, type.length, path, true);
    if (type.kind === 'decimal')
      return (value) => decimalValue(value, type.precision, type.scale, true, path);
    throw malformed(`${path}: map keys must be of a primitive type`);
  }

  #primitive(
    name: Extract<HiveType, { kind: 'primitive' }>['name'],
    length: number | undefined,
    path: string,
    keyText: boolean,
  ): Coercer {
    const openx = this.#config.kind === 'openx';
    const lenient = keyText || openx;
    switch (name) {
      case 'string':
      case 'varchar':
      case 'char':
        return (value) => {
          let text: string;
          if (typeof value === 'string') text = value;
          else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
          else if (openx) text = JSON.stringify(value);
          else
            throw malformed(`${path}: a JSON ${Array.isArray(value) ? 'array' : 'object'} is not a ${name}`);
          return length === undefined ? text : [...text].slice(0, length).join('');
        };
      case 'tinyint':
      case 'smallint':
      case 'int': {
        const [min, max] = INT_RANGES[name];
        return (value) => {
          const number = integerValue(value, lenient, path, name);
          if (number < min || number > max)
            throw malformed(`${path}: ${String(value)} is out of range for ${name}`);
          return number;
        };
      }
      case 'bigint':
        return (value) => {
          if (typeof value === 'number') {
            if (Number.isSafeInteger(value)) return value;
            if (!Number.isInteger(value)) throw malformed(`${path}: ${value} is not a bigint`);
            throw malformed(`${path}: ${value} is beyond 2^53 as a JSON number; send it as a string`);
          }
          if (lenient && typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
            const big = BigInt(value.trim());
            if (big < BIGINT_MIN || big > BIGINT_MAX)
              throw malformed(`${path}: ${value} is out of range for bigint`);
            return big >= -MAX_SAFE && big <= MAX_SAFE ? Number(big) : big;
          }
          throw malformed(`${path}: ${JSON.stringify(value)} is not a bigint`);
        };
      case 'float':
      case 'double':
        return (value) => {
          if (typeof value === 'number') return value;
          if (lenient && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
            return Number(value);
          }
          throw malformed(`${path}: ${JSON.stringify(value)} is not a ${name}`);
        };
      case 'boolean':
        return (value) => {
          if (typeof value === 'boolean') return value;
          if (lenient && typeof value === 'string' && /^(true|false)$/i.test(value)) {
            return value.toLowerCase() === 'true';
          }
          throw malformed(`${path}: ${JSON.stringify(value)} is not a boolean`);
        };
      case 'date': {
        // Records of one buffer mostly share their dates.
        let lastText: unknown;
        let lastDays = 0;
        return (value) => {
          if (value === lastText) return lastDays;
          const match = typeof value === 'string' ? /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(value) : null;
          if (match === null) throw malformed(`${path}: ${JSON.stringify(value)} is not a date (yyyy-MM-dd)`);
          const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
          if (new Date(ms).getUTCDate() !== Number(match[3]))
            throw malformed(`${path}: ${String(value)} is not a date`);
          lastText = value;
          lastDays = Math.round(ms / DAY_MS);
          return lastDays;
        };
      }
      case 'timestamp': {
        const formats = this.#timestampFormats;
        return (value) => {
          const text =
            typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
          const instant =
            text === undefined
              ? undefined
              : openx
                ? parseOpenXTimestamp(text)
                : parseHiveTimestamp(text, formats);
          if (instant === undefined) throw malformed(`${path}: ${JSON.stringify(value)} is not a timestamp`);
          return instant;
        };
      }
      case 'binary':
        return (value) => {
          if (typeof value === 'string') return Buffer.from(value, 'utf8');
          throw malformed(`${path}: ${JSON.stringify(value)} is not binary (a JSON string)`);
        };
      default:
        return unreachable(name, 'hive primitive');
    }
  }
}

type Coercer = (value: unknown) => TypedValue;

/** The JSON objects of one record: one, or several written one after another. */
export function parseObjects(record: Buffer): Record<string, unknown>[] {
  const text = record.toString('utf8');
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    return splitObjects(text).map((part) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(part);
      } catch (error) {
        throw parseError(`the record is not valid JSON: ${(error as Error).message}`);
      }
      if (!isObject(parsed)) throw parseError('the record is not a JSON object');
      return parsed;
    });
  }
  if (!isObject(whole)) throw parseError('the record is not a JSON object');
  return [whole];
}

/** Top-level `{...}` spans of text, by brace depth outside strings. */
function splitObjects(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const char = text.charCodeAt(at);
    if (inString) {
      if (char === 0x5c) at++;
      else if (char === 0x22) inString = false;
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (depth === 0) {
        if (char === 0x5b) throw parseError('the record is a JSON array, not an object');
        start = at;
      }
      depth++;
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
      if (depth < 0) throw parseError('the record is not valid JSON: unbalanced brackets');
      if (depth === 0) parts.push(text.slice(start, at + 1));
    } else if (depth === 0 && !(char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09)) {
      throw parseError('the record is not valid JSON: text outside an object');
    }
  }
  if (depth !== 0 || inString) throw parseError('the record is not valid JSON: it ends inside an object');
  if (parts.length === 0) throw parseError('the record holds no JSON object');
  return parts;
}

function integerValue(value: unknown, lenient: boolean, path: string, name: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (lenient && typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  throw malformed(`${path}: ${JSON.stringify(value)} is not an ${name}`);
}

const PLAIN_DECIMAL = /^(-?)(\d{1,15})(?:\.(\d{0,15}))?$/;

/**
 * Unscaled value at `scale`, rounded half up, checked against `precision`: a number when it is
 * a safe integer (precision up to 15), a bigint beyond.
 */
function decimalValue(
  value: unknown,
  precision: number,
  scale: number,
  lenient: boolean,
  path: string,
): number | bigint {
  if (typeof value === 'number' && precision <= 15) {
    // Away from a half, rounding the scaled double gives the decimal text's HALF_UP result.
    const scaled = value * 10 ** scale;
    const fraction = Math.abs(scaled % 1);
    if (Math.abs(scaled) < 2 ** 50 && Math.abs(fraction - 0.5) > 1e-6) {
      const unscaled = Math.sign(scaled) * Math.round(Math.abs(scaled));
      if (Math.abs(unscaled) >= 10 ** precision) {
        throw malformed(`${path}: ${value} does not fit decimal(${precision},${scale})`);
      }
      return unscaled === 0 ? 0 : unscaled;
    }
  }
  const text =
    typeof value === 'number'
      ? String(value)
      : lenient && typeof value === 'string'
        ? value.trim()
        : undefined;
  const plain = text === undefined || precision > 15 ? null : PLAIN_DECIMAL.exec(text);
  if (plain !== null) {
    const fraction = plain[3] ?? '';
    const kept = fraction.length > scale ? fraction.slice(0, scale) : fraction.padEnd(scale, '0');
    let unscaled = Number(`${plain[2] ?? ''}${kept}`);
    if (fraction.length > scale && fraction.charCodeAt(scale) >= 0x35) unscaled += 1;
    if (unscaled >= 10 ** precision) {
      throw malformed(`${path}: ${String(value)} does not fit decimal(${precision},${scale})`);
    }
    return plain[1] === '-' ? -unscaled : unscaled;
  }
  const match = text === undefined ? null : /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) {
    throw malformed(`${path}: ${JSON.stringify(value)} is not a decimal(${precision},${scale})`);
  }
  const digits = `${match[2] ?? ''}${match[3] ?? ''}`;
  const exponent = Number(match[4] ?? '0') - (match[3] ?? '').length + scale;
  let unscaled: bigint;
  if (exponent >= 0) unscaled = BigInt(digits || '0') * 10n ** BigInt(exponent);
  else {
    const divisor = 10n ** BigInt(-exponent);
    const whole = BigInt(digits || '0');
    unscaled = whole / divisor + ((whole % divisor) * 2n >= divisor ? 1n : 0n);
  }
  if (unscaled >= 10n ** BigInt(precision)) {
    throw malformed(`${path}: ${String(value)} does not fit decimal(${precision},${scale})`);
  }
  return match[1] === '-' ? -unscaled : unscaled;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

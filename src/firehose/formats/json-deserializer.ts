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
 * unscaled, timestamp nanoseconds), booleans, Buffers, arrays (array, struct fields in order),
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
const DAY_MS = 86_400_000;

export class JsonDeserializer {
  readonly #config: DeserializerConfig;
  readonly #columns: readonly HiveField[];
  readonly #timestampFormats: readonly CompiledTimestampFormat[];
  /** Per column: the key to look for first. */
  readonly #lookupKeys: readonly string[];
  readonly #normalizeKeys: boolean;

  constructor(columns: readonly HiveField[], config: DeserializerConfig) {
    this.#columns = columns;
    this.#config = config;
    this.#timestampFormats =
      config.kind === 'hive' ? config.timestampFormats.map(compileTimestampFormat) : [];
    this.#lookupKeys = columns.map((column) => {
      const mapped = config.kind === 'openx' ? config.columnToJsonKeyMappings[column.name] : undefined;
      return mapped === undefined ? column.name : this.#normalize(mapped);
    });
    this.#normalizeKeys =
      config.kind === 'hive' || config.caseInsensitive || config.convertDotsInJsonKeysToUnderscores;
  }

  /** The rows of one record; throws `ConversionError`. */
  rows(record: Buffer): TypedRow[] {
    return parseObjects(record).map((object) => this.#row(object));
  }

  #row(object: Record<string, unknown>): TypedRow {
    return this.#columns.map((column, index) => {
      const key = this.#lookupKeys[index] ?? column.name;
      return this.#coerce(column.type, this.#lookup(object, key), column.name);
    });
  }

  #lookup(object: Record<string, unknown>, key: string): unknown {
    if (Object.hasOwn(object, key)) return object[key];
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

  #coerce(type: HiveType, value: unknown, path: string): TypedValue {
    if (value === undefined || value === null) return null;
    switch (type.kind) {
      case 'primitive':
        return this.#primitive(type.name, type.length, value, path);
      case 'decimal':
        return decimalValue(value, type.precision, type.scale, this.#config.kind === 'openx', path);
      case 'array': {
        if (!Array.isArray(value)) throw malformed(`${path}: expected a JSON array for ${describe(type)}`);
        return value.map((element, index) => this.#coerce(type.element, element, `${path}[${index}]`));
      }
      case 'map': {
        if (!isObject(value)) throw malformed(`${path}: expected a JSON object for ${describe(type)}`);
        return Object.entries(value).map(([key, entry]): [TypedValue, TypedValue] => {
          const typedKey = this.#mapKey(type.key, key, path);
          return [typedKey, this.#coerce(type.value, entry, `${path}.${key}`)];
        });
      }
      case 'struct': {
        if (!isObject(value)) throw malformed(`${path}: expected a JSON object for ${describe(type)}`);
        return type.fields.map((field) =>
          this.#coerce(field.type, this.#lookup(value, field.name), `${path}.${field.name}`),
        );
      }
    }
  }

  #mapKey(type: HiveType, key: string, path: string): TypedValue {
    if (type.kind === 'primitive') return this.#primitive(type.name, type.length, key, path, true);
    if (type.kind === 'decimal') return decimalValue(key, type.precision, type.scale, true, path);
    throw malformed(`${path}: map keys must be of a primitive type`);
  }

  #primitive(
    name: Extract<HiveType, { kind: 'primitive' }>['name'],
    length: number | undefined,
    value: unknown,
    path: string,
    keyText = false,
  ): TypedValue {
    const lenient = keyText || this.#config.kind === 'openx';
    switch (name) {
      case 'string':
      case 'varchar':
      case 'char': {
        let text: string;
        if (typeof value === 'string') text = value;
        else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
        else if (this.#config.kind === 'openx') text = JSON.stringify(value);
        else throw malformed(`${path}: a JSON ${Array.isArray(value) ? 'array' : 'object'} is not a ${name}`);
        return length === undefined ? text : [...text].slice(0, length).join('');
      }
      case 'tinyint':
      case 'smallint':
      case 'int': {
        const number = integerValue(value, lenient, path, name);
        const [min, max] = INT_RANGES[name];
        if (number < min || number > max)
          throw malformed(`${path}: ${String(value)} is out of range for ${name}`);
        return number;
      }
      case 'bigint': {
        let big: bigint;
        if (typeof value === 'number') {
          if (!Number.isInteger(value)) throw malformed(`${path}: ${value} is not a bigint`);
          big = BigInt(value);
        } else if (lenient && typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
          big = BigInt(value.trim());
        } else throw malformed(`${path}: ${JSON.stringify(value)} is not a bigint`);
        if (big < BIGINT_MIN || big > BIGINT_MAX)
          throw malformed(`${path}: ${String(value)} is out of range for bigint`);
        return big;
      }
      case 'float':
      case 'double': {
        if (typeof value === 'number') return value;
        if (lenient && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
          return Number(value);
        }
        throw malformed(`${path}: ${JSON.stringify(value)} is not a ${name}`);
      }
      case 'boolean': {
        if (typeof value === 'boolean') return value;
        if (lenient && typeof value === 'string' && /^(true|false)$/i.test(value))
          return value.toLowerCase() === 'true';
        throw malformed(`${path}: ${JSON.stringify(value)} is not a boolean`);
      }
      case 'date': {
        const match = typeof value === 'string' ? /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(value) : null;
        if (match === null) throw malformed(`${path}: ${JSON.stringify(value)} is not a date (yyyy-MM-dd)`);
        const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
        if (new Date(ms).getUTCDate() !== Number(match[3]))
          throw malformed(`${path}: ${value} is not a date`);
        return Math.round(ms / DAY_MS);
      }
      case 'timestamp': {
        const text =
          typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
        const nanos =
          text === undefined
            ? undefined
            : this.#config.kind === 'openx'
              ? parseOpenXTimestamp(text)
              : parseHiveTimestamp(text, this.#timestampFormats);
        if (nanos === undefined) throw malformed(`${path}: ${JSON.stringify(value)} is not a timestamp`);
        return nanos;
      }
      case 'binary': {
        if (typeof value === 'string') return Buffer.from(value, 'utf8');
        throw malformed(`${path}: ${JSON.stringify(value)} is not binary (a JSON string)`);
      }
      default:
        return unreachable(name, 'hive primitive');
    }
  }
}

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

/** Unscaled value at `scale`, rounded half up, checked against `precision`. */
function decimalValue(
  value: unknown,
  precision: number,
  scale: number,
  lenient: boolean,
  path: string,
): bigint {
  const text =
    typeof value === 'number'
      ? String(value)
      : lenient && typeof value === 'string'
        ? value.trim()
        : undefined;
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

function describe(type: HiveType): string {
  return type.kind;
}

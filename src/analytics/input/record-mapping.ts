/**
 * Input schema mapping (reference §8): a record (JSON text or value, or a CSV string) becomes
 * rows of typed column values. JSON columns map by JSONPath (`$.a.b`, `$.arr[0:]` for the whole
 * array as text, `$.arr[0:].field` for one row per element); CSV columns bind positionally.
 * Values are coerced per §8; a value that cannot be coerced fails the record, which the caller
 * sends to error_stream.
 */
import { conversionError } from '../functions/sql-runtime-error.js';
import { parseTimestampText, parseTimeText } from '../functions/values.js';
import { isInteger, isNumeric, isString, sqlType, type SqlType, type TypeName } from '../plan/sql-type.js';

export interface MappedColumn {
  readonly name: string;
  readonly type: SqlType;
  /** JSONPath for JSON records; unused for CSV. */
  readonly mapping: string | null;
}

export interface RecordFormat {
  readonly type: 'JSON' | 'CSV';
  readonly rowPath: string;
  readonly rowDelimiter: string;
  readonly columnDelimiter: string;
}

const typeWords: Readonly<Record<string, TypeName>> = {
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INTEGER: 'INTEGER',
  INT: 'INTEGER',
  BIGINT: 'BIGINT',
  DECIMAL: 'DECIMAL',
  NUMERIC: 'DECIMAL',
  DEC: 'DECIMAL',
  REAL: 'REAL',
  DOUBLE: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  FLOAT: 'DOUBLE',
  CHAR: 'CHAR',
  CHARACTER: 'CHAR',
  VARCHAR: 'VARCHAR',
  BINARY: 'BINARY',
  VARBINARY: 'VARBINARY',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
};

/** `VARCHAR(4)`, `DECIMAL(10, 2)`, `DOUBLE` → a type, or null when not a column type. */
export function parseSqlType(text: string): SqlType | null {
  const match = /^\s*([A-Za-z]+(?:\s+PRECISION)?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i.exec(text);
  if (match === null) return null;
  const name = typeWords[match[1]!.toUpperCase().replace(/\s+/, ' ')];
  if (name === undefined) return null;
  const length = match[2] === undefined ? null : Number(match[2]);
  if (name === 'DECIMAL')
    return sqlType('DECIMAL', length ?? 19, match[3] === undefined ? 0 : Number(match[3]));
  if (name === 'CHAR') return sqlType('CHAR', length ?? 1);
  return sqlType(name, length);
}

const integerBounds: Readonly<Record<string, readonly [number, number]>> = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INTEGER: [-2147483648, 2147483647],
  BIGINT: [-(2 ** 63), 2 ** 63],
};

/** Coerces one JSON (or CSV text) value to a column type, as §8 describes. */
export function coerceJson(value: unknown, type: SqlType, column: string): unknown {
  if (value === null || value === undefined) return null;
  const fail = (): never => {
    throw conversionError(`Cannot convert ${JSON.stringify(value)} to ${type.name} for column ${column}`);
  };
  if (isString(type)) {
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    return type.length !== null && text.length > type.length ? text.slice(0, type.length) : text;
  }
  if (typeof value === 'object') return fail();
  if (isNumeric(type)) {
    let n: number;
    if (typeof value === 'boolean') n = value ? 1 : 0;
    else if (typeof value === 'number') n = value;
    else {
      const text = String(value).trim();
      n = text === '' ? NaN : Number(text);
    }
    if (Number.isNaN(n)) return fail();
    if (isInteger(type)) {
      const [low, high] = integerBounds[type.name]!;
      if (!Number.isInteger(n) || n < low || n > high) return fail();
    }
    if (type.name === 'REAL') return Math.fround(n);
    if (type.name === 'DECIMAL') {
      const factor = 10 ** (type.scale ?? 0);
      return Math.round(n * factor) / factor;
    }
    return n;
  }
  switch (type.name) {
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      return String(value).trim().toLowerCase() === 'true';
    case 'TIMESTAMP':
    case 'DATE': {
      if (typeof value !== 'string') return fail();
      const ms = parseTimestampText(value);
      if (ms === null) return fail();
      return type.name === 'DATE' ? Math.floor(ms / 86_400_000) * 86_400_000 : ms;
    }
    case 'TIME': {
      if (typeof value !== 'string') return fail();
      const ms = parseTimeText(value);
      return ms === null ? fail() : ms;
    }
    case 'BINARY':
    case 'VARBINARY': {
      if (typeof value !== 'string') return fail();
      const hex = /^X'([0-9A-Fa-f]*)'$/.exec(value.trim());
      if (hex === null || hex[1]!.length % 2 !== 0) return fail();
      return Uint8Array.from(Buffer.from(hex[1]!, 'hex'));
    }
    default:
      return fail();
  }
}

interface PathStep {
  readonly field: string | null;
  readonly flatten: boolean;
}

/** `$.a.b[0:].c` → steps; `[0:]` marks an array to flatten (or, last, to take whole). */
function parsePath(path: string): PathStep[] {
  const body = path.trim().replace(/^\$/, '');
  const steps: PathStep[] = [];
  const pattern = /\.([^.[\]]+)|\[(?:'([^']*)'|"([^"]*)")\]|\[0:\]|\[\*\]/g;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(body)) !== null) {
    if (match.index !== consumed) throw new Error(`unsupported JSONPath ${path}`);
    consumed = pattern.lastIndex;
    const field = match[1] ?? match[2] ?? match[3];
    steps.push(field === undefined ? { field: null, flatten: true } : { field, flatten: false });
  }
  if (consumed !== body.length) throw new Error(`unsupported JSONPath ${path}`);
  return steps;
}

function walk(value: unknown, steps: readonly PathStep[]): unknown {
  let current = value;
  for (const step of steps) {
    if (step.field === null) return current;
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return null;
    current = (current as Record<string, unknown>)[step.field];
    if (current === undefined) return null;
  }
  return current;
}

/** A compiled JSONPath: `$.a` reads one property; longer paths walk. */
function reader(steps: readonly PathStep[]): (value: unknown) => unknown {
  const [only] = steps;
  if (steps.length === 1 && only!.field !== null) {
    const field = only!.field;
    return (value) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
      const v = (value as Record<string, unknown>)[field];
      return v === undefined ? null : v;
    };
  }
  return (value) => walk(value, steps);
}

/** A column's coercion, with fast paths for values that already have the column's JavaScript type. */
function coercer(column: MappedColumn): (value: unknown) => unknown {
  const { type, name } = column;
  if (type.name === 'DOUBLE') return (v) => (typeof v === 'number' ? v : coerceJson(v, type, name));
  if (type.name === 'VARCHAR' || type.name === 'CHAR') {
    const length = type.length ?? Infinity;
    return (v) => (typeof v === 'string' && v.length <= length ? v : coerceJson(v, type, name));
  }
  if (type.name === 'INTEGER' || type.name === 'BIGINT') {
    const [low, high] = integerBounds[type.name]!;
    return (v) =>
      typeof v === 'number' && Number.isInteger(v) && v >= low && v <= high ? v : coerceJson(v, type, name);
  }
  return (v) => coerceJson(v, type, name);
}

export type RecordMapper = (record: unknown) => unknown[][];

/** Compiles the schema into a function from one record to its rows (of column values). */
export function compileRecordMapper(format: RecordFormat, columns: readonly MappedColumn[]): RecordMapper {
  if (format.type === 'CSV') {
    return (record) => {
      const text = typeof record === 'string' ? record : JSON.stringify(record);
      const lines = text.split(format.rowDelimiter).filter((line) => line.length > 0);
      return lines.map((line) => {
        const fields = line.split(format.columnDelimiter);
        return columns.map((c, i) =>
          coerceJson(fields[i] === undefined || fields[i] === '' ? null : fields[i], c.type, c.name),
        );
      });
    };
  }
  const rowSteps = parsePath(format.rowPath);
  const plans = columns.map((c) => {
    const steps = parsePath(c.mapping ?? `$.${c.name}`);
    const flattenAt = steps.findIndex((s) => s.flatten);
    const flattened = flattenAt >= 0 && flattenAt < steps.length - 1;
    return {
      column: c,
      steps,
      flattenAt: flattened ? flattenAt : -1,
      rest: flattened ? steps.slice(flattenAt + 1) : [],
    };
  });
  const flattened = plans.filter((p) => p.flattenAt >= 0);
  const arrayPath = flattened[0]?.steps.slice(0, flattened[0].flattenAt) ?? null;
  const width = plans.length;
  if (arrayPath === null) {
    // The common shape: one row per record, each column one path from the root.
    const readers = plans.map((p) => reader(p.steps));
    const coercers = plans.map((p) => coercer(p.column));
    const rowReader = rowSteps.length === 0 ? null : reader(rowSteps);
    return (record) => {
      const parsed = typeof record === 'string' ? (JSON.parse(record) as unknown) : record;
      const root = rowReader === null ? parsed : rowReader(parsed);
      const row = new Array<unknown>(width);
      for (let i = 0; i < width; i++) row[i] = coercers[i]!(readers[i]!(root));
      return [row];
    };
  }
  return (record) => {
    const parsed = typeof record === 'string' ? (JSON.parse(record) as unknown) : record;
    const root = walk(parsed, rowSteps);
    const array = walk(root, arrayPath);
    const elements: unknown[] = Array.isArray(array) && array.length > 0 ? array : [undefined];
    return elements.map((element) =>
      plans.map((p) => {
        if (p.flattenAt >= 0)
          return coerceJson(
            element === undefined ? null : walk(element, p.rest),
            p.column.type,
            p.column.name,
          );
        return coerceJson(walk(root, p.steps), p.column.type, p.column.name);
      }),
    );
  };
}

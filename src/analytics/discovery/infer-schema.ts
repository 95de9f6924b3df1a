/**
 * Schema discovery (DiscoverInputSchema, reference §9): from sample records, the input schema a
 * user would otherwise write, plus the samples raw and parsed.
 *
 * - Records that are all JSON objects are JSON (RecordRowPath `$`): nested objects are flattened
 *   to columns with paths `$.a.b` (two levels below the top; deeper objects and arrays become
 *   VARCHAR columns holding their JSON text, arrays with the mapping `$.a[0:]`).
 * - Otherwise they are CSV: the row delimiter is `\r\n` when the sample has it, else `\n`; the
 *   column delimiter is the first of `,` TAB `|` `;` that splits every line into the same number
 *   (more than one) of fields. A first line of non-numeric names over numeric data is a header:
 *   it names the columns (it stays a row, as the mapping has no header skipping).
 * - Types: booleans BOOLEAN; whole numbers the smallest of TINYINT, SMALLINT, INTEGER, BIGINT that
 *   holds every sample; other numbers REAL (DOUBLE beyond 7 significant digits); strings that are
 *   all timestamps TIMESTAMP; anything else VARCHAR(n), n the next of 4, 16, 64, … holding the
 *   longest sample.
 * - Names are kept unless reserved, not letters/digits/underscores, starting with a digit or longer
 *   than 100 characters; then `COL_` + the name's letters, digits and underscores (`COL_<n>` when
 *   none are left); clashes get `_2`, `_3` ….
 */
import type { RecordColumn, SourceSchema } from '../api/application-model.js';
import { isReserved } from '../sql/keywords.js';
import { parseTimestamp } from '../records/column-type.js';

export interface DiscoveredSchema {
  readonly InputSchema: SourceSchema;
  readonly ParsedInputRecords: string[][];
  readonly RawInputRecords: string[];
}

/** Nesting levels flattened below the top-level object. */
const flattenDepthMax = 2;
const varcharSizes = [4, 16, 64, 256, 1024, 4096, 16384, 65535] as const;
const columnDelimiters = [',', '\t', '|', ';'] as const;

/** Undefined when there is nothing to infer from (no records). */
export function inferSchema(records: readonly string[]): DiscoveredSchema | undefined {
  const samples = records.filter((record) => record.trim() !== '');
  if (samples.length === 0) return undefined;
  const documents = samples.map(parseObject);
  if (documents.every((document) => document !== undefined)) {
    return inferJson(samples, documents as Record<string, unknown>[]);
  }
  return inferCsv(samples);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined; // not JSON: the sample is CSV
  }
}

interface JsonColumn {
  readonly key: string;
  readonly mapping: string;
  readonly values: unknown[];
}

function inferJson(
  samples: readonly string[],
  documents: readonly Record<string, unknown>[],
): DiscoveredSchema {
  const columns = new Map<string, JsonColumn>();
  documents.forEach((document, index) => collect(document, '$', 0, columns, index));
  for (const column of columns.values()) column.values.length = documents.length;
  const names = uniqueNames([...columns.values()].map((column) => column.key));
  const recordColumns: RecordColumn[] = [...columns.values()].map((column, index) => ({
    Name: names[index] as string,
    Mapping: column.mapping,
    SqlType: inferType(column.values),
  }));
  return {
    InputSchema: {
      RecordFormat: {
        RecordFormatType: 'JSON',
        MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
      },
      RecordEncoding: 'UTF-8',
      RecordColumns: recordColumns,
    },
    ParsedInputRecords: documents.map((_, row) =>
      [...columns.values()].map((column) => textOf(column.values[row])),
    ),
    RawInputRecords: [...samples],
  };
}

function collect(
  object: Record<string, unknown>,
  path: string,
  depth: number,
  columns: Map<string, JsonColumn>,
  row: number,
): void {
  for (const [key, value] of Object.entries(object)) {
    const step = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `['${key.replace(/'/g, '')}']`;
    const childPath = path + step;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && depth < flattenDepthMax) {
      collect(value as Record<string, unknown>, childPath, depth + 1, columns, row);
      continue;
    }
    const mapping = Array.isArray(value) ? `${childPath}[0:]` : childPath;
    let column = columns.get(mapping);
    if (column === undefined) {
      column = { key, mapping, values: [] };
      columns.set(mapping, column);
    }
    column.values[row] = value;
  }
}

function inferCsv(samples: readonly string[]): DiscoveredSchema {
  const rowDelimiter = samples.some((sample) => sample.includes('\r\n')) ? '\r\n' : '\n';
  const lines = samples.flatMap((sample) => {
    const split = sample.split(rowDelimiter);
    if (split.length > 1 && split[split.length - 1] === '') split.pop();
    return split;
  });
  const columnDelimiter =
    columnDelimiters.find((delimiter) => {
      const counts = new Set(lines.map((line) => line.split(delimiter).length));
      return counts.size === 1 && [...counts][0]! > 1;
    }) ?? ',';
  const rows = lines.map((line) => line.split(columnDelimiter));
  const width = Math.max(...rows.map((row) => row.length));
  const header = hasHeader(rows) ? rows[0] : undefined;
  const data = header === undefined ? rows : rows.slice(1);
  const names = uniqueNames(
    Array.from({ length: width }, (_, index) => header?.[index] ?? `COL${index + 1}`),
  );
  const recordColumns: RecordColumn[] = names.map((name, index) => ({
    Name: name,
    SqlType: inferType(data.map((row) => csvValue(row[index]))),
  }));
  return {
    InputSchema: {
      RecordFormat: {
        RecordFormatType: 'CSV',
        MappingParameters: {
          CSVMappingParameters: { RecordRowDelimiter: rowDelimiter, RecordColumnDelimiter: columnDelimiter },
        },
      },
      RecordEncoding: 'UTF-8',
      RecordColumns: recordColumns,
    },
    ParsedInputRecords: rows.map((row) => Array.from({ length: width }, (_, index) => row[index] ?? '')),
    RawInputRecords: [...samples],
  };
}

/** A first line whose fields are all non-numeric while some later field under one is numeric. */
function hasHeader(rows: readonly string[][]): boolean {
  const [first, ...rest] = rows;
  if (first === undefined || rest.length === 0) return false;
  if (first.some((field) => field.trim() === '' || isNumeric(field))) return false;
  return first.some((_, index) => rest.every((row) => isNumeric(row[index] ?? '')));
}

/** CSV fields are text: numbers and booleans are recognised in them for typing. */
function csvValue(field: string | undefined): unknown {
  if (field === undefined || field.trim() === '') return undefined;
  const trimmed = field.trim();
  if (isNumeric(trimmed)) return Number(trimmed);
  if (/^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === 'true';
  return field;
}

function isNumeric(text: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim());
}

/** The SQL type that holds every sample value (undefined and null are ignored). */
export function inferType(values: readonly unknown[]): string {
  const present = values.filter((value) => value !== undefined && value !== null);
  if (present.length === 0) return 'VARCHAR(4)';
  if (present.every((value) => typeof value === 'boolean')) return 'BOOLEAN';
  if (present.every((value) => typeof value === 'number')) {
    const numbers = present as number[];
    if (numbers.every((value) => Number.isInteger(value))) return integerType(numbers);
    return numbers.every((value) => significantDigits(value) <= 7) ? 'REAL' : 'DOUBLE';
  }
  if (present.every((value) => typeof value === 'string' && isTimestamp(value))) return 'TIMESTAMP';
  return `VARCHAR(${varcharSize(Math.max(...present.map((value) => textOf(value).length)))})`;
}

function integerType(numbers: readonly number[]): string {
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  if (min >= -128 && max <= 127) return 'TINYINT';
  if (min >= -32768 && max <= 32767) return 'SMALLINT';
  if (min >= -2147483648 && max <= 2147483647) return 'INTEGER';
  return 'BIGINT';
}

function significantDigits(value: number): number {
  return value.toExponential().split('e')[0]!.replace(/[-.]/g, '').length;
}

/** A timestamp sample has at least a date and a time (a bare date stays text). */
function isTimestamp(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(text.trim()) && parseTimestamp(text) !== undefined;
}

function varcharSize(length: number): number {
  return varcharSizes.find((size) => size >= length) ?? 65535;
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Column names as discovery gives them: source names cleaned, then made unique. */
export function uniqueNames(sourceNames: readonly string[]): string[] {
  const used = new Set<string>();
  return sourceNames.map((source, index) => {
    const base = columnName(source, index);
    let name = base;
    for (let suffix = 2; used.has(name.toUpperCase()); suffix++) name = `${base}_${suffix}`;
    used.add(name.toUpperCase());
    return name;
  });
}

export function columnName(source: string, position: number): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(source);
  if (plain && source.length <= 100 && !isReserved(source.toUpperCase())) return source;
  const cleaned = source.replace(/[^A-Za-z0-9_]/g, '').slice(0, 96);
  return cleaned === '' ? `COL_${position}` : `COL_${cleaned}`;
}

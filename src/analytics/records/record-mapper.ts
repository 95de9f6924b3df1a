/**
 * Maps a source record (the bytes of one stream record) to rows of an input schema: JSON records
 * through the row path and column mappings, CSV records split by the row and column delimiters
 * (columns bind by position; missing trailing fields are NULL). A record that cannot be parsed or
 * coerced gives an error instead of rows, for the error stream.
 */
import type { SourceSchema } from '../api/application-model.js';
import { CoercionError, coerceValue, parseColumnType, type ColumnType } from './column-type.js';
import { jsonRows, parseJsonPath, type PathStep } from './json-path.js';
import type { SqlValue } from './sql-value.js';

export type MappedRecord =
  | { readonly ok: true; readonly rows: readonly SqlValue[][] }
  | { readonly ok: false; readonly errorName: string; readonly message: string };

export type RecordMapper = (data: Buffer) => MappedRecord;

export function createRecordMapper(schema: SourceSchema): RecordMapper {
  const types = schema.RecordColumns.map((column) => {
    const type = parseColumnType(column.SqlType);
    if (type === undefined) throw new Error(`unsupported column type ${column.SqlType}`);
    return type;
  });
  const format = schema.RecordFormat;
  if (format.RecordFormatType === 'JSON') {
    const rowPath = parseJsonPath(format.MappingParameters?.JSONMappingParameters?.RecordRowPath ?? '$');
    const paths = schema.RecordColumns.map((column) => parseJsonPath(column.Mapping ?? `$.${column.Name}`));
    return (data) => mapJson(data, rowPath, paths, types);
  }
  const csv = format.MappingParameters?.CSVMappingParameters;
  const rowDelimiter = unescapeDelimiter(csv?.RecordRowDelimiter ?? '\n');
  const columnDelimiter = unescapeDelimiter(csv?.RecordColumnDelimiter ?? ',');
  return (data) => mapCsv(data, rowDelimiter, columnDelimiter, types);
}

/** Delimiters may be given escaped, as the console writes them (`\n`, `\t`). */
export function unescapeDelimiter(delimiter: string): string {
  return delimiter.replace(
    /\\([nrt])/g,
    (_, letter: string) => ({ n: '\n', r: '\r', t: '\t' })[letter] ?? letter,
  );
}

function mapJson(
  data: Buffer,
  rowPath: readonly PathStep[],
  paths: readonly (readonly PathStep[])[],
  types: readonly ColumnType[],
): MappedRecord {
  let document: unknown;
  try {
    document = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      errorName: 'Unparseable_Record',
      message: `not valid JSON: ${(error as Error).message}`,
    };
  }
  const roots = rowRoots(document, rowPath);
  const rows: SqlValue[][] = [];
  try {
    for (const root of roots) {
      for (const values of jsonRows(root, paths)) {
        rows.push(values.map((value, index) => coerceValue(value, types[index] as ColumnType)));
      }
    }
  } catch (error) {
    if (error instanceof CoercionError)
      return { ok: false, errorName: 'Coercion_Error', message: error.message };
    throw error;
  }
  return { ok: true, rows };
}

/** The row roots a RecordRowPath selects: `$`, a member path, or an array's elements. */
function rowRoots(document: unknown, rowPath: readonly PathStep[]): unknown[] {
  const all = rowPath.findIndex((step) => step.kind === 'all');
  if (all < 0) return [jsonRows(document, [rowPath])[0]?.[0]];
  const array = jsonRows(document, [rowPath.slice(0, all + 1)])[0]?.[0];
  return Array.isArray(array) ? array : [];
}

function mapCsv(
  data: Buffer,
  rowDelimiter: string,
  columnDelimiter: string,
  types: readonly ColumnType[],
): MappedRecord {
  const text = data.toString('utf8');
  const lines = text.split(rowDelimiter);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const rows: SqlValue[][] = [];
  try {
    for (const line of lines) {
      const fields = line.split(columnDelimiter);
      rows.push(types.map((type, index) => coerceValue(fields[index], type)));
    }
  } catch (error) {
    if (error instanceof CoercionError)
      return { ok: false, errorName: 'Coercion_Error', message: error.message };
    throw error;
  }
  return { ok: true, rows };
}

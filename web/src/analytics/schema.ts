/**
 * The editable schema of the source page: columns as the form holds them, and the formatted
 * sample rows computed from the raw sample records with the columns as edited (JSON mappings
 * are JSONPath member chains such as `$.sensor.id` or `$.values[0]`; CSV columns are by
 * position), so an edit shows its effect before it is saved.
 */
import type { RecordColumn, RecordFormat } from '@aws-sdk/client-kinesis-analytics';

export interface EditableColumn {
  /** A stable key for the form row (column names change while typed). */
  readonly key: number;
  readonly name: string;
  readonly sqlType: string;
  readonly mapping: string;
}

/** The SQL types the type field suggests; any type the server accepts may be typed. */
export const suggestedSqlTypes = [
  'VARCHAR(16)',
  'VARCHAR(64)',
  'CHAR(8)',
  'INTEGER',
  'BIGINT',
  'SMALLINT',
  'TINYINT',
  'DOUBLE',
  'REAL',
  'DECIMAL(8,2)',
  'BOOLEAN',
  'TIMESTAMP',
  'DATE',
  'TIME',
];

let nextKey = 1;

export function toEditable(columns: readonly RecordColumn[]): EditableColumn[] {
  return columns.map((column) => ({
    key: nextKey++,
    name: column.Name ?? '',
    sqlType: column.SqlType ?? '',
    mapping: column.Mapping ?? '',
  }));
}

export function blankColumn(format: RecordFormat | undefined): EditableColumn {
  return {
    key: nextKey++,
    name: '',
    sqlType: 'VARCHAR(16)',
    mapping: format?.RecordFormatType === 'JSON' ? '$.' : '',
  };
}

export function toRecordColumns(columns: readonly EditableColumn[], format: RecordFormat): RecordColumn[] {
  return columns.map((column) => ({
    Name: column.name,
    SqlType: column.sqlType,
    // CSV columns are by position; AWS's schema has no mapping for them.
    ...(format.RecordFormatType === 'JSON' ? { Mapping: column.mapping } : {}),
  }));
}

/** Each raw record as the columns would read it: one text cell per column (empty when missing). */
export function formatSamples(
  raw: readonly string[],
  columns: readonly EditableColumn[],
  format: RecordFormat,
): string[][] {
  if (format.RecordFormatType === 'CSV') {
    const csv = format.MappingParameters?.CSVMappingParameters;
    const rowDelimiter = csv?.RecordRowDelimiter ?? '\n';
    const columnDelimiter = csv?.RecordColumnDelimiter ?? ',';
    return raw
      .flatMap((record) => record.split(rowDelimiter))
      .filter((line) => line !== '')
      .map((line) => {
        const cells = line.split(columnDelimiter);
        return columns.map((_, index) => cells[index] ?? '');
      });
  }
  const rowPath = format.MappingParameters?.JSONMappingParameters?.RecordRowPath ?? '$';
  return raw.flatMap((record) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(record);
    } catch {
      return [columns.map(() => '')];
    }
    const rows = evaluatePath(parsed, rowPath);
    const list = Array.isArray(rows) && rowPath.endsWith('[*]') ? rows : [rows];
    return list.map((row) =>
      columns.map((column) => cellText(evaluatePath(row, relativePath(column.mapping, rowPath)))),
    );
  });
}

/** A column mapping relative to the row path (`$.a.b` under row path `$.a` reads `$.b`). */
function relativePath(mapping: string, rowPath: string): string {
  const base = rowPath.replace(/\[\*\]$/, '');
  return base !== '$' && mapping.startsWith(`${base}.`) ? `$${mapping.slice(base.length)}` : mapping;
}

/** Follows `$.member.member[index]…`; anything it cannot follow reads as missing. */
export function evaluatePath(value: unknown, path: string): unknown {
  if (!path.startsWith('$')) return undefined;
  const steps = path
    .slice(1)
    .replace(/\[\*\]$/, '')
    .match(/\.[^.[\]]+|\[\d+\]|\['[^']*'\]/g);
  let current = value;
  for (const step of steps ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = step.startsWith('[') ? step.slice(1, -1).replace(/^'|'$/g, '') : step.slice(1);
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * How output rows become stream records (reference §10): JSON objects keyed by column name, or
 * CSV lines in column order; ROWTIME is not written. TIMESTAMP values are written as
 * `yyyy-MM-dd HH:mm:ss.SSS` (UTC), BIGINT exactly, BINARY as hex. A JSON record carries no line
 * end (as Kinesis Analytics writes it); a CSV record ends with `\n`.
 */
import type { SqlValue, StreamColumn } from '../records/sql-value.js';
import type { Row } from './application-engine.js';

export type OutputFormat = 'JSON' | 'CSV';

export function formatRow(format: OutputFormat, columns: readonly StreamColumn[], row: Row): Buffer {
  if (format === 'JSON') {
    const members = columns.map(
      (column, index) => `${JSON.stringify(column.name)}:${jsonValue(row.values[index] ?? null)}`,
    );
    return Buffer.from(`{${members.join(',')}}`, 'utf8');
  }
  return Buffer.from(`${row.values.map(csvValue).join(',')}\n`, 'utf8');
}

export function formatTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function jsonValue(value: SqlValue): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (value instanceof Date) return JSON.stringify(formatTimestamp(value));
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('hex'));
  return JSON.stringify(value);
}

function csvValue(value: SqlValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return formatTimestamp(value);
  if (Buffer.isBuffer(value)) return value.toString('hex');
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

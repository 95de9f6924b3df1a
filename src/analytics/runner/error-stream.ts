/**
 * The system `error_stream` (reference §12): its columns, and the row the runner writes for a
 * source record that could not be mapped to the input schema.
 */
import type { StreamColumn } from '../records/sql-value.js';
import type { Row } from './application-engine.js';

export const errorStreamName = 'error_stream';

export const errorStreamColumns: readonly StreamColumn[] = [
  { name: 'ERROR_TIME', sqlType: 'TIMESTAMP' },
  { name: 'ERROR_LEVEL', sqlType: 'VARCHAR(10)' },
  { name: 'ERROR_NAME', sqlType: 'VARCHAR(32)' },
  { name: 'MESSAGE', sqlType: 'VARCHAR(4096)' },
  { name: 'DATA_ROWTIME', sqlType: 'TIMESTAMP' },
  { name: 'DATA_ROW', sqlType: 'VARCHAR(49152)' },
  { name: 'PUMP_NAME', sqlType: 'VARCHAR(128)' },
];

/** DATA_ROW holds the original record hex-encoded, cut to the column's length. */
export function mappingErrorRow(rowtimeMs: number, errorName: string, message: string, data: Buffer): Row {
  return {
    rowtimeMs,
    values: [
      new Date(rowtimeMs),
      'Error',
      errorName.slice(0, 32),
      message.slice(0, 4096),
      new Date(rowtimeMs),
      data.toString('hex').slice(0, 49152),
      null,
    ],
  };
}

/**
 * Values in in-application rows, shared by the input mapping, the engine interface and the
 * output writers: SQL NULL is null; integers are numbers (BIGINT: bigint, so every 64-bit value
 * is exact); REAL, DOUBLE and DECIMAL are numbers; CHAR and VARCHAR are strings; BOOLEAN is a
 * boolean; TIMESTAMP, DATE and TIME are Dates (UTC; a TIME on 1970-01-01); BINARY is a Buffer.
 */
export type SqlValue = null | boolean | number | bigint | string | Date | Buffer;

/** A column of an in-application stream: its name (as created, case kept) and SQL type text. */
export interface StreamColumn {
  readonly name: string;
  readonly sqlType: string;
}

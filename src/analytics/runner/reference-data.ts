/**
 * Reference data (S3ReferenceDataSource): the object a reference data source names, read through
 * `ReferenceObjects` (the embedded bucket directory today, any S3 endpoint later) and mapped with
 * its ReferenceSchema into the rows of an in-application table. Loaded when the application
 * starts and again on every configuration change (UpdateApplication,
 * AddApplicationReferenceDataSource), which restarts the runner; static while it runs.
 *
 * A CSV object is split by its row delimiter (a trailing one ends the last row); a JSON object is
 * one record when it parses whole, else one record per line. Rows that cannot be mapped are left
 * out and counted (`skippedRows`).
 */
import type { StoredReference } from '../api/application-model.js';
import { createRecordMapper, unescapeDelimiter } from '../records/record-mapper.js';
import type { SqlValue } from '../records/sql-value.js';
import type { ReferenceTableRows } from './application-engine.js';

/** Where reference objects are read. */
export interface ReferenceObjects {
  /** The object's bytes; throws `ReferenceObjectMissing` when the bucket or the key does not exist. */
  read(bucketArn: string, fileKey: string): Promise<Buffer>;
}

export class ReferenceObjectMissing extends Error {
  override readonly name = 'ReferenceObjectMissing';
}

export interface LoadedReferences {
  readonly tables: ReferenceTableRows[];
  readonly skippedRows: number;
}

export async function loadReferenceTables(
  objects: ReferenceObjects,
  references: readonly StoredReference[],
): Promise<LoadedReferences> {
  const tables: ReferenceTableRows[] = [];
  let skippedRows = 0;
  for (const { reference } of references) {
    const source = reference.S3ReferenceDataSource;
    if (source === undefined)
      throw new ReferenceObjectMissing(`Reference ${reference.TableName} names no S3 object.`);
    const data = await objects.read(source.BucketARN, source.FileKey);
    const schema = reference.ReferenceSchema;
    const mapper = createRecordMapper(schema);
    const rows: SqlValue[][] = [];
    for (const record of splitRecords(schema, data)) {
      const mapped = mapper(record);
      if (mapped.ok) rows.push(...mapped.rows);
      else skippedRows++;
    }
    tables.push({
      name: reference.TableName,
      columns: schema.RecordColumns.map((column) => ({ name: column.Name, sqlType: column.SqlType })),
      rows,
    });
  }
  return { tables, skippedRows };
}

function splitRecords(schema: StoredReference['reference']['ReferenceSchema'], data: Buffer): Buffer[] {
  const format = schema.RecordFormat;
  const text = data.toString('utf8');
  if (format.RecordFormatType === 'CSV') {
    const delimiter = unescapeDelimiter(
      format.MappingParameters?.CSVMappingParameters?.RecordRowDelimiter ?? '\n',
    );
    const rows = text.split(delimiter);
    if (rows.at(-1) === '') rows.pop();
    return rows.filter((row) => row.trim() !== '').map((row) => Buffer.from(row, 'utf8'));
  }
  try {
    JSON.parse(text);
    return [data];
  } catch {
    // Not one JSON document: one record per line (JSON Lines).
    return text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line) => Buffer.from(line, 'utf8'));
  }
}

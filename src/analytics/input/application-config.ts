/**
 * Reads a Kinesis Analytics CreateApplication request body (the offline runner's app.json): the
 * inputs' schemas (→ input streams NamePrefix_001..NNN and their record mappers) and the
 * reference data sources (→ tables whose rows are loaded by the caller). Problems are thrown as
 * ApplicationConfigError with the field that is wrong.
 */
import type { ApplicationInputs, StreamColumn, TableDefinition } from '../plan/bind-application.js';
import {
  compileRecordMapper,
  parseSqlType,
  type MappedColumn,
  type RecordFormat,
  type RecordMapper,
} from './record-mapping.js';

export class ApplicationConfigError extends Error {
  override readonly name = 'ApplicationConfigError';
}

export interface InputStreamConfig {
  readonly name: string;
  readonly columns: readonly StreamColumn[];
  readonly mapper: RecordMapper;
}

export interface ReferenceSourceConfig {
  readonly table: TableDefinition;
  readonly bucket: string;
  readonly key: string;
  readonly mapper: RecordMapper;
}

export interface ApplicationConfig {
  readonly code: string | null;
  readonly inputs: readonly InputStreamConfig[];
  readonly references: readonly ReferenceSourceConfig[];
}

type Json = Record<string, unknown>;

const object = (value: unknown, field: string): Json => {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ApplicationConfigError(`${field} must be an object`);
  return value as Json;
};
const array = (value: unknown, field: string): unknown[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ApplicationConfigError(`${field} must be an array`);
  return value;
};
const text = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value.length === 0)
    throw new ApplicationConfigError(`${field} must be a non-empty string`);
  return value;
};

function schema(value: unknown, field: string): { format: RecordFormat; columns: MappedColumn[] } {
  const s = object(value, field);
  const recordFormat = object(s.RecordFormat, `${field}.RecordFormat`);
  const type = text(recordFormat.RecordFormatType, `${field}.RecordFormat.RecordFormatType`);
  if (type !== 'JSON' && type !== 'CSV')
    throw new ApplicationConfigError(`${field}.RecordFormat.RecordFormatType must be JSON or CSV`);
  const parameters = (recordFormat.MappingParameters ?? {}) as Json;
  const json = (parameters.JSONMappingParameters ?? {}) as Json;
  const csv = (parameters.CSVMappingParameters ?? {}) as Json;
  const format: RecordFormat = {
    type,
    rowPath: typeof json.RecordRowPath === 'string' ? json.RecordRowPath : '$',
    rowDelimiter: typeof csv.RecordRowDelimiter === 'string' ? csv.RecordRowDelimiter : '\n',
    columnDelimiter: typeof csv.RecordColumnDelimiter === 'string' ? csv.RecordColumnDelimiter : ',',
  };
  const columns = array(s.RecordColumns, `${field}.RecordColumns`).map((c, i) => {
    const column = object(c, `${field}.RecordColumns[${i}]`);
    const name = text(column.Name, `${field}.RecordColumns[${i}].Name`);
    const sqlTypeText = text(column.SqlType, `${field}.RecordColumns[${i}].SqlType`);
    const type = parseSqlType(sqlTypeText);
    if (type === null)
      throw new ApplicationConfigError(
        `${field}.RecordColumns[${i}].SqlType '${sqlTypeText}' is not a column type`,
      );
    const mapping = typeof column.Mapping === 'string' ? column.Mapping : null;
    if (format.type === 'JSON' && mapping === null)
      throw new ApplicationConfigError(`${field}.RecordColumns[${i}].Mapping is required for JSON records`);
    return { name, type, mapping };
  });
  if (columns.length === 0)
    throw new ApplicationConfigError(`${field}.RecordColumns must have at least one column`);
  return { format, columns };
}

function mapper(format: RecordFormat, columns: readonly MappedColumn[], field: string): RecordMapper {
  try {
    return compileRecordMapper(format, columns);
  } catch (error) {
    throw new ApplicationConfigError(`${field}: ${(error as Error).message}`);
  }
}

export function readApplicationConfig(body: unknown): ApplicationConfig {
  const app = object(body, 'the application');
  const code = typeof app.ApplicationCode === 'string' ? app.ApplicationCode : null;
  const inputs: InputStreamConfig[] = [];
  array(app.Inputs, 'Inputs').forEach((value, i) => {
    const input = object(value, `Inputs[${i}]`);
    const prefix = text(input.NamePrefix, `Inputs[${i}].NamePrefix`);
    const count = Number((input.InputParallelism as Json | undefined)?.Count ?? 1);
    if (!Number.isInteger(count) || count < 1 || count > 64)
      throw new ApplicationConfigError(`Inputs[${i}].InputParallelism.Count must be 1 to 64`);
    const { format, columns } = schema(input.InputSchema, `Inputs[${i}].InputSchema`);
    const map = mapper(format, columns, `Inputs[${i}].InputSchema`);
    const streamColumns = columns.map((c) => ({ name: c.name, type: c.type, notNull: false }));
    for (let n = 1; n <= count; n++)
      inputs.push({ name: `${prefix}_${String(n).padStart(3, '0')}`, columns: streamColumns, mapper: map });
  });
  const references = array(app.ReferenceDataSources, 'ReferenceDataSources').map((value, i) => {
    const source = object(value, `ReferenceDataSources[${i}]`);
    const name = text(source.TableName, `ReferenceDataSources[${i}].TableName`);
    const s3 = object(source.S3ReferenceDataSource, `ReferenceDataSources[${i}].S3ReferenceDataSource`);
    const arn = text(s3.BucketARN, `ReferenceDataSources[${i}].S3ReferenceDataSource.BucketARN`);
    const bucket = /^arn:[^:]+:s3:::(.+)$/.exec(arn)?.[1];
    if (bucket === undefined)
      throw new ApplicationConfigError(
        `ReferenceDataSources[${i}].S3ReferenceDataSource.BucketARN '${arn}' is not an S3 bucket ARN`,
      );
    const key = text(s3.FileKey, `ReferenceDataSources[${i}].S3ReferenceDataSource.FileKey`);
    const { format, columns } = schema(source.ReferenceSchema, `ReferenceDataSources[${i}].ReferenceSchema`);
    return {
      table: { name, columns: columns.map((c) => ({ name: c.name, type: c.type, notNull: false })) },
      bucket,
      key,
      mapper: mapper(format, columns, `ReferenceDataSources[${i}].ReferenceSchema`),
    };
  });
  return { code, inputs, references };
}

export function applicationInputs(config: ApplicationConfig): ApplicationInputs {
  return {
    inputs: config.inputs.map((i) => ({ name: i.name, columns: i.columns })),
    tables: config.references.map((r) => r.table),
  };
}

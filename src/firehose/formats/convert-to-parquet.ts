/**
 * The record format conversion of a Firehose buffer: JSON records in, one Parquet object out,
 * with the records that could not be converted handed back one by one (Firehose writes them
 * under the error prefix as `format-conversion-failed`; the rest of the buffer still converts).
 *
 * `conversionOptions` turns a delivery stream's `DataFormatConversionConfiguration`
 * (InputFormatConfiguration / OutputFormatConfiguration, as the API takes them) into writer
 * options with ParquetSerDe's defaults, and rejects what cannot work with AWS's
 * `InvalidArgumentException`. `glueColumnsToHive` reads a Glue table's `Columns` and
 * `PartitionKeys` types. Stateless, so it can run in a worker thread.
 */
import { invalidArgument, type ServiceError } from '../../core/errors.js';
import { ConversionError, type ConversionErrorCode } from './conversion-error.js';
import { HiveTypeError, parseHiveType, type HiveField } from './hive-type.js';
import { JsonDeserializer, type DeserializerConfig, type TypedRow } from './json-deserializer.js';
import { PARQUET_DEFAULTS, ParquetWriter, type ParquetWriterOptions } from './parquet-writer.js';

export interface ConversionOptions {
  readonly deserializer: DeserializerConfig;
  readonly parquet: ParquetWriterOptions;
}

export interface ConversionFailure {
  /** Position of the record in the input. */
  readonly index: number;
  readonly errorCode: ConversionErrorCode;
  readonly errorMessage: string;
}

export interface ConversionResult {
  /** The Parquet object, or undefined when no record converted. */
  readonly body: Buffer | undefined;
  readonly rowCount: number;
  /** Records converted (a record may give several rows). */
  readonly convertedRecords: number;
  readonly failures: readonly ConversionFailure[];
}

export function convertToParquet(
  records: readonly Buffer[],
  columns: readonly HiveField[],
  options: ConversionOptions,
): ConversionResult {
  const deserializer = new JsonDeserializer(columns, options.deserializer);
  const writer = new ParquetWriter(columns, options.parquet);
  let converted = 0;
  const failures: ConversionFailure[] = [];
  let rowCount = 0;
  records.forEach((record, index) => {
    let rows: TypedRow[];
    try {
      rows = deserializer.rows(record);
    } catch (error) {
      if (!(error instanceof ConversionError)) throw error;
      failures.push({ index, errorCode: error.code, errorMessage: error.message });
      return;
    }
    writer.appendRecord(rows, record.length);
    converted++;
    rowCount += rows.length;
  });
  const body = converted === 0 ? undefined : writer.finish();
  return { body, rowCount, convertedRecords: converted, failures };
}

/** A Glue column as GetTable answers it. */
export interface GlueColumn {
  readonly Name: string;
  readonly Type?: string;
}

/** The table's columns then its partition keys, as Hive types; a type that cannot convert is an InvalidArgumentException. */
export function glueColumnsToHive(columns: readonly GlueColumn[]): HiveField[] {
  if (columns.length === 0) throw invalidArgument('The Glue table has no columns to convert records to.');
  return columns.map((column) => {
    if (column.Type === undefined)
      throw invalidArgument(`Column ${column.Name} of the Glue table has no type.`);
    try {
      return { name: column.Name.toLowerCase(), type: parseHiveType(column.Type) };
    } catch (error) {
      if (error instanceof HiveTypeError) {
        throw invalidArgument(`Column ${column.Name} has a type that cannot be converted: ${error.message}`);
      }
      throw error;
    }
  });
}

interface InputFormatConfiguration {
  readonly Deserializer?: {
    readonly OpenXJsonSerDe?: {
      readonly ConvertDotsInJsonKeysToUnderscores?: boolean;
      readonly CaseInsensitive?: boolean;
      readonly ColumnToJsonKeyMappings?: Readonly<Record<string, string>>;
    };
    readonly HiveJsonSerDe?: { readonly TimestampFormats?: readonly string[] };
  };
}

interface OutputFormatConfiguration {
  readonly Serializer?: {
    readonly ParquetSerDe?: {
      readonly BlockSizeBytes?: number;
      readonly PageSizeBytes?: number;
      readonly Compression?: string;
      readonly EnableDictionaryCompression?: boolean;
      readonly MaxPaddingBytes?: number;
      readonly WriterVersion?: string;
    };
    readonly OrcSerDe?: object;
  };
}

export function conversionOptions(
  input: InputFormatConfiguration | undefined,
  output: OutputFormatConfiguration | undefined,
): ConversionOptions {
  return { deserializer: deserializerConfig(input), parquet: parquetOptions(output) };
}

function deserializerConfig(input: InputFormatConfiguration | undefined): DeserializerConfig {
  const deserializer = input?.Deserializer;
  const openx = deserializer?.OpenXJsonSerDe;
  const hive = deserializer?.HiveJsonSerDe;
  if (openx !== undefined && hive !== undefined) {
    throw invalidArgument('Exactly one deserializer must be specified: OpenXJsonSerDe or HiveJsonSerDe.');
  }
  if (openx === undefined && hive === undefined) {
    throw invalidArgument('A deserializer must be specified: OpenXJsonSerDe or HiveJsonSerDe.');
  }
  if (hive !== undefined) return { kind: 'hive', timestampFormats: hive.TimestampFormats ?? [] };
  const mappings: Record<string, string> = {};
  for (const [column, key] of Object.entries(openx?.ColumnToJsonKeyMappings ?? {})) {
    mappings[column.toLowerCase()] = key;
  }
  return {
    kind: 'openx',
    caseInsensitive: openx?.CaseInsensitive ?? true,
    convertDotsInJsonKeysToUnderscores: openx?.ConvertDotsInJsonKeysToUnderscores ?? false,
    columnToJsonKeyMappings: mappings,
  };
}

const BLOCK_SIZE_MIN = 64 * 1024 * 1024;
const PAGE_SIZE_MIN = 64 * 1024;

function parquetOptions(output: OutputFormatConfiguration | undefined): ParquetWriterOptions {
  const serializer = output?.Serializer;
  if (serializer?.OrcSerDe !== undefined && serializer.ParquetSerDe !== undefined) {
    throw invalidArgument('Exactly one serializer must be specified: ParquetSerDe or OrcSerDe.');
  }
  if (serializer?.OrcSerDe !== undefined) throw orcNotSupported();
  const parquet = serializer?.ParquetSerDe;
  if (parquet === undefined)
    throw invalidArgument('A serializer must be specified: ParquetSerDe or OrcSerDe.');
  const blockSizeBytes = parquet.BlockSizeBytes ?? PARQUET_DEFAULTS.blockSizeBytes;
  const pageSizeBytes = parquet.PageSizeBytes ?? PARQUET_DEFAULTS.pageSizeBytes;
  if (blockSizeBytes < BLOCK_SIZE_MIN)
    throw invalidArgument(`BlockSizeBytes must be at least ${BLOCK_SIZE_MIN}.`);
  if (pageSizeBytes < PAGE_SIZE_MIN)
    throw invalidArgument(`PageSizeBytes must be at least ${PAGE_SIZE_MIN}.`);
  const compression = parquet.Compression ?? PARQUET_DEFAULTS.compression;
  if (compression !== 'UNCOMPRESSED' && compression !== 'SNAPPY' && compression !== 'GZIP') {
    throw invalidArgument(`Unsupported ParquetSerDe compression: ${compression}.`);
  }
  const writerVersion = parquet.WriterVersion ?? PARQUET_DEFAULTS.writerVersion;
  if (writerVersion !== 'V1' && writerVersion !== 'V2') {
    throw invalidArgument(`Unsupported ParquetSerDe writer version: ${writerVersion}.`);
  }
  return {
    blockSizeBytes,
    pageSizeBytes,
    compression,
    enableDictionary: parquet.EnableDictionaryCompression ?? PARQUET_DEFAULTS.enableDictionary,
    maxPaddingBytes: parquet.MaxPaddingBytes ?? PARQUET_DEFAULTS.maxPaddingBytes,
    writerVersion,
  };
}

function orcNotSupported(): ServiceError {
  return invalidArgument('OrcSerDe is not supported yet by this Firehose endpoint: use ParquetSerDe.');
}

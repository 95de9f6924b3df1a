/**
 * Record format conversion at delivery time: a buffer of JSON records becomes one Parquet object,
 * and the records that cannot be converted become AWS's `format-conversion-failed` error
 * documents (one JSON document per record, newline-separated, in one error object).
 *
 * The Glue table is read when a buffer is converted, as AWS does, from the durable catalog of
 * the Glue subset; a table pinned by `VersionId` is cached (a version never changes), `LATEST`
 * (or none) is read every time, so a schema change applies to the next object. A table that
 * cannot be read (EntityNotFoundException) or whose types cannot be converted sends every record
 * of the buffer to the error output, with the codes AWS logs for it
 * (`DataFormatConversion.EntityNotFound`, `DataFormatConversion.InvalidSchema`).
 */
import type { Catalog } from '../../catalog/catalog.js';
import { ServiceError } from '../../core/errors.js';
import { readTableColumns } from '../../glue/read-table-columns.js';
import { convertToParquet, glueColumnsToHive } from '../formats/convert-to-parquet.js';
import type { HiveField } from '../formats/hive-type.js';
import type { BufferedRecord } from '../delivery/delivery-buffer.js';
import type { ActiveConversion, SchemaConfiguration } from './conversion-config.js';

export interface ConvertedBuffer {
  /** The Parquet object, or undefined when no record converted. */
  readonly parquet: Buffer | undefined;
  readonly convertedRecords: number;
  /** The error object's body (`format-conversion-failed`), or undefined when every record converted. */
  readonly errors: Buffer | undefined;
  readonly failedRecords: number;
  /** The first failed record's error code and message (what the console's last errors show). */
  readonly firstFailure?: { readonly code: string; readonly message: string };
}

interface Failure {
  readonly record: BufferedRecord;
  readonly code: string;
  readonly message: string;
}

export class BufferConverter {
  readonly #catalog: Catalog;
  readonly #pinned = new Map<string, HiveField[]>();

  constructor(catalog: Catalog) {
    this.#catalog = catalog;
  }

  async convert(
    records: readonly BufferedRecord[],
    conversion: ActiveConversion,
    owner: { readonly accountId: string; readonly region: string },
    nowMs: () => number,
  ): Promise<ConvertedBuffer> {
    const schema = conversion.schema;
    let columns: HiveField[];
    try {
      columns = await this.#columns(schema, owner);
    } catch (error) {
      const failure = tableFailure(error, schema);
      return {
        parquet: undefined,
        convertedRecords: 0,
        errors: errorDocuments(
          records.map((record) => ({ record, ...failure })),
          schema,
          nowMs(),
        ),
        failedRecords: records.length,
        ...(records.length === 0 ? {} : { firstFailure: failure }),
      };
    }
    const result = convertToParquet(
      records.map((record) => record.data),
      columns,
      conversion.options,
    );
    const failures = result.failures.map((failure) => ({
      record: records[failure.index] as BufferedRecord,
      code: failure.errorCode,
      message: failure.errorMessage,
    }));
    return {
      parquet: result.body,
      convertedRecords: result.convertedRecords,
      errors: failures.length === 0 ? undefined : errorDocuments(failures, schema, nowMs()),
      failedRecords: failures.length,
      ...(failures[0] === undefined ? {} : { firstFailure: failures[0] }),
    };
  }

  async #columns(
    schema: SchemaConfiguration,
    owner: { readonly accountId: string; readonly region: string },
  ): Promise<HiveField[]> {
    const version =
      schema.VersionId === undefined || schema.VersionId === 'LATEST' ? undefined : schema.VersionId;
    const query = {
      accountId: owner.accountId,
      region: schema.Region ?? owner.region,
      databaseName: schema.DatabaseName,
      tableName: schema.TableName,
      ...(schema.CatalogId === undefined ? {} : { catalogId: schema.CatalogId }),
      ...(version === undefined ? {} : { versionId: version }),
    };
    const cacheKey = JSON.stringify(query);
    const cached = version === undefined ? undefined : this.#pinned.get(cacheKey);
    if (cached !== undefined) return cached;
    const columns = glueColumnsToHive(await readTableColumns(this.#catalog, query));
    if (version !== undefined) this.#pinned.set(cacheKey, columns);
    return columns;
  }
}

/** Why a table could not be used, as the error code and message of every record's error document. */
function tableFailure(error: unknown, schema: SchemaConfiguration): { code: string; message: string } {
  if (error instanceof ServiceError && error.code === 'EntityNotFoundException') {
    return {
      code: 'DataFormatConversion.EntityNotFound',
      message:
        `The Glue table ${schema.DatabaseName}.${schema.TableName} could not be found (${error.message}). ` +
        'Ensure that the database and table exist and that the schema configuration names them correctly.',
    };
  }
  if (error instanceof ServiceError && error.code === 'InvalidArgumentException') {
    return { code: 'DataFormatConversion.InvalidSchema', message: `The schema is invalid. ${error.message}` };
  }
  throw error;
}

/** AWS's error documents ("Handling errors for data format conversion"), one line each. */
function errorDocuments(failures: readonly Failure[], schema: SchemaConfiguration, endingMs: number): Buffer {
  const table = {
    catalogId: schema.CatalogId ?? null,
    databaseName: schema.DatabaseName,
    tableName: schema.TableName,
    region: schema.Region ?? null,
    versionId: schema.VersionId ?? 'LATEST',
    catalogArn: null,
  };
  const lines = failures.map((failure) =>
    JSON.stringify({
      attemptsMade: 1,
      arrivalTimestamp: failure.record.arrivalMs,
      lastErrorCode: failure.code,
      lastErrorMessage: failure.message,
      attemptEndingTimestamp: endingMs,
      rawData: failure.record.data.toString('base64'),
      sequenceNumber: failure.record.sequenceNumber ?? null,
      subSequenceNumber: null,
      dataCatalogTable: table,
    }),
  );
  return Buffer.from(lines.join('\n') + '\n');
}

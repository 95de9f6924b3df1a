/**
 * `DataFormatConversionConfiguration` on the S3 destination: AWS's create/update-time rules, in
 * AWS's order (the S3 compression, then the buffer size, then the members that must be there),
 * and the typed view the delivery worker converts with.
 *
 * An omitted `Enabled` counts as enabled; `Enabled: false` keeps the configuration stored (and
 * described) without checking it. A converting destination whose BufferingHints name no
 * SizeInMBs stores 128 MiB, AWS's default for conversion. OrcSerDe is refused ("not supported
 * yet"); ParquetSerDe's members are checked by `conversionOptions` of the formats library.
 */
import { invalidArgument } from '../../core/errors.js';
import { conversionOptions, type ConversionOptions } from '../formats/convert-to-parquet.js';

type Input = Readonly<Record<string, unknown>>;

/** SizeInMBs stored when a converting destination gives none (AWS's conversion default). */
export const conversionBufferSizeMiBDefault = 128;
const conversionBufferSizeMiBMin = 64;

export interface SchemaConfiguration {
  readonly DatabaseName: string;
  readonly TableName: string;
  readonly RoleARN: string;
  readonly Region?: string;
  readonly VersionId?: string;
  readonly CatalogId?: string;
}

export interface ActiveConversion {
  readonly schema: SchemaConfiguration;
  readonly options: ConversionOptions;
}

/** Whether a stored or requested configuration converts (an omitted Enabled does). */
export function conversionEnabled(conversion: unknown): boolean {
  if (conversion === undefined || conversion === null) return false;
  return (conversion as Input).Enabled !== false;
}

const isObject = (value: unknown): value is Input =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Members given (not null) in a union such as Deserializer. */
const givenMembers = (union: Input): string[] =>
  Object.keys(union).filter((key) => union[key] !== undefined && union[key] !== null);

/**
 * AWS's rules for an enabled conversion on a complete destination; InvalidArgumentException for
 * the first broken one. Returns what the delivery worker needs.
 */
export function checkConversion(
  conversion: Input,
  destination: {
    readonly CompressionFormat: string;
    readonly BufferingHints: { readonly SizeInMBs: number };
  },
): ActiveConversion {
  if (destination.CompressionFormat !== 'UNCOMPRESSED') {
    throw invalidArgument(
      "The S3 destination's compression format must be set to UNCOMPRESSED when data format conversion is enabled. " +
        'To enable compression within the converted output format, set the appropriate serialization option in the output format configuration.',
    );
  }
  if (destination.BufferingHints.SizeInMBs < conversionBufferSizeMiBMin) {
    throw invalidArgument(
      `BufferingHints.SizeInMBs must be at least ${conversionBufferSizeMiBMin} when data format conversion is enabled.`,
    );
  }
  const input = conversion.InputFormatConfiguration;
  const output = conversion.OutputFormatConfiguration;
  const schema = conversion.SchemaConfiguration;
  if (!isObject(input)) throw invalidArgument('InputFormatConfiguration must not be null');
  if (!isObject(output)) throw invalidArgument('OutputFormatConfiguration must not be null');
  if (!isObject(schema)) throw invalidArgument('SchemaConfiguration must not be null');
  const deserializer = input.Deserializer;
  if (!isObject(deserializer) || givenMembers(deserializer).length === 0) {
    throw invalidArgument('Deserializer must not be null');
  }
  if (givenMembers(deserializer).length > 1) {
    throw invalidArgument('More than one deserializer specified. Only one may be chosen.');
  }
  const serializer = output.Serializer;
  if (!isObject(serializer) || givenMembers(serializer).length === 0) {
    throw invalidArgument('Serializer must not be null');
  }
  if (givenMembers(serializer).length > 1) {
    throw invalidArgument('More than one serializer specified. Only one may be chosen.');
  }
  for (const [member, name] of [
    ['RoleARN', 'RoleArn'],
    ['DatabaseName', 'DatabaseName'],
    ['TableName', 'TableName'],
  ] as const) {
    const value = schema[member];
    if (typeof value !== 'string' || value === '') {
      throw invalidArgument(`SchemaConfiguration.${name} must not be null or empty`);
    }
  }
  if (serializer.OrcSerDe !== undefined && serializer.OrcSerDe !== null) {
    throw invalidArgument('OrcSerDe is not supported yet by this Firehose endpoint: use ParquetSerDe.');
  }
  return {
    schema: schema as unknown as SchemaConfiguration,
    options: conversionOptions(
      input as Parameters<typeof conversionOptions>[0],
      output as Parameters<typeof conversionOptions>[1],
    ),
  };
}

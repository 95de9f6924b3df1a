/**
 * The business rules on an application's configuration that the model's shapes cannot state:
 * one source per input and one destination per output, schema consistency (a mapping for every
 * JSON column, parameters matching the record format, a known SQL type per column, unique
 * names), and the per-application counts (1 input, 3 outputs, 1 reference data source).
 */
import { invalidArgument, limitExceeded } from '../../core/errors.js';
import { parseColumnType } from '../records/column-type.js';
import { JsonPathError, parseJsonPath } from '../records/json-path.js';
import { parseScript } from '../sql/parser.js';
import { SqlSyntaxError } from '../sql/sql-syntax-error.js';
import type {
  ApplicationRecord,
  InputConfiguration,
  OutputConfiguration,
  ReferenceDataSourceConfiguration,
  SourceSchema,
} from './application-model.js';
import { inAppStreamNames } from './application-model.js';

export const applicationLimits = {
  inputsMax: 1,
  outputsMax: 3,
  referenceDataSourcesMax: 1,
  loggingOptionsMax: 1,
  /** User tags per application (the model allows 200 entries in one request). */
  tagsMax: 50,
  applicationsPerRegionMax: 50,
} as const;

export function checkInput(input: InputConfiguration): void {
  const sources = [input.KinesisStreamsInput, input.KinesisFirehoseInput].filter(
    (source) => source !== undefined,
  );
  if (sources.length !== 1) {
    throw invalidArgument('Input must specify exactly one of KinesisStreamsInput or KinesisFirehoseInput.');
  }
  checkSchema(input.InputSchema, 'InputSchema');
}

export function checkOutput(output: OutputConfiguration): void {
  const destinations = [
    output.KinesisStreamsOutput,
    output.KinesisFirehoseOutput,
    output.LambdaOutput,
  ].filter((destination) => destination !== undefined);
  if (destinations.length !== 1) {
    throw invalidArgument(
      'Output must specify exactly one of KinesisStreamsOutput, KinesisFirehoseOutput or LambdaOutput.',
    );
  }
}

export function checkReference(reference: ReferenceDataSourceConfiguration): void {
  checkSchema(reference.ReferenceSchema, 'ReferenceSchema');
}

/** Counts and name clashes of a whole configuration, after a change was applied to it. */
export function checkConfiguration(record: ApplicationRecord): void {
  if (record.inputs.length > applicationLimits.inputsMax) {
    throw limitExceeded(`An application can have at most ${applicationLimits.inputsMax} input.`);
  }
  if (record.outputs.length > applicationLimits.outputsMax) {
    throw limitExceeded(`An application can have at most ${applicationLimits.outputsMax} outputs.`);
  }
  if (record.references.length > applicationLimits.referenceDataSourcesMax) {
    throw limitExceeded(
      `An application can have at most ${applicationLimits.referenceDataSourcesMax} reference data source.`,
    );
  }
  if (record.loggingOptions.length > applicationLimits.loggingOptionsMax) {
    throw limitExceeded(
      `An application can have at most ${applicationLimits.loggingOptionsMax} CloudWatch logging option.`,
    );
  }
  const inAppNames = new Set<string>();
  for (const { input } of record.inputs) {
    for (const name of inAppStreamNames(input)) inAppNames.add(name);
  }
  for (const { reference } of record.references) {
    if (inAppNames.has(reference.TableName)) {
      throw invalidArgument(
        `Reference table name ${reference.TableName} is already used by an input stream.`,
      );
    }
  }
  const destinations = new Set<string>();
  for (const { output } of record.outputs) {
    const arn = (output.KinesisStreamsOutput ?? output.KinesisFirehoseOutput ?? output.LambdaOutput)
      ?.ResourceARN;
    const key = `${output.Name}\u0000${arn ?? ''}`;
    if (destinations.has(key)) {
      throw invalidArgument(`Output ${output.Name} already writes to ${arn ?? 'that destination'}.`);
    }
    destinations.add(key);
  }
  if (record.loggingOptions.length > 0) {
    const arns = record.loggingOptions.map(({ option }) => option.LogStreamARN);
    if (new Set(arns).size !== arns.length) throw invalidArgument('Duplicate CloudWatch log stream ARN.');
  }
}

function checkSchema(schema: SourceSchema, where: string): void {
  const format = schema.RecordFormat;
  const parameters = format.MappingParameters;
  if (format.RecordFormatType === 'JSON' && parameters?.CSVMappingParameters !== undefined) {
    throw invalidArgument(`${where}: CSVMappingParameters cannot be used with RecordFormatType JSON.`);
  }
  if (format.RecordFormatType === 'CSV' && parameters?.JSONMappingParameters !== undefined) {
    throw invalidArgument(`${where}: JSONMappingParameters cannot be used with RecordFormatType CSV.`);
  }
  if (format.RecordFormatType === 'JSON' && parameters?.JSONMappingParameters === undefined) {
    throw invalidArgument(`${where}: RecordFormatType JSON needs JSONMappingParameters.`);
  }
  if (format.RecordFormatType === 'CSV' && parameters?.CSVMappingParameters === undefined) {
    throw invalidArgument(`${where}: RecordFormatType CSV needs CSVMappingParameters.`);
  }
  const names = new Set<string>();
  for (const column of schema.RecordColumns) {
    if (column.Name === '') throw invalidArgument(`${where}: a column name must not be empty.`);
    const folded = column.Name.toUpperCase();
    if (names.has(folded)) throw invalidArgument(`${where}: duplicate column name ${column.Name}.`);
    names.add(folded);
    if (format.RecordFormatType === 'JSON' && (column.Mapping === undefined || column.Mapping === '')) {
      throw invalidArgument(`${where}: column ${column.Name} needs a Mapping for RecordFormatType JSON.`);
    }
    checkSqlType(column.SqlType, column.Name, where);
    if (format.RecordFormatType === 'JSON') checkMapping(column.Mapping ?? '', column.Name, where);
  }
}

function checkMapping(mapping: string, column: string, where: string): void {
  try {
    parseJsonPath(mapping);
  } catch (error) {
    if (!(error instanceof JsonPathError)) throw error;
    throw invalidArgument(`${where}: column ${column} has an invalid Mapping ${mapping}: ${error.message}.`);
  }
}

/**
 * A column type is valid when the input mapping knows it (`parseColumnType`, which admits only a
 * type name and an optional length or precision) and the SQL front end accepts it in a column
 * definition, so the engine will too.
 */
function checkSqlType(sqlType: string, column: string, where: string): void {
  const invalid = () => invalidArgument(`${where}: column ${column} has an invalid SQL type ${sqlType}.`);
  if (parseColumnType(sqlType) === undefined) throw invalid();
  try {
    parseScript(`CREATE STREAM "t" ("c" ${sqlType})`);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    throw invalid();
  }
}

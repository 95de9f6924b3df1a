/**
 * The processors of a ProcessingConfiguration and DynamicPartitioningConfiguration: how they are
 * stored (Lambda processors echo AWS's full canonical parameter set), the rules checked at
 * CreateDeliveryStream/UpdateDestination (InvalidArgumentException), and the typed view the
 * record processor runs from.
 *
 * Built: every processor type of the model — Decompression (GZIP) and CloudWatchLogProcessing
 * (CloudWatch Logs subscription data), RecordDeAggregation, Lambda, MetadataExtraction (jq 1.6),
 * AppendDelimiterToRecord.
 */
import { invalidArgument } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import {
  isRecordDestination,
  processingOf,
  type DestinationState,
  type ProcessingConfigurationState,
  type S3DestinationState,
} from '../delivery-stream-model.js';
import { partitionKeyReferences } from '../delivery/prefix-expressions.js';
import { checkJqQuery } from './jq-extractor.js';

type Parameter = { readonly ParameterName: string; readonly ParameterValue: string };
type Processor = ProcessingConfigurationState['Processors'][number];

/** The parameters each processor type takes (botocore's ProcessorParameterName, by type). */
const parametersOfType: Readonly<Record<string, readonly string[]>> = {
  Lambda: ['LambdaArn', 'NumberOfRetries', 'RoleArn', 'BufferSizeInMBs', 'BufferIntervalInSeconds'],
  RecordDeAggregation: ['SubRecordType', 'Delimiter'],
  MetadataExtraction: ['MetadataExtractionQuery', 'JsonParsingEngine'],
  AppendDelimiterToRecord: [],
  Decompression: ['CompressionFormat'],
  CloudWatchLogProcessing: ['DataMessageExtraction'],
};

/**
 * A Lambda processor as AWS stores it: every parameter present, defaults filled in (RoleArn is the
 * destination's role), in AWS's order.
 */
export function canonicalLambdaParameters(parameters: readonly Parameter[], roleArn: string): Parameter[] {
  const given = new Map(parameters.map((parameter) => [parameter.ParameterName, parameter.ParameterValue]));
  const value = (name: string, fallback: string): Parameter => ({
    ParameterName: name,
    ParameterValue: given.get(name) ?? fallback,
  });
  const canonical = [
    value('LambdaArn', ''),
    value('NumberOfRetries', String(limits.lambdaProcessorRetriesDefault)),
    value('RoleArn', roleArn),
    value('BufferSizeInMBs', String(limits.lambdaProcessorBufferSizeMBDefault)),
    value('BufferIntervalInSeconds', String(limits.lambdaProcessorBufferIntervalSecondsDefault)),
  ];
  return given.has('LambdaArn') ? canonical : canonical.slice(1);
}

export interface LambdaProcessorSettings {
  readonly lambdaArn: string;
  readonly numberOfRetries: number;
  readonly bufferSizeBytes: number;
}

export type DeAggregationSettings =
  { readonly subRecordType: 'JSON' } | { readonly subRecordType: 'DELIMITED'; readonly delimiter: Buffer };

/**
 * What the record processor runs, in AWS's order (decompression, de-aggregation, CloudWatch Logs
 * message extraction, Lambda, jq, partitioning).
 */
export interface ProcessingPlan {
  readonly decompression?: 'GZIP';
  /** CloudWatchLogProcessing with DataMessageExtraction true (only after decompression). */
  readonly logMessageExtraction?: boolean;
  readonly deAggregation?: DeAggregationSettings;
  readonly lambda?: LambdaProcessorSettings;
  readonly metadataExtractionQuery?: string;
  readonly dynamicPartitioning: boolean;
}

const lambdaArnPattern = /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9-_]+(:[a-zA-Z0-9-_$]+)?$/;

export function dynamicPartitioningEnabled(s3: S3DestinationState): boolean {
  const partitioning = s3.DynamicPartitioningConfiguration as { Enabled?: boolean } | undefined;
  return partitioning?.Enabled === true;
}

/** The checks of CreateDeliveryStream/UpdateDestination on processors and dynamic partitioning. */
export function checkProcessing(s3: S3DestinationState): void {
  const processing = s3.ProcessingConfiguration;
  const enabled = processing?.Enabled === true;
  const processors = enabled ? processing.Processors : [];
  if (enabled && processors.length === 0) {
    throw invalidArgument('Processors must not be empty when processing is enabled.');
  }
  for (const processor of processors) checkProcessor(processor);
  checkOnePerType(processors);
  const partitioning = dynamicPartitioningEnabled(s3);
  const hasExtraction = processors.some((processor) => processor.Type === 'MetadataExtraction');
  if (hasExtraction && !partitioning) {
    throw invalidArgument(
      'The MetadataExtraction processor can be used only when dynamic partitioning is enabled.',
    );
  }
  if (!partitioning) return;
  if (s3.BufferingHints.SizeInMBs < limits.dynamicPartitioningBufferSizeMiBMin) {
    throw invalidArgument(
      `BufferingHints.SizeInMBs must be at least ${limits.dynamicPartitioningBufferSizeMiBMin} when Dynamic Partitioning is enabled.`,
    );
  }
  for (const reference of partitionKeyReferences(s3.Prefix)) {
    if (reference.source === 'Query' && !hasExtraction) {
      throw invalidArgument(
        `The Prefix uses !{partitionKeyFromQuery:${reference.key}} but no MetadataExtraction processor is enabled.`,
      );
    }
    if (reference.source === 'Lambda' && !processors.some((processor) => processor.Type === 'Lambda')) {
      throw invalidArgument(
        `The Prefix uses !{partitionKeyFromLambda:${reference.key}} but no Lambda processor is enabled.`,
      );
    }
  }
}

/**
 * The checks on a record destination's (HTTP endpoint, OpenSearch, Elasticsearch, Splunk)
 * processors: AWS runs a Lambda transformation (and the delimiter) there; de-aggregation and
 * MetadataExtraction serve dynamic partitioning, which only S3 destinations have.
 */
export function checkRecordDestinationProcessing(processing: ProcessingConfigurationState | undefined): void {
  if (processing?.Enabled !== true) return;
  const processors = processing.Processors;
  if (processors.length === 0) {
    throw invalidArgument('Processors must not be empty when processing is enabled.');
  }
  for (const processor of processors) {
    if (processor.Type === 'RecordDeAggregation' || processor.Type === 'MetadataExtraction') {
      throw invalidArgument(
        `The processor type ${processor.Type} can be used only with dynamic partitioning, which only Amazon S3 destinations support.`,
      );
    }
    checkProcessor(processor);
  }
  checkOnePerType(processors);
}

/** At most one processor of each type; CloudWatchLogProcessing only with Decompression. */
function checkOnePerType(processors: readonly Processor[]): void {
  for (const type of Object.keys(parametersOfType)) {
    if (type === 'AppendDelimiterToRecord') continue;
    if (processors.filter((processor) => processor.Type === type).length > 1) {
      throw invalidArgument(`Only one processor of type ${type} is supported.`);
    }
  }
  if (
    processors.some((processor) => processor.Type === 'CloudWatchLogProcessing') &&
    !processors.some((processor) => processor.Type === 'Decompression')
  ) {
    throw invalidArgument(
      'The processor type CloudWatchLogProcessing can be used only together with a Decompression processor.',
    );
  }
}

function checkProcessor(processor: Processor): void {
  const type = processor.Type;
  const allowed = parametersOfType[type];
  if (allowed === undefined) throw invalidArgument(`Processor type ${type} is not supported.`);
  const parameters = processor.Parameters ?? [];
  const seen = new Set<string>();
  for (const parameter of parameters) {
    if (!allowed.includes(parameter.ParameterName)) {
      throw invalidArgument(
        `Processor parameter ${parameter.ParameterName} is not valid for processor type ${type}.`,
      );
    }
    if (seen.has(parameter.ParameterName)) {
      throw invalidArgument(`Processor parameter ${parameter.ParameterName} is given more than once.`);
    }
    seen.add(parameter.ParameterName);
  }
  const value = (name: string): string | undefined =>
    parameters.find((parameter) => parameter.ParameterName === name)?.ParameterValue;
  switch (type) {
    case 'Lambda':
      checkLambda(value);
      break;
    case 'RecordDeAggregation':
      deAggregationOf(value);
      break;
    case 'Decompression':
      decompressionOf(value);
      break;
    case 'CloudWatchLogProcessing':
      messageExtractionOf(value);
      break;
    case 'MetadataExtraction': {
      const query = value('MetadataExtractionQuery');
      if (query === undefined)
        throw invalidArgument('MetadataExtractionQuery is required for processor type MetadataExtraction.');
      const engine = value('JsonParsingEngine');
      if (engine !== 'JQ-1.6') {
        throw invalidArgument('JsonParsingEngine must be JQ-1.6 for processor type MetadataExtraction.');
      }
      const problem = checkJqQuery(query);
      if (problem !== undefined)
        throw invalidArgument(`MetadataExtractionQuery is not a valid jq query: ${problem}`);
      break;
    }
  }
}

function checkLambda(value: (name: string) => string | undefined): void {
  const arn = value('LambdaArn');
  if (arn === undefined) throw invalidArgument('LambdaArn is required for processor type Lambda.');
  if (!lambdaArnPattern.test(arn))
    throw invalidArgument(`LambdaArn ${arn} is not a valid Lambda function ARN.`);
  checkNumber(value('NumberOfRetries'), 'NumberOfRetries', 0, limits.lambdaProcessorRetriesMax, true);
  checkNumber(
    value('BufferSizeInMBs'),
    'BufferSizeInMBs',
    limits.lambdaProcessorBufferSizeMBMin,
    limits.lambdaProcessorBufferSizeMBMax,
    false,
  );
  checkNumber(
    value('BufferIntervalInSeconds'),
    'BufferIntervalInSeconds',
    limits.lambdaProcessorBufferIntervalSecondsMin,
    limits.lambdaProcessorBufferIntervalSecondsMax,
    true,
  );
}

function checkNumber(text: string | undefined, name: string, min: number, max: number, whole: boolean): void {
  if (text === undefined) return;
  const number = Number(text);
  if (
    text.trim() === '' ||
    !Number.isFinite(number) ||
    (whole && !Number.isInteger(number)) ||
    number < min ||
    number > max
  ) {
    throw invalidArgument(
      `${name} must be a${whole ? ' whole' : ''} number from ${min} to ${max}, got ${text}.`,
    );
  }
}

function deAggregationOf(value: (name: string) => string | undefined): DeAggregationSettings {
  const subRecordType = value('SubRecordType');
  if (subRecordType === 'JSON') {
    if (value('Delimiter') !== undefined) {
      throw invalidArgument('Delimiter can be given only when SubRecordType is DELIMITED.');
    }
    return { subRecordType };
  }
  if (subRecordType === 'DELIMITED') {
    const text = value('Delimiter');
    if (text === undefined) throw invalidArgument('Delimiter is required when SubRecordType is DELIMITED.');
    const delimiter = Buffer.from(text, 'base64');
    if (delimiter.length === 0 || delimiter.toString('base64') !== text) {
      throw invalidArgument('Delimiter must be a base64-encoded, non-empty delimiter.');
    }
    return { subRecordType, delimiter };
  }
  throw invalidArgument('SubRecordType must be JSON or DELIMITED for processor type RecordDeAggregation.');
}

function decompressionOf(value: (name: string) => string | undefined): 'GZIP' {
  const format = value('CompressionFormat') ?? 'GZIP';
  if (format !== 'GZIP') {
    throw invalidArgument(`CompressionFormat must be GZIP for processor type Decompression, got ${format}.`);
  }
  return format;
}

function messageExtractionOf(value: (name: string) => string | undefined): boolean {
  const text = value('DataMessageExtraction');
  if (text === undefined) {
    throw invalidArgument('DataMessageExtraction is required for processor type CloudWatchLogProcessing.');
  }
  if (text !== 'true' && text !== 'false') {
    throw invalidArgument(
      `DataMessageExtraction must be true or false for processor type CloudWatchLogProcessing, got ${text}.`,
    );
  }
  return text === 'true';
}

/**
 * The plan of a checked destination: its ProcessingConfiguration wherever its kind keeps it
 * (`processingOf`); dynamic partitioning only for S3 destinations.
 */
export function processingPlanOf(destination: DestinationState): ProcessingPlan {
  const processing = processingOf(destination);
  const processors = processing?.Enabled === true ? processing.Processors : [];
  const valueOf = (processor: Processor) => (name: string) =>
    processor.Parameters?.find((parameter) => parameter.ParameterName === name)?.ParameterValue;
  let plan: {
    decompression?: 'GZIP';
    logMessageExtraction?: boolean;
    deAggregation?: DeAggregationSettings;
    lambda?: LambdaProcessorSettings;
    metadataExtractionQuery?: string;
    dynamicPartitioning: boolean;
  } = {
    dynamicPartitioning: !isRecordDestination(destination) && dynamicPartitioningEnabled(destination.s3),
  };
  for (const processor of processors) {
    const value = valueOf(processor);
    switch (processor.Type) {
      case 'Decompression':
        plan = { ...plan, decompression: decompressionOf(value) };
        break;
      case 'CloudWatchLogProcessing':
        plan = { ...plan, logMessageExtraction: messageExtractionOf(value) };
        break;
      case 'RecordDeAggregation':
        plan = { ...plan, deAggregation: deAggregationOf(value) };
        break;
      case 'Lambda':
        plan = {
          ...plan,
          lambda: {
            lambdaArn: value('LambdaArn') as string,
            numberOfRetries: Number(value('NumberOfRetries') ?? limits.lambdaProcessorRetriesDefault),
            bufferSizeBytes: Math.round(
              Number(value('BufferSizeInMBs') ?? limits.lambdaProcessorBufferSizeMBDefault) * 1_000_000,
            ),
          },
        };
        break;
      case 'MetadataExtraction':
        plan = { ...plan, metadataExtractionQuery: value('MetadataExtractionQuery') as string };
        break;
    }
  }
  return plan;
}

/** Whether a plan does anything to records before buffering into objects. */
export const planIsEmpty = (plan: ProcessingPlan): boolean =>
  plan.decompression === undefined &&
  plan.deAggregation === undefined &&
  plan.lambda === undefined &&
  plan.metadataExtractionQuery === undefined &&
  !plan.dynamicPartitioning;

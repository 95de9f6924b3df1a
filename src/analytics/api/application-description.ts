/**
 * DescribeApplication's `ApplicationDetail` and the `ApplicationSummary` of Create/List, built
 * from the stored record: configurations come back in the model's `...Description` structures.
 */
import type { LoadedApplication } from './analytics-service.js';
import {
  inAppStreamNames,
  type StoredInput,
  type StoredOutput,
  type StoredReference,
} from './application-model.js';

export function applicationSummary(loaded: LoadedApplication): object {
  return {
    ApplicationName: loaded.record.name,
    ApplicationARN: loaded.arn,
    ApplicationStatus: loaded.record.status,
  };
}

export function applicationDetail(loaded: LoadedApplication): object {
  const record = loaded.record;
  return {
    ApplicationName: record.name,
    ...(record.description === undefined ? {} : { ApplicationDescription: record.description }),
    ApplicationARN: loaded.arn,
    ApplicationStatus: record.status,
    CreateTimestamp: new Date(record.createdAtMs),
    LastUpdateTimestamp: new Date(record.updatedAtMs),
    InputDescriptions: record.inputs.map(inputDescription),
    OutputDescriptions: record.outputs.map(outputDescription),
    ReferenceDataSourceDescriptions: record.references.map(referenceDescription),
    CloudWatchLoggingOptionDescriptions: record.loggingOptions.map(({ id, option }) => ({
      CloudWatchLoggingOptionId: id,
      LogStreamARN: option.LogStreamARN,
      RoleARN: option.RoleARN,
    })),
    ...(record.code === undefined ? {} : { ApplicationCode: record.code }),
    ApplicationVersionId: record.versionId,
  };
}

function inputDescription({ id, input, startingPosition }: StoredInput): object {
  const lambda = input.InputProcessingConfiguration?.InputLambdaProcessor;
  return {
    InputId: id,
    NamePrefix: input.NamePrefix,
    InAppStreamNames: inAppStreamNames(input),
    ...(lambda === undefined
      ? {}
      : { InputProcessingConfigurationDescription: { InputLambdaProcessorDescription: lambda } }),
    ...(input.KinesisStreamsInput === undefined
      ? {}
      : { KinesisStreamsInputDescription: input.KinesisStreamsInput }),
    ...(input.KinesisFirehoseInput === undefined
      ? {}
      : { KinesisFirehoseInputDescription: input.KinesisFirehoseInput }),
    InputSchema: input.InputSchema,
    InputParallelism: { Count: input.InputParallelism?.Count ?? 1 },
    ...(startingPosition === undefined
      ? {}
      : { InputStartingPositionConfiguration: { InputStartingPosition: startingPosition } }),
  };
}

function outputDescription({ id, output }: StoredOutput): object {
  return {
    OutputId: id,
    Name: output.Name,
    ...(output.KinesisStreamsOutput === undefined
      ? {}
      : { KinesisStreamsOutputDescription: output.KinesisStreamsOutput }),
    ...(output.KinesisFirehoseOutput === undefined
      ? {}
      : { KinesisFirehoseOutputDescription: output.KinesisFirehoseOutput }),
    ...(output.LambdaOutput === undefined ? {} : { LambdaOutputDescription: output.LambdaOutput }),
    DestinationSchema: output.DestinationSchema,
  };
}

function referenceDescription({ id, reference }: StoredReference): object {
  return {
    ReferenceId: id,
    TableName: reference.TableName,
    S3ReferenceDataSourceDescription: reference.S3ReferenceDataSource,
    ReferenceSchema: reference.ReferenceSchema,
  };
}

/**
 * UpdateApplication: code, inputs, outputs, reference data sources and logging options changed
 * in one version step. Every update names its target by id; the changed configuration is checked
 * as a whole, as on creation.
 */
import { invalidArgument, resourceNotFound } from '../../../core/errors.js';
import type { ApplicationRecord, RequestOf } from '../application-model.js';
import { checkInput, checkOutput, checkReference } from '../configuration-rules.js';
import { validateApplicationCode } from '../validate-application-code.js';
import { defineAction } from './action.js';
import { withInput } from './application-inputs.js';

type ApplicationUpdate = RequestOf<'UpdateApplication'>['ApplicationUpdate'];

export const updateApplication = defineAction('UpdateApplication', async ({ service, scope }, input) => {
  const update = input.ApplicationUpdate;
  if (Object.keys(update).length === 0) throw invalidArgument('ApplicationUpdate must change something.');
  if (update.ApplicationCodeUpdate !== undefined && update.ApplicationCodeUpdate.trim() !== '') {
    validateApplicationCode(update.ApplicationCodeUpdate);
  }
  await service.changeConfiguration(
    scope,
    input.ApplicationName,
    input.CurrentApplicationVersionId,
    (record) => applyUpdate(record, update),
  );
  return undefined;
});

function applyUpdate(record: ApplicationRecord, update: ApplicationUpdate): ApplicationRecord {
  let next = record;
  if (update.ApplicationCodeUpdate !== undefined) next = { ...next, code: update.ApplicationCodeUpdate };
  for (const change of update.InputUpdates ?? []) {
    next = withInput(next, change.InputId, (stored) => {
      const current = stored.input;
      const schema = current.InputSchema;
      const schemaUpdate = change.InputSchemaUpdate;
      const streams = change.KinesisStreamsInputUpdate;
      const firehose = change.KinesisFirehoseInputUpdate;
      const lambda = change.InputProcessingConfigurationUpdate?.InputLambdaProcessorUpdate;
      const currentLambda = current.InputProcessingConfiguration?.InputLambdaProcessor;
      if (lambda !== undefined && currentLambda === undefined) {
        throw invalidArgument(`Input ${change.InputId} has no input processing configuration to update.`);
      }
      const updated = {
        ...current,
        ...(change.NamePrefixUpdate === undefined ? {} : { NamePrefix: change.NamePrefixUpdate }),
        ...(streams === undefined
          ? {}
          : {
              KinesisStreamsInput: {
                ResourceARN: streams.ResourceARNUpdate ?? current.KinesisStreamsInput?.ResourceARN ?? '',
                RoleARN: streams.RoleARNUpdate ?? current.KinesisStreamsInput?.RoleARN ?? '',
              },
              KinesisFirehoseInput: undefined,
            }),
        ...(firehose === undefined
          ? {}
          : {
              KinesisFirehoseInput: {
                ResourceARN: firehose.ResourceARNUpdate ?? current.KinesisFirehoseInput?.ResourceARN ?? '',
                RoleARN: firehose.RoleARNUpdate ?? current.KinesisFirehoseInput?.RoleARN ?? '',
              },
              KinesisStreamsInput: undefined,
            }),
        ...(lambda === undefined || currentLambda === undefined
          ? {}
          : {
              InputProcessingConfiguration: {
                InputLambdaProcessor: {
                  ResourceARN: lambda.ResourceARNUpdate ?? currentLambda.ResourceARN,
                  RoleARN: lambda.RoleARNUpdate ?? currentLambda.RoleARN,
                },
              },
            }),
        ...(schemaUpdate === undefined
          ? {}
          : {
              InputSchema: {
                RecordFormat: schemaUpdate.RecordFormatUpdate ?? schema.RecordFormat,
                RecordEncoding: schemaUpdate.RecordEncodingUpdate ?? schema.RecordEncoding,
                RecordColumns: schemaUpdate.RecordColumnUpdates ?? schema.RecordColumns,
              },
            }),
        ...(change.InputParallelismUpdate?.CountUpdate === undefined
          ? {}
          : { InputParallelism: { Count: change.InputParallelismUpdate.CountUpdate } }),
      };
      const cleaned = JSON.parse(JSON.stringify(updated)) as typeof updated;
      checkInput(cleaned);
      return { ...stored, input: cleaned };
    });
  }
  for (const change of update.OutputUpdates ?? []) {
    const stored = next.outputs.find((candidate) => candidate.id === change.OutputId);
    if (stored === undefined)
      throw resourceNotFound(`Application ${record.name} has no output with id ${change.OutputId}.`);
    const current = stored.output;
    const destination = (
      update: { ResourceARNUpdate?: string; RoleARNUpdate?: string } | undefined,
      existing: { ResourceARN: string; RoleARN: string } | undefined,
    ) =>
      update === undefined
        ? undefined
        : {
            ResourceARN: update.ResourceARNUpdate ?? existing?.ResourceARN ?? '',
            RoleARN: update.RoleARNUpdate ?? existing?.RoleARN ?? '',
          };
    const streams = destination(change.KinesisStreamsOutputUpdate, current.KinesisStreamsOutput);
    const firehose = destination(change.KinesisFirehoseOutputUpdate, current.KinesisFirehoseOutput);
    const lambda = destination(change.LambdaOutputUpdate, current.LambdaOutput);
    const replaced = streams ?? firehose ?? lambda;
    const output = {
      Name: change.NameUpdate ?? current.Name,
      DestinationSchema: change.DestinationSchemaUpdate ?? current.DestinationSchema,
      ...(replaced === undefined
        ? {
            ...(current.KinesisStreamsOutput === undefined
              ? {}
              : { KinesisStreamsOutput: current.KinesisStreamsOutput }),
            ...(current.KinesisFirehoseOutput === undefined
              ? {}
              : { KinesisFirehoseOutput: current.KinesisFirehoseOutput }),
            ...(current.LambdaOutput === undefined ? {} : { LambdaOutput: current.LambdaOutput }),
          }
        : {
            ...(streams === undefined ? {} : { KinesisStreamsOutput: streams }),
            ...(firehose === undefined ? {} : { KinesisFirehoseOutput: firehose }),
            ...(lambda === undefined ? {} : { LambdaOutput: lambda }),
          }),
    };
    checkOutput(output);
    next = {
      ...next,
      outputs: next.outputs.map((candidate) =>
        candidate.id === change.OutputId ? { ...candidate, output } : candidate,
      ),
    };
  }
  for (const change of update.ReferenceDataSourceUpdates ?? []) {
    const stored = next.references.find((candidate) => candidate.id === change.ReferenceId);
    if (stored === undefined) {
      throw resourceNotFound(
        `Application ${record.name} has no reference data source with id ${change.ReferenceId}.`,
      );
    }
    const current = stored.reference;
    const s3 = change.S3ReferenceDataSourceUpdate;
    const reference = {
      TableName: change.TableNameUpdate ?? current.TableName,
      S3ReferenceDataSource: {
        BucketARN: s3?.BucketARNUpdate ?? current.S3ReferenceDataSource?.BucketARN ?? '',
        FileKey: s3?.FileKeyUpdate ?? current.S3ReferenceDataSource?.FileKey ?? '',
        ReferenceRoleARN: s3?.ReferenceRoleARNUpdate ?? current.S3ReferenceDataSource?.ReferenceRoleARN ?? '',
      },
      ReferenceSchema: change.ReferenceSchemaUpdate ?? current.ReferenceSchema,
    };
    checkReference(reference);
    next = {
      ...next,
      references: next.references.map((candidate) =>
        candidate.id === change.ReferenceId ? { ...candidate, reference } : candidate,
      ),
    };
  }
  for (const change of update.CloudWatchLoggingOptionUpdates ?? []) {
    const id = change.CloudWatchLoggingOptionId;
    const stored = next.loggingOptions.find((candidate) => candidate.id === id);
    if (stored === undefined)
      throw resourceNotFound(`Application ${record.name} has no CloudWatch logging option with id ${id}.`);
    const option = {
      LogStreamARN: change.LogStreamARNUpdate ?? stored.option.LogStreamARN,
      RoleARN: change.RoleARNUpdate ?? stored.option.RoleARN,
    };
    next = {
      ...next,
      loggingOptions: next.loggingOptions.map((candidate) =>
        candidate.id === id ? { ...candidate, option } : candidate,
      ),
    };
  }
  return next;
}

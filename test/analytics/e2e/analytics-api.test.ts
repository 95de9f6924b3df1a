/**
 * The Kinesis Analytics control plane through the JavaScript SDK against a real server process:
 * create/describe/list/update/delete with version checks, inputs, outputs, reference data,
 * logging options, tags, validation errors, code validation (syntax, and binding against the inputs),
 * StartApplication of what cannot run yet, and persistence across a restart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddApplicationCloudWatchLoggingOptionCommand,
  AddApplicationInputCommand,
  AddApplicationInputProcessingConfigurationCommand,
  AddApplicationOutputCommand,
  AddApplicationReferenceDataSourceCommand,
  CodeValidationException,
  ConcurrentModificationException,
  CreateApplicationCommand,
  DeleteApplicationCloudWatchLoggingOptionCommand,
  DeleteApplicationCommand,
  DeleteApplicationInputProcessingConfigurationCommand,
  DeleteApplicationOutputCommand,
  DeleteApplicationReferenceDataSourceCommand,
  DescribeApplicationCommand,
  InvalidArgumentException,
  LimitExceededException,
  ListApplicationsCommand,
  ListTagsForResourceCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  StartApplicationCommand,
  StopApplicationCommand,
  TagResourceCommand,
  TooManyTagsException,
  UntagResourceCommand,
  UpdateApplicationCommand,
  type Input,
  type KinesisAnalyticsClient,
} from '@aws-sdk/client-kinesis-analytics';
import { analyticsClient, waitForApplicationStatus } from '../../helpers/analytics-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../../helpers/server-process.js';

const role = 'arn:aws:iam::000000000000:role/analytics';
const streamArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/source';
const outputArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/results';
/** Valid against the inputs' columns (names as created, so quoted) and in-application streams. */
const codeFor = (inputStream: string) =>
  [
    'CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), price REAL);',
    'CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"',
    `SELECT STREAM "ticker", "price" FROM "${inputStream}" WHERE "price" > 10;`,
  ].join('\n');
const code = codeFor('SOURCE_SQL_STREAM_001');

const jsonInput: Input = {
  NamePrefix: 'SOURCE_SQL_STREAM',
  KinesisStreamsInput: { ResourceARN: streamArn, RoleARN: role },
  InputSchema: {
    RecordFormat: {
      RecordFormatType: 'JSON',
      MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
    },
    RecordEncoding: 'UTF-8',
    RecordColumns: [
      { Name: 'ticker', Mapping: '$.ticker', SqlType: 'VARCHAR(4)' },
      { Name: 'price', Mapping: '$.price', SqlType: 'REAL' },
    ],
  },
};

describe('Kinesis Analytics API', () => {
  let server: ServerProcess;
  let client: KinesisAnalyticsClient;

  before(async () => {
    server = await startServer();
    client = analyticsClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  const describeApp = async (name: string) =>
    (await client.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!;

  it('creates, describes and lists an application', async () => {
    const created = await client.send(
      new CreateApplicationCommand({
        ApplicationName: 'app-one',
        ApplicationDescription: 'first',
        ApplicationCode: code,
        Inputs: [jsonInput],
        Outputs: [
          {
            Name: 'DESTINATION_SQL_STREAM',
            KinesisStreamsOutput: { ResourceARN: outputArn, RoleARN: role },
            DestinationSchema: { RecordFormatType: 'JSON' },
          },
        ],
        Tags: [{ Key: 'team', Value: 'data' }],
      }),
    );
    assert.deepEqual(created.ApplicationSummary, {
      ApplicationName: 'app-one',
      ApplicationARN: 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/app-one',
      ApplicationStatus: 'READY',
    });
    const detail = await describeApp('app-one');
    assert.equal(detail.ApplicationVersionId, 1);
    assert.equal(detail.ApplicationCode, code);
    assert.equal(detail.ApplicationDescription, 'first');
    assert.ok(detail.CreateTimestamp instanceof Date);
    assert.deepEqual(detail.InputDescriptions, [
      {
        InputId: '1.1',
        NamePrefix: 'SOURCE_SQL_STREAM',
        InAppStreamNames: ['SOURCE_SQL_STREAM_001'],
        KinesisStreamsInputDescription: { ResourceARN: streamArn, RoleARN: role },
        InputSchema: jsonInput.InputSchema,
        InputParallelism: { Count: 1 },
      },
    ]);
    assert.deepEqual(detail.OutputDescriptions, [
      {
        OutputId: '2.1',
        Name: 'DESTINATION_SQL_STREAM',
        KinesisStreamsOutputDescription: { ResourceARN: outputArn, RoleARN: role },
        DestinationSchema: { RecordFormatType: 'JSON' },
      },
    ]);
    await client.send(new CreateApplicationCommand({ ApplicationName: 'app-two' }));
    const listed = await client.send(new ListApplicationsCommand({ Limit: 1 }));
    assert.deepEqual(
      listed.ApplicationSummaries?.map((summary) => summary.ApplicationName),
      ['app-one'],
    );
    assert.equal(listed.HasMoreApplications, true);
    const rest = await client.send(new ListApplicationsCommand({ ExclusiveStartApplicationName: 'app-one' }));
    assert.deepEqual(
      rest.ApplicationSummaries?.map((summary) => summary.ApplicationName),
      ['app-two'],
    );
    assert.equal(rest.HasMoreApplications, false);
  });

  it('rejects a second application of the same name, and unknown names', async () => {
    await assert.rejects(
      client.send(new CreateApplicationCommand({ ApplicationName: 'app-one' })),
      (error: unknown) =>
        error instanceof ResourceInUseException && error.message === 'Application app-one already exists.',
    );
    await assert.rejects(
      client.send(new DescribeApplicationCommand({ ApplicationName: 'nope' })),
      (error: unknown) =>
        error instanceof ResourceNotFoundException &&
        error.message === 'Application nope is not found in account 000000000000.',
    );
  });

  it('answers CodeValidationException with the line and column of a syntax error', async () => {
    await assert.rejects(
      client.send(
        new CreateApplicationCommand({
          ApplicationName: 'bad-code',
          ApplicationCode: 'CREATE STREAM s (a INT);\nSELECT STREAM a FROM s WHERE (a = 1',
        }),
      ),
      (error: unknown) =>
        error instanceof CodeValidationException &&
        error.message ===
          "Application code is not valid SQL: line 2, column 36: expected ')' but found end of input",
    );
    await assert.rejects(
      client.send(new DescribeApplicationCommand({ ApplicationName: 'bad-code' })),
      ResourceNotFoundException,
    );
    const { ApplicationVersionId } = await describeApp('app-two');
    await assert.rejects(
      client.send(
        new UpdateApplicationCommand({
          ApplicationName: 'app-two',
          CurrentApplicationVersionId: ApplicationVersionId,
          ApplicationUpdate: { ApplicationCodeUpdate: 'CREATE PUMP p AS SELECT 1' },
        }),
      ),
      (error: unknown) =>
        error instanceof CodeValidationException && /line 1, column 18:/.test(error.message),
    );
    // With the inputs known, the code is bound: names as created (unquoted names fold to upper case).
    await assert.rejects(
      client.send(
        new CreateApplicationCommand({
          ApplicationName: 'bad-column',
          ApplicationCode: code.replace('"price" > 10', 'price > 10'),
          Inputs: [jsonInput],
        }),
      ),
      (error: unknown) =>
        error instanceof CodeValidationException &&
        error.message ===
          "Application code is not valid: line 3, column 68: Column 'PRICE' not found in any table",
    );
    await assert.rejects(
      client.send(
        new CreateApplicationCommand({
          ApplicationName: 'bad-pump',
          Inputs: [jsonInput],
          ApplicationCode: code.replace('SELECT STREAM "ticker", "price"', 'SELECT STREAM "ticker"'),
        }),
      ),
      (error: unknown) =>
        error instanceof CodeValidationException &&
        /^Application code is not valid: line 3, column 1: Number of INSERT target columns \(2\) does not equal number of source items \(1\)$/.test(
          error.message,
        ),
    );
  });

  it('checks the model constraints and the configuration rules', async () => {
    await assert.rejects(
      client.send(new CreateApplicationCommand({ ApplicationName: 'bad name' })),
      (error: unknown) =>
        error instanceof Error &&
        error.name === 'ValidationException' &&
        error.message ===
          "1 validation error detected: Value 'bad name' at 'applicationName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    );
    await assert.rejects(
      client.send(
        new CreateApplicationCommand({
          ApplicationName: 'two-sources',
          Inputs: [{ ...jsonInput, KinesisFirehoseInput: { ResourceARN: outputArn, RoleARN: role } }],
        }),
      ),
      (error: unknown) =>
        error instanceof InvalidArgumentException &&
        error.message === 'Input must specify exactly one of KinesisStreamsInput or KinesisFirehoseInput.',
    );
    await assert.rejects(
      client.send(
        new CreateApplicationCommand({
          ApplicationName: 'bad-type',
          Inputs: [
            {
              ...jsonInput,
              InputSchema: {
                ...jsonInput.InputSchema!,
                RecordColumns: [{ Name: 'a', Mapping: '$.a', SqlType: 'STRING' }],
              },
            },
          ],
        }),
      ),
      (error: unknown) =>
        error instanceof InvalidArgumentException &&
        error.message === 'InputSchema: column a has an invalid SQL type STRING.',
    );
    await assert.rejects(
      client.send(
        new CreateApplicationCommand({ ApplicationName: 'two-inputs', Inputs: [jsonInput, jsonInput] }),
      ),
      LimitExceededException,
    );
    await assert.rejects(
      client.send(
        new CreateApplicationCommand({
          ApplicationName: 'many-tags',
          Tags: Array.from({ length: 51 }, (_, index) => ({ Key: `k${index}`, Value: 'v' })),
        }),
      ),
      TooManyTagsException,
    );
  });

  it('bumps the version on every change and refuses a stale one', async () => {
    let detail = await describeApp('app-two');
    assert.equal(detail.ApplicationVersionId, 1);
    await client.send(
      new AddApplicationInputCommand({
        ApplicationName: 'app-two',
        CurrentApplicationVersionId: 1,
        Input: jsonInput,
      }),
    );
    await assert.rejects(
      client.send(
        new AddApplicationInputCommand({
          ApplicationName: 'app-two',
          CurrentApplicationVersionId: 1,
          Input: jsonInput,
        }),
      ),
      (error: unknown) =>
        error instanceof ConcurrentModificationException &&
        error.message ===
          'Current application version 2 does not match the CurrentApplicationVersionId 1 of the request.',
    );
    detail = await describeApp('app-two');
    const inputId = detail.InputDescriptions![0]!.InputId!;
    assert.equal(inputId, '1.1');
    const lambda = { ResourceARN: 'arn:aws:lambda:us-east-1:000000000000:function:f', RoleARN: role };
    await client.send(
      new AddApplicationInputProcessingConfigurationCommand({
        ApplicationName: 'app-two',
        CurrentApplicationVersionId: 2,
        InputId: inputId,
        InputProcessingConfiguration: { InputLambdaProcessor: lambda },
      }),
    );
    detail = await describeApp('app-two');
    assert.deepEqual(detail.InputDescriptions![0]!.InputProcessingConfigurationDescription, {
      InputLambdaProcessorDescription: lambda,
    });
    await client.send(
      new DeleteApplicationInputProcessingConfigurationCommand({
        ApplicationName: 'app-two',
        CurrentApplicationVersionId: 3,
        InputId: inputId,
      }),
    );
    await client.send(
      new AddApplicationOutputCommand({
        ApplicationName: 'app-two',
        CurrentApplicationVersionId: 4,
        Output: {
          Name: 'error_stream',
          KinesisStreamsOutput: { ResourceARN: outputArn, RoleARN: role },
          DestinationSchema: { RecordFormatType: 'CSV' },
        },
      }),
    );
    await client.send(
      new AddApplicationReferenceDataSourceCommand({
        ApplicationName: 'app-two',
        CurrentApplicationVersionId: 5,
        ReferenceDataSource: {
          TableName: 'COMPANY',
          S3ReferenceDataSource: {
            BucketARN: 'arn:aws:s3:::ref',
            FileKey: 'company.csv',
            ReferenceRoleARN: role,
          },
          ReferenceSchema: {
            RecordFormat: {
              RecordFormatType: 'CSV',
              MappingParameters: {
                CSVMappingParameters: { RecordRowDelimiter: '\n', RecordColumnDelimiter: ',' },
              },
            },
            RecordColumns: [
              { Name: 'ticker', SqlType: 'VARCHAR(4)' },
              { Name: 'company', SqlType: 'VARCHAR(64)' },
            ],
          },
        },
      }),
    );
    await client.send(
      new AddApplicationCloudWatchLoggingOptionCommand({
        ApplicationName: 'app-two',
        CurrentApplicationVersionId: 6,
        CloudWatchLoggingOption: {
          LogStreamARN: 'arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:s',
          RoleARN: role,
        },
      }),
    );
    detail = await describeApp('app-two');
    assert.equal(detail.ApplicationVersionId, 7);
    assert.deepEqual(
      [
        detail.OutputDescriptions?.map((output) => [output.OutputId, output.Name]),
        detail.ReferenceDataSourceDescriptions?.map((reference) => [
          reference.ReferenceId,
          reference.TableName,
        ]),
        detail.CloudWatchLoggingOptionDescriptions?.map((option) => option.CloudWatchLoggingOptionId),
      ],
      [[['2.1', 'error_stream']], [['3.1', 'COMPANY']], ['4.1']],
    );
    await client.send(
      new UpdateApplicationCommand({
        ApplicationName: 'app-two',
        CurrentApplicationVersionId: 7,
        ApplicationUpdate: {
          ApplicationCodeUpdate: codeFor('IN_001'),
          InputUpdates: [
            { InputId: inputId, NamePrefixUpdate: 'IN', InputParallelismUpdate: { CountUpdate: 2 } },
          ],
          OutputUpdates: [{ OutputId: '2.1', DestinationSchemaUpdate: { RecordFormatType: 'JSON' } }],
          ReferenceDataSourceUpdates: [{ ReferenceId: '3.1', TableNameUpdate: 'COMPANIES' }],
        },
      }),
    );
    detail = await describeApp('app-two');
    assert.equal(detail.ApplicationVersionId, 8);
    assert.equal(detail.ApplicationCode, codeFor('IN_001'));
    assert.deepEqual(detail.InputDescriptions![0]!.InAppStreamNames, ['IN_001', 'IN_002']);
    assert.deepEqual(detail.OutputDescriptions![0]!.DestinationSchema, { RecordFormatType: 'JSON' });
    assert.equal(detail.ReferenceDataSourceDescriptions![0]!.TableName, 'COMPANIES');
    await assert.rejects(
      client.send(
        new DeleteApplicationOutputCommand({
          ApplicationName: 'app-two',
          CurrentApplicationVersionId: 8,
          OutputId: '9.1',
        }),
      ),
      (error: unknown) =>
        error instanceof ResourceNotFoundException &&
        error.message === 'Application app-two has no output with id 9.1.',
    );
    await client.send(
      new DeleteApplicationOutputCommand({
        ApplicationName: 'app-two',
        CurrentApplicationVersionId: 8,
        OutputId: '2.1',
      }),
    );
    await client.send(
      new DeleteApplicationReferenceDataSourceCommand({
        ApplicationName: 'app-two',
        CurrentApplicationVersionId: 9,
        ReferenceId: '3.1',
      }),
    );
    await client.send(
      new DeleteApplicationCloudWatchLoggingOptionCommand({
        ApplicationName: 'app-two',
        CurrentApplicationVersionId: 10,
        CloudWatchLoggingOptionId: '4.1',
      }),
    );
    detail = await describeApp('app-two');
    assert.equal(detail.ApplicationVersionId, 11);
    assert.deepEqual(
      [
        detail.OutputDescriptions,
        detail.ReferenceDataSourceDescriptions,
        detail.CloudWatchLoggingOptionDescriptions,
      ],
      [[], [], []],
    );
  });

  it('tags applications by ARN', async () => {
    const arn = 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/app-one';
    await client.send(
      new TagResourceCommand({
        ResourceARN: arn,
        Tags: [
          { Key: 'env', Value: 'test' },
          { Key: 'team', Value: 'ops' },
        ],
      }),
    );
    assert.deepEqual((await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [
      { Key: 'team', Value: 'ops' },
      { Key: 'env', Value: 'test' },
    ]);
    await client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team'] }));
    assert.deepEqual((await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [
      { Key: 'env', Value: 'test' },
    ]);
    await assert.rejects(
      client.send(
        new ListTagsForResourceCommand({
          ResourceARN: 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/nope',
        }),
      ),
      ResourceNotFoundException,
    );
  });

  it('starts an application with a Lambda output, and stopping a READY application does nothing', async () => {
    await client.send(
      new CreateApplicationCommand({
        ApplicationName: 'to-lambda',
        ApplicationCode: code,
        Inputs: [jsonInput],
        Outputs: [
          {
            Name: 'DESTINATION_SQL_STREAM',
            LambdaOutput: {
              ResourceARN: 'arn:aws:lambda:us-east-1:000000000000:function:out',
              RoleARN: role,
            },
            DestinationSchema: { RecordFormatType: 'JSON' },
          },
        ],
      }),
    );
    // Lambda outputs run (delivery is tested in input-preprocessing.test.ts).
    await client.send(
      new StartApplicationCommand({
        ApplicationName: 'to-lambda',
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'NOW' } },
        ],
      }),
    );
    await waitForApplicationStatus(client, 'to-lambda', 'RUNNING');
    await client.send(new StopApplicationCommand({ ApplicationName: 'to-lambda' }));
    await waitForApplicationStatus(client, 'to-lambda', 'READY');
    await client.send(new CreateApplicationCommand({ ApplicationName: 'no-input' }));
    await assert.rejects(
      client.send(new StartApplicationCommand({ ApplicationName: 'nope', InputConfigurations: [] })),
      ResourceNotFoundException,
    );
    await client.send(new StopApplicationCommand({ ApplicationName: 'app-one' }));
    assert.equal((await describeApp('app-one')).ApplicationStatus, 'READY');
  });

  it('deletes only with the matching CreateTimestamp', async () => {
    const detail = await describeApp('no-input');
    await assert.rejects(
      client.send(
        new DeleteApplicationCommand({
          ApplicationName: 'no-input',
          CreateTimestamp: new Date(detail.CreateTimestamp!.getTime() - 1000),
        }),
      ),
      ConcurrentModificationException,
    );
    await client.send(
      new DeleteApplicationCommand({ ApplicationName: 'no-input', CreateTimestamp: detail.CreateTimestamp! }),
    );
    await waitForApplicationStatus(client, 'no-input', 'GONE');
  });

  it('keeps applications across a restart', async () => {
    const before = await describeApp('app-two');
    await server.stop();
    server = await startServer({ dataDir: server.dataDir });
    client.destroy();
    client = analyticsClient(server.endpoint);
    const afterRestart = await describeApp('app-two');
    assert.deepEqual(afterRestart, before);
    await client.send(
      new UpdateApplicationCommand({
        ApplicationName: 'app-two',
        CurrentApplicationVersionId: before.ApplicationVersionId!,
        ApplicationUpdate: { ApplicationCodeUpdate: '' },
      }),
    );
    assert.equal((await describeApp('app-two')).ApplicationVersionId, before.ApplicationVersionId! + 1);
  });
});

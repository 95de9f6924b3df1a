/**
 * CreateDeliveryStream / UpdateDestination / DescribeDeliveryStream for processors and dynamic
 * partitioning, with the JavaScript SDK v3 and the AWS CLI v2: the Lambda processor echoed with
 * AWS's canonical parameters, RetryOptions' default, any well-formed Lambda ARN accepted (the
 * function need not be registered, as AWS does not check it), and InvalidArgumentException for
 * broken processors, prefixes and dynamic partitioning rules.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  InvalidArgumentException,
  UpdateDestinationCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { requireCliV2, runCli } from '../helpers/aws-cli.js';
import { awsClientEnvironment } from '../helpers/aws-environment.js';
import { firehoseClient, waitForDeliveryStreamActive } from '../helpers/firehose-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const bucketArn = 'arn:aws:s3:::processing-bucket';
const functionArn = 'arn:aws:lambda:us-east-1:000000000000:function:not-registered';
const jq = (query: string) => ({
  Type: 'MetadataExtraction' as const,
  Parameters: [
    { ParameterName: 'MetadataExtractionQuery' as const, ParameterValue: query },
    { ParameterName: 'JsonParsingEngine' as const, ParameterValue: 'JQ-1.6' },
  ],
});
const partitioned = {
  Prefix: 'c=!{partitionKeyFromQuery:c}/',
  ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
  BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
  DynamicPartitioningConfiguration: { Enabled: true },
};

describe('Firehose processing configuration', () => {
  let server: ServerProcess;
  let client: FirehoseClient;

  before(async () => {
    server = await startServer();
    client = firehoseClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  const create = (name: string, s3: Record<string, unknown>) =>
    client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: { RoleARN: roleArn, BucketARN: bucketArn, ...s3 } as never,
      }),
    );

  async function refused(s3: Record<string, unknown>, message: string | RegExp): Promise<void> {
    await assert.rejects(create('refused', s3), (error: unknown) => {
      assert.ok(error instanceof InvalidArgumentException, String(error));
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    });
  }

  it('echoes a Lambda processor with the canonical parameters and dynamic partitioning with its RetryOptions', async () => {
    await create('echo', {
      ...partitioned,
      Prefix: 'c=!{partitionKeyFromQuery:c}/l=!{partitionKeyFromLambda:l}/',
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          { Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: functionArn }] },
          jq('{c:.c}'),
        ],
      },
    });
    await waitForDeliveryStreamActive(client, 'echo');
    const described = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'echo' }));
    const s3 = described.DeliveryStreamDescription?.Destinations?.[0]?.ExtendedS3DestinationDescription;
    assert.deepEqual(s3?.ProcessingConfiguration?.Processors?.[0], {
      Type: 'Lambda',
      Parameters: [
        { ParameterName: 'LambdaArn', ParameterValue: functionArn },
        { ParameterName: 'NumberOfRetries', ParameterValue: '3' },
        { ParameterName: 'RoleArn', ParameterValue: roleArn },
        { ParameterName: 'BufferSizeInMBs', ParameterValue: '1' },
        { ParameterName: 'BufferIntervalInSeconds', ParameterValue: '60' },
      ],
    });
    assert.deepEqual(s3?.DynamicPartitioningConfiguration, {
      Enabled: true,
      RetryOptions: { DurationInSeconds: 300 },
    });
    const versionId = described.DeliveryStreamDescription?.VersionId;
    const destinationId = described.DeliveryStreamDescription?.Destinations?.[0]?.DestinationId;
    await assert.rejects(
      client.send(
        new UpdateDestinationCommand({
          DeliveryStreamName: 'echo',
          CurrentDeliveryStreamVersionId: versionId,
          DestinationId: destinationId,
          ExtendedS3DestinationUpdate: { DynamicPartitioningConfiguration: { Enabled: false } },
        }),
      ),
      {
        name: 'InvalidArgumentException',
        message: 'Dynamic partitioning cannot be disabled once it is enabled.',
      },
    );
  });

  it('refuses to enable dynamic partitioning on an existing delivery stream', async () => {
    await create('plain', {});
    await waitForDeliveryStreamActive(client, 'plain');
    const described = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'plain' }));
    await assert.rejects(
      client.send(
        new UpdateDestinationCommand({
          DeliveryStreamName: 'plain',
          CurrentDeliveryStreamVersionId: described.DeliveryStreamDescription?.VersionId,
          DestinationId: described.DeliveryStreamDescription?.Destinations?.[0]?.DestinationId,
          ExtendedS3DestinationUpdate: { DynamicPartitioningConfiguration: { Enabled: true } },
        }),
      ),
      {
        name: 'InvalidArgumentException',
        message: 'Dynamic partitioning can be enabled only when the delivery stream is created.',
      },
    );
  });

  it('answers InvalidArgumentException for broken processors and partitioning rules', async () => {
    const lambda = (parameters: { ParameterName: string; ParameterValue: string }[]) => ({
      ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: parameters }] },
    });
    await refused(
      lambda([{ ParameterName: 'NumberOfRetries', ParameterValue: '2' }]),
      'LambdaArn is required for processor type Lambda.',
    );
    await refused(
      lambda([{ ParameterName: 'LambdaArn', ParameterValue: 'arn:aws:s3:::not-a-function' }]),
      'LambdaArn arn:aws:s3:::not-a-function is not a valid Lambda function ARN.',
    );
    await refused(
      lambda([
        { ParameterName: 'LambdaArn', ParameterValue: functionArn },
        { ParameterName: 'BufferSizeInMBs', ParameterValue: '4' },
      ]),
      'BufferSizeInMBs must be a number from 0.2 to 3, got 4.',
    );
    await refused(
      lambda([
        { ParameterName: 'LambdaArn', ParameterValue: functionArn },
        { ParameterName: 'SubRecordType', ParameterValue: 'JSON' },
      ]),
      'Processor parameter SubRecordType is not valid for processor type Lambda.',
    );
    await refused(
      {
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            { Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: functionArn }] },
            { Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: functionArn }] },
          ],
        },
      },
      'Only one processor of type Lambda is supported.',
    );
    await refused(
      { ProcessingConfiguration: { Enabled: true, Processors: [jq('{c:.c}')] } },
      'The MetadataExtraction processor can be used only when dynamic partitioning is enabled.',
    );
    await refused(
      { ...partitioned, ProcessingConfiguration: { Enabled: true, Processors: [jq('{c: .c')] } },
      /^MetadataExtractionQuery is not a valid jq query: jq: error/,
    );
    await refused(
      {
        ...partitioned,
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [{ ...jq('{c:.c}'), Parameters: [jq('{c:.c}').Parameters[0]] }],
        },
      },
      'JsonParsingEngine must be JQ-1.6 for processor type MetadataExtraction.',
    );
    await refused(
      {
        ...partitioned,
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'RecordDeAggregation',
              Parameters: [{ ParameterName: 'SubRecordType', ParameterValue: 'DELIMITED' }],
            },
            jq('{c:.c}'),
          ],
        },
      },
      'Delimiter is required when SubRecordType is DELIMITED.',
    );
    await refused(
      {
        ...partitioned,
        ProcessingConfiguration: { Enabled: true, Processors: [jq('{c:.c}')] },
        Prefix: 'fixed/',
      },
      'Ths supplied prefix(es) do not satisfy the following constraint: When dynamic partitioning is enabled, the Prefix must contain at least one partitionKeyFromQuery or partitionKeyFromLambda expression',
    );
    await refused(
      {
        ...partitioned,
        ProcessingConfiguration: { Enabled: true, Processors: [jq('{c:.c}')] },
        ErrorOutputPrefix: undefined,
      },
      'Ths supplied prefix(es) do not satisfy the following constraint: ErrorOutputPrefix cannot be null or empty when Prefix contains expressions',
    );
    await refused(
      {
        ...partitioned,
        ProcessingConfiguration: { Enabled: true, Processors: [jq('{c:.c}')] },
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/!{partitionKeyFromQuery:c}/',
      },
      'Ths supplied prefix(es) do not satisfy the following constraint: The ErrorOutputPrefix must not contain the expression !{partitionKeyFromQuery:c}',
    );
    await refused(
      {
        ...partitioned,
        ProcessingConfiguration: { Enabled: true, Processors: [jq('{c:.c}')] },
        BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 60 },
      },
      'BufferingHints.SizeInMBs must be at least 64 when Dynamic Partitioning is enabled.',
    );
    await refused(
      { ...partitioned },
      'The Prefix uses !{partitionKeyFromQuery:c} but no MetadataExtraction processor is enabled.',
    );
    await refused(
      { Prefix: 'c=!{partitionKeyFromQuery:c}/', ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/' },
      'Ths supplied prefix(es) do not satisfy the following constraint: The partitionKeyFromQuery and partitionKeyFromLambda namespaces require dynamic partitioning to be enabled',
    );
  });

  it('creates and describes a Lambda processor with the AWS CLI', async () => {
    const homeDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-cli-home-'));
    try {
      const env = awsClientEnvironment(homeDir);
      await requireCliV2(env);
      const endpoint = ['--endpoint-url', server.endpoint, '--output', 'json'];
      const created = await runCli(
        [
          'firehose',
          'create-delivery-stream',
          '--delivery-stream-name',
          'cli-lambda',
          '--extended-s3-destination-configuration',
          JSON.stringify({
            RoleARN: roleArn,
            BucketARN: bucketArn,
            ProcessingConfiguration: {
              Enabled: true,
              Processors: [
                {
                  Type: 'Lambda',
                  Parameters: [
                    { ParameterName: 'LambdaArn', ParameterValue: `${functionArn}:live` },
                    { ParameterName: 'BufferSizeInMBs', ParameterValue: '0.5' },
                  ],
                },
              ],
            },
          }),
          ...endpoint,
        ],
        env,
      );
      assert.equal(created.code, 0, created.stderr);
      await waitForDeliveryStreamActive(client, 'cli-lambda');
      const described = await runCli(
        ['firehose', 'describe-delivery-stream', '--delivery-stream-name', 'cli-lambda', ...endpoint],
        env,
      );
      assert.equal(described.code, 0, described.stderr);
      const parameters = (
        JSON.parse(described.stdout) as {
          DeliveryStreamDescription: {
            Destinations: {
              ExtendedS3DestinationDescription: {
                ProcessingConfiguration: {
                  Processors: { Parameters: { ParameterName: string; ParameterValue: string }[] }[];
                };
              };
            }[];
          };
        }
      ).DeliveryStreamDescription.Destinations[0]?.ExtendedS3DestinationDescription.ProcessingConfiguration
        .Processors[0]?.Parameters;
      assert.deepEqual(
        parameters?.map((parameter) => `${parameter.ParameterName}=${parameter.ParameterValue}`),
        [
          `LambdaArn=${functionArn}:live`,
          'NumberOfRetries=3',
          `RoleArn=${roleArn}`,
          'BufferSizeInMBs=0.5',
          'BufferIntervalInSeconds=60',
        ],
      );
      const refusedByCli = await runCli(
        [
          'firehose',
          'create-delivery-stream',
          '--delivery-stream-name',
          'cli-refused',
          '--extended-s3-destination-configuration',
          JSON.stringify({
            RoleARN: roleArn,
            BucketARN: bucketArn,
            ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: [] }] },
          }),
          ...endpoint,
        ],
        env,
      );
      assert.equal(refusedByCli.code, 254);
      assert.match(
        refusedByCli.stderr,
        /An error occurred \(InvalidArgumentException\) when calling the CreateDeliveryStream operation( \(reached max retries: 0\))?: LambdaArn is required for processor type Lambda\./,
      );
    } finally {
      await rm(homeDir, { recursive: true, force: true });
    }
  });
});

/**
 * The Firehose control plane with the JavaScript SDK v3 against a real server: create, describe
 * (both S3 views, defaults filled in), list, update (version checks, merge rules), tags,
 * encryption and delete, and AWS's errors for bad input.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ConcurrentModificationException,
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  InvalidArgumentException,
  LimitExceededException,
  ListDeliveryStreamsCommand,
  ListTagsForDeliveryStreamCommand,
  PutRecordCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  StartDeliveryStreamEncryptionCommand,
  StopDeliveryStreamEncryptionCommand,
  TagDeliveryStreamCommand,
  UntagDeliveryStreamCommand,
  UpdateDestinationCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { firehoseClient, waitForDeliveryStreamActive } from '../helpers/firehose-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const bucketArn = 'arn:aws:s3:::api-bucket';

async function rejectsWith(
  promise: Promise<unknown>,
  type: new (...args: never[]) => Error,
  message?: string | RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}

async function rejectsWithName(
  promise: Promise<unknown>,
  name: string,
  message?: string | RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal((error as Error).name, name, String(error));
    if (typeof message === 'string') assert.equal((error as Error).message, message);
    else if (message !== undefined) assert.match((error as Error).message, message);
    return true;
  });
}

describe('Firehose control plane with the JavaScript SDK v3', () => {
  let server: ServerProcess;
  let client: FirehoseClient;

  before(async () => {
    // CREATING lasts 2 s, so a Describe right after Create sees it even on a loaded machine.
    server = await startServer({ extraArgs: ['--transition-delay-ms', '2000'] });
    client = firehoseClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  it('creates a minimal S3 delivery stream: CREATING, then ACTIVE with AWS defaults in both views', async () => {
    const created = await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'minimal',
        S3DestinationConfiguration: { RoleARN: roleArn, BucketARN: bucketArn },
      }),
    );
    assert.equal(created.DeliveryStreamARN, 'arn:aws:firehose:us-east-1:000000000000:deliverystream/minimal');
    const creating = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'minimal' }));
    assert.equal(creating.DeliveryStreamDescription?.DeliveryStreamStatus, 'CREATING');
    await waitForDeliveryStreamActive(client, 'minimal');
    const { DeliveryStreamDescription: description } = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'minimal' }),
    );
    assert.ok(description?.CreateTimestamp instanceof Date);
    const { CreateTimestamp: _created, ...rest } = description;
    const defaults = {
      RoleARN: roleArn,
      BucketARN: bucketArn,
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      CompressionFormat: 'UNCOMPRESSED',
      EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
      CloudWatchLoggingOptions: { Enabled: false },
    };
    assert.deepEqual(rest, {
      DeliveryStreamName: 'minimal',
      DeliveryStreamARN: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/minimal',
      DeliveryStreamStatus: 'ACTIVE',
      DeliveryStreamEncryptionConfiguration: { Status: 'DISABLED' },
      DeliveryStreamType: 'DirectPut',
      VersionId: '1',
      Destinations: [
        {
          DestinationId: 'destinationId-000000000001',
          S3DestinationDescription: defaults,
          ExtendedS3DestinationDescription: { ...defaults, S3BackupMode: 'Disabled' },
        },
      ],
      HasMoreDestinations: false,
    });
  });

  it('refuses a second delivery stream of the same name', async () => {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'twice',
        ExtendedS3DestinationConfiguration: { RoleARN: roleArn, BucketARN: bucketArn },
      }),
    );
    await rejectsWith(
      client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'twice',
          ExtendedS3DestinationConfiguration: { RoleARN: roleArn, BucketARN: bucketArn },
        }),
      ),
      ResourceInUseException,
      'Firehose twice under accountId 000000000000 already exists',
    );
    await waitForDeliveryStreamActive(client, 'twice');
  });

  it('answers AWS errors for bad create requests', async () => {
    await rejectsWith(
      client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'no-destination' })),
      InvalidArgumentException,
      'Exactly one destination configuration is supported for a Firehose',
    );
    await rejectsWith(
      client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'two-destinations',
          S3DestinationConfiguration: { RoleARN: roleArn, BucketARN: bucketArn },
          ExtendedS3DestinationConfiguration: { RoleARN: roleArn, BucketARN: bucketArn },
        }),
      ),
      InvalidArgumentException,
      'Exactly one destination configuration is supported for a Firehose',
    );
    await rejectsWithName(
      client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'bad name!',
          ExtendedS3DestinationConfiguration: { RoleARN: roleArn, BucketARN: bucketArn },
        }),
      ),
      'ValidationException',
      "1 validation error detected: Value 'bad name!' at 'deliveryStreamName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+',
    );
    await rejectsWithName(
      client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'big-buffer',
          ExtendedS3DestinationConfiguration: {
            RoleARN: roleArn,
            BucketARN: bucketArn,
            BufferingHints: { SizeInMBs: 129, IntervalInSeconds: 901 },
          },
        }),
      ),
      'ValidationException',
      "2 validation errors detected: Value '129' at 'extendedS3DestinationConfiguration.bufferingHints.sizeInMBs' " +
        'failed to satisfy constraint: Member must have value less than or equal to 128; ' +
        "Value '901' at 'extendedS3DestinationConfiguration.bufferingHints.intervalInSeconds' " +
        'failed to satisfy constraint: Member must have value less than or equal to 900',
    );
    await rejectsWith(
      client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'expressions-without-error-prefix',
          ExtendedS3DestinationConfiguration: {
            RoleARN: roleArn,
            BucketARN: bucketArn,
            Prefix: 'data/!{timestamp:yyyy}/',
          },
        }),
      ),
      InvalidArgumentException,
      'Ths supplied prefix(es) do not satisfy the following constraint: ' +
        'ErrorOutputPrefix cannot be null or empty when Prefix contains expressions',
    );
    await rejectsWith(
      client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'error-prefix-without-type',
          ExtendedS3DestinationConfiguration: {
            RoleARN: roleArn,
            BucketARN: bucketArn,
            Prefix: 'data/!{timestamp:yyyy}/',
            ErrorOutputPrefix: 'errors/!{timestamp:yyyy}/',
          },
        }),
      ),
      InvalidArgumentException,
      /ErrorOutputPrefix must contain !\{firehose:error-output-type\}/,
    );
    await rejectsWith(
      client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'decompression',
          ExtendedS3DestinationConfiguration: {
            RoleARN: roleArn,
            BucketARN: bucketArn,
            ProcessingConfiguration: {
              Enabled: true,
              Processors: [
                {
                  Type: 'CloudWatchLogProcessing',
                  Parameters: [{ ParameterName: 'DataMessageExtraction', ParameterValue: 'true' }],
                },
              ],
            },
          },
        }),
      ),
      InvalidArgumentException,
      'The processor type CloudWatchLogProcessing can be used only together with a Decompression processor.',
    );
    // Record destinations run Lambda; de-aggregation serves dynamic partitioning (S3 only).
    await rejectsWith(
      client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'http-deaggregation',
          HttpEndpointDestinationConfiguration: {
            EndpointConfiguration: { Url: 'https://127.0.0.1:1/' },
            ProcessingConfiguration: {
              Enabled: true,
              Processors: [
                {
                  Type: 'RecordDeAggregation',
                  Parameters: [{ ParameterName: 'SubRecordType', ParameterValue: 'JSON' }],
                },
              ],
            },
            S3Configuration: { RoleARN: roleArn, BucketARN: bucketArn },
          },
        }),
      ),
      InvalidArgumentException,
      'The processor type RecordDeAggregation can be used only with dynamic partitioning, which only Amazon S3 destinations support.',
    );
    await rejectsWith(
      client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'http-bad-lambda',
          HttpEndpointDestinationConfiguration: {
            EndpointConfiguration: { Url: 'https://127.0.0.1:1/' },
            ProcessingConfiguration: {
              Enabled: true,
              Processors: [
                {
                  Type: 'Lambda',
                  Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: 'not-an-arn' }],
                },
              ],
            },
            S3Configuration: { RoleARN: roleArn, BucketARN: bucketArn },
          },
        }),
      ),
      InvalidArgumentException,
      'LambdaArn not-an-arn is not a valid Lambda function ARN.',
    );
    await rejectsWith(
      client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'serverless',
          AmazonOpenSearchServerlessDestinationConfiguration: {
            RoleARN: roleArn,
            IndexName: 'logs',
            S3Configuration: { RoleARN: roleArn, BucketARN: bucketArn },
          },
        }),
      ),
      InvalidArgumentException,
      'The destination AmazonOpenSearchServerlessDestination is not supported yet by this Firehose endpoint.',
    );
    await rejectsWith(
      client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'kinesis-without-source',
          DeliveryStreamType: 'KinesisStreamAsSource',
          ExtendedS3DestinationConfiguration: { RoleARN: roleArn, BucketARN: bucketArn },
        }),
      ),
      InvalidArgumentException,
    );
    const names = await client.send(new ListDeliveryStreamsCommand({ Limit: 100 }));
    assert.deepEqual(names.DeliveryStreamNames, ['minimal', 'twice']);
  });

  it('lists names in lexical order, by page, and by type', async () => {
    for (const name of ['list-c', 'list-a', 'list-b']) {
      await client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: name,
          ExtendedS3DestinationConfiguration: { RoleARN: roleArn, BucketARN: bucketArn },
        }),
      );
    }
    const first = await client.send(new ListDeliveryStreamsCommand({ Limit: 2 }));
    assert.deepEqual(first, {
      $metadata: first.$metadata,
      DeliveryStreamNames: ['list-a', 'list-b'],
      HasMoreDeliveryStreams: true,
    });
    const next = await client.send(
      new ListDeliveryStreamsCommand({ Limit: 2, ExclusiveStartDeliveryStreamName: 'list-b' }),
    );
    assert.deepEqual(next.DeliveryStreamNames, ['list-c', 'minimal']);
    assert.equal(next.HasMoreDeliveryStreams, true);
    const kinesis = await client.send(
      new ListDeliveryStreamsCommand({ DeliveryStreamType: 'KinesisStreamAsSource' }),
    );
    assert.deepEqual(kinesis.DeliveryStreamNames, []);
    assert.equal(kinesis.HasMoreDeliveryStreams, false);
  });

  it('updates the destination: version check, merge, no-op keeps the version', async () => {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'updated',
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: bucketArn,
          Prefix: 'first/',
          CompressionFormat: 'GZIP',
          BufferingHints: { SizeInMBs: 2, IntervalInSeconds: 120 },
        },
      }),
    );
    await waitForDeliveryStreamActive(client, 'updated');
    await client.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: 'updated',
        CurrentDeliveryStreamVersionId: '1',
        DestinationId: 'destinationId-000000000001',
        ExtendedS3DestinationUpdate: { Prefix: 'second/', BufferingHints: { IntervalInSeconds: 60 } },
      }),
    );
    const described = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'updated' }));
    const description = described.DeliveryStreamDescription;
    assert.equal(description?.VersionId, '2');
    assert.ok(description?.LastUpdateTimestamp instanceof Date);
    const s3 = description?.Destinations?.[0]?.ExtendedS3DestinationDescription;
    assert.equal(s3?.Prefix, 'second/');
    assert.equal(s3?.CompressionFormat, 'GZIP');
    assert.deepEqual(s3?.BufferingHints, { SizeInMBs: 2, IntervalInSeconds: 60 });

    await rejectsWith(
      client.send(
        new UpdateDestinationCommand({
          DeliveryStreamName: 'updated',
          CurrentDeliveryStreamVersionId: '1',
          DestinationId: 'destinationId-000000000001',
          S3DestinationUpdate: { Prefix: 'stale/' },
        }),
      ),
      ConcurrentModificationException,
      'Cannot update firehose: updated since the current version id: 2 and specified version id: 1 do not match',
    );
    // The same values again: no new version.
    await client.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: 'updated',
        CurrentDeliveryStreamVersionId: '2',
        DestinationId: 'destinationId-000000000001',
        S3DestinationUpdate: { Prefix: 'second/' },
      }),
    );
    const again = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'updated' }));
    assert.equal(again.DeliveryStreamDescription?.VersionId, '2');
    await client.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: 'updated',
        CurrentDeliveryStreamVersionId: '2',
        DestinationId: 'destinationId-000000000001',
        S3DestinationUpdate: { CompressionFormat: 'ZIP' },
      }),
    );
    const zipped = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'updated' }));
    assert.equal(zipped.DeliveryStreamDescription?.VersionId, '3');
    assert.equal(
      zipped.DeliveryStreamDescription?.Destinations?.[0]?.ExtendedS3DestinationDescription
        ?.CompressionFormat,
      'ZIP',
    );
  });

  it('tags: upsert in key order, pages, untag, the 50-tag limit', async () => {
    await client.send(
      new TagDeliveryStreamCommand({
        DeliveryStreamName: 'minimal',
        Tags: [
          { Key: 'team', Value: 'data' },
          { Key: 'env', Value: 'test' },
          { Key: 'cost', Value: 'a' },
        ],
      }),
    );
    await client.send(
      new TagDeliveryStreamCommand({ DeliveryStreamName: 'minimal', Tags: [{ Key: 'env', Value: 'prod' }] }),
    );
    const page = await client.send(
      new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'minimal', Limit: 2 }),
    );
    assert.deepEqual(page.Tags, [
      { Key: 'cost', Value: 'a' },
      { Key: 'env', Value: 'prod' },
    ]);
    assert.equal(page.HasMoreTags, true);
    const rest = await client.send(
      new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'minimal', ExclusiveStartTagKey: 'env' }),
    );
    assert.deepEqual(rest.Tags, [{ Key: 'team', Value: 'data' }]);
    assert.equal(rest.HasMoreTags, false);
    await client.send(
      new UntagDeliveryStreamCommand({ DeliveryStreamName: 'minimal', TagKeys: ['cost', 'nope'] }),
    );
    const after = await client.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'minimal' }));
    assert.deepEqual(
      after.Tags?.map((tag) => tag.Key),
      ['env', 'team'],
    );
    const many = Array.from({ length: 49 }, (_, index) => ({
      Key: `k${String(index).padStart(2, '0')}`,
      Value: 'v',
    }));
    await rejectsWith(
      client.send(new TagDeliveryStreamCommand({ DeliveryStreamName: 'minimal', Tags: many })),
      LimitExceededException,
    );
    await rejectsWithName(
      client.send(
        new TagDeliveryStreamCommand({ DeliveryStreamName: 'minimal', Tags: [{ Key: 'aws:x', Value: 'v' }] }),
      ),
      'ValidationException',
      /at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    await rejectsWith(
      client.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'missing' })),
      ResourceNotFoundException,
      'Firehose missing under account 000000000000 not found.',
    );
  });

  it('starts and stops server-side encryption through ENABLING and DISABLING', async () => {
    await rejectsWith(
      client.send(
        new StartDeliveryStreamEncryptionCommand({
          DeliveryStreamName: 'minimal',
          DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK' },
        }),
      ),
      InvalidArgumentException,
      'KeyARN must be provided when KeyType is CUSTOMER_MANAGED_CMK.',
    );
    await client.send(
      new StartDeliveryStreamEncryptionCommand({
        DeliveryStreamName: 'minimal',
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      }),
    );
    const status = async (): Promise<string | undefined> =>
      (await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'minimal' })))
        .DeliveryStreamDescription?.DeliveryStreamEncryptionConfiguration?.Status;
    const seen = new Set<string | undefined>([await status()]);
    while (!seen.has('ENABLED')) seen.add(await status());
    assert.ok(seen.has('ENABLING') || seen.has('ENABLED'));
    const put = await client.send(
      new PutRecordCommand({ DeliveryStreamName: 'minimal', Record: { Data: Buffer.from('secret') } }),
    );
    assert.equal(put.Encrypted, true);
    await client.send(new StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: 'minimal' }));
    while ((await status()) !== 'DISABLED') await new Promise((resolve) => setTimeout(resolve, 20));
    const clear = await client.send(
      new PutRecordCommand({ DeliveryStreamName: 'minimal', Record: { Data: Buffer.from('clear') } }),
    );
    assert.equal(clear.Encrypted, false);
  });

  it('deletes: DELETING, then gone; puts and describes answer not found', async () => {
    await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'twice' }));
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const described = await client.send(
          new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'twice' }),
        );
        assert.equal(described.DeliveryStreamDescription?.DeliveryStreamStatus, 'DELETING');
      } catch (error) {
        assert.ok(error instanceof ResourceNotFoundException, String(error));
        break;
      }
      assert.ok(Date.now() < deadline, 'delivery stream not deleted in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await rejectsWith(
      client.send(new PutRecordCommand({ DeliveryStreamName: 'twice', Record: { Data: Buffer.from('x') } })),
      ResourceNotFoundException,
      'Firehose twice under account 000000000000 not found.',
    );
    await rejectsWith(
      client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'twice' })),
      ResourceNotFoundException,
    );
  });
});

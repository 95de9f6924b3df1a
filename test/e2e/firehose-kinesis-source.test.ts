/**
 * KinesisStreamAsSource against a real server: a delivery stream reads a Tributary stream from its
 * start across a SplitShard (parents before children), de-aggregates KPL records (built with the
 * independent `aws-kinesis-agg` library), reads records of an encrypted stream in the clear, and
 * refuses direct puts as AWS does. Two delivery streams on one stream each get every record.
 */
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  InvalidArgumentException,
  PutRecordBatchCommand,
  PutRecordCommand,
  StartDeliveryStreamEncryptionCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import {
  CreateStreamCommand,
  ListShardsCommand,
  PutRecordsCommand,
  SplitShardCommand,
  StartStreamEncryptionCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import {
  firehoseClient,
  linesOf,
  waitForBucket,
  waitForDeliveryStreamActive,
} from '../helpers/firehose-client.js';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const require = createRequire(import.meta.url);
const awsAggregation = require('aws-kinesis-agg') as {
  RecordAggregator: new () => {
    addUserRecord(record: { partitionKey: string; data: Buffer }): void;
    build(): { partitionKey: string; data: Buffer };
  };
};

const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const streamArnOf = (name: string): string => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

describe('Firehose KinesisStreamAsSource', () => {
  let server: ServerProcess;
  let firehose: FirehoseClient;
  let kinesis: KinesisClient;

  before(async () => {
    server = await startServer();
    firehose = firehoseClient(server.endpoint);
    kinesis = kinesisClient(server.endpoint);
  });

  after(async () => {
    firehose?.destroy();
    kinesis?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  async function putLines(stream: string, lines: readonly string[]): Promise<void> {
    for (let start = 0; start < lines.length; start += 500) {
      const result = await kinesis.send(
        new PutRecordsCommand({
          StreamName: stream,
          Records: lines
            .slice(start, start + 500)
            .map((line) => ({ Data: Buffer.from(line), PartitionKey: line })),
        }),
      );
      assert.equal(result.FailedRecordCount, 0);
    }
  }

  async function createFromStream(name: string, stream: string, bucket: string): Promise<void> {
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArnOf(stream), RoleARN: roleArn },
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: `arn:aws:s3:::${bucket}`,
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 1 },
          ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
        },
      }),
    );
    await waitForDeliveryStreamActive(firehose, name);
  }

  it('delivers records written before and after a SplitShard, each exactly once without a crash', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'source', ShardCount: 2 }));
    await waitForActive(kinesis, 'source');
    const before = Array.from({ length: 400 }, (_, index) => `before-${index}`);
    await putLines('source', before);
    await createFromStream('from-stream', 'source', 'source-bucket');
    await createFromStream('second-reader', 'source', 'second-bucket');

    const shards = await kinesis.send(new ListShardsCommand({ StreamName: 'source' }));
    const first = shards.Shards?.[0];
    assert.ok(first?.HashKeyRange !== undefined);
    const middle =
      (BigInt(first.HashKeyRange.StartingHashKey ?? '0') + BigInt(first.HashKeyRange.EndingHashKey ?? '0')) /
      2n;
    await kinesis.send(
      new SplitShardCommand({
        StreamName: 'source',
        ShardToSplit: first.ShardId,
        NewStartingHashKey: middle.toString(),
      }),
    );
    await waitForActive(kinesis, 'source');
    const afterSplit = Array.from({ length: 400 }, (_, index) => `after-${index}`);
    await putLines('source', afterSplit);

    const expected = [...before, ...afterSplit].sort();
    for (const bucket of ['source-bucket', 'second-bucket']) {
      const objects = await waitForBucket(
        server.dataDir,
        bucket,
        (found) => linesOf(found).length >= expected.length,
      );
      assert.deepEqual(linesOf(objects), expected);
    }
    const described = await firehose.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'from-stream' }),
    );
    const source = described.DeliveryStreamDescription?.Source?.KinesisStreamSourceDescription;
    assert.equal(source?.KinesisStreamARN, streamArnOf('source'));
    assert.equal(source?.RoleARN, roleArn);
    assert.ok(source?.DeliveryStartTimestamp instanceof Date);
    assert.equal(described.DeliveryStreamDescription?.DeliveryStreamType, 'KinesisStreamAsSource');
  });

  it('refuses direct puts and encryption on a Kinesis-sourced delivery stream', async () => {
    for (const send of [
      () =>
        firehose.send(
          new PutRecordCommand({ DeliveryStreamName: 'from-stream', Record: { Data: Buffer.from('x') } }),
        ),
      () =>
        firehose.send(
          new PutRecordBatchCommand({
            DeliveryStreamName: 'from-stream',
            Records: [{ Data: Buffer.from('x') }],
          }),
        ),
      () =>
        firehose.send(
          new StartDeliveryStreamEncryptionCommand({
            DeliveryStreamName: 'from-stream',
            DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
          }),
        ),
    ]) {
      await assert.rejects(send(), (error: unknown) => {
        assert.ok(error instanceof InvalidArgumentException, String(error));
        assert.equal(
          error.message,
          'This operation is not permitted on KinesisStreamAsSource delivery stream type.',
        );
        return true;
      });
    }
    await assert.rejects(
      firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'missing-source',
          DeliveryStreamType: 'KinesisStreamAsSource',
          KinesisStreamSourceConfiguration: {
            KinesisStreamARN: streamArnOf('no-such-stream'),
            RoleARN: roleArn,
          },
          ExtendedS3DestinationConfiguration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::b' },
        }),
      ),
      InvalidArgumentException,
    );
  });

  it('de-aggregates KPL records and reads an encrypted stream in the clear', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'kpl-source', ShardCount: 1 }));
    await waitForActive(kinesis, 'kpl-source');
    await kinesis.send(
      new StartStreamEncryptionCommand({
        StreamName: 'kpl-source',
        EncryptionType: 'KMS',
        KeyId: 'alias/aws/kinesis',
      }),
    );
    await waitForActive(kinesis, 'kpl-source');
    const aggregator = new awsAggregation.RecordAggregator();
    const userRecords = Array.from({ length: 50 }, (_, index) => `user-${index}`);
    for (const line of userRecords) aggregator.addUserRecord({ partitionKey: line, data: Buffer.from(line) });
    const aggregated = aggregator.build();
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'kpl-source',
        Records: [
          { Data: aggregated.data, PartitionKey: aggregated.partitionKey },
          { Data: Buffer.from('plain-record'), PartitionKey: 'p' },
        ],
      }),
    );
    await createFromStream('from-kpl', 'kpl-source', 'kpl-bucket');
    const expected = [...userRecords, 'plain-record'].sort();
    const objects = await waitForBucket(
      server.dataDir,
      'kpl-bucket',
      (found) => linesOf(found).length >= expected.length,
    );
    assert.deepEqual(linesOf(objects), expected);
  });
});

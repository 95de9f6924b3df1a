/**
 * Firehose across clean restarts of a real server on the same data directory: a CREATING
 * delivery stream finishes after the restart; records buffered in a Direct PUT delivery stream's
 * log survive (the streams service's orphan-log cleanup must leave Firehose's logs alone) and are
 * delivered later; a Kinesis-sourced delivery stream resumes from its checkpoint, delivering every
 * record exactly once when nothing crashed.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { CreateStreamCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { sleep } from '../helpers/aws-environment.js';
import {
  firehoseClient,
  linesOf,
  readBucket,
  waitForBucket,
  waitForDeliveryStreamActive,
} from '../helpers/firehose-client.js';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const delimiter = { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' as const }] };

describe('Firehose across restarts', () => {
  let dataDir = '';
  let server: ServerProcess | undefined;

  after(async () => {
    await server?.stop();
    if (dataDir !== '') await removeDataDir(dataDir);
  });

  async function restart(extraArgs: string[] = []): Promise<ServerProcess> {
    await server?.stop();
    server = await startServer({ dataDir, extraArgs });
    return server;
  }

  it('finishes CREATING, keeps buffered Direct PUT records and resumes a Kinesis source', async () => {
    dataDir = await makeDataDir();
    let current = await restart(['--transition-delay-ms', '60000']);
    let firehose = firehoseClient(current.endpoint);
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'slow-create',
        ExtendedS3DestinationConfiguration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::slow-bucket' },
      }),
    );
    const creating = await firehose.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'slow-create' }),
    );
    assert.equal(creating.DeliveryStreamDescription?.DeliveryStreamStatus, 'CREATING');
    // AWS answers puts to a delivery stream that is still CREATING as if it did not exist.
    await assert.rejects(
      firehose.send(
        new PutRecordCommand({ DeliveryStreamName: 'slow-create', Record: { Data: Buffer.from('x') } }),
      ),
      (error: unknown) => {
        assert.ok(error instanceof ResourceNotFoundException, String(error));
        assert.equal(error.message, 'Firehose slow-create under account 000000000000 not found.');
        return true;
      },
    );
    // Nor can its destination be updated yet.
    await assert.rejects(
      firehose.send(
        new UpdateDestinationCommand({
          DeliveryStreamName: 'slow-create',
          CurrentDeliveryStreamVersionId: '1',
          DestinationId: 'destinationId-000000000001',
          ExtendedS3DestinationUpdate: { Prefix: 'too-early/' },
        }),
      ),
      (error: unknown) => {
        assert.ok(error instanceof ResourceInUseException, String(error));
        assert.equal(
          error.message,
          'Firehose slow-create under account 000000000000 is not ACTIVE, instead in state CREATING.',
        );
        return true;
      },
    );
    firehose.destroy();

    // The transition's due time was stored; after a restart it completes (it is long past due
    // only if the machine is very slow, so give it the rest of its minute at most).
    current = await restart();
    firehose = firehoseClient(current.endpoint);
    const kinesis = kinesisClient(current.endpoint);
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'buffered',
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: 'arn:aws:s3:::buffered-bucket',
          BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 900 },
          ProcessingConfiguration: delimiter,
        },
      }),
    );
    await kinesis.send(new CreateStreamCommand({ StreamName: 'resumed-source', ShardCount: 2 }));
    await waitForActive(kinesis, 'resumed-source');
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'resumed',
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: {
          KinesisStreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/resumed-source',
          RoleARN: roleArn,
        },
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: 'arn:aws:s3:::resumed-bucket',
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
          ProcessingConfiguration: delimiter,
        },
      }),
    );
    await waitForDeliveryStreamActive(firehose, 'buffered');
    await waitForDeliveryStreamActive(firehose, 'resumed');

    const buffered = Array.from({ length: 300 }, (_, index) => `buffered-${index}`);
    const batch = await firehose.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: 'buffered',
        Records: buffered.map((line) => ({ Data: Buffer.from(line) })),
      }),
    );
    assert.equal(batch.FailedPutCount, 0);
    const firstHalf = Array.from({ length: 200 }, (_, index) => `first-${index}`);
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'resumed-source',
        Records: firstHalf.map((line) => ({ Data: Buffer.from(line), PartitionKey: line })),
      }),
    );
    await waitForBucket(dataDir, 'resumed-bucket', (found) => linesOf(found).length >= firstHalf.length);
    firehose.destroy();
    kinesis.destroy();

    current = await restart();
    firehose = firehoseClient(current.endpoint);
    const kinesisAgain = kinesisClient(current.endpoint);
    await waitForDeliveryStreamActive(firehose, 'slow-create', 70_000);
    const secondHalf = Array.from({ length: 200 }, (_, index) => `second-${index}`);
    await kinesisAgain.send(
      new PutRecordsCommand({
        StreamName: 'resumed-source',
        Records: secondHalf.map((line) => ({ Data: Buffer.from(line), PartitionKey: line })),
      }),
    );
    const resumed = await waitForBucket(
      dataDir,
      'resumed-bucket',
      (found) => linesOf(found).length >= firstHalf.length + secondHalf.length,
    );
    // A clean stop re-delivers nothing.
    await sleep(1000);
    assert.deepEqual(
      linesOf(await readBucket(dataDir, 'resumed-bucket')),
      [...firstHalf, ...secondHalf].sort(),
    );
    assert.ok(resumed.length >= 2);

    // The buffered records are still in their log: shorten the interval and they arrive.
    assert.deepEqual(await readBucket(dataDir, 'buffered-bucket'), []);
    await firehose.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: 'buffered',
        CurrentDeliveryStreamVersionId: '1',
        DestinationId: 'destinationId-000000000001',
        ExtendedS3DestinationUpdate: { BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 0 } },
      }),
    );
    const delivered = await waitForBucket(
      dataDir,
      'buffered-bucket',
      (found) => linesOf(found).length >= buffered.length,
    );
    assert.deepEqual(linesOf(delivered), [...buffered].sort());
    assert.match(delivered[0]?.key ?? '', /buffered-2-/);
    firehose.destroy();
    kinesisAgain.destroy();
  });
});

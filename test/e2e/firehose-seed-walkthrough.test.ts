/**
 * The seed walkthrough with the AWS CLI v2 against a real server: stream `test-kinesis` with two
 * shards, records sent to it, delivery stream `test-firehose` reading it into bucket
 * `test-firehose01` with the console's defaults (5 MiB / 300 s; the server runs with
 * `--firehose-buffer-interval-ms-max 1000` so the test need not wait 300 s, since this CLI refuses
 * intervals under 60 s), then a Direct PUT stream fed with put-record-batch, the CLI's error for a
 * put to the Kinesis-sourced stream, and the deletes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { awsClientEnvironment, sleep } from '../helpers/aws-environment.js';
import { requireCliV2, runCli } from '../helpers/aws-cli.js';
import { linesOf, waitForBucket } from '../helpers/firehose-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose_delivery_role';

describe('seed walkthrough: test-kinesis → test-firehose → test-firehose01 with the AWS CLI', () => {
  let server: ServerProcess | undefined;
  let homeDir = '';
  let env: NodeJS.ProcessEnv = {};

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    assert.ok(server !== undefined, 'server not started');
    const full = [...args, '--endpoint-url', server.endpoint, '--output', 'json'];
    const result = await runCli(full, env);
    assert.equal(
      result.code,
      0,
      `aws ${full.join(' ')} exited ${result.code}\nstderr: ${result.stderr}\nserver log:\n${server.stderr()}`,
    );
    return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
  }

  async function waitForStatus(name: string, wanted: string): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const described = (await aws(
        'firehose',
        'describe-delivery-stream',
        '--delivery-stream-name',
        name,
      )) as {
        DeliveryStreamDescription: { DeliveryStreamStatus: string };
      };
      if (described.DeliveryStreamDescription.DeliveryStreamStatus === wanted) return;
      await sleep(100);
    }
    assert.fail(`${name} did not become ${wanted}`);
  }

  before(async () => {
    homeDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-cli-home-'));
    env = awsClientEnvironment(homeDir);
    await requireCliV2(env);
    server = await startServer({ extraArgs: ['--firehose-buffer-interval-ms-max', '1000'] });
  });

  after(async () => {
    if (server !== undefined) {
      await server.stop();
      await removeDataDir(server.dataDir);
    }
    if (homeDir !== '') await rm(homeDir, { recursive: true, force: true });
  });

  const sent: string[] = [];

  it('creates test-kinesis with 2 shards and sends data to it', async () => {
    await aws('kinesis', 'create-stream', '--stream-name', 'test-kinesis', '--shard-count', '2');
    await aws('kinesis', 'wait', 'stream-exists', '--stream-name', 'test-kinesis');
    for (let index = 0; index < 20; index++) {
      const data = JSON.stringify({ ticker: 'AMZN', price: 100 + index, index });
      sent.push(data);
      await aws(
        'kinesis',
        'put-record',
        '--stream-name',
        'test-kinesis',
        '--partition-key',
        `key-${index}`,
        '--data',
        data,
        '--cli-binary-format',
        'raw-in-base64-out',
      );
    }
  });

  it('creates test-firehose from test-kinesis into test-firehose01 and delivers every record', async () => {
    const created = await aws(
      'firehose',
      'create-delivery-stream',
      '--delivery-stream-name',
      'test-firehose',
      '--delivery-stream-type',
      'KinesisStreamAsSource',
      '--kinesis-stream-source-configuration',
      `KinesisStreamARN=arn:aws:kinesis:us-east-1:000000000000:stream/test-kinesis,RoleARN=${roleArn}`,
      '--extended-s3-destination-configuration',
      `RoleARN=${roleArn},BucketARN=arn:aws:s3:::test-firehose01,BufferingHints={SizeInMBs=5,IntervalInSeconds=300},` +
        'ProcessingConfiguration={Enabled=true,Processors=[{Type=AppendDelimiterToRecord}]}',
    );
    assert.equal(
      created.DeliveryStreamARN,
      'arn:aws:firehose:us-east-1:000000000000:deliverystream/test-firehose',
    );
    await waitForStatus('test-firehose', 'ACTIVE');
    const listed = await aws('firehose', 'list-delivery-streams');
    assert.deepEqual(listed, { DeliveryStreamNames: ['test-firehose'], HasMoreDeliveryStreams: false });

    assert.ok(server !== undefined);
    const objects = await waitForBucket(
      server.dataDir,
      'test-firehose01',
      (found) => linesOf(found).length >= sent.length,
    );
    assert.deepEqual(linesOf(objects), [...sent].sort());
    for (const object of objects) {
      assert.match(
        object.key,
        /^\d{4}\/\d{2}\/\d{2}\/\d{2}\/test-firehose-1-\d{4}(-\d{2}){5}-[0-9a-f-]{36}$/,
      );
    }
  });

  it('answers the CLI with InvalidArgumentException for a put to the Kinesis-sourced stream', async () => {
    assert.ok(server !== undefined);
    const result = await runCli(
      [
        'firehose',
        'put-record',
        '--delivery-stream-name',
        'test-firehose',
        '--record',
        'Data=aGVsbG8=',
        '--endpoint-url',
        server.endpoint,
      ],
      env,
    );
    assert.equal(result.code, 254, result.stderr);
    assert.match(
      result.stderr,
      // With AWS_MAX_ATTEMPTS=1 the CLI adds "(reached max retries: 0)" to every error.
      /An error occurred \(InvalidArgumentException\) when calling the PutRecord operation( \(reached max retries: 0\))?: This operation is not permitted on KinesisStreamAsSource delivery stream type\./,
    );
  });

  it('feeds a Direct PUT delivery stream with put-record-batch, GZIP objects included', async () => {
    await aws(
      'firehose',
      'create-delivery-stream',
      '--delivery-stream-name',
      'test-firehose-direct',
      '--s3-destination-configuration',
      `RoleARN=${roleArn},BucketARN=arn:aws:s3:::test-firehose01,Prefix=direct/,CompressionFormat=GZIP`,
    );
    await waitForStatus('test-firehose-direct', 'ACTIVE');
    const batch = (await aws(
      'firehose',
      'put-record-batch',
      '--delivery-stream-name',
      'test-firehose-direct',
      '--records',
      'Data=b25lCg==',
      'Data=dHdvCg==',
    )) as { FailedPutCount: number; RequestResponses: { RecordId: string }[] };
    assert.equal(batch.FailedPutCount, 0);
    assert.equal(batch.RequestResponses.length, 2);
    assert.ok(server !== undefined);
    const objects = await waitForBucket(server.dataDir, 'test-firehose01', (found) =>
      found.some((object) => object.key.startsWith('direct/')),
    );
    const direct = objects.filter((object) => object.key.startsWith('direct/'));
    for (const object of direct)
      assert.match(object.key, /^direct\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/test-firehose-direct-1-.*\.gz$/);
  });

  it('deletes both delivery streams', async () => {
    await aws('firehose', 'delete-delivery-stream', '--delivery-stream-name', 'test-firehose');
    await aws('firehose', 'delete-delivery-stream', '--delivery-stream-name', 'test-firehose-direct');
    for (let attempt = 0; attempt < 100; attempt++) {
      const listed = (await aws('firehose', 'list-delivery-streams')) as { DeliveryStreamNames: string[] };
      if (listed.DeliveryStreamNames.length === 0) return;
      await sleep(100);
    }
    assert.fail('delivery streams not deleted');
  });
});

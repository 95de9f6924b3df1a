/**
 * AWS's limits through the JavaScript SDK v3 against a real server (`--limits aws`, the
 * default): per-shard write and read throughput as ProvisionedThroughputExceededException (per
 * record in PutRecords), the SDK's retry logic riding over a throttle, fan-out pacing, control-plane rates and
 * the CREATING limit as LimitExceededException, the 24-hour quotas of UpdateShardCount and
 * UpdateStreamMode, injected faults, and on-demand streams that grow with their write load.
 *
 * Nothing here depends on tight timings: each throttle is provoked with a wide margin (parallel
 * bursts several times over the rate, or a debt of seconds), and scaling is awaited by polling.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeLimitsCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  LimitExceededException,
  ListShardsCommand,
  ListStreamsCommand,
  ProvisionedThroughputExceededException,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  SubscribeToShardCommand,
  UpdateMaxRecordSizeCommand,
  UpdateShardCountCommand,
  UpdateStreamModeCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { awsClientEnvironment } from '../helpers/aws-environment.js';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { removeDataDir, repositoryRoot, startServer, type ServerProcess } from '../helpers/server-process.js';

const account = '000000000000';
const MiB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The value of one stream-level series in the server's /metrics, 0 when absent. */
async function metricValue(endpoint: string, name: string, stream: string): Promise<number> {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes(`stream="${stream}"`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function createActive(
  client: KinesisClient,
  input: ConstructorParameters<typeof CreateStreamCommand>[0],
) {
  await client.send(new CreateStreamCommand(input));
  await waitForActive(client, input.StreamName ?? '');
}

async function openShardCount(client: KinesisClient, streamName: string): Promise<number> {
  const { Shards = [] } = await client.send(
    new ListShardsCommand({ StreamName: streamName, ShardFilter: { Type: 'AT_LATEST' } }),
  );
  return Shards.length;
}

describe('limits (--limits aws)', () => {
  let server: ServerProcess;
  let client: KinesisClient;

  before(async () => {
    server = await startServer({ extraArgs: ['--on-demand-interval-ms', '1000'] });
    client = kinesisClient(server.endpoint);
  });

  after(async () => {
    client.destroy();
    await server.stop();
    await removeDataDir(server.dataDir);
  });

  it('fails the records of a shard past 1,000 records a second, each with AWS error, in a 200 answer', async () => {
    await createActive(client, { StreamName: 'busy', ShardCount: 1 });
    const batch = Array.from({ length: 500 }, (_, index) => ({
      Data: Buffer.from(`r${index}`),
      PartitionKey: `k${index}`,
    }));
    let failed: { ErrorCode?: string; ErrorMessage?: string }[] = [];
    let succeeded = 0;
    // Four requests of 500 records at once, twice the rate: some must fail unless the server took
    // over a second to admit them; a few rounds leave room for a very slow machine.
    for (let round = 0; round < 5 && failed.length === 0; round++) {
      const results = await Promise.all(
        [0, 1, 2, 3].map(() => client.send(new PutRecordsCommand({ StreamName: 'busy', Records: batch }))),
      );
      for (const result of results) {
        assert.equal(result.$metadata.httpStatusCode, 200);
        const records = result.Records ?? [];
        assert.equal(records.length, 500);
        const failures = records.filter((record) => record.ErrorCode !== undefined);
        assert.equal(result.FailedRecordCount, failures.length);
        failed = [...failed, ...failures];
        succeeded += records.length - failures.length;
      }
    }
    assert.ok(failed.length > 0, 'no record was throttled');
    assert.ok(succeeded >= 1000, `${succeeded} records were admitted`);
    for (const record of failed) {
      assert.deepEqual(record, {
        ErrorCode: 'ProvisionedThroughputExceededException',
        ErrorMessage: `Rate exceeded for shard shardId-000000000000 in stream busy under account ${account}.`,
      });
    }
    // Every throttled record is counted under its CloudWatch name.
    assert.equal(
      await metricValue(
        server.endpoint,
        'tributary_kinesis_write_provisioned_throughput_exceeded_total',
        'busy',
      ),
      failed.length,
    );
  });

  it("throttles PutRecord, and the SDK's retries carry it through", async () => {
    await createActive(client, { StreamName: 'large', ShardCount: 1 });
    const { StreamARN } =
      (await client.send(new DescribeStreamSummaryCommand({ StreamName: 'large' })))
        .StreamDescriptionSummary ?? {};
    await client.send(new UpdateMaxRecordSizeCommand({ StreamARN, MaxRecordSizeInKiB: 4096 }));
    // A 3 MiB record takes three seconds of the shard's 1 MiB/s: the next write waits ~2 s.
    await client.send(
      new PutRecordCommand({ StreamName: 'large', PartitionKey: 'k', Data: Buffer.alloc(3 * MiB) }),
    );
    await assert.rejects(
      client.send(new PutRecordCommand({ StreamName: 'large', PartitionKey: 'k', Data: Buffer.from('x') })),
      (error: unknown) =>
        error instanceof ProvisionedThroughputExceededException &&
        error.$metadata.httpStatusCode === 400 &&
        error.message ===
          `Rate exceeded for shard shardId-000000000000 in stream large under account ${account}.`,
    );
    const retrying = kinesisClient(server.endpoint, 'http2', { maxAttempts: 12 });
    try {
      const put = await retrying.send(
        new PutRecordCommand({ StreamName: 'large', PartitionKey: 'k', Data: Buffer.from('y') }),
      );
      assert.equal(put.ShardId, 'shardId-000000000000');
      assert.ok((put.$metadata.attempts ?? 0) > 1, `answered at attempt ${put.$metadata.attempts}`);
    } finally {
      retrying.destroy();
    }
  });

  it('throttles the sixth GetRecords and GetShardIterator of a shard in a second', async () => {
    await createActive(client, { StreamName: 'reads', ShardCount: 1 });
    await client.send(
      new PutRecordCommand({ StreamName: 'reads', PartitionKey: 'k', Data: Buffer.from('x') }),
    );
    const iterators = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        client.send(
          new GetShardIteratorCommand({
            StreamName: 'reads',
            ShardId: 'shardId-000000000000',
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        ),
      ),
    );
    const refusedIterators = iterators.filter((result) => result.status === 'rejected');
    assert.ok(refusedIterators.length > 0, 'no GetShardIterator was throttled');
    for (const refused of refusedIterators) {
      assert.ok(refused.reason instanceof ProvisionedThroughputExceededException, String(refused.reason));
    }
    const iterator = iterators.find((result) => result.status === 'fulfilled')?.value.ShardIterator;
    const reads = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1 })),
      ),
    );
    const refusedReads = reads.filter((result) => result.status === 'rejected');
    assert.ok(refusedReads.length > 0 && refusedReads.length < 10, `${refusedReads.length} reads refused`);
    for (const refused of refusedReads) {
      const error = refused.reason as ProvisionedThroughputExceededException;
      assert.ok(error instanceof ProvisionedThroughputExceededException, String(error));
      assert.equal(error.message, `Rate exceeded for Shard - ${account}/reads/shardId-000000000000`);
    }
    assert.equal(
      await metricValue(
        server.endpoint,
        'tributary_kinesis_read_provisioned_throughput_exceeded_total',
        'reads',
      ),
      refusedReads.length,
    );
  });

  it('answers LimitExceededException to control-plane bursts', async () => {
    const listings = await Promise.allSettled(
      Array.from({ length: 15 }, () => client.send(new ListStreamsCommand({}))),
    );
    const refused = listings.filter((result) => result.status === 'rejected');
    assert.ok(refused.length > 0, 'no ListStreams was throttled');
    for (const result of refused) {
      assert.ok(result.reason instanceof LimitExceededException, String(result.reason));
      assert.equal(result.reason.message, `Rate exceeded for account ${account}.`);
    }
    const limits = await Promise.allSettled(
      [0, 1, 2, 3].map(() => client.send(new DescribeLimitsCommand({}))),
    );
    assert.ok(
      limits.some((result) => result.status === 'rejected'),
      'DescribeLimits allows one call a second',
    );
  });

  it('refuses the 11th UpdateShardCount of a stream in 24 hours and the 3rd mode switch', async () => {
    await createActive(client, { StreamName: 'scaled', ShardCount: 1 });
    for (let call = 0; call < 10; call++) {
      await client.send(
        new UpdateShardCountCommand({
          StreamName: 'scaled',
          TargetShardCount: call % 2 === 0 ? 2 : 1,
          ScalingType: 'UNIFORM_SCALING',
        }),
      );
      await waitForActive(client, 'scaled');
    }
    await assert.rejects(
      client.send(
        new UpdateShardCountCommand({
          StreamName: 'scaled',
          TargetShardCount: 2,
          ScalingType: 'UNIFORM_SCALING',
        }),
      ),
      (error: unknown) =>
        error instanceof LimitExceededException &&
        error.message ===
          `UpdateShardCount has been called 10 times in the last 24 hours for stream scaled under account ${account}. ` +
            'The limit is 10 in a rolling 24-hour period.',
    );
    const arn = `arn:aws:kinesis:us-east-1:${account}:stream/scaled`;
    for (const mode of ['ON_DEMAND', 'PROVISIONED'] as const) {
      await client.send(
        new UpdateStreamModeCommand({ StreamARN: arn, StreamModeDetails: { StreamMode: mode } }),
      );
      await waitForActive(client, 'scaled');
    }
    await assert.rejects(
      client.send(
        new UpdateStreamModeCommand({ StreamARN: arn, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }),
      ),
      (error: unknown) =>
        error instanceof LimitExceededException &&
        /switched its capacity mode 2 times in the last 24 hours/.test(error.message),
    );
  });

  it('paces a fan-out subscription to 2 MiB/s', async () => {
    await createActive(client, { StreamName: 'fanned', ShardCount: 1 });
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'fanned' }));
    const StreamARN = summary.StreamDescriptionSummary?.StreamARN;
    await client.send(new UpdateMaxRecordSizeCommand({ StreamARN, MaxRecordSizeInKiB: 10240 }));
    // A 6 MiB record, then (once the shard's write debt is paid) a small one: pushing the first
    // leaves the subscription 4 MiB in debt, so the second cannot be pushed within 2 s of it.
    // (A machine that needs 2 s to deliver 8 MiB of JSON meets this bound without pacing; a
    // usual one delivers both within a few hundred milliseconds when pacing is missing.)
    await client.send(
      new PutRecordCommand({ StreamName: 'fanned', PartitionKey: 'k', Data: Buffer.alloc(6 * MiB, 7) }),
    );
    await sleep(5500);
    const retrying = kinesisClient(server.endpoint, 'http2', { maxAttempts: 12 });
    try {
      await retrying.send(
        new PutRecordCommand({ StreamName: 'fanned', PartitionKey: 'k', Data: Buffer.from('small') }),
      );
    } finally {
      retrying.destroy();
    }
    const { Consumer } = await client.send(
      new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'paced' }),
    );
    const ConsumerARN = Consumer?.ConsumerARN;
    for (let attempt = 0; ; attempt++) {
      assert.ok(attempt < 400, 'the consumer did not become ACTIVE');
      const described = await client
        .send(new DescribeStreamConsumerCommand({ ConsumerARN }))
        .catch((error: unknown) => {
          if (error instanceof LimitExceededException) return undefined;
          throw error;
        });
      if (described?.ConsumerDescription?.ConsumerStatus === 'ACTIVE') break;
      await sleep(50);
    }
    const startedMs = Date.now();
    const response = await client.send(
      new SubscribeToShardCommand({
        ConsumerARN,
        ShardId: 'shardId-000000000000',
        StartingPosition: { Type: 'TRIM_HORIZON' },
      }),
    );
    const arrivals: { bytes: number; atMs: number }[] = [];
    for await (const event of response.EventStream ?? []) {
      for (const record of event.SubscribeToShardEvent?.Records ?? []) {
        arrivals.push({ bytes: record.Data?.length ?? 0, atMs: Date.now() });
      }
      if (arrivals.length >= 2) break;
    }
    assert.deepEqual(
      arrivals.map((arrival) => arrival.bytes),
      [6 * MiB, 5],
    );
    const secondAfterMs = (arrivals[1]?.atMs ?? 0) - startedMs;
    assert.ok(secondAfterMs >= 1900, `the second record arrived ${secondAfterMs} ms after subscribing`);
  });

  it('scales an on-demand stream up when its writes near its capacity', async () => {
    await createActive(client, { StreamName: 'elastic', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    assert.equal(await openShardCount(client, 'elastic'), 4);
    // 1 MiB to each of the 4 shards (its whole second of capacity) per round: about 4 MiB/s in a
    // 1 s measurement, twice of which needs 8 shards. Rounds repeat until the scaler acts.
    const quarter = MiB / 4 - 1;
    const hashKeys = [0n, 1n, 2n, 3n].map((shard) => ((shard * 2n ** 128n) / 4n + 1n).toString());
    const records = hashKeys.flatMap((ExplicitHashKey) =>
      [0, 1, 2, 3].map(() => ({ Data: Buffer.alloc(quarter), PartitionKey: 'k', ExplicitHashKey })),
    );
    const deadline = Date.now() + 60_000;
    let status = 'ACTIVE';
    while (status === 'ACTIVE' && (await openShardCount(client, 'elastic')) === 4) {
      assert.ok(Date.now() < deadline, 'the on-demand stream was not scaled within 60 s');
      await client.send(new PutRecordsCommand({ StreamName: 'elastic', Records: records }));
      await sleep(1100);
      const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'elastic' }));
      status = summary.StreamDescriptionSummary?.StreamStatus ?? '';
    }
    await waitForActive(client, 'elastic', 30_000);
    const open = await openShardCount(client, 'elastic');
    assert.ok(open > 4 && open <= 8, `${open} open shards`);
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'elastic' }));
    assert.equal(summary.StreamDescriptionSummary?.StreamModeDetails?.StreamMode, 'ON_DEMAND');
    assert.equal(summary.StreamDescriptionSummary?.OpenShardCount, open);
  });
});

describe('limits: streams CREATING at once', () => {
  let server: ServerProcess;
  let client: KinesisClient;

  before(async () => {
    // Streams stay CREATING long enough to have five of them at once.
    server = await startServer({ extraArgs: ['--transition-delay-ms', '5000'] });
    client = kinesisClient(server.endpoint);
  });

  after(async () => {
    client.destroy();
    await server.stop();
    await removeDataDir(server.dataDir);
  });

  it('refuses a sixth stream while five are CREATING', async () => {
    for (let index = 0; index < 5; index++) {
      await client.send(new CreateStreamCommand({ StreamName: `new-${index}`, ShardCount: 1 }));
    }
    // Past CreateStream's rate of 5 a second, so the answer is about CREATING streams.
    await sleep(1200);
    await assert.rejects(
      client.send(new CreateStreamCommand({ StreamName: 'new-5', ShardCount: 1 })),
      (error: unknown) =>
        error instanceof LimitExceededException &&
        error.message ===
          'This request would have exceed the limit on the number  of streams that can simultaneously be in ' +
            `CREATING or DELETING for the account ${account}. Limit: 5.`,
    );
  });
});

describe('fault injection', () => {
  let server: ServerProcess;

  before(async () => {
    server = await startServer({
      extraArgs: [
        '--limits',
        'off',
        '--fault-throttle-rate',
        '0.3',
        '--fault-internal-rate',
        '0.2',
        '--fault-seed',
        '42',
      ],
    });
  });

  after(async () => {
    await server.stop();
    await removeDataDir(server.dataDir);
  });

  it('fails about the configured fractions of data-plane calls, and retries get through', async () => {
    const client = kinesisClient(server.endpoint);
    try {
      await createActive(client, { StreamName: 'flaky', ShardCount: 1 });
      const outcomes = new Map<string, number>();
      for (let call = 0; call < 200; call++) {
        const outcome = await client
          .send(new PutRecordCommand({ StreamName: 'flaky', PartitionKey: 'k', Data: Buffer.from('x') }))
          .then(
            () => 'ok',
            (error: unknown) =>
              `${(error as Error).name} ${(error as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode}`,
          );
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
      const throttled = outcomes.get('ProvisionedThroughputExceededException 400') ?? 0;
      const internal = outcomes.get('InternalFailure 500') ?? 0;
      assert.equal(throttled + internal + (outcomes.get('ok') ?? 0), 200, JSON.stringify([...outcomes]));
      assert.ok(throttled >= 40 && throttled <= 80, `${throttled} of 200 throttled`);
      assert.ok(internal >= 22 && internal <= 58, `${internal} of 200 failed`);
    } finally {
      client.destroy();
    }
    const retrying = kinesisClient(server.endpoint, 'http2', { maxAttempts: 20 });
    try {
      let attempts = 0;
      for (let call = 0; call < 8; call++) {
        const put = await retrying.send(
          new PutRecordCommand({ StreamName: 'flaky', PartitionKey: 'k', Data: Buffer.from('z') }),
        );
        attempts += put.$metadata.attempts ?? 1;
      }
      assert.ok(attempts > 8, 'some calls needed retries');
    } finally {
      retrying.destroy();
    }
  });
});

describe('limits with boto3', () => {
  let server: ServerProcess;
  let homeDir: string;

  before(async () => {
    homeDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-boto3-home-'));
    server = await startServer();
  });

  after(async () => {
    await server.stop();
    await removeDataDir(server.dataDir);
    await rm(homeDir, { recursive: true, force: true });
  });

  it("throttles boto3 as AWS does, and botocore's standard retries get through", async () => {
    const client = kinesisClient(server.endpoint);
    try {
      await createActive(client, { StreamName: 'boto3-limits', ShardCount: 1 });
      const StreamARN = `arn:aws:kinesis:us-east-1:${account}:stream/boto3-limits`;
      await client.send(new UpdateMaxRecordSizeCommand({ StreamARN, MaxRecordSizeInKiB: 4096 }));
    } finally {
      client.destroy();
    }
    const script = path.join(repositoryRoot, 'test', 'e2e', 'boto3_limits.py');
    const env = { ...awsClientEnvironment(homeDir), PYTHONDONTWRITEBYTECODE: '1' };
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) => {
        execFile(
          '/usr/bin/python3',
          [script, server.endpoint],
          { env, timeout: 120_000, encoding: 'utf8' },
          (error, out, err) =>
            resolve({
              code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
              stdout: out,
              stderr: err,
            }),
        );
      },
    );
    assert.equal(
      code,
      0,
      `boto3 limits script failed (exit ${code}):\n${stderr}\nserver log:\n${server.stderr()}`,
    );
    assert.deepEqual(JSON.parse(stdout), {
      recordsThrottled: true,
      putRecordThrottled: ['ProvisionedThroughputExceededException', 400],
      putRecordRetried: true,
      controlPlane: [['LimitExceededException', 400]],
    });
  });
});

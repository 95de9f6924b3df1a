/**
 * Large PutRecords and PutRecordBatch bodies are decoded on a worker thread
 * (src/protocol/decode-offload.ts). Through the official clients (CBOR bodies stay on the main thread): every record
 * arrives intact in the shard its MD5 hash key routes it to, AUTO streams (validated with their
 * own shape, on the main thread) still take records without keys, a large invalid body gets the
 * same answer as on the main thread, and Firehose delivers a large batch byte for byte.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
  ValidationException,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { CreateDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { cbor } from '@smithy/core/cbor';
import {
  firehoseClient,
  readBucket,
  waitForBucket,
  waitForDeliveryStreamActive,
} from '../helpers/firehose-client.js';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { http1Request } from '../helpers/raw-request.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

interface Stored {
  readonly shardId: string;
  readonly key: string | undefined;
  readonly data: string;
}

async function storedRecords(client: KinesisClient, name: string): Promise<Stored[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: name }));
  const stored: Stored[] = [];
  for (const shard of Shards) {
    let { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: name,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    for (;;) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator }));
      for (const record of page.Records ?? []) {
        stored.push({
          shardId: shard.ShardId as string,
          key: record.PartitionKey,
          data: Buffer.from(record.Data ?? new Uint8Array()).toString('hex'),
        });
      }
      if ((page.Records ?? []).length === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return stored;
}

async function shardRanges(client: KinesisClient, name: string): Promise<Map<string, [bigint, bigint]>> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: name }));
  return new Map(
    Shards.map((shard) => [
      shard.ShardId as string,
      [BigInt(shard.HashKeyRange?.StartingHashKey ?? '0'), BigInt(shard.HashKeyRange?.EndingHashKey ?? '0')],
    ]),
  );
}

/** `tributary_decode_offload_bodies_total` by outcome, from GET /metrics. */
async function offloadCounts(endpoint: string): Promise<{ decoded: number; returned: number }> {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const count = (outcome: string): number => {
    const match = new RegExp(
      `^tributary_decode_offload_bodies_total\\{outcome="${outcome}"\\} (\\d+)$`,
      'm',
    ).exec(text);
    return match === null ? 0 : Number(match[1]);
  };
  return { decoded: count('decoded'), returned: count('returned') };
}

const md5Key = (key: string): bigint => BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`);

describe('decoding large write bodies on a worker thread', () => {
  let server: ServerProcess;
  let kinesis: KinesisClient;

  before(async () => {
    // 16 KiB rather than the default, so that modest test bodies take the worker's path.
    server = await startServer({ extraArgs: ['--limits', 'off', '--decode-offload-min-bytes', '16384'] });
    kinesis = kinesisClient(server.endpoint);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'warm-up', ShardCount: 1 }));
    await waitForActive(kinesis, 'warm-up');
  });

  /**
   * Makes sure the worker takes the next body: a large body starts it (decoded on the main thread
   * meanwhile), and it stops again after 2 s without one.
   */
  async function workerReady(): Promise<void> {
    const warmUp = Array.from({ length: 200 }, (_, index) => ({
      Data: randomBytes(100),
      PartitionKey: `w${index}`,
    }));
    for (let waited = 0; ; waited += 100) {
      const text = await fetch(`${server.endpoint}/metrics`).then((response) => response.text());
      if (/^tributary_decode_offload_ready 1$/m.test(text)) return;
      assert.ok(waited < 30_000, 'the decoding thread never became ready');
      if (waited % 1000 === 0) {
        const put = await kinesis.send(new PutRecordsCommand({ StreamName: 'warm-up', Records: warmUp }));
        assert.equal(put.FailedRecordCount, 0);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  after(async () => {
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  it('stores a 500-record PutRecords intact, each record in the shard of its hash key', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'big', ShardCount: 4 }));
    await waitForActive(kinesis, 'big');
    const records = Array.from({ length: 500 }, (_, index) => ({
      Data: randomBytes(100 + (index % 200)),
      PartitionKey: `key-${index}-ñ`,
    }));
    await workerReady();
    const before = await offloadCounts(server.endpoint);
    const answer = await kinesis.send(new PutRecordsCommand({ StreamName: 'big', Records: records }));
    assert.equal(answer.FailedRecordCount, 0);
    assert.equal(answer.Records?.length, 500);
    const afterPut = await offloadCounts(server.endpoint);
    assert.equal(afterPut.decoded, before.decoded + 1, 'the body was decoded on the worker');
    const ranges = await shardRanges(kinesis, 'big');
    const stored = await storedRecords(kinesis, 'big');
    assert.deepEqual(
      stored.map((record) => `${record.key}:${record.data}`).sort(),
      records.map((record) => `${record.PartitionKey}:${record.Data.toString('hex')}`).sort(),
    );
    for (const record of stored) {
      const [low, high] = ranges.get(record.shardId) as [bigint, bigint];
      const hash = md5Key(record.key as string);
      assert.ok(hash >= low && hash <= high, `${record.key} is in ${record.shardId}`);
    }
    answer.Records?.forEach((entry, index) => {
      const found = stored.find((record) => record.key === records[index]?.PartitionKey);
      assert.equal(entry.ShardId, found?.shardId, 'the answer names the shard the record is in');
    });
  });

  it('takes a large CBOR PutRecords, as the Java SDK sends it', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'big-cbor', ShardCount: 2 }));
    await waitForActive(kinesis, 'big-cbor');
    const records = Array.from({ length: 400 }, (_, index) => ({
      Data: new Uint8Array(randomBytes(150)),
      PartitionKey: `cbor-${index}`,
    }));
    const response = await http1Request(server.endpoint, {
      target: 'Kinesis_20131202.PutRecords',
      contentType: 'application/x-amz-cbor-1.1',
      body: Buffer.from(cbor.serialize({ StreamName: 'big-cbor', Records: records })),
    });
    assert.equal(response.status, 200);
    const answer = cbor.deserialize(response.body) as { FailedRecordCount: number; Records: unknown[] };
    assert.equal(answer.FailedRecordCount, 0);
    const stored = await storedRecords(kinesis, 'big-cbor');
    assert.deepEqual(
      stored.map((record) => record.data).sort(),
      records.map((record) => Buffer.from(record.Data).toString('hex')).sort(),
    );
  });

  it('spreads a large PutRecords without partition keys over an AUTO stream', async () => {
    await kinesis.send(
      new CreateStreamCommand({
        StreamName: 'big-auto',
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        RecordDistributionStrategy: 'AUTO',
      } as never),
    );
    await waitForActive(kinesis, 'big-auto');
    const records = Array.from({ length: 300 }, () => ({ Data: randomBytes(120) }));
    const answer = await kinesis.send(
      new PutRecordsCommand({ StreamName: 'big-auto', Records: records } as never),
    );
    assert.equal(answer.FailedRecordCount, 0);
    const stored = await storedRecords(kinesis, 'big-auto');
    assert.deepEqual(
      stored.map((record) => record.data).sort(),
      records.map((record) => record.Data.toString('hex')).sort(),
    );
  });

  it('answers a large invalid body as the main thread does', async () => {
    await workerReady();
    const before = await offloadCounts(server.endpoint);
    const records = Array.from({ length: 500 }, (_, index) => ({
      Data: randomBytes(100),
      PartitionKey: index === 321 ? 'k'.repeat(257) : `key-${index}`,
    }));
    await assert.rejects(
      kinesis.send(new PutRecordsCommand({ StreamName: 'big', Records: records })),
      (error: unknown) =>
        error instanceof ValidationException &&
        error.message.includes("at 'records.322.member.partitionKey' failed to satisfy constraint"),
    );
    const syntax = await http1Request(server.endpoint, {
      target: 'Kinesis_20131202.PutRecords',
      contentType: 'application/x-amz-json-1.1',
      body: `{"StreamName":"big","Records":[${'{"Data":"AAAA","PartitionKey":"k"},'.repeat(2000)}`,
    });
    assert.equal(syntax.status, 400);
    assert.equal(
      (JSON.parse(syntax.body.toString('utf8')) as { __type: string }).__type,
      'SerializationException',
    );
    const afterBad = await offloadCounts(server.endpoint);
    assert.equal(
      afterBad.returned,
      before.returned + 2,
      'the worker gave both bodies back to the main thread',
    );
  });

  it('delivers a large Firehose PutRecordBatch byte for byte', async () => {
    const firehose = firehoseClient(server.endpoint);
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'big-batch',
        ExtendedS3DestinationConfiguration: {
          BucketARN: 'arn:aws:s3:::big-batch-bucket',
          RoleARN: 'arn:aws:iam::000000000000:role/firehose',
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
        },
      }),
    );
    await waitForDeliveryStreamActive(firehose, 'big-batch');
    const lines = Array.from({ length: 500 }, (_, index) => `${index}:${randomBytes(60).toString('hex')}\n`);
    const answer = await firehose.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: 'big-batch',
        Records: lines.map((line) => ({ Data: Buffer.from(line) })),
      }),
    );
    assert.equal(answer.FailedPutCount, 0);
    const expected = lines.join('').length;
    await waitForBucket(
      server.dataDir,
      'big-batch-bucket',
      (objects) => objects.reduce((total, object) => total + object.body.length, 0) >= expected,
    );
    const delivered = (await readBucket(server.dataDir, 'big-batch-bucket')).map((object) =>
      object.body.toString(),
    );
    assert.equal(delivered.join(''), lines.join(''));
    firehose.destroy();
  });
});

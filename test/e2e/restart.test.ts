/**
 * What survives a restart: streams and records after SIGTERM and after SIGKILL, shard iterators
 * issued before it (their key is in the catalog), and status transitions interrupted by a crash,
 * which finish instead of leaving a stream stuck in CREATING or DELETING.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  ListStreamsCommand,
  SplitShardCommand,
  PutRecordCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { makeDataDir, removeDataDir, startServer } from '../helpers/server-process.js';

async function statusOf(endpoint: string, name: string): Promise<string | undefined> {
  const client = kinesisClient(endpoint);
  try {
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    return summary.StreamDescriptionSummary?.StreamStatus;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  } finally {
    client.destroy();
  }
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('restart', () => {
  const dataDirs: string[] = [];
  after(async () => {
    for (const dataDir of dataDirs) await removeDataDir(dataDir);
  });

  it('stops cleanly on SIGTERM and keeps streams, records and iterators', async () => {
    const dataDir = await makeDataDir();
    dataDirs.push(dataDir);
    const first = await startServer({ dataDir });
    const client = kinesisClient(first.endpoint);
    await client.send(new CreateStreamCommand({ StreamName: 'kept', ShardCount: 1 }));
    await waitForActive(client, 'kept');
    const put = await client.send(
      new PutRecordCommand({ StreamName: 'kept', PartitionKey: 'p', Data: Buffer.from('survives') }),
    );
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: 'kept',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    client.destroy();
    assert.equal(await first.stop(), 0);
    assert.match(first.stderr(), /stopped cleanly/);

    const second = await startServer({ dataDir });
    const again = kinesisClient(second.endpoint);
    try {
      const page = await again.send(new GetRecordsCommand({ ShardIterator }));
      assert.deepEqual(
        page.Records?.map((record) => [record.SequenceNumber, Buffer.from(record.Data ?? []).toString()]),
        [[put.SequenceNumber, 'survives']],
      );
      const next = await again.send(
        new PutRecordCommand({ StreamName: 'kept', PartitionKey: 'p', Data: Buffer.from('after') }),
      );
      assert.ok(BigInt(next.SequenceNumber ?? '0') > BigInt(put.SequenceNumber ?? '0'));
      assert.deepEqual((await again.send(new ListStreamsCommand({}))).StreamNames, ['kept']);
    } finally {
      again.destroy();
      await second.stop();
    }
  });

  it('finishes CREATING, UPDATING and DELETING after a crash in the middle', async () => {
    const dataDir = await makeDataDir();
    dataDirs.push(dataDir);
    // Long transitions, so that the kill lands inside them.
    const first = await startServer({ dataDir, extraArgs: ['--transition-delay-ms', '1500'] });
    const client = kinesisClient(first.endpoint);
    await client.send(new CreateStreamCommand({ StreamName: 'to-delete', ShardCount: 1 }));
    await client.send(new CreateStreamCommand({ StreamName: 'to-split', ShardCount: 1 }));
    for (const name of ['to-delete', 'to-split']) {
      await eventually(async () => (await statusOf(first.endpoint, name)) === 'ACTIVE', `${name} ACTIVE`);
    }
    await client.send(new DeleteStreamCommand({ StreamName: 'to-delete' }));
    await client.send(new CreateStreamCommand({ StreamName: 'to-create', ShardCount: 2 }));
    await client.send(
      new SplitShardCommand({
        StreamName: 'to-split',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (1n << 127n).toString(),
      }),
    );
    assert.equal(await statusOf(first.endpoint, 'to-split'), 'UPDATING');
    assert.equal(await statusOf(first.endpoint, 'to-create'), 'CREATING');
    assert.equal(await statusOf(first.endpoint, 'to-delete'), 'DELETING');
    client.destroy();
    await first.kill();

    const second = await startServer({ dataDir });
    try {
      await eventually(
        async () => (await statusOf(second.endpoint, 'to-create')) === 'ACTIVE',
        'CREATING finished',
      );
      await eventually(
        async () => (await statusOf(second.endpoint, 'to-delete')) === undefined,
        'DELETING finished',
      );
      await eventually(
        async () => (await statusOf(second.endpoint, 'to-split')) === 'ACTIVE',
        'UPDATING finished',
      );
      const lister = kinesisClient(second.endpoint);
      const shards = await lister.send(
        new ListShardsCommand({ StreamName: 'to-split', ShardFilter: { Type: 'AT_LATEST' } }),
      );
      lister.destroy();
      assert.deepEqual(
        shards.Shards?.map((shard) => [shard.ShardId, shard.ParentShardId]),
        [
          ['shardId-000000000001', 'shardId-000000000000'],
          ['shardId-000000000002', 'shardId-000000000000'],
        ],
      );
      const writer = kinesisClient(second.endpoint);
      const put = await writer.send(
        new PutRecordCommand({ StreamName: 'to-create', PartitionKey: 'x', Data: Buffer.from('ok') }),
      );
      writer.destroy();
      assert.match(put.SequenceNumber ?? '', /^\d{56}$/);
    } finally {
      await second.stop();
    }
  });
});

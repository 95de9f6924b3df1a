/**
 * The newest Kinesis model's additions through the JavaScript SDK: the record distribution
 * strategy of on-demand streams (CreateStream, UpdateStreamRecordDistributionStrategy,
 * DescribeStreamSummary, PutRecord/PutRecords without partition keys on AUTO streams) and DryRun
 * on the data-plane operations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateChannelCommand,
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  DryRunOperationException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  InvalidArgumentException,
  ListChannelsCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceNotFoundException,
  UpdateStreamModeCommand,
  UpdateStreamRecordDistributionStrategyCommand,
  ValidationException,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

async function summaryOf(client: KinesisClient, name: string) {
  const { StreamDescriptionSummary } = await client.send(
    new DescribeStreamSummaryCommand({ StreamName: name }),
  );
  assert.ok(StreamDescriptionSummary);
  return StreamDescriptionSummary;
}

/** Every record of every shard, as partition keys by shard id. */
async function keysByShard(client: KinesisClient, name: string): Promise<Map<string, string[]>> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: name }));
  const result = new Map<string, string[]>();
  for (const shard of Shards) {
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: name,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records = [] } = await client.send(new GetRecordsCommand({ ShardIterator }));
    result.set(
      shard.ShardId as string,
      Records.map((record) => record.PartitionKey as string),
    );
  }
  return result;
}

describe('record distribution strategy and DryRun', () => {
  let server: ServerProcess;
  let client: KinesisClient;

  before(async () => {
    server = await startServer({ extraArgs: ['--transition-delay-ms', '50'] });
    client = kinesisClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  it('keeps keys on their shard by default and spreads records evenly once AUTO', async () => {
    await client.send(
      new CreateStreamCommand({ StreamName: 'spread', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }),
    );
    await waitForActive(client, 'spread');
    const summary = await summaryOf(client, 'spread');
    assert.equal(summary.RecordDistributionStrategy, 'USER_PARTITION_KEY');
    const openShards = summary.OpenShardCount as number;
    assert.ok(openShards > 1);

    for (let i = 0; i < 4; i++) {
      await client.send(
        new PutRecordCommand({ StreamName: 'spread', PartitionKey: 'one', Data: Buffer.from('k') }),
      );
    }
    const keyed = await keysByShard(client, 'spread');
    assert.equal([...keyed.values()].filter((keys) => keys.length > 0).length, 1, 'one key, one shard');

    // A missing key is still AWS's null-member error on a user-keyed stream.
    await assert.rejects(
      client.send(new PutRecordCommand({ StreamName: 'spread', Data: Buffer.from('x') })),
      (error: unknown) => error instanceof ValidationException && /partitionKey/.test(error.message),
    );

    await client.send(
      new UpdateStreamRecordDistributionStrategyCommand({
        StreamARN: summary.StreamARN,
        RecordDistributionStrategy: 'AUTO',
      }),
    );
    assert.equal((await summaryOf(client, 'spread')).RecordDistributionStrategy, 'AUTO');

    const shardsSeen = new Set<string>();
    for (let i = 0; i < openShards * 3; i++) {
      const put = await client.send(
        new PutRecordCommand({ StreamName: 'spread', PartitionKey: 'one', Data: Buffer.from(`a${i}`) }),
      );
      shardsSeen.add(put.ShardId as string);
    }
    assert.equal(shardsSeen.size, openShards, 'AUTO uses every open shard whatever the key');
    const batch = await client.send(
      new PutRecordsCommand({
        StreamName: 'spread',
        Records: Array.from({ length: openShards * 2 }, (_, i) => ({ Data: Buffer.from(`b${i}`) })),
      }),
    );
    assert.equal(batch.FailedRecordCount, 0);
    const single = await client.send(
      new PutRecordCommand({ StreamName: 'spread', Data: Buffer.from('solo') }),
    );

    const after = await keysByShard(client, 'spread');
    const autoCounts = [...after.entries()].map(
      ([shardId, keys]) => keys.length - (keyed.get(shardId)?.length ?? 0),
    );
    const total = openShards * 5 + 1;
    assert.equal(
      autoCounts.reduce((a, b) => a + b, 0),
      total,
    );
    assert.ok(Math.max(...autoCounts) - Math.min(...autoCounts) <= 1, `even spread: ${autoCounts}`);
    // Records put without a key read back under their shard's id.
    assert.ok(after.get(single.ShardId as string)?.includes(single.ShardId as string));
  });

  it('refuses a strategy on provisioned streams and drops AUTO on a switch to PROVISIONED', async () => {
    await assert.rejects(
      client.send(
        new CreateStreamCommand({
          StreamName: 'fixed-auto',
          ShardCount: 2,
          RecordDistributionStrategy: 'AUTO',
        }),
      ),
      InvalidArgumentException,
    );
    await client.send(new CreateStreamCommand({ StreamName: 'fixed', ShardCount: 2 }));
    await waitForActive(client, 'fixed');
    const fixed = await summaryOf(client, 'fixed');
    assert.equal(fixed.RecordDistributionStrategy, undefined);
    await assert.rejects(
      client.send(
        new UpdateStreamRecordDistributionStrategyCommand({
          StreamARN: fixed.StreamARN,
          RecordDistributionStrategy: 'AUTO',
        }),
      ),
      InvalidArgumentException,
    );
    await assert.rejects(
      client.send(
        new UpdateStreamRecordDistributionStrategyCommand({
          StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/absent',
          RecordDistributionStrategy: 'AUTO',
        }),
      ),
      ResourceNotFoundException,
    );
    await assert.rejects(
      client.send(
        new UpdateStreamRecordDistributionStrategyCommand({
          StreamARN: fixed.StreamARN,
          RecordDistributionStrategy: 'EVERYWHERE' as 'AUTO',
        }),
      ),
      (error: unknown) => error instanceof ValidationException && /enum value set/.test(error.message),
    );

    await client.send(
      new CreateStreamCommand({
        StreamName: 'switch',
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        RecordDistributionStrategy: 'AUTO',
      }),
    );
    await waitForActive(client, 'switch');
    const switching = await summaryOf(client, 'switch');
    assert.equal(switching.RecordDistributionStrategy, 'AUTO');
    await client.send(
      new UpdateStreamModeCommand({
        StreamARN: switching.StreamARN,
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
      }),
    );
    await waitForActive(client, 'switch');
    assert.equal((await summaryOf(client, 'switch')).RecordDistributionStrategy, undefined);
    await assert.rejects(
      client.send(new PutRecordCommand({ StreamName: 'switch', Data: Buffer.from('x') })),
      ValidationException,
    );
  });

  it('answers DryRun with DryRunOperationException after every check, and does nothing', async () => {
    await client.send(new CreateStreamCommand({ StreamName: 'dry', ShardCount: 1 }));
    await waitForActive(client, 'dry');
    const dry = { DryRun: true } as Record<string, unknown>;
    await assert.rejects(
      client.send(
        new PutRecordCommand({ StreamName: 'dry', PartitionKey: 'k', Data: Buffer.from('x'), ...dry }),
      ),
      (error: unknown) => error instanceof DryRunOperationException && error.$metadata.httpStatusCode === 400,
    );
    await assert.rejects(
      client.send(
        new PutRecordsCommand({
          StreamName: 'dry',
          Records: [{ PartitionKey: 'k', Data: Buffer.from('x') }],
          ...dry,
        }),
      ),
      DryRunOperationException,
    );
    // The checks run first: an absent stream is still not found.
    await assert.rejects(
      client.send(
        new PutRecordCommand({ StreamName: 'nowhere', PartitionKey: 'k', Data: Buffer.from('x'), ...dry }),
      ),
      ResourceNotFoundException,
    );
    const request = {
      StreamName: 'dry',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'TRIM_HORIZON' as const,
    };
    await assert.rejects(
      client.send(new GetShardIteratorCommand({ ...request, ...dry })),
      DryRunOperationException,
    );
    const { ShardIterator } = await client.send(new GetShardIteratorCommand(request));
    await assert.rejects(
      client.send(new GetRecordsCommand({ ShardIterator, ...dry })),
      DryRunOperationException,
    );
    const { Records = [] } = await client.send(new GetRecordsCommand({ ShardIterator }));
    assert.equal(Records.length, 0, 'dry runs wrote nothing');
  });

  it('answers the channel operations with UnknownOperationException (not supported yet)', async () => {
    const unknown = (error: unknown): boolean =>
      error instanceof Error && error.name === 'UnknownOperationException';
    await assert.rejects(client.send(new ListChannelsCommand({})), unknown);
    await assert.rejects(
      client.send(
        new CreateChannelCommand({
          ChannelName: 'lake',
          ServiceExecutionRoleARN: 'arn:aws:iam::000000000000:role/channel',
          StreamConfigurationList: [],
        }),
      ),
      unknown,
    );
  });
});

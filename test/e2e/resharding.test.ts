/**
 * Resharding under load with the JavaScript SDK: writers keep putting records while the stream
 * is split, merged and scaled; then every shard is read in lineage order (parents before
 * children) and every acknowledged record is found exactly once, in its shard, with per-key
 * order kept across the reshards. Closed shards end the way the KCL requires.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  InvalidArgumentException,
  LimitExceededException,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordsCommand,
  ResourceInUseException,
  SplitShardCommand,
  UpdateShardCountCommand,
  UpdateStreamModeCommand,
  ValidationException,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

interface Acked {
  readonly id: number;
  readonly key: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
}

describe('resharding', () => {
  let server: ServerProcess;
  let client: KinesisClient;

  before(async () => {
    // Writers run flat out during reshards: AWS's per-shard write rate is not what is tested here.
    server = await startServer({ extraArgs: ['--limits', 'off', '--transition-delay-ms', '1500'] });
    client = kinesisClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  async function openShards(name: string): Promise<Shard[]> {
    const listed = await client.send(
      new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_LATEST' } }),
    );
    return (listed.Shards ?? []).sort((a, b) =>
      BigInt(a.HashKeyRange?.StartingHashKey ?? 0) < BigInt(b.HashKeyRange?.StartingHashKey ?? 0) ? -1 : 1,
    );
  }

  it('loses, duplicates and reorders nothing while splitting, merging and scaling under load', async () => {
    await client.send(new CreateStreamCommand({ StreamName: 'moving', ShardCount: 2 }));
    await waitForActive(client, 'moving');

    const acked: Acked[] = [];
    let nextId = 0;
    let writing = true;
    const writer = async (writerIndex: number): Promise<void> => {
      const keys = Array.from({ length: 8 }, (_, index) => `writer-${writerIndex}-key-${index}`);
      while (writing) {
        const batch = Array.from({ length: 50 }, (_, index) => ({
          id: nextId++,
          key: keys[index % keys.length] as string,
        }));
        const result = await client.send(
          new PutRecordsCommand({
            StreamName: 'moving',
            Records: batch.map((entry) => ({ PartitionKey: entry.key, Data: Buffer.from(String(entry.id)) })),
          }),
        );
        assert.equal(result.FailedRecordCount, 0);
        result.Records?.forEach((record, index) => {
          const entry = batch[index] as { id: number; key: string };
          acked.push({
            ...entry,
            shardId: record.ShardId ?? '',
            sequenceNumber: record.SequenceNumber ?? '',
          });
        });
      }
    };
    const writers = [writer(0), writer(1)];

    const [first] = await openShards('moving');
    const middle =
      (BigInt(first?.HashKeyRange?.StartingHashKey ?? 0) + BigInt(first?.HashKeyRange?.EndingHashKey ?? 0)) /
      2n;
    await client.send(
      new SplitShardCommand({
        StreamName: 'moving',
        ShardToSplit: first?.ShardId,
        NewStartingHashKey: middle.toString(),
      }),
    );
    await waitForActive(client, 'moving');
    const afterSplit = await openShards('moving');
    assert.equal(afterSplit.length, 3);
    await client.send(
      new MergeShardsCommand({
        StreamName: 'moving',
        ShardToMerge: afterSplit[1]?.ShardId,
        AdjacentShardToMerge: afterSplit[2]?.ShardId,
      }),
    );
    await waitForActive(client, 'moving');
    const scaled = await client.send(
      new UpdateShardCountCommand({
        StreamName: 'moving',
        TargetShardCount: 3,
        ScalingType: 'UNIFORM_SCALING',
      }),
    );
    assert.equal(scaled.CurrentShardCount, 2);
    assert.equal(scaled.TargetShardCount, 3);
    await waitForActive(client, 'moving');
    await client.send(
      new UpdateShardCountCommand({
        StreamName: 'moving',
        TargetShardCount: 5,
        ScalingType: 'UNIFORM_SCALING',
      }),
    );
    await waitForActive(client, 'moving');
    writing = false;
    await Promise.all(writers);
    assert.ok(acked.length > 500, `only ${acked.length} records written during the reshards`);
    assert.equal((await openShards('moving')).length, 5);

    // Read every shard, parents before children.
    const all = (await client.send(new ListShardsCommand({ StreamName: 'moving' }))).Shards ?? [];
    const byId = new Map(all.map((shard) => [shard.ShardId ?? '', shard]));
    const done = new Set<string>();
    const seen: { id: number; key: string; shardId: string; sequenceNumber: string }[] = [];
    while (done.size < all.length) {
      const ready = all.find(
        (shard) =>
          !done.has(shard.ShardId ?? '') &&
          [shard.ParentShardId, shard.AdjacentParentShardId].every(
            (parent) => parent === undefined || done.has(parent) || !byId.has(parent),
          ),
      );
      assert.ok(ready !== undefined, 'lineage has a cycle');
      const shardId = ready.ShardId ?? '';
      const closed = ready.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      let { ShardIterator: iterator } = await client.send(
        new GetShardIteratorCommand({
          StreamName: 'moving',
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      for (let page = 0; page < 1000 && iterator !== undefined; page++) {
        const result = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        for (const record of result.Records ?? []) {
          const id = Number(Buffer.from(record.Data ?? []).toString());
          seen.push({
            id,
            key: record.PartitionKey ?? '',
            shardId,
            sequenceNumber: record.SequenceNumber ?? '',
          });
        }
        if (result.NextShardIterator === undefined) {
          assert.ok(closed, `open shard ${shardId} ended`);
          assert.ok(
            (result.ChildShards?.length ?? 0) > 0,
            `closed shard ${shardId} ended without ChildShards`,
          );
          for (const child of result.ChildShards ?? [])
            assert.ok((child.ParentShards ?? []).includes(shardId));
        } else {
          assert.equal(result.ChildShards, undefined);
          if ((result.Records ?? []).length === 0 && !closed) break;
        }
        iterator = result.NextShardIterator;
      }
      done.add(shardId);
    }

    const seenById = new Map<number, (typeof seen)[number]>();
    for (const record of seen) {
      assert.ok(!seenById.has(record.id), `record ${record.id} read twice`);
      seenById.set(record.id, record);
    }
    for (const record of acked) {
      const found = seenById.get(record.id);
      assert.ok(found !== undefined, `acknowledged record ${record.id} is missing`);
      assert.equal(found.shardId, record.shardId);
      assert.equal(found.sequenceNumber, record.sequenceNumber);
    }
    const lastIdByKey = new Map<string, number>();
    for (const record of seen) {
      const previous = lastIdByKey.get(record.key) ?? -1;
      assert.ok(record.id > previous, `key ${record.key}: record ${record.id} read after ${previous}`);
      lastIdByKey.set(record.key, record.id);
    }

    // A closed shard read from LATEST ends at once with its children (how the KCL finds them).
    const closedShard = all.find((shard) => shard.SequenceNumberRange?.EndingSequenceNumber !== undefined);
    const { ShardIterator: latest } = await client.send(
      new GetShardIteratorCommand({
        StreamName: 'moving',
        ShardId: closedShard?.ShardId,
        ShardIteratorType: 'LATEST',
      }),
    );
    const end = await client.send(new GetRecordsCommand({ ShardIterator: latest }));
    assert.deepEqual(end.Records, []);
    assert.equal(end.NextShardIterator, undefined);
    assert.ok((end.ChildShards?.length ?? 0) > 0);
  });

  it('rejects reshards AWS rejects, with its errors', async () => {
    const all = (await client.send(new ListShardsCommand({ StreamName: 'moving' }))).Shards ?? [];
    const closed = all.find((shard) => shard.SequenceNumberRange?.EndingSequenceNumber !== undefined);
    await assert.rejects(
      client.send(
        new SplitShardCommand({
          StreamName: 'moving',
          ShardToSplit: closed?.ShardId,
          NewStartingHashKey: '5',
        }),
      ),
      (error: unknown) =>
        error instanceof InvalidArgumentException || error instanceof ResourceInUseException,
    );
    const open = await openShards('moving');
    await assert.rejects(
      client.send(
        new SplitShardCommand({
          StreamName: 'moving',
          ShardToSplit: open[0]?.ShardId,
          NewStartingHashKey: open[0]?.HashKeyRange?.StartingHashKey,
        }),
      ),
      (error: unknown) =>
        error instanceof InvalidArgumentException && /is not both greater than one plus/.test(error.message),
    );
    await assert.rejects(
      client.send(
        new MergeShardsCommand({
          StreamName: 'moving',
          ShardToMerge: open[1]?.ShardId,
          AdjacentShardToMerge: open[0]?.ShardId,
        }),
      ),
      (error: unknown) =>
        error instanceof InvalidArgumentException &&
        /are not an adjacent pair of shards eligible for merging$/.test(error.message),
    );
    await assert.rejects(
      client.send(
        new UpdateShardCountCommand({
          StreamName: 'moving',
          TargetShardCount: 11,
          ScalingType: 'UNIFORM_SCALING',
        }),
      ),
      (error: unknown) =>
        error instanceof LimitExceededException &&
        error.message ===
          'UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 5, Target shard count: 11',
    );

    await client.send(
      new UpdateStreamModeCommand({
        StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/moving',
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      }),
    );
    const updating = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'moving' }));
    assert.equal(updating.StreamDescriptionSummary?.StreamStatus, 'UPDATING');
    await waitForActive(client, 'moving');
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'moving' }));
    assert.equal(summary.StreamDescriptionSummary?.StreamModeDetails?.StreamMode, 'ON_DEMAND');
    await assert.rejects(
      client.send(
        new UpdateShardCountCommand({
          StreamName: 'moving',
          TargetShardCount: 6,
          ScalingType: 'UNIFORM_SCALING',
        }),
      ),
      (error: unknown) => error instanceof ValidationException,
    );
  });
});

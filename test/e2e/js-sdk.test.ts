/**
 * The JavaScript SDK v3 against a real server, over HTTP/2 (the SDK's default) and HTTP/1.1:
 * every operation of the foundation round-trips, with AWS's shapes and errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceNotFoundException,
  InvalidArgumentException,
  ResourceInUseException,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

for (const transport of ['http2', 'http1'] as const) {
  describe(`JavaScript SDK v3 over ${transport}`, () => {
    let server: ServerProcess;
    let client: KinesisClient;

    before(async () => {
      // Creates and polls streams faster than AWS's control-plane rates allow. A second of
      // CREATING, so the Describe right after CreateStream sees it even on a loaded machine.
      server = await startServer({ extraArgs: ['--limits', 'off', '--transition-delay-ms', '1000'] });
      client = kinesisClient(server.endpoint, transport);
    });

    after(async () => {
      client?.destroy();
      await server?.stop();
      if (server !== undefined) await removeDataDir(server.dataDir);
    });

    it('creates a stream that becomes ACTIVE with 4 shards by default', async () => {
      await client.send(new CreateStreamCommand({ StreamName: 'default-shards' }));
      const creating = await client.send(new DescribeStreamCommand({ StreamName: 'default-shards' }));
      assert.equal(creating.StreamDescription?.StreamStatus, 'CREATING');
      assert.deepEqual(creating.StreamDescription?.Shards, []);
      await waitForActive(client, 'default-shards');
      const active = await client.send(new DescribeStreamCommand({ StreamName: 'default-shards' }));
      const description = active.StreamDescription;
      assert.equal(description?.StreamStatus, 'ACTIVE');
      assert.equal(description?.StreamARN, 'arn:aws:kinesis:us-east-1:000000000000:stream/default-shards');
      assert.equal(description?.RetentionPeriodHours, 24);
      assert.equal(description?.HasMoreShards, false);
      assert.ok(description?.StreamCreationTimestamp instanceof Date);
      assert.deepEqual(
        description?.Shards?.map((shard) => [shard.ShardId, shard.HashKeyRange?.StartingHashKey]),
        [
          ['shardId-000000000000', '0'],
          ['shardId-000000000001', '85070591730234615865843651857942052864'],
          ['shardId-000000000002', '170141183460469231731687303715884105728'],
          ['shardId-000000000003', '255211775190703847597530955573826158592'],
        ],
      );
      const starting = description?.Shards?.[1]?.SequenceNumberRange?.StartingSequenceNumber ?? '';
      assert.match(starting, /^\d{56}$/);
    });

    it('rejects a second stream of the same name', async () => {
      await assert.rejects(
        client.send(new CreateStreamCommand({ StreamName: 'default-shards', ShardCount: 1 })),
        (error: unknown) =>
          error instanceof ResourceInUseException &&
          error.message === 'Stream default-shards under account 000000000000 already exists.',
      );
    });

    it('round-trips records through PutRecord, PutRecords, GetShardIterator and GetRecords', async () => {
      await client.send(new CreateStreamCommand({ StreamName: 'round-trip', ShardCount: 2 }));
      await waitForActive(client, 'round-trip');
      const single = await client.send(
        new PutRecordCommand({ StreamName: 'round-trip', PartitionKey: 'a', Data: Buffer.from('first') }),
      );
      // MD5("a") is in the lower half of the hash space.
      assert.equal(single.ShardId, 'shardId-000000000000');
      assert.match(single.SequenceNumber ?? '', /^\d{56}$/);

      const batch = await client.send(
        new PutRecordsCommand({
          StreamName: 'round-trip',
          Records: Array.from({ length: 20 }, (_, index) => ({
            PartitionKey: `key-${index}`,
            Data: Buffer.from(`record-${index}`),
          })),
        }),
      );
      assert.equal(batch.FailedRecordCount, 0);
      assert.equal(batch.Records?.length, 20);

      const seen: string[] = [];
      for (const shardId of ['shardId-000000000000', 'shardId-000000000001']) {
        const { ShardIterator } = await client.send(
          new GetShardIteratorCommand({
            StreamName: 'round-trip',
            ShardId: shardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        const page = await client.send(new GetRecordsCommand({ ShardIterator }));
        assert.equal(page.MillisBehindLatest, 0);
        assert.ok(page.NextShardIterator);
        let previous = 0n;
        for (const record of page.Records ?? []) {
          const sequence = BigInt(record.SequenceNumber ?? '0');
          assert.ok(sequence > previous, 'sequence numbers increase within a shard');
          previous = sequence;
          assert.ok(record.ApproximateArrivalTimestamp instanceof Date);
          seen.push(Buffer.from(record.Data ?? []).toString());
        }
      }
      assert.deepEqual(
        seen.sort(),
        ['first', ...Array.from({ length: 20 }, (_, index) => `record-${index}`)].sort(),
      );
    });

    it('positions iterators by sequence number and timestamp', async () => {
      const records = [];
      for (const value of ['one', 'two', 'three']) {
        records.push(
          await client.send(
            new PutRecordCommand({
              StreamName: 'round-trip',
              PartitionKey: 'same-key',
              Data: Buffer.from(value),
            }),
          ),
        );
      }
      const shardId = records[0]?.ShardId;
      const read = async (type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER', sequence: string) => {
        const { ShardIterator } = await client.send(
          new GetShardIteratorCommand({
            StreamName: 'round-trip',
            ShardId: shardId,
            ShardIteratorType: type,
            StartingSequenceNumber: sequence,
          }),
        );
        const page = await client.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
        return Buffer.from(page.Records?.[0]?.Data ?? []).toString();
      };
      assert.equal(await read('AT_SEQUENCE_NUMBER', records[1]?.SequenceNumber ?? ''), 'two');
      assert.equal(await read('AFTER_SEQUENCE_NUMBER', records[1]?.SequenceNumber ?? ''), 'three');

      const { ShardIterator: latest } = await client.send(
        new GetShardIteratorCommand({
          StreamName: 'round-trip',
          ShardId: shardId,
          ShardIteratorType: 'LATEST',
        }),
      );
      const empty = await client.send(new GetRecordsCommand({ ShardIterator: latest }));
      assert.deepEqual(empty.Records, []);
      await client.send(
        new PutRecordCommand({
          StreamName: 'round-trip',
          PartitionKey: 'same-key',
          Data: Buffer.from('four'),
        }),
      );
      const next = await client.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator }));
      assert.deepEqual(
        next.Records?.map((record) => Buffer.from(record.Data ?? []).toString()),
        ['four'],
      );

      const { ShardIterator: atTime } = await client.send(
        new GetShardIteratorCommand({
          StreamName: 'round-trip',
          ShardId: shardId,
          ShardIteratorType: 'AT_TIMESTAMP',
          Timestamp: new Date(Date.now() - 60_000),
        }),
      );
      const fromStart = await client.send(new GetRecordsCommand({ ShardIterator: atTime }));
      assert.ok((fromStart.Records?.length ?? 0) >= 4);
    });

    it('lists streams and shards with paging', async () => {
      const streams = await client.send(new ListStreamsCommand({ Limit: 1 }));
      assert.deepEqual(streams.StreamNames, ['default-shards']);
      assert.equal(streams.HasMoreStreams, true);
      const rest = await client.send(new ListStreamsCommand({ NextToken: streams.NextToken }));
      assert.deepEqual(rest.StreamNames, ['round-trip']);
      assert.equal(rest.StreamSummaries?.[0]?.StreamStatus, 'ACTIVE');

      const first = await client.send(new ListShardsCommand({ StreamName: 'default-shards', MaxResults: 3 }));
      assert.equal(first.Shards?.length, 3);
      const second = await client.send(new ListShardsCommand({ NextToken: first.NextToken }));
      assert.deepEqual(
        second.Shards?.map((shard) => shard.ShardId),
        ['shardId-000000000003'],
      );
      assert.equal(second.NextToken, undefined);
      const latest = await client.send(
        new ListShardsCommand({ StreamName: 'default-shards', ShardFilter: { Type: 'AT_LATEST' } }),
      );
      assert.equal(latest.Shards?.length, 4);
      const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'default-shards' }));
      assert.equal(summary.StreamDescriptionSummary?.OpenShardCount, 4);
      assert.equal(
        (summary.StreamDescriptionSummary as unknown as Record<string, unknown>).StreamId,
        undefined,
      );
    });

    it('answers AWS errors for missing streams and bad iterators', async () => {
      await assert.rejects(
        client.send(new DescribeStreamSummaryCommand({ StreamName: 'missing' })),
        (error: unknown) =>
          error instanceof ResourceNotFoundException &&
          error.message === 'Stream missing under account 000000000000 not found.' &&
          error.$metadata.httpStatusCode === 400 &&
          typeof error.$metadata.requestId === 'string',
      );
      await assert.rejects(
        client.send(new GetRecordsCommand({ ShardIterator: 'AAAAAAAAAAEnotarealiterator' })),
        (error: unknown) =>
          error instanceof InvalidArgumentException && error.message === 'Invalid ShardIterator.',
      );
    });

    it('deletes a stream through DELETING', async () => {
      await client.send(new DeleteStreamCommand({ StreamName: 'default-shards' }));
      const deadline = Date.now() + 5000;
      for (;;) {
        try {
          await client.send(new DescribeStreamSummaryCommand({ StreamName: 'default-shards' }));
        } catch (error) {
          assert.ok(error instanceof ResourceNotFoundException);
          break;
        }
        assert.ok(Date.now() < deadline, 'stream still exists 5 s after DeleteStream');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    });
  });
}

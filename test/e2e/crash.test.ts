/**
 * Durability under kill -9: with `--fsync always` (the default), a record the server acknowledged
 * must survive SIGKILL. Concurrent writers send PutRecords batches through the JS SDK and remember
 * every acknowledged record (id, shard, sequence number); at a random moment the server is killed
 * and restarted on the same data directory, and every shard is read from TRIM_HORIZON.
 *
 * Invariants checked after each restart, over everything acknowledged in every cycle so far:
 * each acknowledged record is present exactly once, in the shard and with the sequence number it
 * was acknowledged with; sequence numbers increase within a shard; no record appears twice.
 * Records in flight at the kill may or may not be present (they were never acknowledged), but
 * never twice.
 *
 * The SDK runs over HTTP/1.1 (NodeHttpHandler) with maxAttempts 1: a retried request could write a
 * batch twice, and a failed one must never count as acknowledged.
 */
import http from 'node:http';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { sleep } from '../helpers/aws-environment.js';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const streamName = 'crash-test';
const shardCount = 4;
const writerCount = 4;
const cycleCount = 4;
const killAfterMsMin = 200;
const killAfterMsMax = 1500;

interface Acknowledged {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

function makeClient(endpoint: string): { client: KinesisClient; agent: http.Agent } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: writerCount + 2 });
  const client = new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      httpAgent: agent,
      connectionTimeout: 5_000,
      requestTimeout: 20_000,
    }),
  });
  return { client, agent };
}

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** The record's id, padded to a random length so batches vary in size. */
function encodeRecord(id: string): Uint8Array {
  return Buffer.from(`${id}|${'x'.repeat(randomInt(0, 200))}`, 'utf8');
}

function decodeId(data: Uint8Array): string {
  const text = Buffer.from(data).toString('utf8');
  const bar = text.indexOf('|');
  assert.ok(bar > 0, `record data is not one of ours: ${text.slice(0, 80)}`);
  return text.slice(0, bar);
}

/**
 * Sends batches until the server stops answering. Returns how many batches were acknowledged and
 * the HTTP status of the error that ended the loop, if the server answered one (it should not:
 * the loop should end only on a broken connection).
 */
async function writeUntilFailure(
  client: KinesisClient,
  prefix: string,
  acknowledged: Map<string, Acknowledged>,
  stopped: () => boolean,
): Promise<{ batches: number; serviceError?: string }> {
  let batches = 0;
  // Bounded by the kill (every request then fails) and, as a backstop, by a batch count.
  for (let batch = 0; batch < 10_000 && !stopped(); batch++) {
    const ids = Array.from({ length: randomInt(100, 500) }, (_, index) => `${prefix}-b${batch}-r${index}`);
    let response;
    try {
      response = await client.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: ids.map((id) => ({ Data: encodeRecord(id), PartitionKey: `${Math.random()}` })),
        }),
      );
    } catch (error) {
      // The server was killed mid-request: nothing in this batch counts as acknowledged.
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // A 200 cut short by the kill can reach the deserializer; only a 4xx or 5xx is an answer.
      if (status === undefined || status < 400) return { batches };
      return {
        batches,
        serviceError: `HTTP ${status} ${(error as Error).name}: ${(error as Error).message}`,
      };
    }
    batches++;
    const results = response.Records ?? [];
    assert.equal(results.length, ids.length, 'PutRecords answered a different number of records');
    results.forEach((result, index) => {
      const id = ids[index];
      assert.ok(id !== undefined);
      if (result.SequenceNumber === undefined || result.ShardId === undefined) return;
      acknowledged.set(id, { shardId: result.ShardId, sequenceNumber: result.SequenceNumber });
    });
  }
  return { batches };
}

async function waitUntilActive(client: KinesisClient): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await sleep(50);
  }
  assert.fail('stream did not become ACTIVE within 5 s');
}

/** Every record of every shard, from TRIM_HORIZON to the current end. */
async function readEverything(
  client: KinesisClient,
): Promise<Map<string, { id: string; sequenceNumber: string }[]>> {
  const listed = await client.send(new ListShardsCommand({ StreamName: streamName }));
  const shardIds = (listed.Shards ?? []).map((shard) => shard.ShardId ?? '');
  assert.equal(shardIds.length, shardCount);
  const byShard = new Map<string, { id: string; sequenceNumber: string }[]>();
  for (const shardId of shardIds) {
    const records: { id: string; sequenceNumber: string }[] = [];
    const start = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    let iterator = start.ShardIterator;
    // No writer is running, so the shard ends where the first empty page is; the bound is a backstop.
    for (let page = 0; page < 10_000 && iterator !== undefined; page++) {
      const response = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      const pageRecords = response.Records ?? [];
      for (const record of pageRecords) {
        records.push({
          id: decodeId(record.Data ?? new Uint8Array()),
          sequenceNumber: record.SequenceNumber ?? '',
        });
      }
      if (pageRecords.length === 0) break;
      iterator = response.NextShardIterator;
    }
    byShard.set(shardId, records);
  }
  return byShard;
}

function checkDurability(
  acknowledged: ReadonlyMap<string, Acknowledged>,
  byShard: ReadonlyMap<string, readonly { id: string; sequenceNumber: string }[]>,
): { stored: number } {
  const found = new Map<string, Acknowledged>();
  for (const [shardId, records] of byShard) {
    let previous = -1n;
    for (const record of records) {
      const sequence = BigInt(record.sequenceNumber);
      assert.ok(sequence > previous, `${shardId}: sequence ${record.sequenceNumber} does not increase`);
      previous = sequence;
      assert.ok(!found.has(record.id), `record ${record.id} appears twice`);
      found.set(record.id, { shardId, sequenceNumber: record.sequenceNumber });
    }
  }
  let missing = 0;
  const firstMismatches: string[] = [];
  for (const [id, expected] of acknowledged) {
    const actual = found.get(id);
    if (actual === undefined) missing++;
    else if (actual.shardId !== expected.shardId || actual.sequenceNumber !== expected.sequenceNumber) {
      if (firstMismatches.length < 5) {
        firstMismatches.push(`${id}: acked ${JSON.stringify(expected)}, stored ${JSON.stringify(actual)}`);
      }
    }
  }
  assert.equal(missing, 0, `${missing} of ${acknowledged.size} acknowledged records are missing`);
  assert.deepEqual(firstMismatches, [], 'acknowledged records stored at another position');
  return { stored: found.size };
}

describe('kill -9 durability with --fsync always', () => {
  let server: ServerProcess | undefined;
  let dataDir = '';

  after(async () => {
    if (server !== undefined) await server.kill();
    if (dataDir !== '') await removeDataDir(dataDir);
  });

  it(
    `keeps every acknowledged record across ${cycleCount} SIGKILL restarts`,
    { timeout: 90_000 },
    async () => {
      dataDir = await makeDataDir();
      server = await startServer({ dataDir, extraArgs: ['--limits', 'off'] });
      const acknowledged = new Map<string, Acknowledged>();
      {
        const { client, agent } = makeClient(server.endpoint);
        await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
        await waitUntilActive(client);
        client.destroy();
        agent.destroy();
      }

      for (let cycle = 0; cycle < cycleCount; cycle++) {
        const { client, agent } = makeClient(server.endpoint);
        let stopped = false;
        const writers = Array.from({ length: writerCount }, (_, writer) =>
          writeUntilFailure(client, `c${cycle}-w${writer}`, acknowledged, () => stopped),
        );
        await sleep(randomInt(killAfterMsMin, killAfterMsMax));
        await server.kill();
        stopped = true;
        const outcomes = await Promise.all(writers);
        for (const outcome of outcomes) {
          assert.equal(
            outcome.serviceError,
            undefined,
            'a writer stopped on an error answered by the server',
          );
        }
        client.destroy();
        agent.destroy();

        server = await startServer({ dataDir, extraArgs: ['--limits', 'off'] });
        const reader = makeClient(server.endpoint);
        try {
          await waitUntilActive(reader.client);
          const { stored } = checkDurability(acknowledged, await readEverything(reader.client));
          const batchTotal = outcomes.reduce((sum, outcome) => sum + outcome.batches, 0);
          console.log(
            `cycle ${cycle}: ${batchTotal} batches acknowledged, ${acknowledged.size} records acknowledged ` +
              `so far, ${stored} stored`,
          );
        } finally {
          reader.client.destroy();
          reader.agent.destroy();
        }
      }
      // Without acknowledged records the test would prove nothing.
      assert.ok(acknowledged.size > 0, 'no PutRecords was acknowledged in any cycle');
      await server.stop();
      server = undefined;
    },
  );
});

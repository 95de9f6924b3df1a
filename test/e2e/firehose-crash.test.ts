/**
 * Firehose durability under kill -9: concurrent writers send PutRecordBatch to a Direct PUT
 * delivery stream whose 1 s buffer interval keeps objects being written, and remember every
 * record the server acknowledged. At a random moment the server is killed (so kills land during
 * PutRecordBatch load and during deliveries) and restarted on the same data directory, several
 * times. At the end every acknowledged record must be in the bucket at least once, every object
 * must be whole (only complete records of ours), and nothing may appear that was never sent.
 *
 * The SDK runs over HTTP/1.1 with maxAttempts 1: a failed request must never count as
 * acknowledged.
 */
import http from 'node:http';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { sleep } from '../helpers/aws-environment.js';
import { readBucket, waitForDeliveryStreamActive } from '../helpers/firehose-client.js';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const deliveryStreamName = 'crash-firehose';
const bucket = 'crash-bucket';
const writerCount = 3;
const cycleCount = 3;
const killAfterMsMin = 300;
const killAfterMsMax = 1500;

function makeClient(endpoint: string): { client: FirehoseClient; agent: http.Agent } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: writerCount + 2 });
  const client = new FirehoseClient({
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

const randomInt = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

/** Sends batches until the server stops answering; every acknowledged id goes to `acknowledged`. */
async function writeUntilKilled(
  client: FirehoseClient,
  writer: string,
  acknowledged: Set<string>,
): Promise<void> {
  for (let batch = 0; ; batch++) {
    const ids = Array.from({ length: randomInt(1, 200) }, (_, index) => `${writer}-${batch}-${index}`);
    try {
      const result = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: deliveryStreamName,
          Records: ids.map((id) => ({ Data: Buffer.from(`${id}|${'x'.repeat(randomInt(0, 300))}`) })),
        }),
      );
      result.RequestResponses?.forEach((response, index) => {
        if (response.RecordId !== undefined) acknowledged.add(ids[index] as string);
      });
    } catch {
      return; // The server is gone: this batch was not acknowledged.
    }
  }
}

describe('Firehose under kill -9', () => {
  let dataDir = '';
  let server: ServerProcess | undefined;

  after(async () => {
    await server?.kill();
    if (dataDir !== '') await removeDataDir(dataDir);
  });

  it('delivers every acknowledged record at least once after crashes during puts and deliveries', async (t) => {
    dataDir = await makeDataDir();
    const sent = new Set<string>();
    const acknowledged = new Set<string>();
    server = await startServer({ dataDir });
    {
      const { client, agent } = makeClient(server.endpoint);
      await client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: deliveryStreamName,
          ExtendedS3DestinationConfiguration: {
            RoleARN: 'arn:aws:iam::000000000000:role/firehose',
            BucketARN: `arn:aws:s3:::${bucket}`,
            BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 1 },
            ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
          },
        }),
      );
      await waitForDeliveryStreamActive(client, deliveryStreamName);
      client.destroy();
      agent.destroy();
    }
    for (let cycle = 0; cycle < cycleCount; cycle++) {
      const { client, agent } = makeClient(server.endpoint);
      const cycleAcknowledged = new Set<string>();
      const writers = Array.from({ length: writerCount }, (_, index) =>
        writeUntilKilled(client, `c${cycle}w${index}`, cycleAcknowledged),
      );
      await sleep(randomInt(killAfterMsMin, killAfterMsMax));
      await server.kill();
      await Promise.all(writers);
      client.destroy();
      agent.destroy();
      for (const id of cycleAcknowledged) acknowledged.add(id);
      server = await startServer({ dataDir });
    }
    assert.ok(acknowledged.size > 0, 'no batch was acknowledged before the kills');

    const deadline = Date.now() + 60_000;
    let delivered = new Map<string, number>();
    for (;;) {
      delivered = new Map();
      for (const object of await readBucket(dataDir, bucket)) {
        for (const line of object.body.toString('utf8').split('\n')) {
          const match = /^(c\d+w\d+-\d+-\d+)\|x*$/.exec(line);
          assert.ok(
            match !== null,
            `object ${object.key} holds a line that is not a whole record: ${line.slice(0, 80)}`,
          );
          const id = match[1] as string;
          sent.add(id);
          delivered.set(id, (delivered.get(id) ?? 0) + 1);
        }
      }
      const missing = [...acknowledged].filter((id) => !delivered.has(id));
      if (missing.length === 0) break;
      assert.ok(
        Date.now() < deadline,
        `${missing.length} of ${acknowledged.size} acknowledged records never delivered, e.g. ${missing.slice(0, 5).join(', ')}\n${server.stderr()}`,
      );
      await sleep(250);
    }
    const duplicates = [...delivered.values()].filter((count) => count > 1).length;
    t.diagnostic(
      `${acknowledged.size} acknowledged, ${delivered.size} delivered, ${duplicates} delivered twice or more`,
    );
    // Every delivered record was sent by a writer (ids are only ever made by writers).
    for (const id of sent) assert.match(id, /^c[0-2]w[0-2]-\d+-\d+$/);
    await server.stop();
    server = undefined;
  });
});

/**
 * An application reading a delivery stream (KinesisFirehoseInput) loses nothing when it falls
 * behind the delivery stream's own delivery, end to end with the official SDKs against a
 * `tributary serve` process whose log segments are tiny (so every delivery trims what it can):
 * - stopped, while Firehose delivers every record put meanwhile to the bucket, then started
 *   from LAST_STOPPED_POINT: every record reaches the application's output, once;
 * - the same across `kill -9` and a restart of the server while the application is stopped;
 * - deleting the application releases the hold: the next delivery trims the log.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateApplicationCommand,
  DeleteApplicationCommand,
  DescribeApplicationCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  type KinesisAnalyticsClient,
} from '@aws-sdk/client-kinesis-analytics';
import {
  CreateDeliveryStreamCommand,
  PutRecordBatchCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetRecordsCommandOutput,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { analyticsClient, waitForApplicationStatus } from '../../helpers/analytics-client.js';
import {
  firehoseClient,
  linesOf,
  waitForBucket,
  waitForDeliveryStreamActive,
} from '../../helpers/firehose-client.js';
import { kinesisClient, waitForActive } from '../../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../../helpers/server-process.js';

const role = 'arn:aws:iam::000000000000:role/analytics';
const eventsArn = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/events';
const outArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/app-out';
// Segments of ~256 bytes hold a few records each: a delivery drops every delivered segment.
const serverArgs = [
  '--limits',
  'off',
  '--transition-delay-ms',
  '100',
  '--log-segment-bytes-max',
  '256',
  '--firehose-buffer-interval-ms-max',
  '300',
];

const code = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (EVENT_ID INTEGER);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM EVENT_ID FROM "SOURCE_SQL_STREAM_001";
`;

const event = (id: number) => JSON.stringify({ id, payload: `event number ${id}` });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('an application reading a delivery stream holds the records it has not read', () => {
  let server: ServerProcess;
  let kinesis: KinesisClient;
  let firehose: FirehoseClient;
  let analytics: KinesisAnalyticsClient;
  let iterator: string | undefined;
  const received: number[] = [];

  function connect(): void {
    kinesis = kinesisClient(server.endpoint);
    firehose = firehoseClient(server.endpoint);
    analytics = analyticsClient(server.endpoint);
  }

  function disconnect(): void {
    kinesis?.destroy();
    firehose?.destroy();
    analytics?.destroy();
  }

  before(async () => {
    server = await startServer({ extraArgs: serverArgs });
    connect();
  });

  after(async () => {
    disconnect();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  /** Puts the events `ids` in one batch, then waits until the bucket holds every event put so far. */
  async function putAndDeliver(ids: readonly number[], putSoFar: number[]): Promise<void> {
    const result = await firehose.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: 'events',
        Records: ids.map((id) => ({ Data: Buffer.from(`${event(id)}\n`) })),
      }),
    );
    assert.equal(result.FailedPutCount, 0);
    putSoFar.push(...ids);
    const expected = putSoFar.map(event);
    // At least once: a kill -9 between an object and its checkpoint delivers a batch again.
    const delivered = (objects: Parameters<typeof linesOf>[0]) => new Set(linesOf(objects));
    await waitForBucket(server.dataDir, 'events-archive', (objects) => {
      const lines = delivered(objects);
      return expected.every((line) => lines.has(line));
    });
    // A later batch gets a later arrival time: trimming cuts between them.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Reads the application's output stream until it holds `count` events (fails after 30 s). */
  async function waitForOutput(count: number): Promise<number[]> {
    iterator ??= (
      await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: 'app-out',
          ShardId: 'shardId-000000000000',
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator!;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const got: GetRecordsCommandOutput = await kinesis.send(
        new GetRecordsCommand({ ShardIterator: iterator }),
      );
      iterator = got.NextShardIterator!;
      for (const record of got.Records ?? []) {
        received.push(
          (JSON.parse(Buffer.from(record.Data!).toString('utf8')) as { EVENT_ID: number }).EVENT_ID,
        );
      }
      if ((got.Records ?? []).length > 0) continue;
      if (received.length >= count) return received;
      if (Date.now() > deadline)
        throw new Error(`output has ${JSON.stringify(received)}\n${server.stderr().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The base offsets of the delivery stream's log segments still on disk. */
  async function segmentBaseOffsets(): Promise<number[]> {
    const logRoot = path.join(server.dataDir, 'log', 'logs');
    const [directory] = (await readdir(logRoot)).filter((name) => name.startsWith('firehose-'));
    assert.ok(directory !== undefined, 'the delivery stream has a log');
    return (await readdir(path.join(logRoot, directory)))
      .filter((name) => name.endsWith('.log'))
      .map((name) => Number(name.slice(0, -'.log'.length)))
      .sort((a, b) => a - b);
  }

  async function startFrom(position: 'NOW' | 'LAST_STOPPED_POINT'): Promise<void> {
    await analytics.send(
      new StartApplicationCommand({
        ApplicationName: 'holder',
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: position } },
        ],
      }),
    );
    await waitForApplicationStatus(analytics, 'holder', 'RUNNING');
  }

  async function stop(): Promise<void> {
    await analytics.send(new StopApplicationCommand({ ApplicationName: 'holder' }));
    await waitForApplicationStatus(analytics, 'holder', 'READY');
  }

  const put: number[] = [];

  it('delivers to the bucket while the application is stopped, and the application still gets every record', async () => {
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'events',
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: {
          BucketARN: 'arn:aws:s3:::events-archive',
          RoleARN: role,
          BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 1 },
        },
      }),
    );
    await waitForDeliveryStreamActive(firehose, 'events');
    await kinesis.send(new CreateStreamCommand({ StreamName: 'app-out', ShardCount: 1 }));
    await waitForActive(kinesis, 'app-out');
    await analytics.send(
      new CreateApplicationCommand({
        ApplicationName: 'holder',
        ApplicationCode: code,
        Inputs: [
          {
            NamePrefix: 'SOURCE_SQL_STREAM',
            KinesisFirehoseInput: { ResourceARN: eventsArn, RoleARN: role },
            InputSchema: {
              RecordFormat: {
                RecordFormatType: 'JSON',
                MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
              },
              RecordColumns: [{ Name: 'EVENT_ID', Mapping: '$.id', SqlType: 'INTEGER' }],
            },
          },
        ],
        Outputs: [
          {
            Name: 'DESTINATION_SQL_STREAM',
            KinesisStreamsOutput: { ResourceARN: outArn, RoleARN: role },
            DestinationSchema: { RecordFormatType: 'JSON' },
          },
        ],
      }),
    );
    await startFrom('NOW');
    await putAndDeliver(range(1, 5), put);
    assert.deepEqual(await waitForOutput(5), range(1, 5));

    await stop();
    for (const from of [6, 11, 16, 21]) await putAndDeliver(range(from, from + 4), put);
    // Firehose delivered all of it, yet the log still starts where the application stopped.
    assert.ok(
      (await segmentBaseOffsets())[0]! <= 5,
      `segments ${JSON.stringify(await segmentBaseOffsets())}`,
    );

    await startFrom('LAST_STOPPED_POINT');
    assert.deepEqual(await waitForOutput(25), range(1, 25));
  });

  it('keeps the hold across kill -9 and a restart of the server', async () => {
    await stop();
    for (const from of [26, 31, 36]) await putAndDeliver(range(from, from + 4), put);
    disconnect();
    await server.kill();
    server = await startServer({ dataDir: server.dataDir, extraArgs: serverArgs });
    connect();
    await waitForDeliveryStreamActive(firehose, 'events');
    // Deliveries after the restart trim too, and respect the stopped application's checkpoint.
    await putAndDeliver(range(41, 45), put);
    assert.ok(
      (await segmentBaseOffsets())[0]! <= 25,
      `segments ${JSON.stringify(await segmentBaseOffsets())}`,
    );
    await startFrom('LAST_STOPPED_POINT');
    // The output stream is read again from its start (iterators do not outlive a restart).
    iterator = undefined;
    received.length = 0;
    assert.deepEqual(await waitForOutput(45), range(1, 45));
  });

  it('releases the hold when the application is deleted', async () => {
    const described = await analytics.send(new DescribeApplicationCommand({ ApplicationName: 'holder' }));
    await stop();
    await analytics.send(
      new DeleteApplicationCommand({
        ApplicationName: 'holder',
        CreateTimestamp: described.ApplicationDetail!.CreateTimestamp!,
      }),
    );
    await waitForApplicationStatus(analytics, 'holder', 'GONE');
    await putAndDeliver(range(46, 50), put);
    await putAndDeliver(range(51, 55), put);
    // Every segment before the last batch's is gone.
    const first = (await segmentBaseOffsets())[0]!;
    assert.ok(first >= 45, `segments ${JSON.stringify(await segmentBaseOffsets())}`);
  });
});

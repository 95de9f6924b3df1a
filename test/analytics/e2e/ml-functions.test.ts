/**
 * The machine-learning functions in a running application, against a `tributary serve` process
 * with the official JavaScript SDKs: CreateApplication refuses a bad RANDOM_CUT_FOREST parameter
 * with CodeValidationException; an application whose pumps run RANDOM_CUT_FOREST_WITH_EXPLANATION
 * and HOTSPOTS writes the spiked reading as the most anomalous, explained by the right column,
 * and the planted hotspot, to two output streams.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CodeValidationException,
  CreateApplicationCommand,
  StartApplicationCommand,
  type KinesisAnalyticsClient,
} from '@aws-sdk/client-kinesis-analytics';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { analyticsClient, waitForApplicationStatus } from '../../helpers/analytics-client.js';
import { kinesisClient, waitForActive } from '../../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../../helpers/server-process.js';

const role = 'arn:aws:iam::000000000000:role/analytics';
const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

const input = {
  NamePrefix: 'SOURCE_SQL_STREAM',
  KinesisStreamsInput: { ResourceARN: arnOf('readings'), RoleARN: role },
  InputSchema: {
    RecordFormat: {
      RecordFormatType: 'JSON' as const,
      MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
    },
    RecordEncoding: 'UTF-8',
    RecordColumns: [
      { Name: 'DEVICE', SqlType: 'VARCHAR(8)', Mapping: '$.device' },
      { Name: 'X', SqlType: 'DOUBLE', Mapping: '$.x' },
      { Name: 'Y', SqlType: 'DOUBLE', Mapping: '$.y' },
    ],
  },
};

const code = `CREATE OR REPLACE STREAM "SCORED" (device VARCHAR(8), x DOUBLE, y DOUBLE,
    ANOMALY_SCORE DOUBLE, ANOMALY_EXPLANATION VARCHAR(512));
CREATE OR REPLACE STREAM "HOT" (device VARCHAR(8), HOTSPOTS_RESULT VARCHAR(10000));
CREATE OR REPLACE PUMP "SCORE_PUMP" AS INSERT INTO "SCORED"
  SELECT STREAM device, x, y, ANOMALY_SCORE, ANOMALY_EXPLANATION
  FROM TABLE(RANDOM_CUT_FOREST_WITH_EXPLANATION(
    CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"), 30, 50, 10000, 1, TRUE));
CREATE OR REPLACE PUMP "HOT_PUMP" AS INSERT INTO "HOT"
  SELECT STREAM device, HOTSPOTS_RESULT
  FROM TABLE(HOTSPOTS(CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"), 100, 0.5, 10));
`;

function uniform(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

const count = 150;
const spikeAt = 120;

/** Readings spread over 10 × 10, every third one in a 0.3 square at (2, 2); reading 120 has y = 80. */
function readings(): { device: string; x: number; y: number }[] {
  const random = uniform(21);
  return Array.from({ length: count }, (_, i) => {
    if (i === spikeAt) return { device: 'spike', x: 5, y: 80 };
    if (i % 3 === 0) return { device: `d${i}`, x: 2 + random() * 0.3, y: 2 + random() * 0.3 };
    return { device: `d${i}`, x: random() * 10, y: random() * 10 };
  });
}

describe('RANDOM_CUT_FOREST_WITH_EXPLANATION and HOTSPOTS in a running application', () => {
  let server: ServerProcess;
  let kinesis: KinesisClient;
  let analytics: KinesisAnalyticsClient;

  before(async () => {
    server = await startServer({ extraArgs: ['--transition-delay-ms', '100'] });
    kinesis = kinesisClient(server.endpoint);
    analytics = analyticsClient(server.endpoint);
  });

  after(async () => {
    kinesis?.destroy();
    analytics?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  /** Every record of a one-shard stream, parsed as JSON, once it holds `expected` records. */
  async function readRecords(streamName: string, expected: number): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + 60_000;
    let records: Record<string, unknown>[] = [];
    let iterator = (
      await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: 'shardId-000000000000',
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (records.length < expected) {
      if (Date.now() > deadline)
        throw new Error(`${streamName} holds ${records.length} of ${expected} records\n${server.stderr()}`);
      const got = await kinesis
        .send(new GetRecordsCommand({ ShardIterator: iterator }))
        .catch((error: unknown) => {
          if ((error as Error).name !== 'ProvisionedThroughputExceededException') throw error;
          return undefined;
        });
      if (got !== undefined) {
        records = [
          ...records,
          ...(got.Records ?? []).map(
            (r) => JSON.parse(Buffer.from(r.Data!).toString('utf8')) as Record<string, unknown>,
          ),
        ];
        iterator = got.NextShardIterator;
      }
      if (records.length < expected) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return records;
  }

  it('refuses a bad parameter at CreateApplication with CodeValidationException', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'readings', ShardCount: 1 }));
    await waitForActive(kinesis, 'readings');
    await assert.rejects(
      analytics.send(
        new CreateApplicationCommand({
          ApplicationName: 'bad-forest',
          ApplicationCode: code.replace('30, 50, 10000', '0, 50, 10000'),
          Inputs: [input],
        }),
      ),
      (error: unknown) => {
        assert.ok(error instanceof CodeValidationException, String(error));
        assert.match(error.message, /numberOfTrees must be an integer from 1 to 1000 \(found 0\)/);
        return true;
      },
    );
  });

  it('scores, explains and finds hotspots in the pumps of a running application', async () => {
    for (const name of ['scored', 'hot'])
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    for (const name of ['scored', 'hot']) await waitForActive(kinesis, name);
    await analytics.send(
      new CreateApplicationCommand({
        ApplicationName: 'sensors',
        ApplicationCode: code,
        Inputs: [input],
        Outputs: [
          {
            Name: 'SCORED',
            KinesisStreamsOutput: { ResourceARN: arnOf('scored'), RoleARN: role },
            DestinationSchema: { RecordFormatType: 'JSON' },
          },
          {
            Name: 'HOT',
            KinesisStreamsOutput: { ResourceARN: arnOf('hot'), RoleARN: role },
            DestinationSchema: { RecordFormatType: 'JSON' },
          },
        ],
      }),
    );
    await analytics.send(
      new StartApplicationCommand({
        ApplicationName: 'sensors',
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'NOW' } },
        ],
      }),
    );
    await waitForApplicationStatus(analytics, 'sensors', 'RUNNING');

    // One partition key: one shard, so the records reach the application in this order.
    const put = await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'readings',
        Records: readings().map((r) => ({
          Data: Buffer.from(JSON.stringify(r), 'utf8'),
          PartitionKey: 'one',
        })),
      }),
    );
    assert.equal(put.FailedRecordCount, 0);

    const scored = await readRecords('scored', count);
    assert.equal(scored.length, count);
    assert.deepEqual(
      scored.slice(0, 50).map((r) => r.ANOMALY_SCORE),
      Array.from({ length: 50 }, () => 0),
    );
    const top = [...scored].sort((a, b) => (b.ANOMALY_SCORE as number) - (a.ANOMALY_SCORE as number))[0]!;
    assert.equal(top.DEVICE, 'spike');
    const explanation = JSON.parse(top.ANOMALY_EXPLANATION as string) as Record<
      string,
      { DIRECTION: string; ATTRIBUTION_SCORE: string }
    >;
    assert.equal(explanation.Y!.DIRECTION, 'HIGH');
    assert.ok(Number(explanation.Y!.ATTRIBUTION_SCORE) > Number(explanation.X!.ATTRIBUTION_SCORE));

    const hot = await readRecords('hot', count);
    const last = JSON.parse(hot[hot.length - 1]!.HOTSPOTS_RESULT as string) as {
      hotspots: { density: number; minValues: number[]; maxValues: number[] }[];
    };
    const [densest] = last.hotspots;
    assert.ok(densest !== undefined, JSON.stringify(last));
    assert.ok(densest.minValues[0]! >= 1.5 && densest.maxValues[0]! <= 2.8, JSON.stringify(densest));
    assert.ok(densest.minValues[1]! >= 1.5 && densest.maxValues[1]! <= 2.8, JSON.stringify(densest));
  });
});

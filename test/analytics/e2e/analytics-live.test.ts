/**
 * The live results endpoint (`GET /_tributary/analytics/live`) against a `tributary serve`
 * process: a subscriber of a READY application gets its status, then the rows of the tapped
 * in-application streams once it runs (an output stream, and an input stream that no output
 * reads); unknown applications and streams answer 404 with AWS's error JSON; the account comes
 * from the credentials (header or presigned query); a client that stops reading gets an
 * `event: dropped` with the exact count of rows it missed, bounded by --analytics-live-buffer-rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateApplicationCommand,
  StartApplicationCommand,
  type KinesisAnalyticsClient,
} from '@aws-sdk/client-kinesis-analytics';
import { CreateStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { analyticsClient, waitForApplicationStatus } from '../../helpers/analytics-client.js';
import { kinesisClient, waitForActive } from '../../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../../helpers/server-process.js';
import { authorizationHeaders, connectSse, liveUrl, type SseEvent } from '../../helpers/sse-client.js';

const role = 'arn:aws:iam::000000000000:role/analytics';
const streamArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/live-input';
const bufferRows = 20;

const code = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (SEQ INTEGER, PAYLOAD VARCHAR(8192));
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM SEQ, PAYLOAD FROM "SOURCE_SQL_STREAM_001" WHERE SEQ >= 0;
`;

interface RowData {
  rowtime: string;
  row: Record<string, unknown>;
}

const rowsOf = (events: readonly SseEvent[]): RowData[] =>
  events.filter((event) => event.event === 'row').map((event) => JSON.parse(event.data) as RowData);

describe('live results endpoint', () => {
  let server: ServerProcess;
  let kinesis: KinesisClient;
  let analytics: KinesisAnalyticsClient;

  before(async () => {
    server = await startServer({
      extraArgs: ['--limits', 'off', '--analytics-live-buffer-rows', String(bufferRows)],
    });
    kinesis = kinesisClient(server.endpoint);
    analytics = analyticsClient(server.endpoint);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'live-input', ShardCount: 1 }));
    await waitForActive(kinesis, 'live-input');
    await analytics.send(
      new CreateApplicationCommand({
        ApplicationName: 'live-app',
        ApplicationCode: code,
        Inputs: [
          {
            NamePrefix: 'SOURCE_SQL_STREAM',
            KinesisStreamsInput: { ResourceARN: streamArn, RoleARN: role },
            InputSchema: {
              RecordFormat: {
                RecordFormatType: 'JSON',
                MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
              },
              RecordColumns: [
                { Name: 'SEQ', Mapping: '$.seq', SqlType: 'INTEGER' },
                { Name: 'PAYLOAD', Mapping: '$.payload', SqlType: 'VARCHAR(8192)' },
              ],
            },
          },
        ],
      }),
    );
  });

  after(async () => {
    kinesis?.destroy();
    analytics?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  async function put(from: number, count: number, payloadBytes: number): Promise<void> {
    for (let start = from; start < from + count; start += 250) {
      const entries = [];
      for (let seq = start; seq < Math.min(from + count, start + 250); seq++) {
        const payload = String(seq % 10).repeat(payloadBytes);
        entries.push({ Data: Buffer.from(JSON.stringify({ seq, payload })), PartitionKey: `k${seq}` });
      }
      const result = await kinesis.send(
        new PutRecordsCommand({ StreamName: 'live-input', Records: entries }),
      );
      assert.equal(result.FailedRecordCount, 0);
    }
  }

  it('answers 404 with AWS error JSON for an unknown application or stream, in the caller’s account', async () => {
    const unknownApp = await connectSse(liveUrl(server.endpoint, 'nope', 'DESTINATION_SQL_STREAM'));
    assert.equal(unknownApp.status, 404);
    assert.deepEqual(JSON.parse(await settle(unknownApp)), {
      __type: 'ResourceNotFoundException',
      message: 'Application nope is not found in account 000000000000.',
    });
    const unknownStream = await connectSse(liveUrl(server.endpoint, 'live-app', 'NO_SUCH_STREAM'));
    assert.equal(unknownStream.status, 404);
    assert.deepEqual(JSON.parse(await settle(unknownStream)), {
      __type: 'ResourceNotFoundException',
      message: 'Application live-app has no in-application stream NO_SUCH_STREAM.',
    });
    // Another account (a 12-digit access key is the account) has no such application.
    const otherAccount = await connectSse(
      liveUrl(server.endpoint, 'live-app', 'DESTINATION_SQL_STREAM', { accessKeyId: '111122223333' }),
    );
    assert.equal(otherAccount.status, 404);
    assert.match(await settle(otherAccount), /not found in account 111122223333/);
    const unsigned = await connectSse(
      liveUrl(server.endpoint, 'live-app', 'DESTINATION_SQL_STREAM', { presigned: false }),
    );
    // As the API answers a request without credentials.
    assert.equal(unsigned.status, 400);
    assert.deepEqual(JSON.parse(await settle(unsigned)), {
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  it('tells a subscriber the application is READY, then streams rows of any in-application stream once it runs', async () => {
    const output = await connectSse(liveUrl(server.endpoint, 'live-app', 'DESTINATION_SQL_STREAM'));
    assert.equal(output.status, 200);
    assert.match(String(output.headers['content-type']), /^text\/event-stream/);
    // The input stream, named as written unquoted (lower case), through the Authorization header.
    const input = await connectSse(
      liveUrl(server.endpoint, 'live-app', 'source_sql_stream_001', { presigned: false }),
      authorizationHeaders(),
    );
    assert.equal(input.status, 200);
    for (const connection of [output, input]) {
      await connection.waitFor((events) => events.length >= 1);
      assert.deepEqual(connection.events[0], { event: 'status', data: '{"status":"READY"}' });
    }

    await analytics.send(
      new StartApplicationCommand({
        ApplicationName: 'live-app',
        InputConfigurations: [
          { Id: '1.1', InputStartingPositionConfiguration: { InputStartingPosition: 'NOW' } },
        ],
      }),
    );
    await waitForApplicationStatus(analytics, 'live-app', 'RUNNING');
    await output.waitFor((events) =>
      events.some((event) => event.event === 'status' && event.data.includes('RUNNING')),
    );
    await put(0, 5, 3);
    await output.waitFor((events) => rowsOf(events).length >= 5);
    await input.waitFor((events) => rowsOf(events).length >= 5);
    assert.deepEqual(
      rowsOf(output.events).map((data) => data.row),
      [0, 1, 2, 3, 4].map((seq) => ({ SEQ: seq, PAYLOAD: String(seq).repeat(3) })),
    );
    for (const data of rowsOf(output.events))
      assert.match(data.rowtime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const inputRows = rowsOf(input.events).map((data) => data.row);
    assert.deepEqual(
      inputRows.map((row) => Object.keys(row)),
      inputRows.map(() => ['APPROXIMATE_ARRIVAL_TIME', 'SEQ', 'PAYLOAD']),
    );
    assert.deepEqual(
      inputRows.map((row) => row.SEQ),
      [0, 1, 2, 3, 4],
    );
    output.close();
    input.close();
  });

  it('drops the oldest rows of a client that stops reading and says how many', async () => {
    const total = 3000;
    const slow = await connectSse(liveUrl(server.endpoint, 'live-app', 'DESTINATION_SQL_STREAM'));
    assert.equal(slow.status, 200);
    await slow.waitFor(() => slow.comments.length >= 1);
    slow.pause();
    // ~24 MB of rows: more than the socket buffers hold, so the server must queue and drop.
    await put(1000, total, 8000);
    const deadline = Date.now() + 60_000;
    // Let the application process what was put while the client reads nothing.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    slow.resume();
    const count = (events: readonly SseEvent[]) => {
      const rows = rowsOf(events).filter((data) => (data.row.SEQ as number) >= 1000).length;
      const dropped = events
        .filter((event) => event.event === 'dropped')
        .reduce((sum, event) => sum + (JSON.parse(event.data) as { count: number }).count, 0);
      return { rows, dropped };
    };
    await slow.waitFor(
      (events) => {
        const { rows, dropped } = count(events);
        return rows + dropped === total;
      },
      Math.max(1000, deadline - Date.now()),
    );
    const { rows, dropped } = count(slow.events);
    assert.ok(dropped > 0, 'some rows were dropped');
    assert.ok(rows >= bufferRows, `the buffered rows arrived (${rows})`);
    const seqs = rowsOf(slow.events)
      .map((data) => data.row.SEQ as number)
      .filter((seq) => seq >= 1000);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'rows stay in order',
    );
    // The newest rows are kept: the last row is the last one put.
    assert.equal(seqs.at(-1), 1000 + total - 1);
    slow.close();
  });
});

async function settle(connection: { body(): string }): Promise<string> {
  for (let i = 0; i < 100 && connection.body() === ''; i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return connection.body();
}

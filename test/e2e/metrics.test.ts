/**
 * GET /metrics end to end: a real server, written to and read from with the JavaScript SDK v3
 * (PutRecord, PutRecords, GetRecords, SubscribeToShard), scraped over HTTP and parsed as
 * Prometheus parses it. The counts must equal exactly what the test wrote and read; shard-level
 * series appear with EnableEnhancedMonitoring and go with DisableEnhancedMonitoring; a deleted
 * stream's series go. Also /health, HEAD and unknown paths.
 */
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  DisableEnhancedMonitoringCommand,
  EnableEnhancedMonitoringCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  ResourceInUseException,
  SplitShardCommand,
  SubscribeToShardCommand,
  type KinesisClient,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { parsePrometheusText, samplesOf, valueOf, type Exposition } from '../helpers/prometheus-text.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const account = '000000000000';
const region = 'us-east-1';
const labelsOf = (stream: string): Record<string, string> => ({ account, region, stream });
const shardLabels = (stream: string, shardId: string): Record<string, string> => ({
  ...labelsOf(stream),
  shard: shardId,
});
const bytesOf = (data: string, key: string): number =>
  Buffer.byteLength(data, 'utf8') + Buffer.byteLength(key, 'utf8');
const shardMetricNames = [
  'tributary_kinesis_shard_incoming_bytes_total',
  'tributary_kinesis_shard_incoming_records_total',
  'tributary_kinesis_shard_outgoing_bytes_total',
  'tributary_kinesis_shard_outgoing_records_total',
  'tributary_kinesis_shard_write_provisioned_throughput_exceeded_total',
  'tributary_kinesis_shard_read_provisioned_throughput_exceeded_total',
  'tributary_kinesis_shard_iterator_age_milliseconds',
];

/** A GET or HEAD over h2c (the client ends the request stream itself for these methods). */
function http2Get(
  endpoint: string,
  method: 'GET' | 'HEAD',
  path: string,
): Promise<{ status: number; contentLength: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(endpoint);
    session.on('error', reject);
    const stream = session.request({ ':method': method, ':path': path });
    const chunks: Buffer[] = [];
    let status = 0;
    let contentLength: string | undefined;
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
      contentLength = headers['content-length'] as string | undefined;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      session.close();
      resolve({ status, contentLength, body: Buffer.concat(chunks) });
    });
    stream.on('error', reject);
  });
}

describe('GET /metrics', () => {
  let server: ServerProcess;
  let client: KinesisClient;

  before(async () => {
    server = await startServer();
    client = kinesisClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  async function scrape(): Promise<Exposition> {
    const response = await fetch(`${server.endpoint}/metrics`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    return parsePrometheusText(await response.text());
  }

  /** Scrapes until `ready` holds (pushes are counted once the transport took them). */
  async function scrapeUntil(ready: (exposition: Exposition) => boolean, what: string): Promise<Exposition> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const exposition = await scrape();
      if (ready(exposition)) return exposition;
      if (Date.now() > deadline) throw new Error(`metrics never showed ${what}`);
      await sleep(50);
    }
  }

  async function createStream(name: string, shardCount: number): Promise<void> {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
    await waitForActive(client, name);
  }

  /** Reads a shard from TRIM_HORIZON until a call returns nothing; counts calls, records and bytes. */
  async function readShard(
    stream: string,
    shardId: string,
  ): Promise<{ calls: number; records: number; bytes: number }> {
    const started = await client.send(
      new GetShardIteratorCommand({
        StreamName: stream,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    let iterator = started.ShardIterator;
    const totals = { calls: 0, records: 0, bytes: 0 };
    for (;;) {
      const result = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 2 }));
      totals.calls++;
      for (const record of result.Records ?? []) {
        totals.records++;
        totals.bytes += (record.Data?.length ?? 0) + Buffer.byteLength(record.PartitionKey ?? '', 'utf8');
      }
      iterator = result.NextShardIterator;
      if ((result.Records ?? []).length === 0) return totals;
    }
  }

  it('answers /health with JSON, HEAD without a body, and 404 for other paths', async () => {
    const health = await fetch(`${server.endpoint}/health`);
    assert.equal(health.status, 200);
    assert.equal(health.headers.get('content-type'), 'application/json');
    assert.deepEqual(await health.json(), { status: 'ok' });

    const head = await fetch(`${server.endpoint}/metrics`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.ok(Number(head.headers.get('content-length')) > 0);
    assert.equal(await head.text(), '');

    // Over HTTP/2 cleartext too (the port's other protocol), and HEAD there has no body either.
    const overHttp2 = await http2Get(server.endpoint, 'GET', '/metrics');
    assert.equal(overHttp2.status, 200);
    assert.ok(parsePrometheusText(overHttp2.body.toString()).samples.length > 0);
    const headOverHttp2 = await http2Get(server.endpoint, 'HEAD', '/health');
    assert.equal(headOverHttp2.status, 200);
    assert.equal(headOverHttp2.contentLength, '16');
    assert.equal(headOverHttp2.body.length, 0);

    const withQuery = await fetch(`${server.endpoint}/health?verbose=1`);
    assert.equal(withQuery.status, 200);
    const missing = await fetch(`${server.endpoint}/no-such-page`);
    assert.equal(missing.status, 404);
    await missing.text();
  });

  it('counts exactly what PutRecord and PutRecords wrote and GetRecords read', async () => {
    const stream = 'metrics-io';
    await createStream(stream, 2);
    const labels = labelsOf(stream);
    let exposition = await scrape();
    assert.equal(valueOf(exposition, 'tributary_kinesis_incoming_records_total', labels), 0);

    const single = [
      { data: 'alpha', key: 'k1' },
      { data: 'beta-beta', key: 'clé' }, // a partition key of 4 UTF-8 bytes
      { data: '', key: 'empty-data' },
    ];
    for (const { data, key } of single) {
      await client.send(
        new PutRecordCommand({ StreamName: stream, PartitionKey: key, Data: Buffer.from(data) }),
      );
    }
    const batch = Array.from({ length: 5 }, (_, index) => ({
      data: `record-${index}-${'x'.repeat(index * 7)}`,
      key: `p${index}`,
    }));
    const put = await client.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: batch.map(({ data, key }) => ({ PartitionKey: key, Data: Buffer.from(data) })),
      }),
    );
    assert.equal(put.FailedRecordCount, 0);
    const singleBytes = single.reduce((sum, { data, key }) => sum + bytesOf(data, key), 0);
    const batchBytes = batch.reduce((sum, { data, key }) => sum + bytesOf(data, key), 0);

    exposition = await scrape();
    const expected: [string, number][] = [
      ['tributary_kinesis_incoming_records_total', 8],
      ['tributary_kinesis_incoming_bytes_total', singleBytes + batchBytes],
      ['tributary_kinesis_put_record_success_total', 3],
      ['tributary_kinesis_put_record_bytes_total', singleBytes],
      ['tributary_kinesis_put_record_latency_seconds_count', 3],
      ['tributary_kinesis_put_records_success_total', 1],
      ['tributary_kinesis_put_records_total_records_total', 5],
      ['tributary_kinesis_put_records_successful_records_total', 5],
      ['tributary_kinesis_put_records_records_total', 5],
      ['tributary_kinesis_put_records_failed_records_total', 0],
      ['tributary_kinesis_put_records_throttled_records_total', 0],
      ['tributary_kinesis_put_records_bytes_total', batchBytes],
      ['tributary_kinesis_put_records_latency_seconds_count', 1],
      ['tributary_kinesis_write_provisioned_throughput_exceeded_total', 0],
      ['tributary_kinesis_get_records_success_total', 0],
    ];
    for (const [name, value] of expected) assert.equal(valueOf(exposition, name, labels), value, name);
    assert.ok(valueOf(exposition, 'tributary_kinesis_put_record_latency_seconds_sum', labels) > 0);
    assert.equal(
      valueOf(exposition, 'tributary_kinesis_put_record_latency_seconds_bucket', { ...labels, le: '+Inf' }),
      3,
    );
    // Basic monitoring only: no shard-level series for this stream.
    assert.deepEqual(samplesOf(exposition, 'tributary_kinesis_shard_incoming_records_total', labels), []);

    const read = [
      await readShard(stream, 'shardId-000000000000'),
      await readShard(stream, 'shardId-000000000001'),
    ];
    const calls = read.reduce((sum, shard) => sum + shard.calls, 0);
    assert.equal(read[0]!.records + read[1]!.records, 8);
    exposition = await scrape();
    assert.equal(valueOf(exposition, 'tributary_kinesis_get_records_success_total', labels), calls);
    assert.equal(valueOf(exposition, 'tributary_kinesis_get_records_records_total', labels), 8);
    assert.equal(
      valueOf(exposition, 'tributary_kinesis_get_records_bytes_total', labels),
      singleBytes + batchBytes,
    );
    assert.equal(valueOf(exposition, 'tributary_kinesis_get_records_latency_seconds_count', labels), calls);
    // Both shards were read to their tip: the last calls returned nothing.
    assert.equal(valueOf(exposition, 'tributary_kinesis_get_records_iterator_age_milliseconds', labels), 0);

    // Reading an old record again: its age is at least the time since it was acknowledged.
    const writtenBeforeMs = Date.now();
    await sleep(300);
    const again = await client.send(
      new GetShardIteratorCommand({
        StreamName: stream,
        ShardId: read[0]!.records > 0 ? 'shardId-000000000000' : 'shardId-000000000001',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const readAtMs = Date.now();
    await client.send(new GetRecordsCommand({ ShardIterator: again.ShardIterator, Limit: 1 }));
    exposition = await scrape();
    const ageMs = valueOf(exposition, 'tributary_kinesis_get_records_iterator_age_milliseconds', labels);
    assert.ok(ageMs >= readAtMs - writtenBeforeMs, `iterator age ${ageMs} ms`);
    assert.ok(ageMs < 10 * 60_000, `iterator age ${ageMs} ms`);
  });

  it('serves shard-level series only for the names enhanced monitoring enabled', async () => {
    const stream = 'metrics-shards';
    await createStream(stream, 2);
    const shardIds = ['shardId-000000000000', 'shardId-000000000001'];
    let exposition = await scrape();
    for (const name of shardMetricNames)
      assert.deepEqual(samplesOf(exposition, name, labelsOf(stream)), [], name);

    await client.send(
      new EnableEnhancedMonitoringCommand({ StreamName: stream, ShardLevelMetrics: ['ALL'] }),
    );
    exposition = await scrape();
    for (const name of shardMetricNames) {
      for (const shardId of shardIds)
        assert.equal(valueOf(exposition, name, shardLabels(stream, shardId)), 0);
    }

    // Write records and tally them per shard from the answers.
    const written = new Map<string, { records: number; bytes: number }>(
      shardIds.map((id) => [id, { records: 0, bytes: 0 }]),
    );
    for (let index = 0; index < 12; index++) {
      const key = `key-${index}`;
      const data = `payload ${index}`;
      const answer = await client.send(
        new PutRecordCommand({ StreamName: stream, PartitionKey: key, Data: Buffer.from(data) }),
      );
      const tally = written.get(answer.ShardId as string);
      assert.ok(tally !== undefined);
      tally.records++;
      tally.bytes += bytesOf(data, key);
    }
    assert.ok(
      [...written.values()].every((tally) => tally.records > 0),
      'both shards got records',
    );
    const read = new Map<string, { records: number; bytes: number }>();
    for (const shardId of shardIds) read.set(shardId, await readShard(stream, shardId));

    exposition = await scrape();
    for (const shardId of shardIds) {
      const labels = shardLabels(stream, shardId);
      const tally = written.get(shardId)!;
      assert.equal(
        valueOf(exposition, 'tributary_kinesis_shard_incoming_records_total', labels),
        tally.records,
      );
      assert.equal(valueOf(exposition, 'tributary_kinesis_shard_incoming_bytes_total', labels), tally.bytes);
      assert.equal(
        valueOf(exposition, 'tributary_kinesis_shard_outgoing_records_total', labels),
        tally.records,
      );
      assert.equal(valueOf(exposition, 'tributary_kinesis_shard_outgoing_bytes_total', labels), tally.bytes);
      assert.equal(read.get(shardId)!.bytes, tally.bytes);
      assert.equal(valueOf(exposition, 'tributary_kinesis_shard_iterator_age_milliseconds', labels), 0);
    }
    assert.equal(valueOf(exposition, 'tributary_kinesis_incoming_records_total', labelsOf(stream)), 12);

    await client.send(
      new DisableEnhancedMonitoringCommand({
        StreamName: stream,
        ShardLevelMetrics: ['IncomingBytes', 'OutgoingBytes'],
      }),
    );
    exposition = await scrape();
    assert.deepEqual(
      samplesOf(exposition, 'tributary_kinesis_shard_incoming_bytes_total', labelsOf(stream)),
      [],
    );
    assert.deepEqual(
      samplesOf(exposition, 'tributary_kinesis_shard_outgoing_bytes_total', labelsOf(stream)),
      [],
    );
    assert.equal(
      valueOf(
        exposition,
        'tributary_kinesis_shard_incoming_records_total',
        shardLabels(stream, shardIds[0]!),
      ),
      written.get(shardIds[0]!)!.records,
    );

    await client.send(
      new DisableEnhancedMonitoringCommand({ StreamName: stream, ShardLevelMetrics: ['ALL'] }),
    );
    await client.send(
      new PutRecordCommand({ StreamName: stream, PartitionKey: 'after', Data: Buffer.from('x') }),
    );
    exposition = await scrape();
    for (const name of shardMetricNames)
      assert.deepEqual(samplesOf(exposition, name, labelsOf(stream)), [], name);
    assert.equal(valueOf(exposition, 'tributary_kinesis_incoming_records_total', labelsOf(stream)), 13);
  });

  it("gives the children of a split their shard-level series, and keeps the parent's", async () => {
    const stream = 'metrics-split';
    await createStream(stream, 1);
    await client.send(
      new EnableEnhancedMonitoringCommand({ StreamName: stream, ShardLevelMetrics: ['IncomingRecords'] }),
    );
    await client.send(
      new PutRecordCommand({ StreamName: stream, PartitionKey: 'before', Data: Buffer.from('1') }),
    );
    await client.send(
      new SplitShardCommand({
        StreamName: stream,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await waitForActive(client, stream);
    const after = await client.send(
      new PutRecordCommand({ StreamName: stream, PartitionKey: 'after', Data: Buffer.from('2') }),
    );
    const exposition = await scrape();
    const incoming = (shardId: string): number =>
      valueOf(exposition, 'tributary_kinesis_shard_incoming_records_total', shardLabels(stream, shardId));
    assert.equal(incoming('shardId-000000000000'), 1);
    for (const child of ['shardId-000000000001', 'shardId-000000000002']) {
      assert.equal(incoming(child), child === after.ShardId ? 1 : 0, child);
    }
    assert.equal(valueOf(exposition, 'tributary_kinesis_incoming_records_total', labelsOf(stream)), 2);
  });

  it('counts SubscribeToShard calls, refusals and the records pushed', async () => {
    const stream = 'metrics-efo';
    await createStream(stream, 1);
    await client.send(
      new EnableEnhancedMonitoringCommand({ StreamName: stream, ShardLevelMetrics: ['OutgoingRecords'] }),
    );
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
    const registered = await client.send(
      new RegisterStreamConsumerCommand({
        StreamARN: summary.StreamDescriptionSummary?.StreamARN,
        ConsumerName: 'reader',
      }),
    );
    const consumerArn = registered.Consumer?.ConsumerARN as string;
    for (let attempt = 0; ; attempt++) {
      const described = await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }));
      if (described.ConsumerDescription?.ConsumerStatus === 'ACTIVE') break;
      assert.ok(attempt < 800, 'consumer never became ACTIVE');
      await sleep(25);
    }
    const records = Array.from({ length: 6 }, (_, index) => ({ data: `pushed-${index}`, key: `k${index}` }));
    await client.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: records.map(({ data, key }) => ({ PartitionKey: key, Data: Buffer.from(data) })),
      }),
    );
    const subscribe = (): Promise<{ EventStream?: AsyncIterable<SubscribeToShardEventStream> }> =>
      client.send(
        new SubscribeToShardCommand({
          ConsumerARN: consumerArn,
          ShardId: 'shardId-000000000000',
          StartingPosition: { Type: 'TRIM_HORIZON' },
        }),
      );
    const first = await subscribe();
    const iterator = (first.EventStream as AsyncIterable<SubscribeToShardEventStream>)[
      Symbol.asyncIterator
    ]();
    let received = 0;
    while (received < records.length) {
      const next = await iterator.next();
      assert.ok(next.done !== true, 'the subscription ended early');
      received += next.value.SubscribeToShardEvent?.Records?.length ?? 0;
    }
    // The first subscription is still live: a second one within 5 s is refused.
    await assert.rejects(subscribe(), (error: unknown) => error instanceof ResourceInUseException);
    await iterator.return?.();

    const labels = labelsOf(stream);
    const pushedBytes = records.reduce((sum, { data, key }) => sum + bytesOf(data, key), 0);
    const exposition = await scrapeUntil(
      (current) =>
        valueOf(current, 'tributary_kinesis_subscribe_to_shard_event_records_total', labels) ===
        records.length,
      'the pushed records',
    );
    assert.equal(valueOf(exposition, 'tributary_kinesis_subscribe_to_shard_success_total', labels), 1);
    assert.equal(valueOf(exposition, 'tributary_kinesis_subscribe_to_shard_rate_exceeded_total', labels), 1);
    assert.equal(
      valueOf(exposition, 'tributary_kinesis_subscribe_to_shard_event_bytes_total', labels),
      pushedBytes,
    );
    assert.ok(valueOf(exposition, 'tributary_kinesis_subscribe_to_shard_event_success_total', labels) >= 1);
    assert.equal(
      valueOf(exposition, 'tributary_kinesis_subscribe_to_shard_event_millis_behind_latest', labels),
      0,
    );
    assert.equal(
      valueOf(
        exposition,
        'tributary_kinesis_shard_outgoing_records_total',
        shardLabels(stream, 'shardId-000000000000'),
      ),
      records.length,
    );
    assert.equal(valueOf(exposition, 'tributary_kinesis_get_records_success_total', labels), 0);
  });

  it('drops every series of a deleted stream, and reports process and storage metrics', async () => {
    const stream = 'metrics-deleted';
    await createStream(stream, 1);
    await client.send(
      new EnableEnhancedMonitoringCommand({ StreamName: stream, ShardLevelMetrics: ['ALL'] }),
    );
    const data = 'y'.repeat(1000);
    await client.send(
      new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: Buffer.from(data) }),
    );
    let exposition = await scrape();
    assert.equal(valueOf(exposition, 'tributary_kinesis_incoming_records_total', labelsOf(stream)), 1);
    // The log holds the record's frame: at least its data and key.
    assert.ok(valueOf(exposition, 'tributary_storage_log_bytes', labelsOf(stream)) >= bytesOf(data, 'k'));
    assert.ok(valueOf(exposition, 'tributary_storage_fsync_seconds_count') >= 1);
    assert.ok(valueOf(exposition, 'process_resident_memory_bytes') > 10 * 1024 * 1024);
    assert.ok(valueOf(exposition, 'process_cpu_seconds_total') > 0);
    assert.ok(valueOf(exposition, 'process_open_fds') > 3);
    assert.ok(
      exposition.samples.some(
        (sample) => sample.labels.stream === stream && sample.labels.shard !== undefined,
      ),
    );

    await client.send(new DeleteStreamCommand({ StreamName: stream }));
    for (let attempt = 0; ; attempt++) {
      const listed = await client.send(new ListStreamsCommand({}));
      if (!(listed.StreamNames ?? []).includes(stream)) break;
      assert.ok(attempt < 800, 'the stream was never deleted');
      await sleep(25);
    }
    exposition = await scrape();
    assert.deepEqual(
      exposition.samples.filter((sample) => sample.labels.stream === stream),
      [],
    );
    // Other streams keep theirs.
    assert.equal(valueOf(exposition, 'tributary_kinesis_incoming_records_total', labelsOf('metrics-io')), 8);
  });
});

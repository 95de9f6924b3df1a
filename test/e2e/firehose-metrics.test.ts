/**
 * Firehose metrics in GET /metrics from a real server driven by the JavaScript SDK: exact counts
 * of IncomingRecords/Bytes/PutRequests, PutRecord.* and PutRecordBatch.* (latency histograms
 * counted once per call), DeliveryToS3.Records/Bytes/Success matching the objects in the
 * embedded bucket, DataFreshness growing while a buffer waits and 0 once delivered, and a
 * deleted delivery stream's series gone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { firehoseClient, waitForBucket, waitForDeliveryStreamActive } from '../helpers/firehose-client.js';
import { parsePrometheusText, samplesOf, valueOf, type Exposition } from '../helpers/prometheus-text.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';

describe('Firehose metrics', () => {
  let server: ServerProcess;
  let client: FirehoseClient;

  before(async () => {
    server = await startServer();
    client = firehoseClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  async function scrape(): Promise<Exposition> {
    const response = await fetch(`${server.endpoint}/metrics`);
    assert.equal(response.status, 200);
    return parsePrometheusText(await response.text());
  }

  async function create(
    name: string,
    hints: { SizeInMBs: number; IntervalInSeconds: number },
  ): Promise<void> {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: `arn:aws:s3:::${name}-bucket`,
          BufferingHints: hints,
          CompressionFormat: 'GZIP',
        },
      }),
    );
    await waitForDeliveryStreamActive(client, name);
  }

  it('counts puts and deliveries exactly', async () => {
    await create('metered', { SizeInMBs: 1, IntervalInSeconds: 1 });
    const labels = { account: '000000000000', region: 'us-east-1', delivery_stream: 'metered' };
    const singles = [Buffer.from('first single record'), Buffer.from('second')];
    for (const data of singles) {
      await client.send(new PutRecordCommand({ DeliveryStreamName: 'metered', Record: { Data: data } }));
    }
    const batches = [10, 20, 5].map((count, batch) =>
      Array.from({ length: count }, (_, index) =>
        Buffer.from(`batch ${batch} record ${index} ${'x'.repeat(index)}`),
      ),
    );
    for (const batch of batches) {
      const answer = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: 'metered',
          Records: batch.map((Data) => ({ Data })),
        }),
      );
      assert.equal(answer.FailedPutCount, 0);
    }
    const sum = (datas: readonly Buffer[]): number => datas.reduce((total, data) => total + data.length, 0);
    const singleBytes = sum(singles);
    const batchBytes = sum(batches.flat());
    const metrics = await scrape();
    assert.equal(valueOf(metrics, 'tributary_firehose_incoming_records_total', labels), 2 + 35);
    assert.equal(
      valueOf(metrics, 'tributary_firehose_incoming_bytes_total', labels),
      singleBytes + batchBytes,
    );
    assert.equal(valueOf(metrics, 'tributary_firehose_incoming_put_requests_total', labels), 5);
    assert.equal(valueOf(metrics, 'tributary_firehose_put_record_requests_total', labels), 2);
    assert.equal(valueOf(metrics, 'tributary_firehose_put_record_bytes_total', labels), singleBytes);
    assert.equal(valueOf(metrics, 'tributary_firehose_put_record_latency_seconds_count', labels), 2);
    assert.equal(valueOf(metrics, 'tributary_firehose_put_record_batch_requests_total', labels), 3);
    assert.equal(valueOf(metrics, 'tributary_firehose_put_record_batch_records_total', labels), 35);
    assert.equal(valueOf(metrics, 'tributary_firehose_put_record_batch_bytes_total', labels), batchBytes);
    assert.equal(valueOf(metrics, 'tributary_firehose_put_record_batch_latency_seconds_count', labels), 3);
    assert.ok(valueOf(metrics, 'tributary_firehose_put_record_batch_latency_seconds_sum', labels) > 0);
    assert.equal(metrics.types.get('tributary_firehose_put_record_batch_latency_seconds'), 'histogram');
    assert.match(
      metrics.help.get('tributary_firehose_incoming_records_total') ?? '',
      /CloudWatch: IncomingRecords\.$/,
    );

    // Delivery: counts match the objects the bucket holds once all 37 records are in.
    let delivered = 0;
    const deadline = Date.now() + 60_000;
    let after: Exposition;
    for (;;) {
      after = await scrape();
      delivered = samplesOf(after, 'tributary_firehose_delivery_to_s3_records_total', labels)[0]?.value ?? 0;
      if (delivered >= 37 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(delivered, 37);
    const objects = await waitForBucket(server.dataDir, 'metered-bucket', (found) => found.length > 0, 0);
    assert.equal(valueOf(after, 'tributary_firehose_delivery_to_s3_success_total', labels), objects.length);
    assert.equal(
      valueOf(after, 'tributary_firehose_delivery_to_s3_bytes_total', labels),
      sum(objects.map((object) => object.body)),
    );
    assert.equal(valueOf(after, 'tributary_firehose_delivery_to_s3_data_freshness_seconds', labels), 0);
    assert.equal(after.types.get('tributary_firehose_delivery_to_s3_data_freshness_seconds'), 'gauge');
  });

  it('shows DataFreshness growing while a buffer waits, and drops a deleted stream’s series', async () => {
    await create('waiting', { SizeInMBs: 128, IntervalInSeconds: 900 });
    const labels = { account: '000000000000', region: 'us-east-1', delivery_stream: 'waiting' };
    await client.send(
      new PutRecordCommand({ DeliveryStreamName: 'waiting', Record: { Data: Buffer.from('w') } }),
    );
    const putMs = Date.now();
    let freshness = 0;
    while (Date.now() - putMs < 60_000) {
      freshness = valueOf(await scrape(), 'tributary_firehose_delivery_to_s3_data_freshness_seconds', labels);
      if (freshness >= 1.5) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(freshness >= 1.5, `DataFreshness reached ${freshness}`);
    assert.ok(
      freshness <= (Date.now() - putMs) / 1000 + 1,
      `DataFreshness ${freshness} is not older than the put`,
    );
    const before = await scrape();
    assert.equal(samplesOf(before, 'tributary_firehose_delivery_to_s3_records_total', labels).length, 0);

    await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'waiting' }));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const gone = (await scrape()).samples.every((sample) => sample.labels.delivery_stream !== 'waiting');
      if (gone) break;
      assert.ok(Date.now() < deadline, 'the deleted delivery stream still has series');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});

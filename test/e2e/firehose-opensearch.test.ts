/**
 * OpenSearch and Elasticsearch destinations against local `_bulk` servers, with the JavaScript SDK
 * v3 against a real server: a DomainARN resolved through `--firehose-opensearch-domains` (plain
 * HTTP), index rotation and Firehose document ids, per-document failures retried alone with the
 * same ids and then written under `AmazonOpenSearchService-failed/` in AWS's envelope; an
 * Elasticsearch ClusterEndpoint over HTTPS with TypeName and NO_DOCUMENT_ID; create/update rules;
 * exact DeliveryToAmazonOpenSearchService.* and DeliveryToElasticsearch.* counts in GET /metrics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  InvalidArgumentException,
  PutRecordBatchCommand,
  UpdateDestinationCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { firehoseClient, waitForBucket, waitForDeliveryStreamActive } from '../helpers/firehose-client.js';
import { parsePrometheusText, valueOf } from '../helpers/prometheus-text.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';
import {
  makeTestCertificate,
  startReceiver,
  trustEnvironment,
  waitUntil,
  type Receiver,
  type TestCertificate,
} from '../helpers/destination-receiver.js';
import { bulkItemsOf, bulkReply } from '../helpers/bulk-receiver.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const domainArn = 'arn:aws:es:us-east-1:000000000000:domain/logs';

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

describe('Firehose OpenSearch and Elasticsearch destinations', () => {
  let certificate: TestCertificate;
  let cluster: Receiver;
  let secureCluster: Receiver;
  let server: ServerProcess;
  let client: FirehoseClient;
  /** Documents the local cluster refuses. */
  let refused = (_document: string): boolean => false;

  before(async () => {
    certificate = makeTestCertificate();
    cluster = await startReceiver({
      handler: (request) => bulkReply(request, (item) => refused(item.document)),
    });
    secureCluster = await startReceiver({ certificate, handler: (request) => bulkReply(request) });
    server = await startServer({
      extraArgs: [
        '--firehose-buffer-interval-ms-max',
        '300',
        '--firehose-opensearch-domains',
        `logs=${cluster.url}`,
      ],
      env: trustEnvironment(certificate),
    });
    client = firehoseClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    await cluster?.close();
    await secureCluster?.close();
    certificate?.remove();
  });

  async function put(name: string, lines: readonly string[]): Promise<void> {
    const result = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: name,
        Records: lines.map((line) => ({ Data: Buffer.from(line) })),
      }),
    );
    assert.equal(result.FailedPutCount, 0);
  }

  /**
   * The `DeliveryTo<target>` Records, Bytes and Success of a delivery stream, once Records reached
   * `records` (it is counted after the backup is written, just before the checkpoint).
   */
  async function deliveryMetrics(
    stream: string,
    target: string,
    records: number,
  ): Promise<{ records: number; bytes: number; success: number }> {
    const labels = { account: '000000000000', region: 'us-east-1', delivery_stream: stream };
    const deadline = Date.now() + 30_000;
    for (;;) {
      const metrics = parsePrometheusText(await (await fetch(`${server.endpoint}/metrics`)).text());
      const value = (metric: string): number =>
        valueOf(metrics, `tributary_firehose_delivery_to_${target}_${metric}_total`, labels);
      if (value('records') >= records || Date.now() > deadline) {
        return { records: value('records'), bytes: value('bytes'), success: value('success') };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('bulk-indexes into the rotated index with Firehose document ids; Describe shows the defaults', async () => {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'os-basic',
        AmazonopensearchserviceDestinationConfiguration: {
          RoleARN: roleArn,
          DomainARN: domainArn,
          IndexName: 'events',
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::os-basic-backup' },
        },
      }),
    );
    await waitForDeliveryStreamActive(client, 'os-basic');
    const described = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'os-basic' }),
    );
    const view =
      described.DeliveryStreamDescription?.Destinations?.[0]?.AmazonopensearchserviceDestinationDescription;
    assert.deepEqual(view, {
      RoleARN: roleArn,
      DomainARN: domainArn,
      IndexName: 'events',
      IndexRotationPeriod: 'OneDay',
      BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 1 },
      RetryOptions: { DurationInSeconds: 300 },
      S3BackupMode: 'FailedDocumentsOnly',
      CloudWatchLoggingOptions: { Enabled: false },
      DocumentIdOptions: { DefaultDocumentIdFormat: 'FIREHOSE_DEFAULT' },
      S3DestinationDescription: {
        RoleARN: roleArn,
        BucketARN: 'arn:aws:s3:::os-basic-backup',
        BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
        CompressionFormat: 'UNCOMPRESSED',
        EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
        CloudWatchLoggingOptions: { Enabled: false },
      },
    });
    const beforeMs = Date.now();
    const documents = Array.from({ length: 20 }, (_, index) => `{"n":${index},"text":"a b"}`);
    await put('os-basic', [...documents.slice(0, 19), `${documents[19] as string}\n`]);
    const received = () =>
      cluster.requests.filter((request) => request.url === '/_bulk').flatMap(bulkItemsOf);
    await waitUntil(
      () => received().length >= documents.length,
      () => `${received().length} documents`,
    );
    const afterMs = Date.now();
    const request = cluster.requests[0];
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/_bulk');
    assert.equal(request?.headers['content-type'], 'application/json');
    const items = received();
    assert.deepEqual(items.map((item) => item.document).sort(), [...documents].sort());
    const ids = new Set(items.map((item) => item.action._id));
    assert.equal(ids.size, documents.length);
    for (const item of items) {
      assert.deepEqual(Object.keys(item.action), ['_index', '_id']);
      assert.ok(
        [utcDay(beforeMs), utcDay(afterMs)].map((day) => `events-${day}`).includes(item.action._index),
      );
      assert.match(item.action._id ?? '', /^[A-Za-z0-9_-]{20}$/);
    }
  });

  it('retries only the refused documents with the same ids, then backs them up in AWS envelope', async () => {
    refused = (document) => document.includes('"bad"');
    const before = cluster.requests.length;
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'os-partial',
        AmazonopensearchserviceDestinationConfiguration: {
          RoleARN: roleArn,
          DomainARN: domainArn,
          IndexName: 'partial',
          IndexRotationPeriod: 'NoRotation',
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          RetryOptions: { DurationInSeconds: 2 },
          S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::os-partial-backup' },
        },
      }),
    );
    await waitForDeliveryStreamActive(client, 'os-partial');
    await put('os-partial', ['{"good":1}', '{"bad":1}', '{"good":2}']);
    const objects = await waitForBucket(server.dataDir, 'os-partial-backup', (found) => found.length > 0);
    const requests = cluster.requests.slice(before).map(bulkItemsOf);
    assert.ok(requests.length >= 2, `${requests.length} requests`);
    assert.deepEqual(requests[0]?.map((item) => item.document).sort(), [
      '{"bad":1}',
      '{"good":1}',
      '{"good":2}',
    ]);
    const badId = requests[0]?.find((item) => item.document === '{"bad":1}')?.action._id;
    for (const retry of requests.slice(1)) {
      assert.deepEqual(
        retry.map((item) => [item.document, item.action._id, item.action._index]),
        [['{"bad":1}', badId, 'partial']],
      );
    }
    assert.equal(objects.length, 1);
    assert.match(
      objects[0]?.key ?? '',
      /^AmazonOpenSearchService-failed\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/os-partial-1-/,
    );
    const lines = (objects[0]?.body.toString('utf8') ?? '').trimEnd().split('\n');
    assert.equal(lines.length, 1);
    const envelope = JSON.parse(lines[0] as string) as Record<string, unknown>;
    assert.deepEqual(Object.keys(envelope), [
      'attemptsMade',
      'arrivalTimestamp',
      'errorCode',
      'errorMessage',
      'attemptEndingTimestamp',
      'esDocumentId',
      'esIndexName',
      'rawData',
    ]);
    assert.equal(envelope.errorCode, '400');
    assert.deepEqual(JSON.parse(envelope.errorMessage as string), {
      type: 'mapper_parsing_exception',
      reason: 'failed to parse field [n]',
    });
    assert.equal(envelope.esDocumentId, badId);
    assert.equal(envelope.esIndexName, 'partial');
    assert.equal(envelope.attemptsMade, requests.length);
    assert.equal(Buffer.from(envelope.rawData as string, 'base64').toString('utf8'), '{"bad":1}');
    // Only the accepted documents count as delivered; one batch.
    assert.deepEqual(await deliveryMetrics('os-partial', 'amazon_open_search_service', 2), {
      records: 2,
      bytes: '{"good":1}'.length * 2,
      success: 1,
    });
  });

  it('sends Elasticsearch bulk items with _type and no _id to an HTTPS ClusterEndpoint', async () => {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'es-cluster',
        ElasticsearchDestinationConfiguration: {
          RoleARN: roleArn,
          ClusterEndpoint: secureCluster.url,
          IndexName: 'legacy',
          TypeName: 'doc',
          IndexRotationPeriod: 'OneMonth',
          DocumentIdOptions: { DefaultDocumentIdFormat: 'NO_DOCUMENT_ID' },
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::es-cluster-backup' },
        },
      }),
    );
    await waitForDeliveryStreamActive(client, 'es-cluster');
    const beforeMs = Date.now();
    await put('es-cluster', ['{"a":1}', '{"a":2}']);
    await waitUntil(
      () => secureCluster.requests.length > 0,
      () => 'no request',
    );
    const month = new Date(beforeMs).toISOString().slice(0, 7);
    for (const item of bulkItemsOf(secureCluster.requests[0]!)) {
      assert.deepEqual(item.action, { _index: `legacy-${month}`, _type: 'doc' });
    }
    const described = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'es-cluster' }),
    );
    const view = described.DeliveryStreamDescription?.Destinations?.[0]?.ElasticsearchDestinationDescription;
    assert.equal(view?.ClusterEndpoint, secureCluster.url);
    assert.equal(view?.TypeName, 'doc');
    // One success per batch: each batch here is one bulk request (nothing is refused).
    const delivered = await deliveryMetrics('es-cluster', 'elasticsearch', 2);
    assert.deepEqual(delivered, {
      records: 2,
      bytes: '{"a":1}'.length * 2,
      success: secureCluster.requests.filter((request) => request.url === '/_bulk').length,
    });
  });

  it('refuses unknown domains and DomainARN with ClusterEndpoint; an update switches between them', async () => {
    const base = {
      RoleARN: roleArn,
      IndexName: 'x',
      S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::b' },
    };
    const refusal = async (configuration: Record<string, unknown>): Promise<string> => {
      const error = await client
        .send(
          new CreateDeliveryStreamCommand({
            DeliveryStreamName: 'os-refused',
            AmazonopensearchserviceDestinationConfiguration: configuration as never,
          }),
        )
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      assert.ok(error instanceof InvalidArgumentException, String(error));
      return error.message;
    };
    assert.equal(
      await refusal({ ...base, DomainARN: 'arn:aws:es:us-east-1:000000000000:domain/nope' }),
      'Domain not found: nope',
    );
    assert.equal(
      await refusal({ ...base, DomainARN: domainArn, ClusterEndpoint: 'https://example.com' }),
      'Only one of DomainARN and ClusterEndpoint can be specified.',
    );
    assert.equal(await refusal(base), 'Either DomainARN or ClusterEndpoint must be specified.');
    await client.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: 'os-basic',
        CurrentDeliveryStreamVersionId: '1',
        DestinationId: 'destinationId-000000000001',
        AmazonopensearchserviceDestinationUpdate: { ClusterEndpoint: secureCluster.url, IndexName: 'moved' },
      }),
    );
    const described = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'os-basic' }),
    );
    const view =
      described.DeliveryStreamDescription?.Destinations?.[0]?.AmazonopensearchserviceDestinationDescription;
    assert.equal(described.DeliveryStreamDescription?.VersionId, '2');
    assert.equal(view?.DomainARN, undefined);
    assert.equal(view?.ClusterEndpoint, secureCluster.url);
    assert.equal(view?.IndexName, 'moved');
    assert.equal(view?.IndexRotationPeriod, 'OneDay');
  });
});

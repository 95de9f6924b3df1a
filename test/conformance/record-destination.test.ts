/** Runs the RecordDestination conformance suite against every record destination. */
import { systemClock } from '../../src/core/clock.js';
import type { RecordDestinationEntry } from '../../src/firehose/delivery-stream-model.js';
import { HttpEndpointDestination } from '../../src/firehose/destinations/http-endpoint-destination.js';
import { OpenSearchDestination } from '../../src/firehose/destinations/opensearch-destination.js';
import { SplunkDestination } from '../../src/firehose/destinations/splunk-destination.js';
import { bulkItemsOf, bulkReply } from '../helpers/bulk-receiver.js';
import type { ReceivedRequest } from '../helpers/destination-receiver.js';
import { recordDestinationSuite } from './record-destination-suite.js';

const timeoutMs = 10_000;
const s3 = {
  RoleARN: 'arn:aws:iam::000000000000:role/firehose',
  BucketARN: 'arn:aws:s3:::backup',
  BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
  CompressionFormat: 'UNCOMPRESSED' as const,
};
const buffering = { SizeInMBs: 5, IntervalInSeconds: 300 };

function entry(
  kind: RecordDestinationEntry['kind'],
  config: Record<string, unknown>,
): RecordDestinationEntry {
  return {
    destinationId: 'destinationId-000000000001',
    kind,
    s3,
    config: { BufferingHints: buffering, S3BackupMode: 'FailedDataOnly', ...config },
  };
}

recordDestinationSuite('HTTP endpoint', {
  make: (url) =>
    new HttpEndpointDestination(
      { EndpointConfiguration: { Url: `${url}/ingest` }, RequestConfiguration: { ContentEncoding: 'GZIP' } },
      { clock: systemClock, timeoutMs },
    ),
  accept: (request) => ({
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ requestId: request.headers['x-amz-firehose-request-id'], timestamp: Date.now() }),
  }),
  reject: { status: 500, body: '{"errorMessage":"down"}' },
  recordBytes: (request) =>
    (JSON.parse(request.body.toString('utf8')) as { records: { data: string }[] }).records
      .map((record) => Buffer.from(record.data, 'base64').toString('utf8'))
      .join(''),
  identity: (request) => request.headers['x-amz-firehose-request-id'],
});

for (const kind of ['AmazonOpenSearchService', 'Elasticsearch'] as const) {
  recordDestinationSuite(kind, {
    make: (url) =>
      new OpenSearchDestination(
        entry(kind, {
          ClusterEndpoint: url,
          IndexName: 'conformance',
          IndexRotationPeriod: 'OneDay',
          DocumentIdOptions: { DefaultDocumentIdFormat: 'FIREHOSE_DEFAULT' },
        }),
        { resolveDomain: () => undefined, timeoutMs },
      ),
    accept: (request) => bulkReply(request),
    reject: { status: 503, body: '{"error":"unavailable","status":503}' },
    recordBytes: (request: ReceivedRequest) =>
      bulkItemsOf(request)
        .map((item) => item.document)
        .join(''),
    identity: (request: ReceivedRequest) => bulkItemsOf(request).map((item) => item.action),
  });
}

for (const type of ['Raw', 'Event'] as const) {
  recordDestinationSuite(`Splunk (${type})`, {
    make: (url) =>
      new SplunkDestination(
        entry('Splunk', {
          HECEndpoint: url,
          HECEndpointType: type,
          HECToken: 't',
          HECAcknowledgmentTimeoutInSeconds: 180,
        }),
        { clock: systemClock, timeoutMs },
      ),
    accept: (request) =>
      request.url === '/services/collector/ack'
        ? { status: 200, body: '{"acks":{"1":true}}' }
        : { status: 200, body: '{"text":"Success","code":0,"ackId":1}' },
    reject: { status: 503, body: '{"text":"Server is busy","code":9}' },
    recordBytes: (request) =>
      request.url === '/services/collector/ack' ? '' : request.body.toString('utf8'),
    identity: (request) => [request.url, request.headers['x-splunk-request-channel']],
  });
}

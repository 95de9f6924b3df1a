/**
 * Firehose on the wire, with hand-made requests: the JSON 1.1 error bodies and headers, an
 * unknown operation under the Firehose target prefix, blobs in base64 and timestamps as epoch
 * seconds in DescribeDeliveryStream, and a delivery stream per account (12-digit access keys).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http1Request, type RawResponse } from '../helpers/raw-request.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const json = 'application/x-amz-json-1.1';

describe('Firehose on the wire', () => {
  let server: ServerProcess;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  const call = (operation: string, body: unknown, accessKeyId?: string): Promise<RawResponse> =>
    http1Request(server.endpoint, {
      target: `Firehose_20150804.${operation}`,
      contentType: json,
      body: JSON.stringify(body),
      ...(accessKeyId === undefined ? {} : { accessKeyId }),
    });

  const parsed = (response: RawResponse): Record<string, unknown> =>
    JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;

  it('answers errors as AWS JSON 1.1 does', async () => {
    const missing = await call('DescribeDeliveryStream', { DeliveryStreamName: 'nope' });
    assert.equal(missing.status, 400);
    assert.equal(missing.headers['content-type'], json);
    assert.equal(missing.headers['x-amzn-errortype'], 'ResourceNotFoundException');
    assert.deepEqual(parsed(missing), {
      __type: 'ResourceNotFoundException',
      message: 'Firehose nope under account 000000000000 not found.',
    });
    const unknown = await call('DescribeDeliveryStreams', {});
    assert.equal(unknown.status, 400);
    assert.deepEqual(parsed(unknown), { __type: 'UnknownOperationException' });
    const wrongType = await call('DescribeDeliveryStream', { DeliveryStreamName: 5 });
    assert.equal(wrongType.status, 400);
    assert.equal(parsed(wrongType).__type, 'SerializationException');
  });

  it('writes timestamps as epoch seconds and keeps delivery streams per account', async () => {
    const created = await call(
      'CreateDeliveryStream',
      {
        DeliveryStreamName: 'wire',
        S3DestinationConfiguration: {
          RoleARN: 'arn:aws:iam::111122223333:role/r',
          BucketARN: 'arn:aws:s3:::wire-bucket',
        },
      },
      '111122223333',
    );
    assert.equal(created.status, 200);
    assert.deepEqual(parsed(created), {
      DeliveryStreamARN: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/wire',
    });
    const described = await call('DescribeDeliveryStream', { DeliveryStreamName: 'wire' }, '111122223333');
    const description = parsed(described).DeliveryStreamDescription as Record<string, unknown>;
    assert.equal(typeof description.CreateTimestamp, 'number');
    assert.ok(Math.abs((description.CreateTimestamp as number) - Date.now() / 1000) < 600);
    const otherAccount = await call('ListDeliveryStreams', {});
    assert.deepEqual(parsed(otherAccount), { DeliveryStreamNames: [], HasMoreDeliveryStreams: false });
  });
});

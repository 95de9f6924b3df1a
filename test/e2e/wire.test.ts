/**
 * The wire, byte for byte: one port for HTTP/1.1 and h2c, AWS's answers to malformed and
 * unauthenticated requests, CBOR as the Java SDK sends it (decoded here by the AWS SDK's own
 * CBOR codec, not ours), and namespacing by account and region.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cbor, tag } from '@smithy/core/cbor';
import { http1Request, http2Request, type RawRequest, type RawResponse } from '../helpers/raw-request.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const json = 'application/x-amz-json-1.1';
const cborType = 'application/x-amz-cbor-1.1';
const target = (operation: string): string => `Kinesis_20131202.${operation}`;

describe('wire protocol', () => {
  let server: ServerProcess;
  const call = (request: RawRequest, transport: 'h1' | 'h2' = 'h1'): Promise<RawResponse> =>
    transport === 'h1' ? http1Request(server.endpoint, request) : http2Request(server.endpoint, request);
  const jsonCall = async (operation: string, body: unknown, extra: Partial<RawRequest> = {}) => {
    const response = await call({
      target: target(operation),
      contentType: json,
      body: JSON.stringify(body),
      ...extra,
    });
    return {
      ...response,
      json: response.body.length === 0 ? undefined : (JSON.parse(response.body.toString()) as unknown),
    };
  };
  const waitActive = async (name: string, extra: Partial<RawRequest> = {}): Promise<void> => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const { json: body } = await jsonCall('DescribeStreamSummary', { StreamName: name }, extra);
      const status = (body as { StreamDescriptionSummary?: { StreamStatus?: string } })
        .StreamDescriptionSummary?.StreamStatus;
      if (status === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${name} never became ACTIVE`);
  };

  before(async () => {
    server = await startServer();
    await jsonCall('CreateStream', { StreamName: 'wire', ShardCount: 1 });
    await waitActive('wire');
  });

  after(async () => {
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  it('serves HTTP/1.1 and HTTP/2 on the same port with the same answer', async () => {
    for (const transport of ['h1', 'h2'] as const) {
      const response = await call(
        { target: target('ListStreams'), contentType: json, body: '{}' },
        transport,
      );
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], json);
      assert.match(String(response.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
      assert.equal(Number(response.headers['content-length']), response.body.length);
      assert.deepEqual(JSON.parse(response.body.toString()).StreamNames, ['wire']);
    }
  });

  it('answers void operations with an empty body', async () => {
    const response = await jsonCall('CreateStream', { StreamName: 'void-body', ShardCount: 1 });
    assert.equal(response.status, 200);
    assert.equal(response.body.length, 0);
    assert.equal(response.headers['content-length'], '0');
  });

  it('rejects malformed bodies, unknown operations and bad content types as AWS does', async () => {
    const malformed = await call({ target: target('ListStreams'), contentType: json, body: '{"Limit":' });
    assert.equal(malformed.status, 400);
    assert.deepEqual(JSON.parse(malformed.body.toString()), { __type: 'SerializationException' });
    assert.equal(malformed.headers['x-amzn-errortype'], 'SerializationException');

    const notObject = await call({ target: target('ListStreams'), contentType: json, body: '[1,2]' });
    assert.deepEqual(JSON.parse(notObject.body.toString()), { __type: 'SerializationException' });

    const empty = await call({ target: target('ListStreams'), contentType: json, body: '' });
    assert.deepEqual(JSON.parse(empty.body.toString()), { __type: 'SerializationException' });

    const unknown = await call({ target: target('NoSuchThing'), contentType: json, body: '{}' });
    assert.equal(unknown.status, 400);
    assert.deepEqual(JSON.parse(unknown.body.toString()), { __type: 'UnknownOperationException' });

    const wrongService = await call({ target: 'Nope_20990101.ListStreams', contentType: json, body: '{}' });
    assert.deepEqual(JSON.parse(wrongService.body.toString()), { __type: 'UnknownOperationException' });

    const badType = await call({ target: target('ListStreams'), contentType: 'text/plain', body: '{}' });
    assert.equal(badType.status, 404);
    assert.equal(badType.body.toString(), '<UnknownOperationException/>\n');

    const noTarget = await call({ contentType: 'text/plain', body: '{}' });
    assert.equal(noTarget.status, 403);
    assert.match(noTarget.body.toString(), /<AccessDeniedException>/);
  });

  it('checks authentication headers in AWS order', async () => {
    const missing = await call({
      target: target('ListStreams'),
      contentType: json,
      body: '{}',
      unsigned: true,
    });
    assert.equal(missing.status, 400);
    assert.deepEqual(JSON.parse(missing.body.toString()), {
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });

    const incomplete = await call({
      target: target('ListStreams'),
      contentType: json,
      body: '{}',
      unsigned: true,
      headers: { authorization: 'AWS4-HMAC-SHA256 Signature=abc', 'x-amz-date': '20261122T000000Z' },
    });
    const incompleteBody = JSON.parse(incomplete.body.toString()) as { __type: string; message: string };
    assert.equal(incompleteBody.__type, 'IncompleteSignatureException');
    assert.match(incompleteBody.message, /Authorization header requires 'Credential' parameter\./);

    const both = await call({
      target: target('ListStreams'),
      contentType: json,
      body: '{}',
      path: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256',
    });
    assert.equal(
      (JSON.parse(both.body.toString()) as { __type: string }).__type,
      'InvalidSignatureException',
    );
  });

  it('answers 413 with an empty body for oversized requests', async () => {
    const response = await call({
      target: target('PutRecord'),
      contentType: json,
      body: Buffer.alloc(17 * 1024 * 1024, 0x20),
    });
    assert.equal(response.status, 413);
    assert.equal(response.body.length, 0);
  });

  it('reports wrong member types as SerializationException with a capital Message', async () => {
    const response = await jsonCall('ListStreams', { Limit: 'ten' });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, {
      __type: 'SerializationException',
      Message: 'class java.lang.String can not be converted to an Integer',
    });
  });

  it('reports constraint violations as ValidationException in Coral form', async () => {
    const response = await jsonCall('GetRecords', { Limit: 0 });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, {
      __type: 'ValidationException',
      message:
        "2 validation errors detected: Value null at 'shardIterator' failed to satisfy constraint: " +
        "Member must not be null; Value '0' at 'limit' failed to satisfy constraint: " +
        'Member must have value greater than or equal to 1',
    });
  });

  it('speaks CBOR as the Java SDK does: byte strings and tag-1 epoch milliseconds', async () => {
    const cborCall = async (
      operation: string,
      body: Record<string, unknown>,
      transport: 'h1' | 'h2' = 'h2',
    ) => {
      const response = await call(
        { target: target(operation), contentType: cborType, body: Buffer.from(cbor.serialize(body)) },
        transport,
      );
      assert.equal(response.headers['content-type'], cborType);
      return {
        status: response.status,
        body:
          response.body.length === 0
            ? undefined
            : (cbor.deserialize(response.body) as Record<string, unknown>),
      };
    };
    const data = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const put = await cborCall('PutRecord', { StreamName: 'wire', PartitionKey: 'k', Data: data });
    assert.equal(put.status, 200);
    assert.equal(put.body?.ShardId, 'shardId-000000000000');

    const before = Date.now() - 60_000;
    const iterator = await cborCall('GetShardIterator', {
      StreamName: 'wire',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'AT_TIMESTAMP',
      Timestamp: tag({ tag: 1, value: before }),
    });
    assert.equal(iterator.status, 200);
    const records = await cborCall('GetRecords', { ShardIterator: iterator.body?.ShardIterator }, 'h1');
    const first = (records.body?.Records as Record<string, unknown>[])[0] as Record<string, unknown>;
    assert.deepEqual(new Uint8Array(first.Data as Uint8Array), data);
    const arrival = first.ApproximateArrivalTimestamp as { tag: number; value: number };
    assert.equal(arrival.tag, 1);
    assert.ok(Number.isInteger(arrival.value) && Math.abs(arrival.value - Date.now()) < 60_000);

    const missing = await cborCall('DescribeStreamSummary', { StreamName: 'nope' });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, {
      __type: 'ResourceNotFoundException',
      message: 'Stream nope under account 000000000000 not found.',
    });
  });

  it('namespaces streams by account (12-digit access key) and region (signing scope)', async () => {
    const otherAccount = { accessKeyId: '123456789012' };
    await jsonCall('CreateStream', { StreamName: 'wire', ShardCount: 1 }, otherAccount);
    await waitActive('wire', otherAccount);
    const summary = await jsonCall('DescribeStreamSummary', { StreamName: 'wire' }, otherAccount);
    assert.equal(
      (summary.json as { StreamDescriptionSummary: { StreamARN: string } }).StreamDescriptionSummary
        .StreamARN,
      'arn:aws:kinesis:us-east-1:123456789012:stream/wire',
    );
    const westList = await jsonCall('ListStreams', {}, { region: 'us-west-2' });
    assert.deepEqual((westList.json as { StreamNames: string[] }).StreamNames, []);
    const chinaArn = await jsonCall(
      'CreateStream',
      { StreamName: 'cn', ShardCount: 1 },
      { region: 'cn-north-1' },
    );
    assert.equal(chinaArn.status, 200);
    await waitActive('cn', { region: 'cn-north-1' });
    const byArn = await jsonCall('DescribeStreamSummary', {
      StreamARN: 'arn:aws-cn:kinesis:cn-north-1:000000000000:stream/cn',
    });
    assert.equal(byArn.status, 200);
  });

  it('rejects forged and altered shard iterators', async () => {
    const { json: issued } = await jsonCall('GetShardIterator', {
      StreamName: 'wire',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'TRIM_HORIZON',
    });
    const iterator = (issued as { ShardIterator: string }).ShardIterator;
    assert.ok(iterator.length <= 512);
    const bytes = Buffer.from(iterator, 'base64');
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 1;
    for (const forged of [
      bytes.toString('base64'),
      'AAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      iterator.slice(0, -4),
    ]) {
      const response = await jsonCall('GetRecords', { ShardIterator: forged });
      assert.deepEqual(response.json, {
        __type: 'InvalidArgumentException',
        message: 'Invalid ShardIterator.',
      });
    }
  });
});

/**
 * The S3 endpoint sink's failures against a real S3 server (s3rver): each S3 error arrives as the
 * SinkError code Firehose reports (`S3.<S3 error code>`), a server that is not there as
 * InternalError; and the bucket router's choice of sink per bucket.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { BucketRouter } from '../../src/firehose/sinks/bucket-router.js';
import { EmbeddedBucketSink } from '../../src/firehose/sinks/embedded-bucket-sink.js';
import { SinkError } from '../../src/firehose/sinks/object-sink.js';
import { S3EndpointSink } from '../../src/firehose/sinks/s3-endpoint-sink.js';
import { nodeFileSystem } from '../../src/log/file-system.js';
import { s3rverCredentials, startS3Endpoint, type S3Endpoint } from '../helpers/s3-endpoint.js';

const metadata = { contentType: 'application/octet-stream' };

async function sinkErrorOf(promise: Promise<unknown>): Promise<SinkError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SinkError, `expected a SinkError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('S3 endpoint sink errors', () => {
  let s3: S3Endpoint;
  before(async () => {
    s3 = await startS3Endpoint(['bucket']);
  });
  after(async () => {
    await s3.close();
  });

  const sinkWith = (credentials: { accessKeyId: string; secretAccessKey: string }): S3EndpointSink =>
    new S3EndpointSink({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, ...credentials });

  it('maps a missing bucket to S3.NoSuchBucket', async () => {
    const sink = sinkWith(s3rverCredentials);
    const error = await sinkErrorOf(sink.putObject('no-such-bucket', 'k', Buffer.from('x'), metadata));
    assert.equal(error.code, 'S3.NoSuchBucket');
    assert.match(
      error.message,
      /cannot write object k to bucket no-such-bucket at http:\/\/127\.0\.0\.1:\d+/,
    );
    // Reading a missing bucket is no object, as in the embedded directory.
    assert.equal(await sink.getObject('no-such-bucket', 'k'), undefined);
    assert.deepEqual(await sink.listObjects('no-such-bucket'), []);
    sink.close();
  });

  // s3rver knows one access key and (unlike S3) does not check SigV4 signatures, so wrong
  // credentials show here as an unknown access key.
  it('maps an unknown access key to S3.InvalidAccessKeyId, for writes and listings', async () => {
    const unknownKey = sinkWith({ accessKeyId: 'AKIDNOTKNOWN', secretAccessKey: 'S3RVER' });
    const error = await sinkErrorOf(unknownKey.putObject('bucket', 'k', Buffer.from('x'), metadata));
    assert.equal(error.code, 'S3.InvalidAccessKeyId');
    assert.match(error.message, /The AWS Access Key Id you provided does not exist in our records/);
    assert.equal((await sinkErrorOf(unknownKey.listObjects('bucket'))).code, 'S3.InvalidAccessKeyId');
    assert.equal((await sinkErrorOf(unknownKey.getObject('bucket', 'k'))).code, 'S3.InvalidAccessKeyId');
    unknownKey.close();
    assert.deepEqual(await s3.readBucket('bucket'), []);
  });

  it('maps an endpoint that does not answer to InternalError', async () => {
    const sink = new S3EndpointSink({
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      region: 'us-east-1',
      forcePathStyle: true,
      ...s3rverCredentials,
    });
    const error = await sinkErrorOf(sink.putObject('bucket', 'k', Buffer.from('x'), metadata));
    assert.equal(error.code, 'InternalError');
    assert.match(String(error.cause), /ECONNREFUSED/);
    sink.close();
  });
});

describe('bucket router', () => {
  it('sends mapped buckets to their endpoint, the others to the default (embedded when none)', async () => {
    const s3 = await startS3Endpoint(['remote']);
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-buckets-'));
    const embedded = new EmbeddedBucketSink({ root, fileSystem: nodeFileSystem });
    const router = new BucketRouter({
      embedded,
      buckets: {
        remote: { endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, ...s3rverCredentials },
      },
    });
    try {
      await router.putObject('remote', 'a/1', Buffer.from('to s3'), metadata);
      await router.putObject('local', 'a/2', Buffer.from('to disk'), metadata);
      assert.deepEqual(
        (await s3.readBucket('remote')).map(({ key, body }) => [key, body.toString()]),
        [['a/1', 'to s3']],
      );
      assert.equal((await fs.readFile(path.join(root, 'local', 'a', '2'))).toString(), 'to disk');
      assert.equal(router.objectSinkFor('local'), embedded);
      assert.equal(router.objectSinkFor('remote'), router.objectSinkFor('remote'));
      assert.equal((await router.objectSinkFor('remote').getObject('remote', 'a/1'))?.toString(), 'to s3');
      assert.equal(router.describe('remote'), s3.endpoint);
      assert.equal(router.describe('local'), 'embedded');
    } finally {
      router.close();
      await s3.close();
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});

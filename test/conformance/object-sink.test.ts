/** Runs the ObjectSink conformance suite against every local implementation. */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedBucketSink } from '../../src/firehose/sinks/embedded-bucket-sink.js';
import { S3EndpointSink } from '../../src/firehose/sinks/s3-endpoint-sink.js';
import { nodeFileSystem } from '../../src/log/file-system.js';
import { s3rverCredentials, startS3Endpoint } from '../helpers/s3-endpoint.js';
import { objectSinkSuite } from './object-sink-suite.js';

objectSinkSuite('embedded bucket directory', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-buckets-'));
  return {
    sink: new EmbeddedBucketSink({ root, fileSystem: nodeFileSystem }),
    cleanup: () => fs.rm(root, { recursive: true, force: true }),
  };
});

objectSinkSuite('S3 endpoint (s3rver, official S3 client)', async () => {
  const s3 = await startS3Endpoint(['bucket', 'other-bucket']);
  const sink = new S3EndpointSink({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    ...s3rverCredentials,
    forcePathStyle: true,
  });
  return {
    sink,
    cleanup: async () => {
      sink.close();
      await s3.close();
    },
  };
});

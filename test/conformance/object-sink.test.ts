/** Runs the ObjectSink conformance suite against every local implementation. */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedBucketSink } from '../../src/firehose/sinks/embedded-bucket-sink.js';
import { nodeFileSystem } from '../../src/log/file-system.js';
import { objectSinkSuite } from './object-sink-suite.js';

objectSinkSuite('embedded bucket directory', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-buckets-'));
  return {
    sink: new EmbeddedBucketSink({ root, fileSystem: nodeFileSystem }),
    cleanup: () => fs.rm(root, { recursive: true, force: true }),
  };
});

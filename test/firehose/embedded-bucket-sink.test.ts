/**
 * EmbeddedBucketSink beyond the conformance suite: its files on disk, failures that leave no
 * partial object, and keys no file can stand for.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedBucketSink } from '../../src/firehose/sinks/embedded-bucket-sink.js';
import { SinkError } from '../../src/firehose/sinks/object-sink.js';
import { FaultyFileSystem } from '../log/faulty-file-system.js';

const metadata = { contentType: 'application/octet-stream' };

async function withRoot(body: (root: string, fileSystem: FaultyFileSystem) => Promise<void>): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-bucket-sink-'));
  try {
    await body(root, new FaultyFileSystem());
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

describe('EmbeddedBucketSink', () => {
  it('writes <root>/<bucket>/<key>, fsyncing the file and its directory', async () => {
    await withRoot(async (root, fileSystem) => {
      const sink = new EmbeddedBucketSink({ root, fileSystem });
      await sink.putObject('test-firehose01', '2026/12/07/13/obj', Buffer.from('data'), metadata);
      assert.equal(
        await fs.readFile(path.join(root, 'test-firehose01', '2026', '12', '07', '13', 'obj'), 'utf8'),
        'data',
      );
      assert.ok(fileSystem.fileSyncCount >= 1);
      assert.ok(fileSystem.directorySyncCount >= 1);
      assert.deepEqual(await fs.readdir(path.join(root, '.incoming')), []);
    });
  });

  it('leaves no object and no temporary file when a write fails', async () => {
    await withRoot(async (root, fileSystem) => {
      const sink = new EmbeddedBucketSink({ root, fileSystem });
      fileSystem.failWritesWith = 'ENOSPC';
      await assert.rejects(sink.putObject('bucket', 'k', Buffer.from('data'), metadata), (error: unknown) => {
        assert.ok(error instanceof SinkError);
        assert.equal(error.code, 'InternalError');
        return true;
      });
      fileSystem.failWritesWith = undefined;
      assert.equal(await sink.getObject('bucket', 'k'), undefined);
      assert.deepEqual(await fs.readdir(path.join(root, '.incoming')), []);
      await sink.putObject('bucket', 'k', Buffer.from('again'), metadata);
      assert.equal((await sink.getObject('bucket', 'k'))?.toString(), 'again');
    });
  });

  it('refuses keys and buckets that would leave the bucket directory', async () => {
    await withRoot(async (root, fileSystem) => {
      const sink = new EmbeddedBucketSink({ root, fileSystem });
      for (const key of ['../escape', 'a/../../b', 'a//b', '/abs', '']) {
        await assert.rejects(sink.putObject('bucket', key, Buffer.from('x'), metadata), SinkError);
      }
      for (const bucket of ['..', '.incoming', 'a/b']) {
        await assert.rejects(sink.putObject(bucket, 'k', Buffer.from('x'), metadata), SinkError);
      }
      assert.deepEqual(
        await fs.readdir(root).then((names) => names.filter((name) => name !== '.incoming')),
        [],
      );
    });
  });
});

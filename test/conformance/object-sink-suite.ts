/**
 * The ObjectSink conformance suite, run by every S3 destination (the embedded bucket directory
 * today, S3 endpoints later): objects read back byte for byte, keys with `/` and prefix
 * expressions' characters, replacement of a key, listing by prefix in lexical order, empty and
 * large objects, concurrent writes, and buckets that do not exist yet.
 *
 * `makeSink` gives a sink over fresh storage, with buckets `bucket` and `other-bucket` usable.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ObjectSink } from '../../src/firehose/sinks/object-sink.js';

export interface ObjectSinkFixture {
  readonly sink: ObjectSink;
  readonly cleanup: () => Promise<void>;
}

const metadata = { contentType: 'application/octet-stream' };

export function objectSinkSuite(name: string, makeSink: () => Promise<ObjectSinkFixture>): void {
  describe(`ObjectSink conformance: ${name}`, () => {
    async function withSink(body: (sink: ObjectSink) => Promise<void>): Promise<void> {
      const fixture = await makeSink();
      try {
        await body(fixture.sink);
      } finally {
        await fixture.cleanup();
      }
    }

    it('reads an object back byte for byte, under a key with slashes', async () => {
      await withSink(async (sink) => {
        const body = randomBytes(10_000);
        const key = '2026/12/07/13/stream-1-2026-12-07-13-00-00-1b4e28ba-2fa1-41d2-883f-0016d3cca427';
        await sink.putObject('bucket', key, body, metadata);
        assert.deepEqual(await sink.getObject('bucket', key), body);
        assert.equal(await sink.getObject('bucket', `${key}-missing`), undefined);
        assert.equal(await sink.getObject('other-bucket', key), undefined);
      });
    });

    it('keeps keys with the characters prefixes produce', async () => {
      await withSink(async (sink) => {
        const keys = [
          'year=2026/at=2026-12-07T13/aB3dE5fG7hJ/s-1-x.gz',
          'errors/processing-failed/o.json',
          'a b/ü/c',
        ];
        for (const [index, key] of keys.entries()) {
          await sink.putObject('bucket', key, Buffer.from(String(index)), {
            contentType: 'application/octet-stream',
            contentEncoding: 'gzip',
          });
        }
        for (const [index, key] of keys.entries())
          assert.equal((await sink.getObject('bucket', key))?.toString(), String(index));
        assert.deepEqual(await sink.listObjects('bucket'), [...keys].sort());
      });
    });

    it('replaces an object written again under the same key', async () => {
      await withSink(async (sink) => {
        await sink.putObject('bucket', 'k/one', Buffer.from('first version, longer'), metadata);
        await sink.putObject('bucket', 'k/one', Buffer.from('second'), metadata);
        assert.equal((await sink.getObject('bucket', 'k/one'))?.toString(), 'second');
        assert.deepEqual(await sink.listObjects('bucket'), ['k/one']);
      });
    });

    it('lists keys by prefix in lexical order, per bucket', async () => {
      await withSink(async (sink) => {
        for (const key of ['b/2', 'a/1', 'b/1', 'b10/x', 'c'])
          await sink.putObject('bucket', key, Buffer.from(key), metadata);
        await sink.putObject('other-bucket', 'b/3', Buffer.from('other'), metadata);
        assert.deepEqual(await sink.listObjects('bucket'), ['a/1', 'b/1', 'b/2', 'b10/x', 'c']);
        assert.deepEqual(await sink.listObjects('bucket', 'b/'), ['b/1', 'b/2']);
        assert.deepEqual(await sink.listObjects('bucket', 'b'), ['b/1', 'b/2', 'b10/x']);
        assert.deepEqual(await sink.listObjects('other-bucket'), ['b/3']);
        assert.deepEqual(await sink.listObjects('bucket', 'zzz'), []);
      });
    });

    it('stores empty and multi-megabyte objects', async () => {
      await withSink(async (sink) => {
        const large = randomBytes(6 * 1024 * 1024);
        await sink.putObject('bucket', 'empty', Buffer.alloc(0), metadata);
        await sink.putObject('bucket', 'large', large, metadata);
        assert.equal((await sink.getObject('bucket', 'empty'))?.length, 0);
        assert.deepEqual(await sink.getObject('bucket', 'large'), large);
      });
    });

    it('takes concurrent writes of different keys', async () => {
      await withSink(async (sink) => {
        const keys = Array.from({ length: 40 }, (_, index) => `concurrent/${index % 4}/${index}`);
        await Promise.all(keys.map((key) => sink.putObject('bucket', key, Buffer.from(key), metadata)));
        assert.deepEqual(await sink.listObjects('bucket', 'concurrent/'), [...keys].sort());
        for (const key of keys) assert.equal((await sink.getObject('bucket', key))?.toString(), key);
      });
    });
  });
}

/**
 * Firehose object compression read back with the standard tools, not with our own decoders:
 * gzip(1), unzip(1), and Debian's python3-snappy (its Hadoop decoder, and its raw block decoder
 * under the xerial snappy-java header that it has no stream reader for).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ManualClock } from '../../src/core/clock.js';
import { compressObject, contentEncoding } from '../../src/firehose/compression/compress-object.js';
import { XERIAL_READER } from '../helpers/codec-readers.js';

const run = promisify(execFile);
const clock = new ManualClock(Date.UTC(2026, 11, 7, 13, 45, 30));

/** Records with repetition (compressible) and random bytes (not), across several 32 KiB blocks. */
function sampleBody(bytes: number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  for (let index = 0; total < bytes; index++) {
    const part =
      index % 7 === 0
        ? Buffer.from(Array.from({ length: 300 }, (_, byte) => (byte * 31 + index * 17) & 0xff))
        : Buffer.from(
            `{"ticker_symbol":"QXZ","sector":"HEALTHCARE","change":${index % 13}.${index},"price":${index}}\n`,
          );
    parts.push(part);
    total += part.length;
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

async function withFile<T>(bytes: Buffer, use: (file: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(path.join(tmpdir(), 'tributary-compression-'));
  try {
    const file = path.join(directory, 'object');
    await writeFile(file, bytes);
    return await use(file);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function stdoutOf(file: string, args: readonly string[]): Promise<Buffer> {
  const { stdout } = await run(file, args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

const sizes = [0, 1, 1000, 32 * 1024, 32 * 1024 + 1, 200_000];

describe('compressObject', () => {
  it('UNCOMPRESSED passes the bytes through with no extension', () => {
    const body = sampleBody(1000);
    const out = compressObject('UNCOMPRESSED', body, clock);
    assert.equal(out.extension, '');
    assert.ok(out.body.equals(body));
    assert.equal(contentEncoding('UNCOMPRESSED'), undefined);
  });

  it('GZIP is one gzip member that gzip -dc reads back', async () => {
    for (const size of sizes) {
      const body = sampleBody(size);
      const out = compressObject('GZIP', body, clock);
      assert.equal(out.extension, '.gz');
      assert.deepEqual([...out.body.subarray(0, 2)], [0x1f, 0x8b]);
      const back = await withFile(out.body, (file) => stdoutOf('/usr/bin/gzip', ['-dc', file]));
      assert.ok(back.equals(body), `size ${size}`);
    }
    assert.equal(contentEncoding('GZIP'), 'gzip');
  });

  it('ZIP is one deflated entry named with a UUID, that unzip tests and extracts', async () => {
    for (const size of [0, 1000, 200_000]) {
      const body = sampleBody(size);
      const out = compressObject('ZIP', body, clock);
      assert.equal(out.extension, '.zip');
      await withFile(out.body, async (file) => {
        await run('/usr/bin/unzip', ['-tq', file]);
        const listing = (await stdoutOf('/usr/bin/unzip', ['-Zl', file])).toString();
        const entries = listing.split('\n').filter((line) => line.startsWith('-'));
        assert.equal(entries.length, 1, listing);
        const entry = entries[0] ?? '';
        assert.match(entry, / defN /, listing);
        assert.match(
          entry,
          / 26-Dec-07 13:45 [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
          listing,
        );
        const back = await stdoutOf('/usr/bin/unzip', ['-p', file]);
        assert.ok(back.equals(body), `size ${size}`);
      });
    }
    assert.equal(contentEncoding('ZIP'), 'zip');
  });

  it('Snappy is the xerial snappy-java stream: header, then 32 KiB blocks each with its length', async () => {
    for (const size of sizes) {
      const body = sampleBody(size);
      const out = compressObject('Snappy', body, clock);
      assert.equal(out.extension, '.snappy');
      await withFile(out.body, async (file) => {
        const { stdout, stderr } = await run('/usr/bin/python3', ['-c', XERIAL_READER, file], {
          encoding: 'buffer',
          maxBuffer: 64 * 1024 * 1024,
        });
        assert.ok(stdout.equals(body), `size ${size}`);
        assert.equal(Number(stderr.toString()), Math.ceil(size / (32 * 1024)));
      });
    }
    assert.equal(contentEncoding('Snappy'), 'snappy-java');
  });

  it('HADOOP_SNAPPY is the Hadoop block stream that python-snappy decodes', async () => {
    for (const size of sizes.filter((bytes) => bytes > 0)) {
      const body = sampleBody(size);
      const out = compressObject('HADOOP_SNAPPY', body, clock);
      assert.equal(out.extension, '.snappy');
      assert.equal(out.body.readInt32BE(0), Math.min(size, 32 * 1024));
      const back = await withFile(out.body, (file) =>
        stdoutOf('/usr/bin/python3', ['-m', 'snappy', '-d', '-t', 'hadoop_snappy', file]),
      );
      assert.ok(back.equals(body), `size ${size}`);
    }
    assert.equal(compressObject('HADOOP_SNAPPY', Buffer.alloc(0), clock).body.length, 0);
    assert.equal(contentEncoding('HADOOP_SNAPPY'), 'hadoop-snappy');
  });
});

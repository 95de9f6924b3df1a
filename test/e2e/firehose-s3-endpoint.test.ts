/**
 * Firehose delivery to an S3 endpoint (s3rver on 127.0.0.1) from a real server configured with
 * `--s3-endpoint` and credentials, read back with the official S3 client: GZIP objects with
 * `Content-Encoding: gzip` under AWS's key format; a bucket that does not exist yet is retried
 * (S3.NoSuchBucket in the log) and delivered once it is created, nothing lost; a bucket the
 * config file maps to "embedded" still lands in the data directory.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  PutRecordBatchCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import {
  firehoseClient,
  linesOf,
  waitForBucket,
  waitForDeliveryStreamActive,
} from '../helpers/firehose-client.js';
import { s3rverCredentials, startS3Endpoint, type S3Endpoint } from '../helpers/s3-endpoint.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const delimiter = { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' as const }] };

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('Firehose delivery to an S3 endpoint', () => {
  let s3: S3Endpoint;
  let server: ServerProcess;
  let client: FirehoseClient;
  let configDir: string;

  before(async () => {
    s3 = await startS3Endpoint(['lake']);
    configDir = await mkdtemp(path.join(tmpdir(), 'tributary-s3-config-'));
    const configFile = path.join(configDir, 'tributary.json');
    await writeFile(configFile, JSON.stringify({ s3Endpoints: { 'kept-local': 'embedded' } }));
    server = await startServer({
      extraArgs: [
        '--config',
        configFile,
        '--s3-endpoint',
        s3.endpoint,
        '--s3-force-path-style',
        'true',
        '--s3-region',
        'eu-west-1',
      ],
      env: {
        TRIBUTARY_S3_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
        TRIBUTARY_S3_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
      },
    });
    client = firehoseClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    await s3?.close();
    if (configDir !== undefined) await rm(configDir, { recursive: true, force: true });
  });

  async function create(name: string, s3Config: Record<string, unknown>): Promise<void> {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 1 },
          ProcessingConfiguration: delimiter,
          ...s3Config,
        } as never,
      }),
    );
    await waitForDeliveryStreamActive(client, name);
  }

  async function putLines(name: string, lines: readonly string[]): Promise<void> {
    for (let start = 0; start < lines.length; start += 500) {
      const result = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: name,
          Records: lines.slice(start, start + 500).map((line) => ({ Data: Buffer.from(line) })),
        }),
      );
      assert.equal(result.FailedPutCount, 0);
    }
  }

  it('delivers GZIP objects that the S3 client reads back', async () => {
    await create('to-lake', { BucketARN: 'arn:aws:s3:::lake', CompressionFormat: 'GZIP', Prefix: 'events/' });
    const lines = Array.from({ length: 700 }, (_, index) =>
      JSON.stringify({ n: index, pad: 'x'.repeat(40) }),
    );
    await putLines('to-lake', lines);
    const objects = await waitFor(
      'the GZIP objects in s3rver',
      () => s3.readBucket('lake'),
      (found) => linesOf(found.map((object) => ({ body: gunzipSync(object.body) }))).length >= lines.length,
    );
    assert.deepEqual(
      linesOf(objects.map((object) => ({ body: gunzipSync(object.body) }))),
      [...lines].sort(),
    );
    for (const object of objects) {
      assert.match(
        object.key,
        /^events\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/to-lake-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.gz$/,
        object.key,
      );
      assert.equal(object.contentEncoding, 'gzip');
    }
    // Nothing went to the embedded directory.
    assert.deepEqual(await waitForBucket(server.dataDir, 'lake', () => true, 0), []);
  });

  it('retries a bucket that does not exist yet, then delivers everything once it does', async () => {
    await create('to-late', { BucketARN: 'arn:aws:s3:::late' });
    const lines = Array.from({ length: 50 }, (_, index) => `late-${index}`);
    await putLines('to-late', lines);
    await waitFor(
      'S3.NoSuchBucket in the server log',
      async () => server.stderr(),
      (log) => log.includes('S3.NoSuchBucket'),
    );
    await s3.createBucket('late');
    const objects = await waitFor(
      'the objects of the late bucket',
      () => s3.readBucket('late'),
      (found) => linesOf(found).length >= lines.length,
    );
    assert.deepEqual(linesOf(objects), [...lines].sort());
  });

  it('keeps a bucket mapped to "embedded" in the data directory', async () => {
    await create('to-local', { BucketARN: 'arn:aws:s3:::kept-local' });
    await putLines('to-local', ['local-1', 'local-2']);
    const objects = await waitForBucket(
      server.dataDir,
      'kept-local',
      (found) => linesOf(found).length >= 2,
      60_000,
    );
    assert.deepEqual(linesOf(objects), ['local-1', 'local-2']);
    assert.deepEqual(
      await s3.readBucket('lake').then((found) => found.some((o) => o.key.includes('to-local'))),
      false,
    );
  });
});

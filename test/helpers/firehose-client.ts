/**
 * The official JavaScript SDK v3 Firehose client pointed at a test server, and helpers to wait for
 * a delivery stream and to read the embedded bucket directory (`<data-dir>/buckets/<bucket>`).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import assert from 'node:assert/strict';
import {
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  PutRecordBatchCommand,
} from '@aws-sdk/client-firehose';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { testCredentials } from './kinesis-client.js';

export function firehoseClient(
  endpoint: string,
  transport: 'http2' | 'http1' = 'http2',
  options: { maxAttempts?: number } = {},
): FirehoseClient {
  return new FirehoseClient({
    endpoint,
    region: 'us-east-1',
    credentials: testCredentials,
    maxAttempts: options.maxAttempts ?? 1,
    ...(transport === 'http1' ? { requestHandler: new NodeHttpHandler({ connectionTimeout: 5000 }) } : {}),
  });
}

export async function waitForDeliveryStreamActive(
  client: FirehoseClient,
  name: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const described = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
    if (described.DeliveryStreamDescription?.DeliveryStreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`delivery stream ${name} not ACTIVE after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** PutRecordBatch of UTF-8 lines, every record accepted. */
export async function putLines(
  client: FirehoseClient,
  name: string,
  lines: readonly string[],
): Promise<void> {
  const result = await client.send(
    new PutRecordBatchCommand({
      DeliveryStreamName: name,
      Records: lines.map((line) => ({ Data: Buffer.from(line) })),
    }),
  );
  assert.equal(result.FailedPutCount, 0);
}

export interface BucketObject {
  readonly key: string;
  readonly body: Buffer;
}

/** Every object of an embedded bucket, by key (keys are paths relative to the bucket). */
export async function readBucket(dataDir: string, bucket: string): Promise<BucketObject[]> {
  const root = path.join(dataDir, 'buckets', bucket);
  const objects: BucketObject[] = [];
  const walk = async (directory: string, prefix: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const name of names) {
      const full = path.join(directory, name);
      if ((await stat(full)).isDirectory()) await walk(full, `${prefix}${name}/`);
      else objects.push({ key: `${prefix}${name}`, body: await readFile(full) });
    }
  };
  await walk(root, '');
  return objects.sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** Polls the bucket until `done` holds for its objects; fails after `timeoutMs`. */
export async function waitForBucket(
  dataDir: string,
  bucket: string,
  done: (objects: BucketObject[]) => boolean,
  timeoutMs = 30_000,
): Promise<BucketObject[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const objects = await readBucket(dataDir, bucket);
    if (done(objects)) return objects;
    if (Date.now() > deadline) {
      throw new Error(
        `bucket ${bucket} not as expected after ${timeoutMs} ms: ${objects.map((o) => o.key).join(', ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The records of newline-joined objects, as a sorted multiset (object boundaries are not fixed). */
export function linesOf(objects: readonly { readonly body: Buffer }[]): string[] {
  return objects
    .flatMap((object) => object.body.toString('utf8').split('\n'))
    .filter((line) => line !== '')
    .sort();
}

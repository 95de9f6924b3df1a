/**
 * A real S3 endpoint for tests: `s3rver` (an S3 server on the file system) on 127.0.0.1 with a
 * free port and its own temporary directory, the buckets given already created. It checks
 * SigV4 signatures against its one account (`S3RVER` / `S3RVER`), so wrong credentials get
 * S3's InvalidAccessKeyId / SignatureDoesNotMatch. Also an official S3 client pointed at it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3Endpoint {
  readonly endpoint: string;
  readonly client: S3Client;
  createBucket(name: string): Promise<void>;
  /** Every object of a bucket, by key, in lexical order. */
  readBucket(bucket: string): Promise<{ key: string; body: Buffer; contentEncoding?: string }[]>;
  close(): Promise<void>;
}

export async function startS3Endpoint(buckets: readonly string[]): Promise<S3Endpoint> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'tributary-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: s3rverCredentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async readBucket(bucket) {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      const objects = [];
      for (const { Key } of listed.Contents ?? []) {
        if (Key === undefined) continue;
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
        const body = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
        objects.push({
          key: Key,
          body,
          ...(object.ContentEncoding === undefined ? {} : { contentEncoding: object.ContentEncoding }),
        });
      }
      return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

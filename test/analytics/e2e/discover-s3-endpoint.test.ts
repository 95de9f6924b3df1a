/**
 * DiscoverInputSchema from an S3 object in a bucket served by an S3 endpoint (`--s3-endpoint`,
 * s3rver here): the object is read through the same bucket routing Firehose delivers through and
 * reference data loads through, not from the embedded bucket directory.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DiscoverInputSchemaCommand, ResourceNotFoundException } from '@aws-sdk/client-kinesis-analytics';
import { analyticsClient } from '../../helpers/analytics-client.js';
import { s3rverCredentials, startS3Endpoint, type S3Endpoint } from '../../helpers/s3-endpoint.js';
import { removeDataDir, startServer, type ServerProcess } from '../../helpers/server-process.js';

const role = 'arn:aws:iam::000000000000:role/analytics';

describe('DiscoverInputSchema from an S3 endpoint', () => {
  let s3: S3Endpoint;
  let server: ServerProcess;

  before(async () => {
    s3 = await startS3Endpoint(['samples']);
    server = await startServer({
      extraArgs: ['--s3-endpoint', s3.endpoint, '--s3-force-path-style', 'true'],
      env: {
        TRIBUTARY_S3_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
        TRIBUTARY_S3_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
      },
    });
  });

  after(async () => {
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    await s3?.close();
  });

  it('infers the columns of an object in the endpoint’s bucket, and names a missing one', async () => {
    const lines = [
      { sensor: 'a-1', reading: 20.5, at: '2026-12-07 10:00:00.000' },
      { sensor: 'b-22', reading: 19, at: '2026-12-07 10:00:01.000' },
    ].map((row) => JSON.stringify(row));
    await s3.client.send(
      new PutObjectCommand({ Bucket: 'samples', Key: 'day/readings.json', Body: lines.join('\n') }),
    );
    const analytics = analyticsClient(server.endpoint);
    const discovered = await analytics.send(
      new DiscoverInputSchemaCommand({
        S3Configuration: { BucketARN: 'arn:aws:s3:::samples', FileKey: 'day/readings.json', RoleARN: role },
      }),
    );
    assert.deepEqual(discovered.RawInputRecords, lines);
    assert.deepEqual(
      discovered.InputSchema?.RecordColumns?.map((column) => [column.Name, column.Mapping]),
      [
        ['sensor', '$.sensor'],
        ['reading', '$.reading'],
        ['at', '$.at'],
      ],
    );
    await assert.rejects(
      analytics.send(
        new DiscoverInputSchemaCommand({
          S3Configuration: { BucketARN: 'arn:aws:s3:::samples', FileKey: 'day/missing.json', RoleARN: role },
        }),
      ),
      (error: unknown) =>
        error instanceof ResourceNotFoundException &&
        error.message === 'Object day/missing.json was not found in bucket samples.',
    );
    analytics.destroy();
  });
});

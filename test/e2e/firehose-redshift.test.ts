/**
 * The Redshift destination delivered to a real PostgreSQL (started by the test as the postgres
 * user) from a real server, with the JavaScript SDK: intermediate objects in the S3Configuration
 * bucket, rows in the table after COPY (JSON 'auto' with GZIP, CSV with a delimiter), AWS's
 * defaults in DescribeDeliveryStream (no Password), refused options, UpdateDestination, and a
 * COPY that keeps failing (a wrong column) retried for RetryOptions then skipped with a manifest
 * under errors/manifests/, the object kept.
 */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  InvalidArgumentException,
  PutRecordBatchCommand,
  UpdateDestinationCommand,
  type FirehoseClient,
  type RedshiftDestinationConfiguration,
} from '@aws-sdk/client-firehose';
import { firehoseClient, waitForBucket, waitForDeliveryStreamActive } from '../helpers/firehose-client.js';
import { startPostgres, type Postgres } from '../helpers/postgres.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';

async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('Firehose Redshift destination (PostgreSQL)', () => {
  let postgres: Postgres;
  let server: ServerProcess;
  let client: FirehoseClient;

  before(async () => {
    postgres = await startPostgres();
    await postgres.query('CREATE TABLE events (id integer, name text, note text)');
    await postgres.query('CREATE TABLE pairs (a integer, b text)');
    server = await startServer();
    client = firehoseClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    await postgres?.stop();
  });

  const redshift = (
    overrides: Partial<RedshiftDestinationConfiguration>,
  ): RedshiftDestinationConfiguration => ({
    RoleARN: roleArn,
    ClusterJDBCURL: `jdbc:postgresql://tributary.redshift.localhost:${postgres.port}/postgres`,
    Username: 'postgres',
    Password: 'trusted-anyway',
    CopyCommand: { DataTableName: 'events', DataTableColumns: 'id,name', CopyOptions: "JSON 'auto' GZIP" },
    S3Configuration: {
      RoleARN: roleArn,
      BucketARN: 'arn:aws:s3:::staging',
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 1 },
      CompressionFormat: 'GZIP',
    },
    ...overrides,
  });

  async function create(name: string, config: RedshiftDestinationConfiguration): Promise<void> {
    await client.send(
      new CreateDeliveryStreamCommand({ DeliveryStreamName: name, RedshiftDestinationConfiguration: config }),
    );
    await waitForDeliveryStreamActive(client, name);
  }

  async function put(name: string, records: readonly string[]): Promise<void> {
    const answer = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: name,
        Records: records.map((record) => ({ Data: Buffer.from(record) })),
      }),
    );
    assert.equal(answer.FailedPutCount, 0);
  }

  it('loads JSON records with COPY after writing the GZIP intermediate object', async () => {
    await create('to-events', redshift({}));
    const records = Array.from({ length: 120 }, (_, index) =>
      JSON.stringify({ id: index, name: `name "${index}", with comma`, ignored: { nested: true } }),
    );
    await put('to-events', records);
    const rows = await eventually(
      'the rows in events',
      () =>
        postgres.query<{ id: number; name: string; note: string | null }>('SELECT * FROM events ORDER BY id'),
      (found) => found.length >= records.length,
    );
    assert.deepEqual(
      rows,
      records.map((_, index) => ({ id: index, name: `name "${index}", with comma`, note: null })),
    );
    const objects = await waitForBucket(server.dataDir, 'staging', (found) => found.length > 0, 0);
    const staged = objects.filter((object) => object.key.includes('to-events-1-'));
    assert.ok(staged.length > 0);
    assert.equal(staged.map((object) => gunzipSync(object.body).toString()).join(''), records.join(''));
  });

  it('describes the destination with AWS defaults and without the password', async () => {
    const described = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'to-events' }),
    );
    const destination = described.DeliveryStreamDescription?.Destinations?.[0];
    assert.equal(destination?.DestinationId, 'destinationId-000000000001');
    assert.equal(destination?.ExtendedS3DestinationDescription, undefined);
    assert.deepEqual(destination?.RedshiftDestinationDescription, {
      RoleARN: roleArn,
      ClusterJDBCURL: `jdbc:postgresql://tributary.redshift.localhost:${postgres.port}/postgres`,
      CopyCommand: { DataTableName: 'events', DataTableColumns: 'id,name', CopyOptions: "JSON 'auto' GZIP" },
      Username: 'postgres',
      RetryOptions: { DurationInSeconds: 3600 },
      S3DestinationDescription: {
        RoleARN: roleArn,
        BucketARN: 'arn:aws:s3:::staging',
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 1 },
        CompressionFormat: 'GZIP',
        EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
        CloudWatchLoggingOptions: { Enabled: false },
      },
      S3BackupMode: 'Disabled',
      CloudWatchLoggingOptions: { Enabled: false },
    });
  });

  it('loads CSV records with a delimiter, and applies UpdateDestination', async () => {
    await create(
      'to-pairs',
      redshift({
        CopyCommand: { DataTableName: 'public.pairs', CopyOptions: "CSV DELIMITER AS ';'" },
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
        S3Configuration: {
          RoleARN: roleArn,
          BucketARN: 'arn:aws:s3:::staging',
          Prefix: 'pairs/',
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 1 },
        },
      }),
    );
    await put('to-pairs', ['1;"one; with a semicolon"', '2;two']);
    await eventually(
      'the rows in pairs',
      () => postgres.query<{ a: number; b: string }>('SELECT * FROM pairs ORDER BY a'),
      (found) => found.length >= 2,
    ).then((rows) =>
      assert.deepEqual(rows, [
        { a: 1, b: 'one; with a semicolon' },
        { a: 2, b: 'two' },
      ]),
    );

    const described = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'to-pairs' }),
    );
    await client.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: 'to-pairs',
        CurrentDeliveryStreamVersionId: described.DeliveryStreamDescription?.VersionId,
        DestinationId: 'destinationId-000000000001',
        RedshiftDestinationUpdate: {
          CopyCommand: { DataTableName: 'pairs', CopyOptions: "DELIMITER '|'" },
          RetryOptions: { DurationInSeconds: 60 },
        },
      }),
    );
    const updated = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'to-pairs' }));
    const description = updated.DeliveryStreamDescription?.Destinations?.[0]?.RedshiftDestinationDescription;
    assert.equal(updated.DeliveryStreamDescription?.VersionId, '2');
    assert.deepEqual(description?.CopyCommand, { DataTableName: 'pairs', CopyOptions: "DELIMITER '|'" });
    assert.deepEqual(description?.RetryOptions, { DurationInSeconds: 60 });
    assert.equal(description?.S3DestinationDescription?.Prefix, 'pairs/');
    await put('to-pairs', ['3|three']);
    await eventually(
      'the row loaded with the updated options',
      () => postgres.query<{ a: number; b: string }>('SELECT * FROM pairs WHERE a = 3'),
      (found) => found.length === 1,
    ).then((rows) => assert.deepEqual(rows, [{ a: 3, b: 'three' }]));
  });

  it('backs the source records up to S3BackupConfiguration when S3BackupMode is Enabled', async () => {
    await create(
      'with-backup',
      redshift({
        S3BackupMode: 'Enabled',
        S3BackupConfiguration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::backup', Prefix: 'source/' },
      }),
    );
    const records = [
      JSON.stringify({ id: 5000, name: 'backed up' }),
      JSON.stringify({ id: 5001, name: 'too' }),
    ];
    await put('with-backup', records);
    await eventually(
      'the backed-up rows',
      () => postgres.query<{ id: number }>('SELECT id FROM events WHERE id >= 5000 ORDER BY id'),
      (found) => found.length >= 2,
    ).then((rows) => assert.deepEqual(rows, [{ id: 5000 }, { id: 5001 }]));
    const backup = await waitForBucket(server.dataDir, 'backup', (found) => found.length > 0, 0);
    assert.equal(backup.map((object) => object.body.toString()).join(''), records.join(''));
    for (const object of backup)
      assert.match(object.key, /^source\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/with-backup-1-/);
    const described = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'with-backup' }),
    );
    const description =
      described.DeliveryStreamDescription?.Destinations?.[0]?.RedshiftDestinationDescription;
    assert.equal(description?.S3BackupMode, 'Enabled');
    assert.equal(description?.S3BackupDescription?.BucketARN, 'arn:aws:s3:::backup');
    assert.equal(description?.S3BackupDescription?.CompressionFormat, 'UNCOMPRESSED');
  });

  it('refuses what COPY into PostgreSQL cannot do', async () => {
    const refused = async (config: RedshiftDestinationConfiguration, message: RegExp): Promise<void> => {
      await assert.rejects(
        client.send(
          new CreateDeliveryStreamCommand({
            DeliveryStreamName: 'refused',
            RedshiftDestinationConfiguration: config,
          }),
        ),
        (error: unknown) => {
          assert.ok(error instanceof InvalidArgumentException, String(error));
          assert.match(error.message, message);
          return true;
        },
      );
    };
    await refused(
      redshift({
        S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::staging', CompressionFormat: 'ZIP' },
      }),
      /Compression format ZIP is not supported for the Redshift destination/,
    );
    await refused(
      redshift({ CopyCommand: { DataTableName: 'events', CopyOptions: 'FORMAT AS PARQUET' } }),
      /FORMAT PARQUET is not supported yet/,
    );
    await refused(
      redshift({
        CopyCommand: { DataTableName: 'events', CopyOptions: "JSON 's3://bucket/jsonpaths.json' GZIP" },
      }),
      /JSONPaths file/,
    );
    await refused(
      redshift({ CopyCommand: { DataTableName: 'events', CopyOptions: "JSON 'auto'" } }),
      /CompressionFormat GZIP needs GZIP in CopyOptions/,
    );
  });

  it('retries a failing COPY for RetryOptions, then writes an error manifest and goes on', async () => {
    await create(
      'to-bad-column',
      redshift({
        CopyCommand: {
          DataTableName: 'events',
          DataTableColumns: 'id,no_such_column',
          CopyOptions: "JSON 'auto' GZIP",
        },
        RetryOptions: { DurationInSeconds: 3 },
        S3Configuration: {
          RoleARN: roleArn,
          BucketARN: 'arn:aws:s3:::failing',
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 1 },
          CompressionFormat: 'GZIP',
        },
      }),
    );
    await put('to-bad-column', [JSON.stringify({ id: 1000, no_such_column: 'x' })]);
    const objects = await waitForBucket(
      server.dataDir,
      'failing',
      (found) => found.some((object) => object.key.startsWith('errors/manifests/')),
      90_000,
    );
    const manifests = objects.filter((object) => object.key.startsWith('errors/manifests/'));
    const staged = objects.filter((object) => !object.key.startsWith('errors/'));
    assert.equal(manifests.length, 1);
    assert.equal(staged.length, 1);
    assert.match(manifests[0]?.key ?? '', /^errors\/manifests\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/to-bad-column-1-/);
    assert.deepEqual(JSON.parse(manifests[0]?.body.toString() ?? ''), {
      entries: [{ url: `s3://failing/${staged[0]?.key}`, mandatory: true }],
    });
    assert.equal(
      gunzipSync(staged[0]?.body ?? Buffer.alloc(0)).toString(),
      JSON.stringify({ id: 1000, no_such_column: 'x' }),
    );
    const log = server.stderr();
    assert.ok(log.includes('Redshift COPY failed; retrying'), 'a retry was logged');
    assert.match(log, /no_such_column/);
    assert.ok(log.includes('Redshift COPY failed; retry duration over'));
    assert.deepEqual(await postgres.query('SELECT * FROM events WHERE id = 1000'), []);
  });
});

/**
 * Firehose record format conversion end to end: Glue databases and tables made with the AWS CLI
 * v2 (`aws glue create-database/create-table`, Hive column types), delivery streams with
 * `DataFormatConversionConfiguration` made with the JavaScript SDK v3, JSON records (some
 * malformed) put with PutRecordBatch, and the objects of `<data-dir>/buckets/<bucket>/` read back:
 * the Parquet objects with DuckDB, the `format-conversion-failed` error documents as JSON.
 * Also AWS's create/update rules (compression, buffer size, missing members, ORC) and a table
 * missing at delivery time.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  PutRecordBatchCommand,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { CreateStreamCommand, PutRecordCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { runCli } from '../helpers/aws-cli.js';
import { awsClientEnvironment } from '../helpers/aws-environment.js';
import {
  firehoseClient,
  waitForBucket,
  waitForDeliveryStreamActive,
  type BucketObject,
} from '../helpers/firehose-client.js';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const uuidPattern = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const timePath = '\\d{4}/\\d{2}/\\d{2}/\\d{2}/';
const objectTime = '\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}';

const columns = [
  { Name: 'id', Type: 'int' },
  { Name: 'name', Type: 'string' },
  { Name: 'price', Type: 'double' },
  { Name: 'tags', Type: 'array<string>' },
];

function conversion(table: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Enabled: true,
    SchemaConfiguration: { RoleARN: roleArn, DatabaseName: 'shop', TableName: table, Region: 'us-east-1' },
    InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
    OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
    ...overrides,
  };
}

describe('Firehose record format conversion to Parquet', () => {
  let server: ServerProcess;
  let client: FirehoseClient;
  let kinesis: KinesisClient;
  let homeDir = '';
  let scratch = '';
  let env: NodeJS.ProcessEnv = {};
  let duck: DuckDBConnection;
  let fileCount = 0;

  before(async () => {
    server = await startServer();
    client = firehoseClient(server.endpoint);
    kinesis = kinesisClient(server.endpoint);
    homeDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-conversion-home-'));
    scratch = await mkdtemp(path.join(os.tmpdir(), 'tributary-conversion-'));
    env = awsClientEnvironment(homeDir);
    duck = await (await DuckDBInstance.create(':memory:')).connect();
    await glue('create-database', '--database-input', JSON.stringify({ Name: 'shop' }));
    await glue(
      'create-table',
      '--database-name',
      'shop',
      '--table-input',
      JSON.stringify({
        Name: 'orders',
        TableType: 'EXTERNAL_TABLE',
        StorageDescriptor: { Columns: columns },
        PartitionKeys: [{ Name: 'dt', Type: 'string' }],
      }),
    );
  });

  after(async () => {
    duck?.closeSync();
    client?.destroy();
    kinesis?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    await rm(homeDir, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  async function glue(...args: string[]): Promise<void> {
    const result = await runCli(
      ['glue', ...args, '--endpoint-url', server.endpoint, '--output', 'json'],
      env,
    );
    assert.equal(result.code, 0, `aws glue ${args.join(' ')}: ${result.stderr}`);
  }

  async function create(name: string, s3: Record<string, unknown>): Promise<void> {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: { RoleARN: roleArn, ...s3 } as never,
      }),
    );
    await waitForDeliveryStreamActive(client, name);
  }

  async function put(name: string, records: readonly string[]): Promise<void> {
    const result = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: name,
        Records: records.map((record) => ({ Data: Buffer.from(record) })),
      }),
    );
    assert.equal(result.FailedPutCount, 0);
  }

  async function parquetRows(object: BucketObject): Promise<Record<string, unknown>[]> {
    const file = path.join(scratch, `object-${fileCount++}.parquet`);
    await writeFile(file, object.body);
    const reader = await duck.runAndReadAll(`SELECT * FROM read_parquet('${file}') ORDER BY id`);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  const errorDocuments = (objects: readonly BucketObject[]): Record<string, unknown>[] =>
    objects.flatMap((object) =>
      object.body
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    );

  it('delivers good records as one Parquet file and malformed ones as format-conversion-failed', async () => {
    const bucket = 'converted';
    await create('orders-to-parquet', {
      BucketARN: `arn:aws:s3:::${bucket}`,
      Prefix: 'orders/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy}/',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 1 },
      DataFormatConversionConfiguration: conversion('orders'),
    });
    const described = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'orders-to-parquet' }),
    );
    const destination =
      described.DeliveryStreamDescription?.Destinations?.[0]?.ExtendedS3DestinationDescription;
    assert.equal(destination?.DataFormatConversionConfiguration?.Enabled, true);
    assert.equal(destination?.DataFormatConversionConfiguration?.SchemaConfiguration?.TableName, 'orders');
    assert.deepEqual(destination?.BufferingHints, { SizeInMBs: 64, IntervalInSeconds: 1 });

    const beforeMs = Date.now();
    const good = [
      '{"id":1,"name":"apple","price":1.5,"tags":["fruit","red"]}',
      '{"ID":2,"Name":"bread","price":"2.25"}',
      '{"id":3,"name":null,"price":3,"tags":[]}{"id":4,"name":"two in one record"}',
    ];
    const bad = ['this is not json', '{"id":"five","name":"bad int"}'];
    await put('orders-to-parquet', [good[0]!, bad[0]!, good[1]!, bad[1]!, good[2]!]);

    const objects = await waitForBucket(server.dataDir, bucket, (found) => {
      const errors = errorDocuments(found.filter((object) => object.key.startsWith('errors/')));
      return errors.length >= 2 && found.some((object) => object.key.startsWith('orders/'));
    });
    const data = objects.filter((object) => object.key.startsWith('orders/'));
    assert.equal(data.length, 1, 'the whole buffer is one Parquet object');
    const dataObject = data[0]!;
    assert.match(
      dataObject.key,
      new RegExp(`^orders/${timePath}orders-to-parquet-1-${objectTime}-${uuidPattern}\\.parquet$`),
    );
    assert.equal(dataObject.body.subarray(0, 4).toString(), 'PAR1');
    assert.deepEqual(await parquetRows(dataObject), [
      { id: 1, name: 'apple', price: 1.5, tags: ['fruit', 'red'] },
      { id: 2, name: 'bread', price: 2.25, tags: null },
      { id: 3, name: null, price: 3, tags: [] },
      { id: 4, name: 'two in one record', price: null, tags: null },
    ]);

    const errorObjects = objects.filter((object) => object.key.startsWith('errors/'));
    assert.equal(errorObjects.length, 1);
    assert.match(
      errorObjects[0]!.key,
      new RegExp(`^errors/format-conversion-failed/\\d{4}/orders-to-parquet-1-${objectTime}-${uuidPattern}$`),
    );
    const documents = errorDocuments(errorObjects);
    assert.deepEqual(
      documents.map((document) => Buffer.from(document['rawData'] as string, 'base64').toString()),
      bad,
    );
    assert.deepEqual(
      documents.map((document) => document['lastErrorCode']),
      ['DataFormatConversion.ParseError', 'DataFormatConversion.MalformedData'],
    );
    for (const document of documents) {
      assert.deepEqual(Object.keys(document), [
        'attemptsMade',
        'arrivalTimestamp',
        'lastErrorCode',
        'lastErrorMessage',
        'attemptEndingTimestamp',
        'rawData',
        'sequenceNumber',
        'subSequenceNumber',
        'dataCatalogTable',
      ]);
      assert.equal(document['attemptsMade'], 1);
      assert.equal(typeof document['lastErrorMessage'], 'string');
      assert.ok((document['lastErrorMessage'] as string).length > 0);
      const arrival = document['arrivalTimestamp'] as number;
      assert.ok(arrival >= beforeMs - 1000 && arrival <= Date.now(), `arrivalTimestamp ${arrival}`);
      assert.ok((document['attemptEndingTimestamp'] as number) >= arrival);
      assert.deepEqual(document['dataCatalogTable'], {
        catalogId: null,
        databaseName: 'shop',
        tableName: 'orders',
        region: 'us-east-1',
        versionId: 'LATEST',
        catalogArn: null,
      });
    }
  });

  it('writes failed records under format-conversion-failed/YYYY/MM/dd/HH/ without an ErrorOutputPrefix (Hive JSON SerDe)', async () => {
    const bucket = 'default-errors';
    await create('hive-orders', {
      BucketARN: `arn:aws:s3:::${bucket}`,
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 1 },
      DataFormatConversionConfiguration: conversion('orders', {
        InputFormatConfiguration: { Deserializer: { HiveJsonSerDe: {} } },
      }),
    });
    // The Hive SerDe is strict: a number given as a string does not convert.
    await put('hive-orders', ['{"id":7,"name":"seven","price":7.5}', '{"id":"8"}']);
    const objects = await waitForBucket(server.dataDir, bucket, (found) => found.length >= 2);
    assert.equal(objects.length, 2);
    const errorObject = objects.find((object) => object.key.startsWith('format-conversion-failed/'));
    assert.ok(errorObject !== undefined, objects.map((object) => object.key).join(', '));
    assert.match(
      errorObject.key,
      new RegExp(`^format-conversion-failed/${timePath}hive-orders-1-${objectTime}-${uuidPattern}$`),
    );
    const [document] = errorDocuments([errorObject]);
    assert.equal(document?.['lastErrorCode'], 'DataFormatConversion.MalformedData');
    assert.equal(Buffer.from(document?.['rawData'] as string, 'base64').toString(), '{"id":"8"}');
    const dataObject = objects.find((object) => object !== errorObject)!;
    assert.match(
      dataObject.key,
      new RegExp(`^${timePath}hive-orders-1-${objectTime}-${uuidPattern}\\.parquet$`),
    );
    assert.deepEqual(await parquetRows(dataObject), [{ id: 7, name: 'seven', price: 7.5, tags: null }]);
  });

  it('sends every record to the error output when the Glue table is missing at delivery', async () => {
    const bucket = 'missing-table';
    await create('no-table', {
      BucketARN: `arn:aws:s3:::${bucket}`,
      ErrorOutputPrefix: 'failed/',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 1 },
      DataFormatConversionConfiguration: conversion('not_there'),
    });
    await put('no-table', ['{"id":1}', '{"id":2}']);
    const objects = await waitForBucket(server.dataDir, bucket, (found) => errorDocuments(found).length >= 2);
    assert.ok(objects.every((object) => object.key.startsWith('failed/')));
    const documents = errorDocuments(objects);
    assert.deepEqual(
      documents.map((document) => document['lastErrorCode']),
      ['DataFormatConversion.EntityNotFound', 'DataFormatConversion.EntityNotFound'],
    );
    assert.match(documents[0]?.['lastErrorMessage'] as string, /shop\.not_there/);

    // Once the table exists, the next records convert.
    await glue(
      'create-table',
      '--database-name',
      'shop',
      '--table-input',
      JSON.stringify({ Name: 'not_there', StorageDescriptor: { Columns: columns } }),
    );
    await put('no-table', ['{"id":3,"name":"now"}']);
    const later = await waitForBucket(server.dataDir, bucket, (found) =>
      found.some((object) => object.key.endsWith('.parquet')),
    );
    const parquet = later.filter((object) => object.key.endsWith('.parquet'));
    assert.equal(parquet.length, 1);
    assert.deepEqual(await parquetRows(parquet[0]!), [{ id: 3, name: 'now', price: null, tags: null }]);
  });

  it('converts records read from a Kinesis stream; error documents carry their sequence numbers', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'orders-stream', ShardCount: 1 }));
    await waitForActive(kinesis, 'orders-stream');
    const bucket = 'from-kinesis';
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'kinesis-orders',
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: {
          KinesisStreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/orders-stream',
          RoleARN: roleArn,
        },
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: `arn:aws:s3:::${bucket}`,
          ErrorOutputPrefix: 'errors/',
          BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 1 },
          DataFormatConversionConfiguration: conversion('orders') as never,
        },
      }),
    );
    await waitForDeliveryStreamActive(client, 'kinesis-orders');
    const good = await kinesis.send(
      new PutRecordCommand({
        StreamName: 'orders-stream',
        PartitionKey: 'a',
        Data: Buffer.from('{"id":10,"name":"ten"}'),
      }),
    );
    const bad = await kinesis.send(
      new PutRecordCommand({ StreamName: 'orders-stream', PartitionKey: 'a', Data: Buffer.from('{"id":') }),
    );
    assert.ok(good.SequenceNumber !== undefined && bad.SequenceNumber !== undefined);
    const objects = await waitForBucket(
      server.dataDir,
      bucket,
      (found) =>
        found.some((object) => object.key.endsWith('.parquet')) &&
        errorDocuments(found.filter((object) => object.key.startsWith('errors/'))).length >= 1,
    );
    const errors = errorDocuments(objects.filter((object) => object.key.startsWith('errors/')));
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.['sequenceNumber'], bad.SequenceNumber);
    assert.equal(errors[0]?.['lastErrorCode'], 'DataFormatConversion.ParseError');
    assert.match(
      objects.find((object) => object.key.startsWith('errors/'))!.key,
      new RegExp(`^errors/${timePath}`),
    );
    const rows = (
      await Promise.all(
        objects.filter((object) => object.key.endsWith('.parquet')).map((object) => parquetRows(object)),
      )
    ).flat();
    assert.deepEqual(rows, [{ id: 10, name: 'ten', price: null, tags: null }]);
  });

  it("refuses what AWS refuses at create and update, with AWS's messages", async () => {
    const base = {
      BucketARN: 'arn:aws:s3:::rules',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
    };
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'compression',
        { ...base, CompressionFormat: 'GZIP', DataFormatConversionConfiguration: conversion('orders') },
        "The S3 destination's compression format must be set to UNCOMPRESSED when data format conversion is enabled. " +
          'To enable compression within the converted output format, set the appropriate serialization option in the output format configuration.',
      ],
      [
        'buffer size',
        {
          ...base,
          BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 60 },
          DataFormatConversionConfiguration: conversion('orders'),
        },
        'BufferingHints.SizeInMBs must be at least 64 when data format conversion is enabled.',
      ],
      [
        'schema',
        {
          ...base,
          DataFormatConversionConfiguration: conversion('orders', { SchemaConfiguration: undefined }),
        },
        'SchemaConfiguration must not be null',
      ],
      [
        'both deserializers',
        {
          ...base,
          DataFormatConversionConfiguration: conversion('orders', {
            InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {}, HiveJsonSerDe: {} } },
          }),
        },
        'More than one deserializer specified. Only one may be chosen.',
      ],
      [
        'orc',
        {
          ...base,
          DataFormatConversionConfiguration: conversion('orders', {
            OutputFormatConfiguration: { Serializer: { OrcSerDe: {} } },
          }),
        },
        'OrcSerDe is not supported yet by this Firehose endpoint: use ParquetSerDe.',
      ],
    ];
    for (const [label, s3, message] of cases) {
      await assert.rejects(
        client.send(
          new CreateDeliveryStreamCommand({
            DeliveryStreamName: `rules-${label.replaceAll(' ', '-')}`,
            ExtendedS3DestinationConfiguration: { RoleARN: roleArn, ...s3 } as never,
          }),
        ),
        (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(error.name, 'InvalidArgumentException', label);
          assert.equal(error.message, message, label);
          assert.equal(error.$metadata?.httpStatusCode, 400);
          return true;
        },
      );
    }

    // No BufferingHints: AWS's conversion default of 128 MiB; disabled conversion is kept, unchecked.
    await create('rules-defaults', {
      BucketARN: 'arn:aws:s3:::rules',
      DataFormatConversionConfiguration: conversion('orders'),
    });
    await create('rules-disabled', {
      BucketARN: 'arn:aws:s3:::rules',
      CompressionFormat: 'GZIP',
      DataFormatConversionConfiguration: conversion('orders', { Enabled: false }),
    });
    const describe = async (name: string) =>
      (await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })))
        .DeliveryStreamDescription!;
    const defaults = await describe('rules-defaults');
    assert.deepEqual(defaults.Destinations?.[0]?.ExtendedS3DestinationDescription?.BufferingHints, {
      SizeInMBs: 128,
      IntervalInSeconds: 300,
    });
    const disabled = await describe('rules-disabled');
    assert.equal(
      disabled.Destinations?.[0]?.ExtendedS3DestinationDescription?.DataFormatConversionConfiguration
        ?.Enabled,
      false,
    );

    // Enabling it by UpdateDestination meets the same rules.
    await assert.rejects(
      client.send(
        new UpdateDestinationCommand({
          DeliveryStreamName: 'rules-disabled',
          CurrentDeliveryStreamVersionId: disabled.VersionId,
          DestinationId: disabled.Destinations?.[0]?.DestinationId,
          ExtendedS3DestinationUpdate: { DataFormatConversionConfiguration: { Enabled: true } },
        }),
      ),
      (error: Error) => {
        assert.equal(error.name, 'InvalidArgumentException');
        assert.match(error.message, /^The S3 destination's compression format must be set to UNCOMPRESSED/);
        return true;
      },
    );
    await assert.rejects(
      client.send(
        new UpdateDestinationCommand({
          DeliveryStreamName: 'rules-defaults',
          CurrentDeliveryStreamVersionId: defaults.VersionId,
          DestinationId: defaults.Destinations?.[0]?.DestinationId,
          ExtendedS3DestinationUpdate: {
            DataFormatConversionConfiguration: conversion('orders', {
              OutputFormatConfiguration: { Serializer: { OrcSerDe: {} } },
            }) as never,
          },
        }),
      ),
      (error: Error) => {
        assert.equal(error.name, 'InvalidArgumentException');
        assert.equal(
          error.message,
          'OrcSerDe is not supported yet by this Firehose endpoint: use ParquetSerDe.',
        );
        return true;
      },
    );
  });
});

/**
 * DiscoverInputSchema through the JavaScript SDK against a real server process: from a stream of
 * JSON records, a stream of CSV records, an object in the embedded bucket directory, and the
 * errors for an empty stream, a missing stream, a missing object and a request naming no source.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DiscoverInputSchemaCommand,
  InvalidArgumentException,
  ResourceNotFoundException,
  UnableToDetectSchemaException,
  type KinesisAnalyticsClient,
} from '@aws-sdk/client-kinesis-analytics';
import { CreateStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { analyticsClient } from '../../helpers/analytics-client.js';
import { kinesisClient, waitForActive } from '../../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../../helpers/server-process.js';

const role = 'arn:aws:iam::000000000000:role/analytics';
const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

describe('DiscoverInputSchema', () => {
  let server: ServerProcess;
  let kinesis: KinesisClient;
  let analytics: KinesisAnalyticsClient;

  before(async () => {
    server = await startServer();
    kinesis = kinesisClient(server.endpoint);
    analytics = analyticsClient(server.endpoint);
    for (const name of ['json-sensors', 'csv-sensors', 'empty']) {
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
      await waitForActive(kinesis, name);
    }
  });

  after(async () => {
    kinesis?.destroy();
    analytics?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  const put = async (stream: string, datas: string[]) =>
    kinesis.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: datas.map((data, index) => ({ Data: Buffer.from(data), PartitionKey: `p${index}` })),
      }),
    );

  it('infers JSON columns, paths and types from a stream sample', async () => {
    await put(
      'json-sensors',
      Array.from(
        { length: 10 },
        (_, index) =>
          `{"sensorId":${index},"reading":{"temperature":${20 + index / 4},"unit":"C"},"at":"2026-12-07 10:00:0${index}.000","ok":${index % 2 === 0}}`,
      ),
    );
    const discovered = await analytics.send(
      new DiscoverInputSchemaCommand({
        ResourceARN: arnOf('json-sensors'),
        RoleARN: role,
        InputStartingPositionConfiguration: { InputStartingPosition: 'NOW' },
      }),
    );
    assert.deepEqual(discovered.InputSchema, {
      RecordFormat: {
        RecordFormatType: 'JSON',
        MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
      },
      RecordEncoding: 'UTF-8',
      RecordColumns: [
        { Name: 'sensorId', Mapping: '$.sensorId', SqlType: 'TINYINT' },
        { Name: 'temperature', Mapping: '$.reading.temperature', SqlType: 'REAL' },
        { Name: 'unit', Mapping: '$.reading.unit', SqlType: 'VARCHAR(4)' },
        { Name: 'at', Mapping: '$.at', SqlType: 'TIMESTAMP' },
        { Name: 'ok', Mapping: '$.ok', SqlType: 'BOOLEAN' },
      ],
    });
    assert.equal(discovered.RawInputRecords?.length, 10);
    assert.deepEqual(discovered.ProcessedInputRecords, discovered.RawInputRecords);
    const parsed = discovered.ParsedInputRecords!.map((row) => row.join('|')).sort();
    assert.equal(parsed[0], '0|20|C|2026-12-07 10:00:00.000|true');
  });

  it('infers CSV with its delimiters from a stream sample read from the trim horizon', async () => {
    await put('csv-sensors', [
      's1;21.5;2026-12-07 10:00:00\n',
      's2;19.25;2026-12-07 10:00:01\n',
      's3;30;2026-12-07 10:00:02\n',
    ]);
    const discovered = await analytics.send(
      new DiscoverInputSchemaCommand({
        ResourceARN: arnOf('csv-sensors'),
        RoleARN: role,
        InputStartingPositionConfiguration: { InputStartingPosition: 'TRIM_HORIZON' },
      }),
    );
    assert.deepEqual(discovered.InputSchema, {
      RecordFormat: {
        RecordFormatType: 'CSV',
        MappingParameters: { CSVMappingParameters: { RecordRowDelimiter: '\n', RecordColumnDelimiter: ';' } },
      },
      RecordEncoding: 'UTF-8',
      RecordColumns: [
        { Name: 'COL1', SqlType: 'VARCHAR(4)' },
        { Name: 'COL2', SqlType: 'REAL' },
        { Name: 'COL3', SqlType: 'TIMESTAMP' },
      ],
    });
    assert.deepEqual(discovered.ParsedInputRecords!.map((row) => row[0]).sort(), ['s1', 's2', 's3']);
  });

  it('reads an object of the embedded bucket directory', async () => {
    const directory = path.join(server.dataDir, 'buckets', 'reference-data', 'tickers');
    await mkdir(directory, { recursive: true });
    await writeFile(
      path.join(directory, 'companies.csv'),
      'ticker,company,founded\nAMZN,Amazon,1994\nAAPL,Apple,1976\n',
    );
    const discovered = await analytics.send(
      new DiscoverInputSchemaCommand({
        S3Configuration: {
          BucketARN: 'arn:aws:s3:::reference-data',
          FileKey: 'tickers/companies.csv',
          RoleARN: role,
        },
      }),
    );
    assert.deepEqual(discovered.InputSchema?.RecordColumns, [
      { Name: 'ticker', SqlType: 'VARCHAR(4)' },
      { Name: 'company', SqlType: 'VARCHAR(16)' },
      { Name: 'founded', SqlType: 'SMALLINT' },
    ]);
    assert.deepEqual(discovered.RawInputRecords, [
      'ticker,company,founded',
      'AMZN,Amazon,1994',
      'AAPL,Apple,1976',
    ]);
  });

  it('answers the documented errors', async () => {
    await assert.rejects(
      analytics.send(
        new DiscoverInputSchemaCommand({
          ResourceARN: arnOf('empty'),
          RoleARN: role,
          InputStartingPositionConfiguration: { InputStartingPosition: 'NOW' },
        }),
      ),
      (error: unknown) =>
        error instanceof UnableToDetectSchemaException &&
        error.message === 'No data was found in the source to discover a schema from.',
    );
    await assert.rejects(
      analytics.send(
        new DiscoverInputSchemaCommand({
          ResourceARN: arnOf('missing'),
          RoleARN: role,
          InputStartingPositionConfiguration: { InputStartingPosition: 'NOW' },
        }),
      ),
      ResourceNotFoundException,
    );
    await assert.rejects(
      analytics.send(
        new DiscoverInputSchemaCommand({
          S3Configuration: { BucketARN: 'arn:aws:s3:::reference-data', FileKey: 'nope.csv', RoleARN: role },
        }),
      ),
      (error: unknown) =>
        error instanceof ResourceNotFoundException &&
        error.message === 'Object nope.csv was not found in bucket reference-data.',
    );
    await assert.rejects(
      analytics.send(new DiscoverInputSchemaCommand({ RoleARN: role })),
      (error: unknown) =>
        error instanceof InvalidArgumentException &&
        error.message ===
          'Specify either ResourceARN, RoleARN and InputStartingPositionConfiguration, or S3Configuration.',
    );
  });
});

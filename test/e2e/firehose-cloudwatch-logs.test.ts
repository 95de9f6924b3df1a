/**
 * CloudWatch Logs subscription data through Firehose's Decompression and CloudWatchLogProcessing
 * processors, with the JavaScript SDK v3 against a real server: records are what a CloudWatch Logs
 * subscription filter sends (one gzip member holding a DATA_MESSAGE or CONTROL_MESSAGE JSON
 * envelope), put directly or read from a Kinesis stream. Objects hold the log messages one per line
 * (message extraction) or the decompressed envelopes; records that do not decompress or are not
 * envelopes go to `decompression-failed` with their original bytes; extracted messages can be
 * partitioned by jq; the same with the AWS CLI. Also the create-time rules and how the processors
 * are described.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  InvalidArgumentException,
  PutRecordBatchCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { CreateStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import {
  firehoseClient,
  linesOf,
  waitForBucket,
  waitForDeliveryStreamActive,
  type BucketObject,
} from '../helpers/firehose-client.js';
import { requireCliV2, runCli } from '../helpers/aws-cli.js';
import { awsClientEnvironment } from '../helpers/aws-environment.js';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';

/** What a CloudWatch Logs subscription filter puts: a gzipped DATA_MESSAGE envelope. */
function dataMessage(logStream: string, messages: readonly string[]): Buffer {
  return gzipSync(
    JSON.stringify({
      messageType: 'DATA_MESSAGE',
      owner: '000000000000',
      logGroup: '/aws/lambda/orders',
      logStream,
      subscriptionFilters: ['to-firehose'],
      logEvents: messages.map((message, index) => ({
        id: `${36_000_000_000_000 + index}`.padStart(56, '0'),
        timestamp: 1_765_112_345_000 + index,
        message,
      })),
    }),
  );
}

/** CloudWatch Logs' reachability check, sent when a subscription is created. */
const controlMessage = gzipSync(
  JSON.stringify({
    messageType: 'CONTROL_MESSAGE',
    owner: 'CloudwatchLogs',
    logGroup: '',
    logStream: '',
    subscriptionFilters: [],
    logEvents: [
      {
        id: '',
        timestamp: 1_765_112_345_000,
        message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.',
      },
    ],
  }),
);

const decompression = {
  Type: 'Decompression' as const,
  Parameters: [{ ParameterName: 'CompressionFormat' as const, ParameterValue: 'GZIP' }],
};
const extraction = (value: string) => ({
  Type: 'CloudWatchLogProcessing' as const,
  Parameters: [{ ParameterName: 'DataMessageExtraction' as const, ParameterValue: value }],
});
const delimiter = { Type: 'AppendDelimiterToRecord' as const };

interface ErrorDocument {
  readonly attemptsMade: number;
  readonly arrivalTimestamp: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attemptEndingTimestamp: number;
  readonly rawData: string;
}

const documentsOf = (objects: readonly BucketObject[]): ErrorDocument[] =>
  linesOf(objects).map((line) => JSON.parse(line) as ErrorDocument);

describe('Firehose with CloudWatch Logs subscription data (Decompression, CloudWatchLogProcessing)', () => {
  let server: ServerProcess;
  let client: FirehoseClient;
  let kinesis: KinesisClient;

  before(async () => {
    server = await startServer({ extraArgs: ['--firehose-buffer-interval-ms-max', '500'] });
    client = firehoseClient(server.endpoint);
    kinesis = kinesisClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    kinesis?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  async function create(name: string, s3: Record<string, unknown>, source?: string): Promise<void> {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ...(source === undefined
          ? {}
          : {
              DeliveryStreamType: 'KinesisStreamAsSource',
              KinesisStreamSourceConfiguration: { KinesisStreamARN: source, RoleARN: roleArn },
            }),
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: `arn:aws:s3:::${name}`,
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          ...s3,
        } as never,
      }),
    );
    await waitForDeliveryStreamActive(client, name);
  }

  async function put(name: string, records: readonly Buffer[]): Promise<void> {
    const result = await client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: name, Records: records.map((Data) => ({ Data })) }),
    );
    assert.equal(result.FailedPutCount, 0);
  }

  it('delivers one line per log message, drops control messages and sends bad records to decompression-failed', async () => {
    await create('cwl-messages', {
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      ProcessingConfiguration: { Enabled: true, Processors: [decompression, extraction('true'), delimiter] },
    });
    const first = ['START RequestId: 1', '{"level":"info","order":17}', 'END RequestId: 1'];
    const second = ['a message with "quotes" and ünïcode', 'REPORT RequestId: 2 Duration: 3.2 ms'];
    const notGzip = Buffer.from('plain text, not gzip');
    const notEnvelope = gzipSync('{"hello":"world"}');
    const truncated = dataMessage('truncated', ['lost']).subarray(0, 20);
    await put('cwl-messages', [
      dataMessage('2026/12/07/[$LATEST]a', first),
      controlMessage,
      notGzip,
      dataMessage('2026/12/07/[$LATEST]b', second),
      notEnvelope,
      truncated,
    ]);
    const objects = await waitForBucket(
      server.dataDir,
      'cwl-messages',
      (found) =>
        linesOf(found.filter((object) => !object.key.startsWith('errors/'))).length >= 5 &&
        found.some((object) => object.key.startsWith('errors/decompression-failed/')),
    );
    const delivered = objects.filter((object) => !object.key.startsWith('errors/'));
    assert.deepEqual(linesOf(delivered), [...first, ...second].sort());
    for (const object of delivered) assert.match(object.key, /^\d{4}\/\d{2}\/\d{2}\/\d{2}\/cwl-messages-1-/);
    const failures = objects.filter((object) => object.key.startsWith('errors/decompression-failed/'));
    const documents = documentsOf(failures);
    const byRaw = new Map(documents.map((document) => [document.rawData, document]));
    assert.equal(documents.length, 3);
    assert.equal(byRaw.get(notGzip.toString('base64'))?.errorCode, 'Decompression.Failed');
    assert.equal(byRaw.get(truncated.toString('base64'))?.errorCode, 'Decompression.Failed');
    assert.equal(
      byRaw.get(notEnvelope.toString('base64'))?.errorCode,
      'CloudWatchLogProcessing.MessageExtractionFailed',
    );
    for (const document of documents) {
      assert.deepEqual(Object.keys(document), [
        'attemptsMade',
        'arrivalTimestamp',
        'errorCode',
        'errorMessage',
        'attemptEndingTimestamp',
        'rawData',
      ]);
      assert.equal(document.attemptsMade, 1);
      assert.ok(document.attemptEndingTimestamp >= document.arrivalTimestamp);
    }
  });

  it('splits concatenated gzip members with RecordDeAggregation before extracting their messages', async () => {
    await create('cwl-concatenated', {
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          decompression,
          {
            Type: 'RecordDeAggregation',
            Parameters: [{ ParameterName: 'SubRecordType', ParameterValue: 'JSON' }],
          },
          extraction('true'),
          delimiter,
        ],
      },
    });
    // One record holding two gzip members: gunzip gives two envelopes one after the other.
    const twoMembers = Buffer.concat([dataMessage('x', ['x1', 'x2']), dataMessage('y', ['y1'])]);
    const withControl = Buffer.concat([controlMessage, dataMessage('z', ['z1'])]);
    await put('cwl-concatenated', [twoMembers, withControl]);
    const objects = await waitForBucket(
      server.dataDir,
      'cwl-concatenated',
      (found) => linesOf(found).length >= 4,
    );
    assert.deepEqual(linesOf(objects), ['x1', 'x2', 'y1', 'z1']);
  });

  it('delivers the decompressed envelopes without message extraction, GZIP-compressed again', async () => {
    await create('cwl-envelopes', {
      CompressionFormat: 'GZIP',
      ProcessingConfiguration: { Enabled: true, Processors: [decompression, extraction('false'), delimiter] },
    });
    const records = [dataMessage('one', ['m1', 'm2']), dataMessage('two', ['m3'])];
    await put('cwl-envelopes', records);
    const objects = await waitForBucket(
      server.dataDir,
      'cwl-envelopes',
      (found) => linesOf(found.map((object) => ({ body: gunzipSync(object.body) }))).length >= 2,
    );
    for (const object of objects) assert.match(object.key, /\.gz$/);
    const lines = linesOf(objects.map((object) => ({ body: gunzipSync(object.body) })));
    assert.deepEqual(lines, records.map((record) => gunzipSync(record).toString('utf8')).sort());
  });

  it('partitions extracted JSON messages with jq', async () => {
    await create('cwl-partitioned', {
      Prefix: 'level=!{partitionKeyFromQuery:level}/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
      DynamicPartitioningConfiguration: { Enabled: true },
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          decompression,
          extraction('true'),
          {
            Type: 'MetadataExtraction',
            Parameters: [
              { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{level:.level}' },
              { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
            ],
          },
          delimiter,
        ],
      },
    });
    const messages = [
      '{"level":"info","n":1}',
      '{"level":"error","n":2}',
      '{"level":"info","n":3}',
      'not json at all',
    ];
    await put('cwl-partitioned', [
      dataMessage('a', messages.slice(0, 2)),
      dataMessage('b', messages.slice(2)),
    ]);
    const objects = await waitForBucket(
      server.dataDir,
      'cwl-partitioned',
      (found) => linesOf(found).length >= 4,
    );
    const under = (prefix: string): string[] =>
      linesOf(objects.filter((object) => object.key.startsWith(prefix)));
    assert.deepEqual(under('level=info/'), [messages[0], messages[2]].sort());
    assert.deepEqual(under('level=error/'), [messages[1]]);
    const failed = documentsOf(
      objects.filter((object) => object.key.startsWith('errors/partitioning-failed/')),
    );
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.errorCode, 'DynamicPartitioning.MetadataExtractionFailed');
    // AWS: a record failing after decompression goes to the error output as it arrived, compressed.
    assert.deepEqual(
      JSON.parse(gunzipSync(Buffer.from(failed[0]?.rawData ?? '', 'base64')).toString('utf8')).logStream,
      'b',
    );
  });

  it('decompresses subscription data a Kinesis stream holds', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'cwl-subscription', ShardCount: 2 }));
    await waitForActive(kinesis, 'cwl-subscription');
    const batches = [
      ['GET /index.html 200', 'GET /missing 404'],
      ['POST /orders 201'],
      ['DELETE /orders/7 204', 'GET /health 200', 'GET / 200'],
    ];
    const put = await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'cwl-subscription',
        Records: [
          { PartitionKey: 'control', Data: controlMessage },
          ...batches.map((messages, index) => ({
            PartitionKey: `stream-${index}`,
            Data: dataMessage(`stream-${index}`, messages),
          })),
        ],
      }),
    );
    assert.equal(put.FailedRecordCount, 0);
    await create(
      'cwl-from-stream',
      {
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [decompression, extraction('true'), delimiter],
        },
      },
      'arn:aws:kinesis:us-east-1:000000000000:stream/cwl-subscription',
    );
    const objects = await waitForBucket(
      server.dataDir,
      'cwl-from-stream',
      (found) => linesOf(found).length >= 6,
    );
    assert.deepEqual(linesOf(objects), batches.flat().sort());
  });

  it('works from the AWS CLI: create with the processors, put-record a subscription message', async () => {
    const homeDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-cli-home-'));
    try {
      const env = awsClientEnvironment(homeDir);
      await requireCliV2(env);
      const endpoint = ['--endpoint-url', server.endpoint, '--output', 'json'];
      const created = await runCli(
        [
          'firehose',
          'create-delivery-stream',
          '--delivery-stream-name',
          'cwl-cli',
          '--extended-s3-destination-configuration',
          JSON.stringify({
            RoleARN: roleArn,
            BucketARN: 'arn:aws:s3:::cwl-cli',
            BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
            ProcessingConfiguration: {
              Enabled: true,
              Processors: [decompression, extraction('true'), delimiter],
            },
          }),
          ...endpoint,
        ],
        env,
      );
      assert.equal(created.code, 0, created.stderr);
      await waitForDeliveryStreamActive(client, 'cwl-cli');
      // The CLI takes blobs as base64 (its default binary format): the gzip bytes arrive as they are.
      const put = await runCli(
        [
          'firehose',
          'put-record',
          '--delivery-stream-name',
          'cwl-cli',
          '--record',
          `Data=${dataMessage('cli', ['from the CLI', 'second line']).toString('base64')}`,
          ...endpoint,
        ],
        env,
      );
      assert.equal(put.code, 0, put.stderr);
      const objects = await waitForBucket(server.dataDir, 'cwl-cli', (found) => linesOf(found).length >= 2);
      assert.deepEqual(linesOf(objects), ['from the CLI', 'second line']);
    } finally {
      await rm(homeDir, { recursive: true, force: true });
    }
  });

  it('describes the processors as given and refuses what AWS refuses', async () => {
    await create('cwl-described', {
      ProcessingConfiguration: { Enabled: true, Processors: [decompression, extraction('true')] },
    });
    const described = await client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'cwl-described' }),
    );
    const destination = described.DeliveryStreamDescription?.Destinations?.[0];
    assert.deepEqual(destination?.ExtendedS3DestinationDescription?.ProcessingConfiguration, {
      Enabled: true,
      Processors: [decompression, extraction('true')],
    });
    const cases: [string, unknown[], string][] = [
      [
        'zip',
        [
          {
            Type: 'Decompression',
            Parameters: [{ ParameterName: 'CompressionFormat', ParameterValue: 'ZIP' }],
          },
        ],
        'CompressionFormat must be GZIP for processor type Decompression, got ZIP.',
      ],
      [
        'extraction-alone',
        [extraction('true')],
        'The processor type CloudWatchLogProcessing can be used only together with a Decompression processor.',
      ],
      [
        'extraction-yes',
        [decompression, extraction('yes')],
        'DataMessageExtraction must be true or false for processor type CloudWatchLogProcessing, got yes.',
      ],
      [
        'extraction-missing',
        [decompression, { Type: 'CloudWatchLogProcessing' }],
        'DataMessageExtraction is required for processor type CloudWatchLogProcessing.',
      ],
      [
        'two-decompressions',
        [decompression, decompression],
        'Only one processor of type Decompression is supported.',
      ],
      [
        'wrong-parameter',
        [{ Type: 'Decompression', Parameters: [{ ParameterName: 'Delimiter', ParameterValue: 'Cg==' }] }],
        'Processor parameter Delimiter is not valid for processor type Decompression.',
      ],
    ];
    for (const [label, processors, message] of cases) {
      await assert.rejects(
        client.send(
          new CreateDeliveryStreamCommand({
            DeliveryStreamName: `cwl-refused-${label}`,
            ExtendedS3DestinationConfiguration: {
              RoleARN: roleArn,
              BucketARN: 'arn:aws:s3:::cwl-refused',
              ProcessingConfiguration: { Enabled: true, Processors: processors },
            } as never,
          }),
        ),
        (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.ok(error instanceof InvalidArgumentException, label);
          assert.equal(error.message, message, label);
          assert.equal(error.$metadata?.httpStatusCode, 400, label);
          return true;
        },
      );
    }
  });
});

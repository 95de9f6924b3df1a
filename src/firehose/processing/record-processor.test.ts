import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ManualClock } from '../../core/clock.js';
import type { DeliveryStreamRecord } from '../delivery-stream-model.js';
import { RecordProcessor } from './record-processor.js';

const unusedFunctions = {
  invoke: async () => assert.fail('no function is configured'),
};

function deliveryStream(prefix: string, query: string): DeliveryStreamRecord {
  return {
    deliveryStreamId: 'id',
    accountId: '000000000000',
    region: 'us-east-1',
    name: 'd',
    status: 'ACTIVE',
    type: 'DirectPut',
    createdAtMs: 0,
    versionId: 1,
    tags: [],
    encryption: { status: 'DISABLED' },
    destination: {
      destinationId: 'destinationId-000000000001',
      kind: 'ExtendedS3',
      s3: {
        RoleARN: 'arn:aws:iam::000000000000:role/r',
        BucketARN: 'arn:aws:s3:::b',
        Prefix: prefix,
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
        BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
        CompressionFormat: 'UNCOMPRESSED',
        DynamicPartitioningConfiguration: { Enabled: true },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'MetadataExtraction',
              Parameters: [
                { ParameterName: 'MetadataExtractionQuery', ParameterValue: query },
                { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
              ],
            },
          ],
        },
      },
    },
  };
}

test('at most 500 partitions per buffer: records of further partitions go to activePartitionExceeded', async () => {
  const processor = new RecordProcessor({ functions: unusedFunctions, clock: new ManualClock(0) });
  try {
    const records = Array.from({ length: 505 }, (_, index) => ({
      data: Buffer.from(JSON.stringify({ id: index < 500 ? index : index - 5 })),
      arrivalMs: index,
    }));
    records.push({ data: Buffer.from(JSON.stringify({ id: 600 })), arrivalMs: 999 });
    const processed = await processor.process(
      deliveryStream('id=!{partitionKeyFromQuery:id}/', '{id:.id}'),
      records,
    );
    assert.equal(processed.partitions.length, 500);
    // Records of partitions already open still join them.
    assert.deepEqual(
      processed.partitions
        .filter((partition) => partition.records.length === 2)
        .map((partition) => partition.partitionKeys),
      [495, 496, 497, 498, 499].map((id) => ({ Query: { id: String(id) } })),
    );
    assert.deepEqual(
      processed.failed.map((failed) => [failed.errorOutputType, failed.errorCode, failed.rawData.toString()]),
      [['activePartitionExceeded', 'DynamicPartitioning.ActivePartitionsLimitExceeded', '{"id":600}']],
    );
  } finally {
    processor.close();
  }
});

test('a partition whose evaluated prefix is too long goes to partitioning-failed', async () => {
  const processor = new RecordProcessor({ functions: unusedFunctions, clock: new ManualClock(0) });
  try {
    const processed = await processor.process(deliveryStream('k=!{partitionKeyFromQuery:k}/', '{k:.k}'), [
      { data: Buffer.from(JSON.stringify({ k: 'x'.repeat(600) })), arrivalMs: 1 },
      { data: Buffer.from(JSON.stringify({ k: 'short' })), arrivalMs: 2 },
    ]);
    assert.deepEqual(
      processed.partitions.map((partition) => partition.partitionKeys),
      [{ Query: { k: 'short' } }],
    );
    assert.deepEqual(
      processed.failed.map((failed) => [failed.errorOutputType, failed.errorCode]),
      [['partitioning-failed', 'DynamicPartitioning.PrefixEvaluationFailed']],
    );
  } finally {
    processor.close();
  }
});

test("a record destination runs the Lambda processor of its own ProcessingConfiguration, not its backup bucket's", async () => {
  const references: string[] = [];
  const functions = {
    invoke: async (reference: string, event: unknown) => {
      references.push(reference);
      const { records } = event as { records: { recordId: string; data: string }[] };
      return {
        ok: true as const,
        payload: {
          records: records.map((record) => ({
            recordId: record.recordId,
            result: 'Ok',
            data: Buffer.from(Buffer.from(record.data, 'base64').toString().toUpperCase()).toString('base64'),
          })),
        },
      };
    },
  };
  const processor = new RecordProcessor({ functions, clock: new ManualClock(0) });
  const lambda = (name: string) => ({
    Enabled: true,
    Processors: [
      {
        Type: 'Lambda',
        Parameters: [
          {
            ParameterName: 'LambdaArn',
            ParameterValue: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
          },
        ],
      },
    ],
  });
  const base = deliveryStream('out/', '{}');
  const record: DeliveryStreamRecord = {
    ...base,
    destination: {
      destinationId: 'destinationId-000000000001',
      kind: 'HttpEndpoint',
      s3: { ...base.destination.s3, ProcessingConfiguration: lambda('backup-bucket') },
      config: {
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
        S3BackupMode: 'FailedDataOnly',
        ProcessingConfiguration: lambda('upper'),
      },
    },
  };
  try {
    const processed = await processor.process(record, [
      { data: Buffer.from('a'), arrivalMs: 1 },
      { data: Buffer.from('b'), arrivalMs: 2 },
    ]);
    assert.deepEqual(references, ['arn:aws:lambda:us-east-1:000000000000:function:upper']);
    // No dynamic partitioning for a record destination, whatever its backup bucket says.
    assert.deepEqual(
      processed.partitions.map((partition) => [
        partition.partitionKeys,
        partition.records.map((one) => one.data.toString()),
      ]),
      [[undefined, ['A', 'B']]],
    );
    assert.deepEqual(processed.failed, []);
  } finally {
    processor.close();
  }
});

test('a record destination decompresses CloudWatch Logs records and extracts their messages', async () => {
  const processor = new RecordProcessor({ functions: unusedFunctions, clock: new ManualClock(5) });
  const base = deliveryStream('out/', '{}');
  const envelope = (messages: string[]) =>
    gzipSync(
      JSON.stringify({
        messageType: 'DATA_MESSAGE',
        owner: '000000000000',
        logGroup: 'g',
        logStream: 's',
        subscriptionFilters: ['f'],
        logEvents: messages.map((message, index) => ({ id: String(index), timestamp: index, message })),
      }),
    );
  const record: DeliveryStreamRecord = {
    ...base,
    destination: {
      destinationId: 'destinationId-000000000001',
      kind: 'Splunk',
      s3: base.destination.s3,
      config: {
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
        S3BackupMode: 'FailedEventsOnly',
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'Decompression',
              Parameters: [{ ParameterName: 'CompressionFormat', ParameterValue: 'GZIP' }],
            },
            {
              Type: 'CloudWatchLogProcessing',
              Parameters: [{ ParameterName: 'DataMessageExtraction', ParameterValue: 'true' }],
            },
          ],
        },
      },
    },
  };
  try {
    const processed = await processor.process(record, [
      { data: envelope(['m1', 'm2']), arrivalMs: 1 },
      { data: Buffer.from('not gzip'), arrivalMs: 2 },
      { data: envelope(['m3']), arrivalMs: 3 },
    ]);
    assert.deepEqual(
      processed.partitions.flatMap((partition) => partition.records.map((one) => one.data.toString())),
      ['m1', 'm2', 'm3'],
    );
    assert.deepEqual(
      processed.failed.map((failed) => [failed.errorOutputType, failed.errorCode, failed.rawData.toString()]),
      [['decompression-failed', 'Decompression.Failed', 'not gzip']],
    );
  } finally {
    processor.close();
  }
});

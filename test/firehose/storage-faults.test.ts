/**
 * A full disk seen through the Firehose API, on the real file log store over a file system that
 * fails on demand: PutRecordBatch answers 200 with every entry failed (ErrorCode and ErrorMessage,
 * FailedPutCount), so clients retry those entries as on AWS; PutRecord answers
 * ServiceUnavailableException; nothing half-written becomes visible, and once space is back the
 * same records are accepted and delivered.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MemoryCatalog } from '../../src/catalog/memory-catalog.js';
import { ManualClock } from '../../src/core/clock.js';
import { ServiceError } from '../../src/core/errors.js';
import { createDeliveryStream } from '../../src/firehose/actions/create-delivery-stream.js';
import { putRecord } from '../../src/firehose/actions/put-record.js';
import { putRecordBatch } from '../../src/firehose/actions/put-record-batch.js';
import { FunctionRegistry } from '../../src/functions/function-registry.js';
import { FirehoseService } from '../../src/firehose/firehose-service.js';
import { EmbeddedBucketSink } from '../../src/firehose/sinks/embedded-bucket-sink.js';
import type { StreamReader } from '../../src/firehose/sources/stream-reader.js';
import { FileLogStore } from '../../src/log/file/file-log-store.js';
import { nodeFileSystem } from '../../src/log/file-system.js';
import { FaultyFileSystem } from '../log/faulty-file-system.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };

/** No Kinesis streams exist in this test. */
const noStreams: StreamReader = {
  describe: async () => undefined,
  read: async (_arn, _id, _shard, fromOffset) => ({ records: [], nextOffset: fromOffset }),
};

describe('Firehose puts on a full disk', () => {
  let directory = '';
  let fileSystem: FaultyFileSystem;
  let logStore: FileLogStore;
  let service: FirehoseService;
  let clock: ManualClock;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'tributary-firehose-faults-'));
    fileSystem = new FaultyFileSystem();
    clock = new ManualClock(Date.now());
    logStore = new FileLogStore({ directory: path.join(directory, 'log'), fileSystem, clock });
    await logStore.open();
    const catalog = new MemoryCatalog();
    await catalog.open();
    service = new FirehoseService({
      catalog,
      logStore,
      sink: new EmbeddedBucketSink({ root: path.join(directory, 'buckets'), fileSystem: nodeFileSystem }),
      streamReader: noStreams,
      clock,
      logger: () => undefined,
      options: { transitionDelayMs: 0, bufferIntervalMsMax: 900_000 },
      functions: new FunctionRegistry([]),
    });
    await service.open();
    await createDeliveryStream.run(
      { service, scope },
      {
        DeliveryStreamName: 'd',
        ExtendedS3DestinationConfiguration: {
          RoleARN: 'arn:aws:iam::000000000000:role/r',
          BucketARN: 'arn:aws:s3:::b',
        },
      },
    );
    clock.advance(1);
    // The transition runs file I/O (the log is created): wait for it in real time.
    const deadline = Date.now() + 10_000;
    while (service.find(scope, 'd').record.status !== 'ACTIVE') {
      assert.ok(Date.now() < deadline, 'delivery stream did not become ACTIVE');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });

  afterEach(async () => {
    await service.close();
    await logStore.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('answers PutRecordBatch with every entry failed, and accepts the same records later', async () => {
    const records = ['a', 'b', 'c'].map((text) => ({ Data: Buffer.from(text) }));
    fileSystem.failWritesWith = 'ENOSPC';
    const failed = await putRecordBatch.run(
      { service, scope },
      { DeliveryStreamName: 'd', Records: records },
    );
    assert.deepEqual(failed, {
      FailedPutCount: 3,
      Encrypted: false,
      RequestResponses: Array.from({ length: 3 }, () => ({
        ErrorCode: 'ServiceUnavailableException',
        ErrorMessage: 'Slow down.',
      })),
    });
    await assert.rejects(
      putRecord.run({ service, scope }, { DeliveryStreamName: 'd', Record: { Data: Buffer.from('x') } }),
      (error: unknown) => {
        assert.ok(error instanceof ServiceError);
        assert.deepEqual(
          [error.code, error.status, error.message],
          ['ServiceUnavailableException', 503, 'Slow down.'],
        );
        return true;
      },
    );
    const logId = `firehose-${service.find(scope, 'd').record.deliveryStreamId}`;
    assert.equal((await logStore.bounds(logId)).endOffset, 0);

    fileSystem.failWritesWith = undefined;
    const accepted = (await putRecordBatch.run(
      { service, scope },
      { DeliveryStreamName: 'd', Records: records },
    )) as {
      FailedPutCount: number;
      RequestResponses: { RecordId?: string }[];
    };
    assert.equal(accepted.FailedPutCount, 0);
    assert.ok(accepted.RequestResponses.every((response) => (response.RecordId ?? '').length > 20));
    const stored = await logStore.read(logId, 0, { maxRecords: 10, maxBytes: 1024 });
    assert.deepEqual(
      stored.map((record) => record.data.toString()),
      ['a', 'b', 'c'],
    );
  });
});

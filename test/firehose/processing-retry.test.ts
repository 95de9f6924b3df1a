/**
 * The delivery worker with a Lambda processor and a destination that fails: the buffer is
 * processed once (one invocation of a real module function through the function registry), the
 * error object already written is not written again, and every record is delivered once the
 * destination recovers; records put meanwhile are not lost behind the retried buffer.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MemoryCatalog } from '../../src/catalog/memory-catalog.js';
import { systemClock } from '../../src/core/clock.js';
import { createDeliveryStream } from '../../src/firehose/actions/create-delivery-stream.js';
import { putRecordBatch } from '../../src/firehose/actions/put-record-batch.js';
import { FirehoseService } from '../../src/firehose/firehose-service.js';
import { EmbeddedBucketSink } from '../../src/firehose/sinks/embedded-bucket-sink.js';
import { SinkError, type ObjectMetadata, type ObjectSink } from '../../src/firehose/sinks/object-sink.js';
import type { StreamReader } from '../../src/firehose/sources/stream-reader.js';
import { FunctionRegistry } from '../../src/functions/function-registry.js';
import { nodeFileSystem } from '../../src/log/file-system.js';
import { MemoryLogStore } from '../../src/log/memory/memory-log-store.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const noStreams: StreamReader = {
  describe: async () => undefined,
  read: async () => ({ records: [], nextOffset: 0 }),
};

/** Refuses the first `failures` normal objects (keys under `out/`), then writes them. */
class FlakySink implements ObjectSink {
  readonly #inner: ObjectSink;
  failures: number;
  readonly written: string[] = [];
  constructor(inner: ObjectSink, failures: number) {
    this.#inner = inner;
    this.failures = failures;
  }
  async putObject(bucket: string, key: string, body: Buffer, metadata: ObjectMetadata): Promise<void> {
    if (key.startsWith('out/') && this.failures > 0) {
      this.failures--;
      throw new SinkError('InternalError', 'the destination is down');
    }
    await this.#inner.putObject(bucket, key, body, metadata);
    this.written.push(key);
  }
  getObject(bucket: string, key: string): Promise<Buffer | undefined> {
    return this.#inner.getObject(bucket, key);
  }
  listObjects(bucket: string, prefix?: string): Promise<string[]> {
    return this.#inner.listObjects(bucket, prefix);
  }
}

describe('Firehose processing when the destination fails', () => {
  let directory: string;
  let service: FirehoseService;
  let registry: FunctionRegistry;
  let sink: FlakySink;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'tributary-processing-retry-'));
    await writeFile(
      path.join(directory, 'count.mjs'),
      `import { appendFileSync } from 'node:fs';
       export async function handler(event) {
         appendFileSync(${JSON.stringify(path.join(directory, 'invocations'))}, event.invocationId + '\\n');
         return { records: event.records.map((record) => {
           const text = Buffer.from(record.data, 'base64').toString();
           return text === 'bad'
             ? { recordId: record.recordId, result: 'ProcessingFailed', data: record.data }
             : { recordId: record.recordId, result: 'Ok', data: Buffer.from(text + '!').toString('base64') };
         }) };
       }`,
    );
    registry = new FunctionRegistry([
      {
        name: 'count',
        target: { module: path.join(directory, 'count.mjs') },
        timeoutMs: 30_000,
        concurrency: 1,
      },
    ]);
    sink = new FlakySink(
      new EmbeddedBucketSink({ root: path.join(directory, 'buckets'), fileSystem: nodeFileSystem }),
      2,
    );
    const logStore = new MemoryLogStore();
    await logStore.open();
    const catalog = new MemoryCatalog();
    await catalog.open();
    service = new FirehoseService({
      catalog,
      logStore,
      sink,
      streamReader: noStreams,
      clock: systemClock,
      logger: () => undefined,
      options: { transitionDelayMs: 0, bufferIntervalMsMax: 100 },
      functions: registry,
    });
    await service.open();
  });

  afterEach(async () => {
    await service.close();
    await registry.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('invokes the function once per buffer and delivers everything after the destination recovers', async () => {
    await createDeliveryStream.run(
      { service, scope },
      {
        DeliveryStreamName: 'd',
        ExtendedS3DestinationConfiguration: {
          RoleARN: 'arn:aws:iam::000000000000:role/r',
          BucketARN: 'arn:aws:s3:::b',
          Prefix: 'out/',
          ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
          ProcessingConfiguration: {
            Enabled: true,
            Processors: [
              {
                Type: 'Lambda',
                Parameters: [
                  {
                    ParameterName: 'LambdaArn',
                    ParameterValue: 'arn:aws:lambda:us-east-1:000000000000:function:count',
                  },
                ],
              },
              { Type: 'AppendDelimiterToRecord' },
            ],
          },
        },
      },
    );
    const deadline = Date.now() + 60_000;
    const waitFor = async (what: string, done: () => boolean): Promise<void> => {
      while (!done()) {
        assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await waitFor('ACTIVE', () => service.find(scope, 'd').record.status === 'ACTIVE');
    await putRecordBatch.run(
      { service, scope },
      { DeliveryStreamName: 'd', Records: ['a', 'bad', 'b'].map((text) => ({ Data: Buffer.from(text) })) },
    );
    // The first buffer fails twice (about a second each); records put meanwhile wait for it.
    await waitFor('the first failure', () => sink.failures < 2);
    await putRecordBatch.run(
      { service, scope },
      { DeliveryStreamName: 'd', Records: ['c'].map((text) => ({ Data: Buffer.from(text) })) },
    );
    await waitFor('both buffers', () => sink.written.filter((key) => key.startsWith('out/')).length >= 2);
    const bodies = await Promise.all(
      sink.written.map(
        async (key) => [key, await readFile(path.join(directory, 'buckets', 'b', key), 'utf8')] as const,
      ),
    );
    const delivered = bodies
      .filter(([key]) => key.startsWith('out/'))
      .flatMap(([, body]) => body.split('\n'))
      .sort();
    assert.deepEqual(delivered, ['a!', 'b!', 'c!']);
    const errorKeys = sink.written.filter((key) => key.startsWith('errors/processing-failed/'));
    assert.equal(errorKeys.length, 1, 'the error object is written once');
    const invocations = (await readFile(path.join(directory, 'invocations'), 'utf8')).trim().split('\n');
    assert.equal(invocations.length, 2, 'one invocation per buffer, none for the retries');
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvocationResult } from '../../functions/function-registry.js';
import { preprocess, PreprocessingError, type PreprocessContext } from './input-preprocessor.js';
import type { GatewayRecord } from './stream-gateway.js';

const records: GatewayRecord[] = ['a', 'b', 'c'].map((text, index) => ({
  data: Buffer.from(text),
  partitionKey: `pk-${index}`,
  sequenceNumber: String(100 + index),
  arrivalMs: 1_000 + index,
}));

const context = (firehose: boolean): PreprocessContext => ({
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
  applicationArn: 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/app',
  streamArn: firehose
    ? 'arn:aws:firehose:us-east-1:000000000000:deliverystream/d'
    : 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
  firehose,
  shardId: 'shardId-000000000003',
});

interface SeenEvent {
  invocationId: string;
  applicationArn: string;
  streamArn: string;
  records: { recordId: string; data: string; [key: string]: unknown }[];
}

/** An invoker answering with `answer(event)`, keeping the events. */
function invoker(answer: (event: SeenEvent) => unknown, seen: SeenEvent[] = []) {
  return {
    invoke: (_reference: string, event: unknown): Promise<InvocationResult> => {
      seen.push(event as SeenEvent);
      return Promise.resolve({ ok: true, payload: answer(event as SeenEvent) });
    },
  };
}

test('Ok records carry the new data, Dropped ones vanish, ProcessingFailed ones keep their bytes', async () => {
  const seen: SeenEvent[] = [];
  const outcome = await preprocess(
    records,
    context(false),
    invoker(
      (event) => ({
        records: event.records.map((record, index) => ({
          recordId: record.recordId,
          result: ['Ok', 'Dropped', 'ProcessingFailed'][index],
          data: Buffer.from('X').toString('base64'),
        })),
      }),
      seen,
    ),
  );
  assert.deepEqual(
    outcome.kept.map((record) => [record.data.toString(), record.partitionKey]),
    [['X', 'pk-0']],
  );
  assert.deepEqual(
    outcome.failed.map((record) => record.data.toString()),
    ['c'],
  );
  const event = seen[0] as SeenEvent;
  assert.equal(event.applicationArn, context(false).applicationArn);
  assert.equal(event.streamArn, context(false).streamArn);
  assert.deepEqual(event.records[1]!.kinesisStreamRecordMetadata, {
    shardId: 'shardId-000000000003',
    partitionKey: 'pk-1',
    approximateArrivalTimestamp: 1_001,
    sequenceNumber: '101',
    subsequenceNumber: 0,
  });
  assert.equal(event.records[1]!.data, Buffer.from('b').toString('base64'));
});

test('Firehose inputs get kinesisFirehoseRecordMetadata', async () => {
  const seen: SeenEvent[] = [];
  await preprocess(
    records,
    context(true),
    invoker((event) => ({ records: event.records.map((r) => ({ ...r, result: 'Ok' })) }), seen),
  );
  const record = (seen[0] as SeenEvent).records[2]!;
  assert.deepEqual(record.kinesisFirehoseRecordMetadata, { approximateArrivalTimestamp: 1_002 });
  assert.equal(record.kinesisStreamRecordMetadata, undefined);
});

test('a failed invocation or a response breaking the contract throws PreprocessingError', async () => {
  const failing = {
    invoke: (): Promise<InvocationResult> =>
      Promise.resolve({ ok: false, failure: { kind: 'Timeout', message: 'ran 3 s' } }),
  };
  await assert.rejects(preprocess(records, context(false), failing), PreprocessingError);
  const broken: ((event: SeenEvent) => unknown)[] = [
    () => 'not an object',
    () => ({ records: 'nope' }),
    (event) => ({ records: event.records.slice(1).map((r) => ({ ...r, result: 'Ok' })) }),
    (event) => ({ records: [...event.records, event.records[0]].map((r) => ({ ...r, result: 'Ok' })) }),
    (event) => ({ records: event.records.map((r) => ({ ...r, result: 'Maybe' })) }),
    (event) => ({ records: event.records.map((r) => ({ ...r, result: 'Ok', data: '%%%' })) }),
  ];
  for (const answer of broken) {
    await assert.rejects(preprocess(records, context(false), invoker(answer)), PreprocessingError);
  }
});

test('an empty batch invokes nothing', async () => {
  const seen: SeenEvent[] = [];
  const outcome = await preprocess(
    [],
    context(false),
    invoker(() => ({ records: [] }), seen),
  );
  assert.deepEqual(outcome, { kept: [], failed: [] });
  assert.equal(seen.length, 0);
});

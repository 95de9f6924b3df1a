import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../core/clock.js';
import type { InvocationResult } from '../../functions/function-registry.js';
import { lambdaTransform, type FunctionInvoker } from './lambda-transform.js';
import type { ProcessingRecord } from './processing-record.js';

const settings = {
  lambdaArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
  numberOfRetries: 2,
  bufferSizeBytes: 10,
};
const context = {
  deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/d',
  region: 'us-east-1',
};
const recordsOf = (...texts: string[]): ProcessingRecord[] =>
  texts.map((text, index) => ({ data: Buffer.from(text), raw: Buffer.from(text), arrivalMs: 1000 + index }));

/** A function given as a JavaScript function of the event: the registry's contract, in process. */
function invoker(
  answer: (event: {
    invocationId: string;
    records: { recordId: string; data: string }[];
  }) => InvocationResult,
) {
  const events: { invocationId: string; records: { recordId: string; data: string }[] }[] = [];
  const functions: FunctionInvoker = {
    invoke: async (_reference, event) => {
      events.push(event as (typeof events)[number]);
      return answer(event as (typeof events)[number]);
    },
  };
  return { functions, events };
}

const ok = (payload: unknown): InvocationResult => ({ ok: true, payload });

test('records are cut into batches of BufferSizeInMBs, at least one record each', async () => {
  const { functions, events } = invoker((event) =>
    ok({
      records: event.records.map((record) => ({
        recordId: record.recordId,
        result: 'Ok',
        data: record.data,
      })),
    }),
  );
  const outcome = await lambdaTransform(
    recordsOf('12345', '678', '90', 'x'.repeat(25), 'y'),
    settings,
    context,
    functions,
    new ManualClock(0),
  );
  assert.deepEqual(
    events.map((event) => event.records.map((record) => Buffer.from(record.data, 'base64').toString())),
    [['12345', '678', '90'], ['x'.repeat(25)], ['y']],
  );
  assert.deepEqual(
    outcome.records.map((record) => record.data.toString()),
    ['12345', '678', '90', 'x'.repeat(25), 'y'],
  );
  assert.deepEqual(outcome.failed, []);
});

test('a failing invocation is retried with a new invocationId and the same record ids, then fails the batch', async () => {
  const { functions, events } = invoker(() => ({
    ok: false,
    failure: { kind: 'FunctionError', message: 'Error: boom' },
  }));
  const outcome = await lambdaTransform(
    recordsOf('a', 'b'),
    settings,
    context,
    functions,
    new ManualClock(5000),
  );
  assert.equal(events.length, 3);
  assert.equal(new Set(events.map((event) => event.invocationId)).size, 3);
  assert.deepEqual(
    events.map((event) => event.records.map((record) => record.recordId)),
    [
      events[0]?.records.map((record) => record.recordId),
      events[0]?.records.map((record) => record.recordId),
      events[0]?.records.map((record) => record.recordId),
    ],
  );
  assert.deepEqual(
    outcome.failed.map((failed) => [
      failed.rawData.toString(),
      failed.attemptsMade,
      failed.errorCode,
      failed.errorMessage,
      failed.attemptEndingMs,
    ]),
    [
      ['a', 3, 'Lambda.FunctionError', 'Error: boom', 5000],
      ['b', 3, 'Lambda.FunctionError', 'Error: boom', 5000],
    ],
  );
});

test('a returned response is final: bad shapes fail the batch, bad records fail alone', async () => {
  const cases: [unknown, string[], string[]][] = [
    ['not an object', [], ['Lambda.JsonProcessingException', 'Lambda.JsonProcessingException']],
    [{ records: 'x' }, [], ['Lambda.JsonProcessingException', 'Lambda.JsonProcessingException']],
    [{ records: [{ recordId: '?', result: 'OK' }] }, [], ['Lambda.FunctionError', 'Lambda.FunctionError']],
  ];
  for (const [payload, kept, codes] of cases) {
    const { functions, events } = invoker(() => ok(payload));
    const outcome = await lambdaTransform(
      recordsOf('a', 'b'),
      settings,
      context,
      functions,
      new ManualClock(0),
    );
    assert.equal(events.length, 1, JSON.stringify(payload));
    assert.deepEqual(
      outcome.records.map((record) => record.data.toString()),
      kept,
    );
    assert.deepEqual(
      outcome.failed.map((failed) => [failed.errorCode, failed.attemptsMade]),
      codes.map((code) => [code, 1]),
    );
  }
  const { functions } = invoker((event) => {
    const [a, b, c, d] = event.records;
    return ok({
      records: [
        {
          recordId: a?.recordId,
          result: 'Ok',
          data: 'bm90IGJhc2U2NA=',
          metadata: { partitionKeys: { k: 'v' } },
        },
        {
          recordId: b?.recordId,
          result: 'Ok',
          data: Buffer.from('B').toString('base64'),
          metadata: { partitionKeys: { k: 'v', n: 7 } },
        },
        { recordId: c?.recordId, result: 'Dropped' },
        { recordId: c?.recordId, result: 'Dropped' },
        { recordId: d?.recordId, result: 'ProcessingFailed' },
      ],
    });
  });
  const outcome = await lambdaTransform(
    recordsOf('a', 'b', 'c', 'd', 'e'),
    { ...settings, bufferSizeBytes: 100 },
    context,
    functions,
    new ManualClock(0),
  );
  assert.deepEqual(
    outcome.records.map((record) => [record.data.toString(), record.lambdaKeys]),
    [['B', { k: 'v', n: '7' }]],
  );
  assert.deepEqual(
    outcome.failed.map((failed) => [failed.rawData.toString(), failed.errorCode]),
    [
      ['a', 'Lambda.FunctionError'],
      ['c', 'Lambda.DuplicatedRecordId'],
      ['d', 'Lambda.ProcessingFailed'],
      ['e', 'Lambda.MissingRecordId'],
    ],
  );
});

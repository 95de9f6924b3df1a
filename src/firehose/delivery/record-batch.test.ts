import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveryAttempt, RecordDestination } from '../destinations/record-destination.js';
import type { BufferedRecord } from './delivery-buffer.js';
import { RecordBatch } from './record-batch.js';

const records: BufferedRecord[] = ['a', 'b', 'c'].map((text, index) => ({
  data: Buffer.from(text),
  arrivalMs: 1000 + index,
}));

/** A destination that refuses the records whose text `refuses` names, and logs what it was sent. */
function destination(
  refuses: (text: string) => boolean,
): RecordDestination & { sent: string[][]; attempts: DeliveryAttempt[] } {
  const sent: string[][] = [];
  const attempts: DeliveryAttempt[] = [];
  return {
    errorOutputType: 'test-failed',
    sent,
    attempts,
    async deliver(batch, attempt) {
      sent.push(batch.map((record) => record.data.toString()));
      attempts.push(attempt);
      return {
        failures: batch.flatMap((record, index) =>
          refuses(record.data.toString()) ? [{ index, errorCode: 'Test.Refused', errorMessage: 'no' }] : [],
        ),
      };
    },
    envelopeFields: (_record, batchIndex) => ({ beforeRawData: { position: batchIndex } }),
  };
}

test('record batch: backoff doubles from 1 s with ±15 % jitter, capped at 120 s', async () => {
  for (const [random, factor] of [
    [0, 0.85],
    [0.5, 1],
    [1, 1.15],
  ] as const) {
    const batch = new RecordBatch(records, () => random);
    const target = destination(() => true);
    const delays: number[] = [];
    let nowMs = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      const result = await batch.attempt(target, {
        sourceArn: 'arn',
        retryDurationMs: 3_600_000,
        nowMs: () => nowMs,
      });
      assert.equal(result.kind, 'retry');
      if (result.kind === 'retry') delays.push(result.delayMs);
      nowMs += delays.at(-1) ?? 0;
    }
    assert.deepEqual(
      delays,
      [1000, 2000, 4000, 8000, 16000, 32000, 64000, 120000, 120000, 120000].map((ms) =>
        Math.round(ms * factor),
      ),
    );
  }
});

test('record batch: only failed records are retried, with the same request id and their batch positions', async () => {
  const batch = new RecordBatch(records, () => 0.5);
  const target = destination((text) => text === 'b');
  let nowMs = 0;
  const first = await batch.attempt(target, {
    sourceArn: 'arn',
    retryDurationMs: 10_000,
    nowMs: () => nowMs,
  });
  assert.equal(first.kind, 'retry');
  nowMs += 1000;
  await batch.attempt(target, { sourceArn: 'arn', retryDurationMs: 10_000, nowMs: () => nowMs });
  assert.deepEqual(target.sent, [['a', 'b', 'c'], ['b']]);
  assert.deepEqual(
    target.attempts.map((attempt) => [attempt.requestId, attempt.attemptNumber, attempt.recordIndexes]),
    [
      [batch.requestId, 1, [0, 1, 2]],
      [batch.requestId, 2, [1]],
    ],
  );
});

test('record batch: gives up once the next retry would start after RetryDuration; 0 means one attempt', async () => {
  const none = new RecordBatch(records, () => 0.5);
  const once = await none.attempt(
    destination((text) => text !== 'a'),
    {
      sourceArn: 'arn',
      retryDurationMs: 0,
      nowMs: () => 5000,
    },
  );
  assert.equal(once.kind, 'done');
  if (once.kind === 'done') {
    assert.deepEqual(
      once.givenUp.map((given) => [
        given.record.data.toString(),
        given.attemptsMade,
        given.attemptEndingMs,
        given.fields,
      ]),
      [
        ['b', 1, 5000, { beforeRawData: { position: 1 } }],
        ['c', 1, 5000, { beforeRawData: { position: 2 } }],
      ],
    );
  }
  // 2.5 s of retries: attempts at 0 s, 1 s (+1 s), then the next would start at 3 s > 2.5 s.
  const batch = new RecordBatch(records, () => 0.5);
  const target = destination(() => true);
  let nowMs = 0;
  const results = [];
  for (;;) {
    const result = await batch.attempt(target, {
      sourceArn: 'arn',
      retryDurationMs: 2500,
      nowMs: () => nowMs,
    });
    results.push(result.kind);
    if (result.kind === 'done') break;
    nowMs += result.delayMs;
  }
  assert.deepEqual(results, ['retry', 'done']);
  assert.equal(batch.attemptsMade, 2);
});

test('record batch: a batch accepted after failures gives nothing up', async () => {
  const batch = new RecordBatch(records, () => 0.5);
  let refuse = true;
  const target = destination(() => refuse);
  assert.equal(
    (await batch.attempt(target, { sourceArn: 'arn', retryDurationMs: 60_000, nowMs: () => 0 })).kind,
    'retry',
  );
  refuse = false;
  assert.deepEqual(
    await batch.attempt(target, { sourceArn: 'arn', retryDurationMs: 60_000, nowMs: () => 1000 }),
    {
      kind: 'done',
      givenUp: [],
    },
  );
});

test('record batch: a batch resumed after a restart keeps counting attempts and its retry clock', async () => {
  const first = new RecordBatch(records, () => 0.5);
  const target = destination(() => true);
  const failed = await first.attempt(target, {
    sourceArn: 'arn',
    retryDurationMs: 10_000,
    nowMs: () => 1000,
  });
  assert.equal(failed.kind, 'retry');
  assert.deepEqual(first.retryState, { attemptsMade: 1, firstFailureMs: 1000 });
  assert.equal(new RecordBatch(records).retryState, undefined);
  // "Restarted" 9.5 s after the first failure: the next retry (2 s) would end past the 10 s.
  const resumed = new RecordBatch(records, () => 0.5, first.retryState);
  const result = await resumed.attempt(target, {
    sourceArn: 'arn',
    retryDurationMs: 10_000,
    nowMs: () => 10_500,
  });
  assert.equal(result.kind, 'done');
  if (result.kind === 'done') {
    assert.deepEqual(
      result.givenUp.map((given) => given.attemptsMade),
      [2, 2, 2],
    );
  }
  // A fresh batch at the same time would still retry.
  const fresh = new RecordBatch(records, () => 0.5);
  const freshResult = await fresh.attempt(target, {
    sourceArn: 'arn',
    retryDurationMs: 10_000,
    nowMs: () => 10_500,
  });
  assert.equal(freshResult.kind, 'retry');
});

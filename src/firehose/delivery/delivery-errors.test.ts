import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeliveryErrors, deliveryErrorOutcomes, type DeliveryError } from './delivery-errors.js';

function error(timeMs: number, overrides: Partial<DeliveryError> = {}): DeliveryError {
  return {
    timeMs,
    destination: 'ExtendedS3',
    errorCode: 'Lambda.FunctionError',
    errorMessage: `failure at ${timeMs}`,
    attempts: 1,
    records: 2,
    outcome: deliveryErrorOutcomes.errorOutput,
    ...overrides,
  };
}

test('keeps the last errors newest first, at most keptMax, and counts every one', () => {
  const errors = new DeliveryErrors(3);
  for (let timeMs = 1; timeMs <= 5; timeMs++) errors.record('stream-a', error(timeMs));
  assert.deepEqual(
    errors.list('stream-a').map((one) => one.timeMs),
    [5, 4, 3],
  );
  assert.equal(errors.total('stream-a'), 5);
});

test('delivery streams have their own rings; an unknown one has none', () => {
  const errors = new DeliveryErrors(2);
  errors.record('stream-a', error(1));
  errors.record('stream-b', error(2));
  assert.deepEqual(
    errors.list('stream-a').map((one) => one.timeMs),
    [1],
  );
  assert.deepEqual(
    errors.list('stream-b').map((one) => one.timeMs),
    [2],
  );
  assert.deepEqual(errors.list('stream-c'), []);
  assert.equal(errors.total('stream-c'), 0);
});

test('a run of retries failing with the same code is one entry that moves on', () => {
  const errors = new DeliveryErrors(10);
  const retrying = {
    outcome: deliveryErrorOutcomes.retrying,
    errorCode: 'S3.NoSuchBucket',
    errorMessage: 'gone',
  };
  errors.record('s', error(1, { ...retrying, attempts: 1 }));
  errors.record('s', error(2, { ...retrying, attempts: 2 }));
  errors.record('s', error(3, { ...retrying, errorMessage: 'gone again', attempts: 3 }));
  assert.deepEqual(errors.list('s'), [error(3, { ...retrying, errorMessage: 'gone again', attempts: 3 })]);
  assert.equal(errors.total('s'), 3);
  // Another code, or a final outcome, is a new entry.
  errors.record('s', error(4, { ...retrying, errorCode: 'S3.AccessDenied', attempts: 4 }));
  errors.record('s', error(5, { ...retrying, outcome: deliveryErrorOutcomes.s3Backup, attempts: 5 }));
  errors.record('s', error(6, { ...retrying, attempts: 1 }));
  assert.deepEqual(
    errors.list('s').map((one) => [one.timeMs, one.outcome, one.attempts]),
    [
      [6, 'Retrying', 1],
      [5, 'S3Backup', 5],
      [4, 'Retrying', 4],
      [3, 'Retrying', 3],
    ],
  );
});

test('errors that are not retries are never merged', () => {
  const errors = new DeliveryErrors(10);
  errors.record('s', error(1));
  errors.record('s', error(1));
  assert.equal(errors.list('s').length, 2);
});

test('forget drops a delivery stream ring and its count', () => {
  const errors = new DeliveryErrors(10);
  errors.record('s', error(1));
  errors.forget('s');
  assert.deepEqual(errors.list('s'), []);
  assert.equal(errors.total('s'), 0);
});

test('the list is a copy', () => {
  const errors = new DeliveryErrors(10);
  errors.record('s', error(1));
  errors.list('s').pop();
  assert.equal(errors.list('s').length, 1);
});

test('keptMax must be a positive integer', () => {
  assert.throws(() => new DeliveryErrors(0), /positive integer/);
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Backoff, CallPacer, getRecordsSpacingMs, retryThrottled } from './read-pacing.js';

const awsError = (name: string): Error => Object.assign(new Error(`${name} text`), { name });

it('retries throttled calls until they succeed, and throws anything else at once', async () => {
  let calls = 0;
  const throttled: string[] = [];
  const result = await retryThrottled(
    async () => {
      calls++;
      if (calls === 1) throw awsError('ProvisionedThroughputExceededException');
      if (calls === 2) throw awsError('LimitExceededException');
      return 'read';
    },
    undefined,
    (error) => throttled.push(error.name),
  );
  assert.equal(result, 'read');
  assert.deepEqual(throttled, ['ProvisionedThroughputExceededException', 'LimitExceededException']);

  let other = 0;
  await assert.rejects(
    retryThrottled(async () => {
      other++;
      throw awsError('ResourceNotFoundException');
    }, undefined),
    /ResourceNotFoundException text/,
  );
  assert.equal(other, 1);
});

it('stops retrying when aborted', async () => {
  const abort = new AbortController();
  const pending = retryThrottled(async () => {
    abort.abort();
    throw awsError('ProvisionedThroughputExceededException');
  }, abort.signal);
  await assert.rejects(pending, { name: 'AbortError' });
});

it('backs off exponentially with jitter, capped, and resets', () => {
  const backoff = new Backoff({ initialMs: 100, maxMs: 1000 });
  const ceilings = [100, 200, 400, 800, 1000, 1000];
  for (const ceiling of ceilings) {
    const delay = backoff.nextDelayMs();
    assert.ok(delay >= ceiling / 2 && delay <= ceiling, `${delay} outside [${ceiling / 2}, ${ceiling}]`);
  }
  backoff.reset();
  assert.ok(backoff.nextDelayMs() <= 100);
});

it('spaces GetRecords calls of a shard to at most 5 a second', async () => {
  assert.equal(getRecordsSpacingMs, 200);
  const pacer = new CallPacer(getRecordsSpacingMs);
  const slots: number[] = [];
  for (let call = 0; call < 4; call++) slots.push(await pacer.wait(undefined));
  for (let index = 1; index < slots.length; index++) {
    const gapMs = (slots[index] as number) - (slots[index - 1] as number);
    assert.ok(gapMs >= getRecordsSpacingMs, `calls ${gapMs} ms apart`);
  }
});

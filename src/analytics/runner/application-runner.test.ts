import assert from 'node:assert/strict';
import { test } from 'node:test';
import { limits } from '../../core/limits.js';
import { retryDelayMs } from './application-runner.js';

test('failed passes back off exponentially from the poll interval, up to the cap', () => {
  const delays = Array.from({ length: 9 }, (_, index) => retryDelayMs(200, index + 1));
  assert.deepEqual(delays, [200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000]);
  assert.equal(limits.analyticsRetryDelayMsMax, 10_000);
  // No failure yet: the poll interval; a huge count stays at the cap (no overflow to Infinity).
  assert.equal(retryDelayMs(200, 0), 200);
  assert.equal(retryDelayMs(200, 10_000), 10_000);
  // A poll interval above the cap is not shortened.
  assert.equal(retryDelayMs(20_000, 5), 20_000);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rotatedIndexName, sundayWeekOfYear } from './index-rotation.js';

test("index rotation: the developer guide's examples for 2016-02-25T13:00:00Z", () => {
  const arrivalMs = Date.UTC(2016, 1, 25, 13, 0, 0);
  assert.deepEqual(
    (['NoRotation', 'OneHour', 'OneDay', 'OneWeek', 'OneMonth'] as const).map((period) =>
      rotatedIndexName('myindex', period, arrivalMs),
    ),
    ['myindex', 'myindex-2016-02-25-13', 'myindex-2016-02-25', 'myindex-2016-w08', 'myindex-2016-02'],
  );
});

test('index rotation: weeks start on Sunday; days before the first Sunday are week 00', () => {
  // 2026-01-01 is a Thursday: Jan 1–3 are week 00, Sunday Jan 4 starts week 01.
  assert.equal(sundayWeekOfYear(new Date(Date.UTC(2026, 0, 1))), 0);
  assert.equal(sundayWeekOfYear(new Date(Date.UTC(2026, 0, 3, 23, 59))), 0);
  assert.equal(sundayWeekOfYear(new Date(Date.UTC(2026, 0, 4))), 1);
  assert.equal(sundayWeekOfYear(new Date(Date.UTC(2026, 11, 31))), 52);
  // 2023-01-01 is a Sunday: week 01 at once.
  assert.equal(sundayWeekOfYear(new Date(Date.UTC(2023, 0, 1))), 1);
  assert.equal(rotatedIndexName('i', 'OneHour', Date.UTC(2026, 11, 7, 5, 59, 59)), 'i-2026-12-07-05');
});

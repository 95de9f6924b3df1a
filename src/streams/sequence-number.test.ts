import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  endingCounter,
  formatSequenceNumber,
  formatSequenceNumberRun,
  parseSequenceNumber,
  sequenceNumberDigits,
  SequenceNumberDigits,
} from './sequence-number.js';

it('decodes the AWS CLI documentation example in the version-2 layout', () => {
  // From the AWS CLI docs; shard created 2019-10-28, counter 0, shard index 1.
  assert.deepEqual(parseSequenceNumber('49600871682979337187563555549332609155523708941634633746'), {
    shardCreatedSeconds: 1572297165,
    shardIndex: 1,
    counter: 0n,
    arrivalSeconds: 1572297165,
  });
});

it('formats 56-digit numbers that round-trip and grow with the counter', () => {
  const parts = {
    shardCreatedSeconds: 1_700_000_000,
    shardIndex: 7,
    counter: 12345n,
    arrivalSeconds: 1_700_000_123,
  };
  const text = formatSequenceNumber(parts);
  assert.match(text, /^\d{56}$/);
  assert.deepEqual(parseSequenceNumber(text), parts);
  assert.ok(BigInt(formatSequenceNumber({ ...parts, counter: 12346n, arrivalSeconds: 0 })) > BigInt(text));
  const ending = formatSequenceNumber({ ...parts, counter: endingCounter });
  assert.equal(parseSequenceNumber(ending)?.counter, endingCounter);
});

it('formats runs exactly as one number at a time, across decimal carries', () => {
  for (const firstCounter of [1n, 99_999n, 123_456_789_012n, endingCounter - 600n]) {
    for (const shardIndex of [0, 5, 4095, 0x7fffffff]) {
      const run = formatSequenceNumberRun(1_650_000_000, shardIndex, firstCounter, 1_700_000_000, 500);
      run.forEach((text, index) => {
        const expected = formatSequenceNumber({
          shardCreatedSeconds: 1_650_000_000,
          shardIndex,
          counter: firstCounter + BigInt(index),
          arrivalSeconds: 1_700_000_000,
        });
        assert.equal(text, expected);
      });
    }
  }
});

it('rejects numbers that are not of our layout', () => {
  for (const text of ['0', '1', '12345678901234567890', '9'.repeat(56), 'abc', '0123']) {
    assert.equal(parseSequenceNumber(text), undefined, text);
  }
});

it('steps decimal digits in place exactly as a BigInt step of the counter would', () => {
  const step = 1n << 80n;
  const starts = [
    formatSequenceNumber({
      shardCreatedSeconds: 1_700_000_000,
      shardIndex: 7,
      counter: 1n,
      arrivalSeconds: 1_700_000_123,
    }),
    formatSequenceNumber({ shardCreatedSeconds: 0, shardIndex: 0, counter: 0n, arrivalSeconds: 0 }),
    formatSequenceNumber({
      shardCreatedSeconds: 0xfffffffff,
      shardIndex: 0x7fffffff,
      counter: 0x7ffffffffffff000n,
      arrivalSeconds: 0xfffffffff,
    }),
    // Carries through every limb, into the top two digits.
    '4' + '9'.repeat(55),
    '5' + '9'.repeat(30) + '0'.repeat(25),
  ];
  for (const start of starts) {
    const digits = Buffer.from('xx' + start + 'yy', 'latin1');
    assert.equal(digits.length, sequenceNumberDigits + 4);
    const stepper = new SequenceNumberDigits();
    stepper.load(digits, 2);
    for (let count = 1; count <= 3000; count++) {
      stepper.step(digits, 2);
      assert.equal(digits.toString('latin1'), 'xx' + String(BigInt(start) + BigInt(count) * step) + 'yy');
    }
  }
});

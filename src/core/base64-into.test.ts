import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { base64Bytes, writeBase64 } from './base64-into.js';

it('writes the bytes Buffer#toString("base64") gives, for every length and position', () => {
  const source = randomBytes(700);
  for (let length = 0; length <= 300; length++) {
    for (const start of [0, 1, 2, 399]) {
      const expected = source.toString('base64', start, start + length);
      assert.equal(base64Bytes(length), expected.length);
      const target = Buffer.alloc(expected.length + 6, 0x2e);
      const end = writeBase64(
        source,
        start,
        start + length,
        new DataView(target.buffer, target.byteOffset, target.length),
        3,
      );
      assert.equal(end, 3 + expected.length);
      assert.equal(target.toString('latin1'), '...' + expected + '...');
    }
  }
});

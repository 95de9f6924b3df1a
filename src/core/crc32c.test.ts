import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, crc32cRange } from './crc32c.js';

/** Bit-at-a-time reference, to check the sliced tables against. */
function crc32cReference(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the published check value and RFC 3720 vectors', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(new Uint8Array(0)), 0);
    assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
    assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
    const ascending = Uint8Array.from({ length: 32 }, (_, index) => index);
    assert.equal(crc32c(ascending), 0x46dd794e);
    const descending = Uint8Array.from({ length: 32 }, (_, index) => 31 - index);
    assert.equal(crc32c(descending), 0x113fdb5c);
  });

  it('agrees with a bit-at-a-time reference at every length and alignment', () => {
    const data = Uint8Array.from({ length: 300 }, (_, index) => (index * 7919 + 13) & 0xff);
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end += 1 + (end % 5)) {
        assert.equal(crc32cRange(data, start, end), crc32cReference(data.subarray(start, end)));
      }
    }
  });

  it('continues from an initial value', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    for (let split = 0; split <= data.length; split++) {
      assert.equal(crc32c(data.subarray(split), crc32c(data.subarray(0, split))), crc32c(data));
    }
  });

  it('gives the same result over views at any offset of shared and alternating buffers', () => {
    const bytes = Uint8Array.from({ length: 4099 }, (_, index) => (index * 131 + 7) & 0xff);
    const other = Buffer.from(bytes);
    for (let shift = 0; shift < 8; shift++) {
      // A view that starts inside a larger buffer, as pooled Buffers and read chunks do.
      const holder = new Uint8Array(bytes.length + 8);
      holder.set(bytes, shift);
      const view = holder.subarray(shift, shift + bytes.length);
      for (const [start, end] of [
        [0, 4099],
        [1, 129],
        [3, 1030],
        [5, 4096],
      ] as const) {
        const expected = crc32cReference(bytes.subarray(start, end));
        assert.equal(crc32cRange(view, start, end), expected);
        assert.equal(crc32cRange(other, start, end), expected);
      }
    }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ServiceError } from '../core/errors.js';
import { cborDepthMax, decodeCbor, encodeCbor } from './cbor.js';
import { seededRandom } from '../core/seeded-random.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

function assertSerializationError(bytes: Buffer, pattern: RegExp): void {
  assert.throws(
    () => decodeCbor(bytes),
    (error: unknown) =>
      error instanceof ServiceError &&
      error.code === 'SerializationException' &&
      error.messageKey === 'Message' &&
      pattern.test(error.message),
  );
}

test('round trip keeps every supported kind of value', () => {
  const value = {
    StreamName: 'stream-1',
    Limit: 10_000,
    Negative: -1_000_000,
    Big: 2 ** 40 + 3,
    Ratio: 0.25,
    Nested: { List: [1, 'two', true, false, null], Empty: {} },
    Data: Buffer.from('hello'),
    Timestamp: new Date(1722800000000),
    Unicode: 'żółw 🐢',
  };
  assert.deepEqual(decodeCbor(encodeCbor(value)), value);
});

test('encoder skips undefined members and picks the smallest integer encoding', () => {
  assert.deepEqual(encodeCbor({ a: 1, b: undefined }), hex('a1 61 61 01'));
  assert.deepEqual(encodeCbor(23), hex('17'));
  assert.deepEqual(encodeCbor(24), hex('18 18'));
  assert.deepEqual(encodeCbor(256), hex('19 0100'));
  assert.deepEqual(encodeCbor(65536), hex('1a 00010000'));
  assert.deepEqual(encodeCbor(2 ** 32), hex('1b 0000000100000000'));
  assert.deepEqual(encodeCbor(-1), hex('20'));
  assert.deepEqual(encodeCbor(-500), hex('39 01f3'));
  assert.deepEqual(encodeCbor(1.5), hex('fb 3ff8000000000000'));
  assert.deepEqual(encodeCbor(new Uint8Array([1, 2])), hex('42 0102'));
  assert.deepEqual(encodeCbor([true, false, null]), hex('83 f5 f4 f6'));
});

test('Date encodes as tag 1 wrapping an integer of epoch milliseconds', () => {
  assert.deepEqual(encodeCbor(new Date(1722800000000)), hex('c1 1b 00000191 1ee1cc00'));
});

test('tag 1 decodes as epoch milliseconds (AWS deviation from RFC 8949)', () => {
  const date = decodeCbor(hex('c1 1b 000001a013accc38'));
  assert.ok(date instanceof Date);
  // The reference's example vector: read as milliseconds it is a date in 2026, not year 58000.
  assert.equal(date.getTime(), 1787036486712);
  assert.equal(date.toISOString(), '2026-08-18T07:01:26.712Z');
  const fromFloat = decodeCbor(hex('c1 fb 427911ee1cc00000'));
  assert.deepEqual(fromFloat, new Date(1722800000000));
  assertSerializationError(hex('c1 63 616263'), /tag 1/);
  assertSerializationError(hex('c1 fb 7fefffffffffffff'), /tag 1/);
});

test('other tags decode as their content', () => {
  assert.equal(decodeCbor(hex('d8 20 63 616263')), 'abc');
});

test('indefinite-length maps, arrays and strings, as the Java SDK writes them', () => {
  // {_ "StreamName": "s", "Records": [_ {_ "Data": (_ h'01', h'0203'), "PartitionKey": (_ "p", "k")}]}
  const bytes = hex(`
    bf
      6a 53747265616d4e616d65 61 73
      67 5265636f726473 9f
        bf
          64 44617461 5f 41 01 42 0203 ff
          6c 506172746974696f6e4b6579 7f 61 70 61 6b ff
        ff
      ff
    ff`);
  assert.deepEqual(decodeCbor(bytes), {
    StreamName: 's',
    Records: [{ Data: Buffer.from([1, 2, 3]), PartitionKey: 'pk' }],
  });
});

test('half, single and double floats', () => {
  assert.equal(decodeCbor(hex('f9 3c00')), 1);
  assert.equal(decodeCbor(hex('f9 c400')), -4);
  assert.equal(decodeCbor(hex('f9 0001')), 5.960464477539063e-8);
  assert.equal(decodeCbor(hex('f9 7bff')), 65504);
  assert.equal(decodeCbor(hex('f9 7c00')), Infinity);
  assert.ok(Number.isNaN(decodeCbor(hex('f9 7e00'))));
  assert.equal(decodeCbor(hex('fa 47c35000')), 100000);
  assert.equal(decodeCbor(hex('fb 3ff199999999999a')), 1.1);
});

test('simple values and integers', () => {
  assert.equal(decodeCbor(hex('f4')), false);
  assert.equal(decodeCbor(hex('f5')), true);
  assert.equal(decodeCbor(hex('f6')), null);
  assert.equal(decodeCbor(hex('f7')), undefined);
  assert.equal(decodeCbor(hex('3903e7')), -1000);
  assert.equal(decodeCbor(hex('1b 000000e8d4a51000')), 1_000_000_000_000);
});

test('a __proto__ key becomes an own property, not the prototype', () => {
  const decoded = decodeCbor(hex('a1 69 5f5f70726f746f5f5f a0')) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
  assert.deepEqual(Object.keys(decoded), ['__proto__']);
});

test('nesting is bounded', () => {
  const ok = Buffer.concat([Buffer.alloc(cborDepthMax, 0x81), hex('00')]);
  assert.doesNotThrow(() => decodeCbor(ok));
  const deep = Buffer.concat([Buffer.alloc(cborDepthMax + 1, 0x81), hex('00')]);
  assertSerializationError(deep, /nesting/);
  const deepMaps = Buffer.concat([Buffer.alloc(10_000, 0x9f)]);
  assertSerializationError(deepMaps, /nesting/);
});

test('malformed input is a SerializationException', () => {
  assertSerializationError(hex(''), /end of input/);
  assertSerializationError(hex('19 01'), /end of input/);
  assertSerializationError(hex('63 6162'), /end of input/);
  assertSerializationError(hex('bf 61 61 01'), /end of input/);
  assertSerializationError(hex('9f 01 02'), /end of input/);
  assertSerializationError(hex('5a ffffffff'), /end of input/);
  assertSerializationError(hex('9b 00000000ffffffff'), /end of input/);
  assertSerializationError(hex('01 02'), /trailing/);
  assertSerializationError(hex('1c'), /reserved/);
  assertSerializationError(hex('ff'), /break/);
  assertSerializationError(hex('82 01 ff'), /break/);
  assertSerializationError(hex('a1 ff 01'), /map keys/);
  assertSerializationError(hex('a1 01 02'), /map keys/);
  assertSerializationError(hex('1f'), /indefinite/);
  assertSerializationError(hex('5f 61 61 ff'), /chunk/);
  assertSerializationError(hex('62 c328'), /UTF-8/);
  assertSerializationError(hex('f8 20'), /simple/);
});

test('encoding a large value grows the buffer without losing bytes', () => {
  const data = Buffer.alloc(1_000_000, 7);
  const records = Array.from({ length: 500 }, (_, i) => ({
    Data: data.subarray(0, 2000),
    PartitionKey: `k${i}`,
  }));
  const decoded = decodeCbor(encodeCbor({ Records: records, Data: data })) as { Data: Buffer };
  assert.deepEqual(decoded, { Records: records, Data: data });
});

test('random corruption of valid input never escapes as anything but SerializationException', () => {
  // A seeded generator, so that a failure reproduces.
  const random = seededRandom(0x5eed);
  const valid = encodeCbor({
    StreamName: 'stream',
    Records: [{ Data: Buffer.from('abc'), PartitionKey: 'k', At: new Date(1722800000000) }],
    Limit: 70000,
    Ratio: 0.5,
  });
  for (let round = 0; round < 5000; round++) {
    const bytes = Buffer.from(valid);
    const edits = 1 + Math.floor(random() * 4);
    for (let i = 0; i < edits; i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    const cut = random() < 0.3 ? Math.floor(random() * bytes.length) : bytes.length;
    try {
      decodeCbor(bytes.subarray(0, cut));
    } catch (error) {
      assert.ok(error instanceof ServiceError && error.code === 'SerializationException', String(error));
    }
  }
});

test('short text falls back to UTF-8 when a character is not ASCII, keys and values alike', () => {
  const value = {
    ké: 'é漢字🙂',
    plain: 'ascii only',
    mixed: 'abc\u0080def',
    [`k${'x'.repeat(70)}`]: 'long key',
  };
  assert.deepEqual(decodeCbor(encodeCbor(value)), value);
  // Cached map keys must not confuse two keys with the same length.
  for (let round = 0; round < 3; round++) {
    assert.deepEqual(decodeCbor(encodeCbor({ ab: 1, ba: 2, aB: 3 })), { ab: 1, ba: 2, aB: 3 });
  }
});

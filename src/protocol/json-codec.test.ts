import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ServiceError } from '../core/errors.js';
import { decodeJson, encodeJson, formatEpochSeconds } from './json-codec.js';

test('blobs encode as base64 and dates as epoch seconds without exponent', () => {
  const text = encodeJson({
    Data: Buffer.from('hello'),
    Raw: new Uint8Array([0xff, 0x00]),
    ApproximateArrivalTimestamp: new Date(1700000000123),
    Whole: new Date(1700000000000),
    Tenth: new Date(1700000000100),
  });
  assert.equal(
    text,
    '{"Data":"aGVsbG8=","Raw":"/wA=","ApproximateArrivalTimestamp":1700000000.123,' +
      '"Whole":1700000000,"Tenth":1700000000.1}',
  );
});

test('formatEpochSeconds handles small, negative and far dates', () => {
  assert.equal(formatEpochSeconds(new Date(5)), '0.005');
  assert.equal(formatEpochSeconds(new Date(-1500)), '-1.5');
  assert.equal(formatEpochSeconds(new Date(8_640_000_000_000_000)), '8640000000000');
});

test('undefined members are omitted and everything else matches JSON.stringify', () => {
  const value = {
    a: undefined,
    b: null,
    text: 'quote " backslash \\ newline \n control \u0001 unicode żółw \u2028',
    list: [1, undefined, 'x', -0.5, 1e21],
    nested: { deep: [{}, []] },
    flag: false,
    nan: NaN,
  };
  assert.equal(encodeJson(value), JSON.stringify(value));
  assert.equal(encodeJson({ a: undefined }), '{}');
});

test('decodeJson parses objects and treats an empty body as {}', () => {
  assert.deepEqual(decodeJson('{"StreamName":"s","Limit":1}'), { StreamName: 's', Limit: 1 });
  assert.deepEqual(decodeJson(''), {});
  assert.deepEqual(decodeJson('  \n'), {});
});

test('decodeJson answers SerializationException with no message for bad JSON or a non-object', () => {
  for (const text of ['{', '{"a":}', 'nul', '[]', '1', '"s"', 'null', 'true']) {
    assert.throws(
      () => decodeJson(text),
      (error: unknown) =>
        error instanceof ServiceError && error.code === 'SerializationException' && !error.hasMessage,
      text,
    );
  }
});

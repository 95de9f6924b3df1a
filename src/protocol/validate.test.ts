import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ServiceError } from '../core/errors.js';
import type { ShapeValue, StructureShape } from './shape.js';
import { validateInput } from './validate.js';

const name = { type: 'string', min: 1, max: 5, pattern: '[a-z]+' } as const;
const shape = {
  type: 'structure',
  members: {
    Name: name,
    Count: { type: 'integer', min: 1, max: 10 },
    Total: { type: 'long' },
    Flag: { type: 'boolean' },
    Data: { type: 'blob', max: 3 },
    At: { type: 'timestamp' },
    Mode: { type: 'string', enum: ['ON', 'OFF'] },
    Names: { type: 'list', member: name, min: 1, max: 2 },
    Items: {
      type: 'list',
      member: {
        type: 'structure',
        members: { Data: { type: 'blob', max: 2 }, Key: { type: 'string', min: 1 } },
        required: ['Data', 'Key'],
      },
    },
    Tags: { type: 'map', key: { type: 'string', min: 1, max: 3 }, value: { type: 'string', max: 2 }, max: 2 },
    Inner: {
      type: 'structure',
      members: { Mode: { type: 'string', enum: ['ON', 'OFF'] } },
      required: ['Mode'],
    },
  },
  required: ['Name'],
} as const satisfies StructureShape;

type Input = ShapeValue<typeof shape>;

function serializationMessage(body: unknown): string {
  try {
    validateInput(shape, body);
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, 'SerializationException');
    assert.equal(error.messageKey, 'Message');
    return error.message;
  }
  assert.fail('expected a SerializationException');
}

function validationMessage(body: unknown, target: StructureShape = shape): string {
  try {
    validateInput(target, body);
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, 'ValidationException');
    assert.equal(error.messageKey, 'message');
    return error.message;
  }
  assert.fail('expected a ValidationException');
}

test('a valid body comes back normalized and typed', () => {
  const input: Input = validateInput(shape, {
    Name: 'abc',
    Count: 2.7,
    Total: 5,
    Flag: true,
    Data: 'AQI=',
    At: 1700000000.123,
    Mode: 'ON',
    Names: ['a', 'b'],
    Items: [{ Data: 'AA==', Key: 'k', Extra: 1 }],
    Tags: { k: 'v' },
    Inner: { Mode: 'OFF' },
    Unknown: { anything: true },
    Total2: null,
  });
  assert.deepEqual(input, {
    Name: 'abc',
    Count: 2,
    Total: 5,
    Flag: true,
    Data: Buffer.from([1, 2]),
    At: new Date(1700000000123),
    Mode: 'ON',
    Names: ['a', 'b'],
    Items: [{ Data: Buffer.from([0]), Key: 'k' }],
    Tags: { k: 'v' },
    Inner: { Mode: 'OFF' },
  });
  const mode: 'ON' | 'OFF' | undefined = input.Mode;
  assert.equal(mode, 'ON');
});

test('CBOR values (Buffer, Date) are accepted as blobs and timestamps; exponent seconds too', () => {
  const at = new Date(1722800000000);
  const input = validateInput(shape, { Name: 'a', Data: new Uint8Array([9]), At: at });
  assert.deepEqual(input.Data, Buffer.from([9]));
  assert.equal(input.At, at);
  assert.deepEqual(validateInput(shape, { Name: 'a', At: 1.700000000123e9 }).At, new Date(1700000000123));
});

test('null members are absent', () => {
  assert.deepEqual(validateInput(shape, { Name: 'a', Count: null, Inner: null }), { Name: 'a' });
});

test('type mismatches use Coral texts', () => {
  const cases: [unknown, string][] = [
    [{ Name: 1 }, 'class java.lang.Short can not be converted to an String'],
    [{ Name: true }, 'class java.lang.Boolean can not be converted to an String'],
    [{ Name: {} }, 'Start of structure or map found where not expected.'],
    [{ Name: [] }, 'Start of list found where not expected'],
    [{ Count: '1' }, 'class java.lang.String can not be converted to an Integer'],
    [{ Total: '1' }, 'class java.lang.String can not be converted to an Long'],
    [{ Count: false }, 'class java.lang.Boolean can not be converted to an Integer'],
    [{ Count: [1] }, 'Start of list found where not expected'],
    [{ Flag: 'yes' }, "'YES' can not be converted to an Boolean"],
    [{ Flag: 0 }, 'class java.lang.Short can not be converted to an Boolean'],
    [{ Flag: {} }, 'Start of structure or map found where not expected.'],
    [{ Data: 1 }, 'class java.lang.Short can not be converted to a Blob'],
    [{ Data: true }, 'class java.lang.Boolean can not be converted to a Blob'],
    [
      { Data: 'abc' },
      "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3",
    ],
    [{ Data: 'ab.c' }, "'ab.c' can not be converted to a Blob: Invalid Base64 character: '.'"],
    [{ Data: 'a=bc' }, "'a=bc' can not be converted to a Blob: Invalid Base64 character: '='"],
    [
      { Data: 'AB==' },
      "'AB==' can not be converted to a Blob: Invalid last non-pad Base64 character dectected",
    ],
    [{ At: 'now' }, 'class java.lang.String can not be converted to a Timestamp'],
    [{ At: true }, 'class java.lang.Boolean can not be converted to a Timestamp'],
    [{ Names: 'a' }, 'Expected list or null'],
    [{ Names: 1 }, 'Expected list or null'],
    [{ Names: { a: 1 } }, 'Start of structure or map found where not expected.'],
    [{ Names: [1] }, 'class java.lang.Short can not be converted to an String'],
    [{ Tags: 'a' }, 'Expected map or null'],
    [{ Tags: ['a'] }, 'Start of list found where not expected'],
    [{ Tags: { k: 1 } }, 'class java.lang.Short can not be converted to an String'],
    [{ Inner: 'a' }, 'Expected null'],
    [{ Inner: true }, 'Expected null'],
    [{ Inner: [] }, 'Start of list found where not expected'],
    [{ Items: [{ Key: 5 }] }, 'class java.lang.Short can not be converted to an String'],
    [[], 'Start of list found where not expected'],
  ];
  for (const [body, message] of cases)
    assert.equal(serializationMessage(body), message, JSON.stringify(body));
});

test('type errors come before constraint errors', () => {
  assert.equal(
    serializationMessage({ Count: 'x' }),
    'class java.lang.String can not be converted to an Integer',
  );
});

test('constraint messages: null, length, value, pattern, enum', () => {
  assert.equal(
    validationMessage({}),
    "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
  );
  assert.equal(
    validationMessage({ Name: 'abcdef' }),
    "1 validation error detected: Value 'abcdef' at 'name' failed to satisfy constraint: " +
      'Member must have length less than or equal to 5',
  );
  assert.equal(
    validationMessage({ Name: '' }),
    "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: [a-z]+; ' +
      "Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
  assert.equal(
    validationMessage({ Name: 'a', Count: 0, Mode: 'MAYBE' }),
    "2 validation errors detected: Value '0' at 'count' failed to satisfy constraint: " +
      'Member must have value greater than or equal to 1; ' +
      "Value 'MAYBE' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [ON, OFF]",
  );
  assert.equal(
    validationMessage({ Name: 'a', Count: 11.5 }),
    "1 validation error detected: Value '11' at 'count' failed to satisfy constraint: " +
      'Member must have value less than or equal to 10',
  );
});

test('blobs render as HeapByteBuffer and nested paths are lower-camel with 1-based indices', () => {
  assert.equal(
    validationMessage({ Name: 'a', Data: 'AAAAAA==' }),
    "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=4 cap=4]' at 'data' " +
      'failed to satisfy constraint: Member must have length less than or equal to 3',
  );
  assert.equal(
    validationMessage({ Name: 'a', Items: [{ Data: '', Key: 'k' }, { Data: 'AAAA' }, null] }),
    "3 validation errors detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]' at 'items.2.member.data' " +
      'failed to satisfy constraint: Member must have length less than or equal to 2; ' +
      "Value null at 'items.2.member.key' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'items.3.member' failed to satisfy constraint: Member must not be null",
  );
  assert.equal(
    validationMessage({ Name: 'a', Inner: {} }),
    "1 validation error detected: Value null at 'inner.mode' failed to satisfy constraint: Member must not be null",
  );
});

test('lists render as [a, b]; a list of constrained scalars is reported once at the list', () => {
  assert.equal(
    validationMessage({ Name: 'a', Names: ['a', 'b', 'c'] }),
    "1 validation error detected: Value '[a, b, c]' at 'names' failed to satisfy constraint: " +
      'Member must have length less than or equal to 2',
  );
  assert.equal(
    validationMessage({ Name: 'a', Names: [] }),
    "1 validation error detected: Value '[]' at 'names' failed to satisfy constraint: " +
      'Member must have length greater than or equal to 1',
  );
  assert.equal(
    validationMessage({ Name: 'a', Names: ['a', 'B'] }),
    "1 validation error detected: Value '[a, B]' at 'names' failed to satisfy constraint: " +
      'Member must satisfy constraint: [Member must have length less than or equal to 5, ' +
      'Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [a-z]+]',
  );
});

test('maps report their size, keys and values', () => {
  assert.equal(
    validationMessage({ Name: 'a', Tags: { a: '1', b: '2', c: '3' } }),
    "1 validation error detected: Value '{a=1, b=2, c=3}' at 'tags' failed to satisfy constraint: " +
      'Member must have length less than or equal to 2',
  );
  assert.equal(
    validationMessage({ Name: 'a', Tags: { long: 'abc' } }),
    "2 validation errors detected: Value '{long=abc}' at 'tags' failed to satisfy constraint: " +
      'Map keys must satisfy constraint: [Member must have length less than or equal to 3, ' +
      'Member must have length greater than or equal to 1]; ' +
      "Value '{long=abc}' at 'tags' failed to satisfy constraint: " +
      'Map value must satisfy constraint: [Member must have length less than or equal to 2]',
  );
});

test('at most 10 violations are reported', () => {
  const many = {
    type: 'structure',
    members: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`M${i}`, { type: 'string' }])),
    required: Array.from({ length: 12 }, (_, i) => `M${i}`),
  } as const satisfies StructureShape;
  const message = validationMessage({}, many);
  assert.match(message, /^10 validation errors detected: /);
  assert.equal(message.split('; ').length, 10);
  assert.match(message, /'m9' failed to satisfy constraint: Member must not be null$/);
});

test('a __proto__ map key stays data', () => {
  const tagged = {
    type: 'structure',
    members: { Tags: { type: 'map', key: { type: 'string' }, value: { type: 'string' } } },
  } as const satisfies StructureShape;
  const input = validateInput(tagged, JSON.parse('{"Tags":{"__proto__":"v"}}'));
  assert.deepEqual(Object.keys(input.Tags ?? {}), ['__proto__']);
  assert.equal(Object.getPrototypeOf(input.Tags), Object.prototype);
});

test('strict base64 agrees with a canonical re-encoding on random and corrupted inputs', async () => {
  const { decodeStrictBase64 } = await import('./coerce-input.js');
  const { randomBytes } = await import('node:crypto');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ *';
  const reference = (text: string): string | undefined => {
    if (text.length % 4 !== 0 || /[^A-Za-z0-9+/=]|=[^=]/.test(text)) return undefined;
    const bytes = Buffer.from(text, 'base64');
    return bytes.toString('base64') === text ? bytes.toString('hex') : undefined;
  };
  for (let trial = 0; trial < 20_000; trial++) {
    let text = randomBytes(trial % 40).toString('base64');
    if (trial % 2 === 1 && text.length > 0) {
      const at = trial % text.length;
      const replacement = alphabet[randomBytes(1)[0]! % alphabet.length];
      text = text.slice(0, at) + replacement + text.slice(at + 1);
    }
    let actual: string | undefined;
    try {
      actual = decodeStrictBase64(text).toString('hex');
    } catch {
      actual = undefined;
    }
    assert.equal(actual, reference(text), JSON.stringify(text));
  }
});

/**
 * The byte parser must agree with `JSON.parse` on every body it accepts, accept every valid body
 * of printable ASCII without escapes (or the fast path would silently stop being used), and
 * refuse everything else so that `decodeJson` makes the error. Bodies are generated at random
 * (seeded) and mutated into invalid ones, next to hand-picked edge cases.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../core/errors.js';
import { isPrintableAscii, parseJsonBytes } from './json-bytes.js';
import { decodeJson, decodeJsonBody } from './json-codec.js';
import { seededRandom } from '../core/seeded-random.js';

const random = seededRandom;

const numberTexts = [
  '0',
  '-0',
  '7',
  '-12',
  '3.25',
  '1e3',
  '1E-3',
  '-2.5e+10',
  '123456789012345678901234',
  '1e400',
  '0.1',
];
const stringTexts = [
  '',
  'a',
  'Kinesis',
  'a b',
  '{"not":"json"}'.replace(/"/g, "'"),
  'x'.repeat(300),
  '~!@#$%^&*()_+|}{:?><',
];

function generate(next: () => number, depth: number, spaced: boolean): string {
  const sep = (): string => (spaced && next() < 0.3 ? ' ' : '');
  const choice = Math.floor(next() * (depth > 3 ? 4 : 6));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  switch (choice) {
    case 0:
      return pick(numberTexts);
    case 1:
      return JSON.stringify(pick(stringTexts));
    case 2:
      return pick(['true', 'false', 'null']);
    case 3:
      return JSON.stringify(Buffer.from(pick(stringTexts)).toString('base64'));
    case 4: {
      const count = Math.floor(next() * 4);
      const members = Array.from({ length: count }, () => sep() + generate(next, depth + 1, spaced) + sep());
      return `[${members.join(',')}]`;
    }
    default: {
      const count = Math.floor(next() * 4);
      const keys = ['Data', 'PartitionKey', 'StreamName', '__proto__', 'constructor', 'Data'];
      const members = Array.from(
        { length: count },
        () =>
          `${sep()}${JSON.stringify(pick(keys))}${sep()}:${sep()}${generate(next, depth + 1, spaced)}${sep()}`,
      );
      return `{${members.join(',')}}`;
    }
  }
}

function jsonParseOrError(text: string): { value: unknown } | { error: true } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { error: true };
  }
}

describe('JSON from bytes', () => {
  it('gives what JSON.parse gives for random valid bodies, and takes every one of them', () => {
    const next = random(20261207);
    for (let round = 0; round < 3000; round++) {
      const text = generate(next, 0, round % 2 === 1);
      const parsed = parseJsonBytes(Buffer.from(text));
      assert.notEqual(parsed, undefined, `not taken: ${text}`);
      assert.deepEqual(parsed, JSON.parse(text), text);
    }
  });

  it('never accepts what JSON.parse refuses (random cuts and insertions)', () => {
    const next = random(7);
    const inserts = [',', ':', '{', '}', '[', ']', '"', ' ', '-', '.', 'e', '0', 'x', 't'];
    let invalid = 0;
    for (let round = 0; round < 4000; round++) {
      const valid = generate(next, 0, false);
      const at = Math.floor(next() * (valid.length + 1));
      const text =
        next() < 0.5
          ? valid.slice(0, at)
          : valid.slice(0, at) + inserts[Math.floor(next() * inserts.length)]! + valid.slice(at);
      const expected = jsonParseOrError(text);
      const parsed = parseJsonBytes(Buffer.from(text));
      if ('error' in expected) {
        invalid++;
        assert.equal(parsed, undefined, `accepted invalid JSON: ${text}`);
      } else if (parsed !== undefined) {
        assert.deepEqual(parsed, expected.value, text);
      }
    }
    assert.ok(invalid > 1000, `only ${invalid} invalid bodies generated`);
  });

  it('leaves escapes, non-ASCII, control characters and deep nesting to JSON.parse', () => {
    for (const text of [
      '{"a":"line\\nbreak"}',
      '{"a":"\\u00e9"}',
      '{"a":"é"}',
      '{"a":"tab\there"}',
      '{\n"a":1}',
      '\ufeff{"a":1}',
      `${'['.repeat(100)}${']'.repeat(100)}`,
      '',
      '   ',
    ]) {
      assert.equal(parseJsonBytes(Buffer.from(text)), undefined, JSON.stringify(text));
    }
  });

  it('keeps __proto__ as an own property and the last of duplicate keys, as JSON.parse does', () => {
    const text = '{"__proto__":{"polluted":true},"a":1,"a":2}';
    const parsed = parseJsonBytes(Buffer.from(text)) as Record<string, unknown>;
    assert.deepEqual(parsed, JSON.parse(text));
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.deepEqual(Object.keys(parsed), ['__proto__', 'a']);
    assert.equal(parsed.a, 2);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('checks printable ASCII four bytes at a time at any alignment', () => {
    const base = Buffer.from('x'.repeat(64));
    for (let offset = 0; offset < 8; offset++) {
      for (let length = 0; length < 24; length++) {
        const slice = base.subarray(offset, offset + length);
        assert.equal(isPrintableAscii(slice), true);
        for (const bad of [0x00, 0x09, 0x1f, 0x80, 0xff]) {
          for (let at = 0; at < length; at++) {
            const copy = Buffer.from(base);
            copy[offset + at] = bad;
            assert.equal(isPrintableAscii(copy.subarray(offset, offset + length)), false, `${bad} at ${at}`);
          }
        }
      }
    }
    assert.equal(isPrintableAscii(Buffer.from(' ~\x7f')), true);
  });

  it('decodeJsonBody answers as decodeJson does, for bodies taken and not taken', () => {
    const body = { StreamName: 's', Records: [{ Data: 'AAEC', PartitionKey: 'k' }] };
    assert.deepEqual(decodeJsonBody(Buffer.from(JSON.stringify(body))), body);
    assert.deepEqual(decodeJsonBody(Buffer.from('{"a":"\\u00e9"}')), { a: 'é' });
    assert.deepEqual(decodeJsonBody(Buffer.from('  ')), decodeJson('  '));
    for (const bad of ['[1]', '"text"', '{"a":', '{"a":1}x', 'null']) {
      assert.throws(
        () => decodeJsonBody(Buffer.from(bad)),
        (error: unknown) => error instanceof ServiceError && error.code === 'SerializationException',
        bad,
      );
    }
  });
});

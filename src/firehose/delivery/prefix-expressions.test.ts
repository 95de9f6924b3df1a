import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../core/errors.js';
import {
  evaluatePrefix,
  MissingPartitionKeyError,
  objectNameTime,
  partitionKeyReferences,
  validatePrefixes,
  validateTimeZone,
} from './prefix-expressions.js';

const at = Date.UTC(2026, 1, 5, 7, 8, 9, 45);

function ruleOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, 'InvalidArgumentException');
    return error.message.replace('Ths supplied prefix(es) do not satisfy the following constraint: ', '');
  }
  assert.fail('expected an InvalidArgumentException');
}

test('no prefix, or one without expressions, gets the default yyyy/MM/dd/HH/ path appended', () => {
  assert.equal(evaluatePrefix(undefined, { timestampMs: at }), '2026/02/05/07/');
  assert.equal(evaluatePrefix('', { timestampMs: at }), '2026/02/05/07/');
  assert.equal(evaluatePrefix('logs/', { timestampMs: at }), 'logs/2026/02/05/07/');
  assert.equal(evaluatePrefix('legacy', { timestampMs: at }), 'legacy2026/02/05/07/');
});

test('timestamp expressions follow Java DateTimeFormatter letters and quotes', () => {
  assert.equal(
    evaluatePrefix("y=!{timestamp:yyyy}/m=!{timestamp:MM}/!{timestamp:yyyy-MM-dd'T'HH:mm:ss.SSS}/", {
      timestampMs: at,
    }),
    'y=2026/m=02/2026-02-05T07:08:09.045/',
  );
  assert.equal(evaluatePrefix("!{timestamp:yy/M/d/H/''}", { timestampMs: at }), "26/2/5/7/'");
  assert.equal(objectNameTime(at), '2026-02-05-07-08-09');
});

test('random-string gives 11 fresh characters per occurrence; error-output-type is filled in', () => {
  const evaluated = evaluatePrefix('!{firehose:random-string}/!{firehose:random-string}/', {
    timestampMs: at,
  });
  const match = /^([A-Za-z0-9]{11})\/([A-Za-z0-9]{11})\/$/.exec(evaluated);
  assert.ok(match !== null, evaluated);
  assert.notEqual(match[1], match[2]);
  assert.equal(
    evaluatePrefix('errors/!{firehose:error-output-type}/', {
      timestampMs: at,
      errorOutputType: 'processing-failed',
    }),
    'errors/processing-failed/',
  );
});

test("AWS's prefix rules", () => {
  assert.doesNotThrow(() => validatePrefixes('plain/', undefined));
  assert.doesNotThrow(() => validatePrefixes('a/!{timestamp:yyyy}/', 'e/!{firehose:error-output-type}/'));
  assert.doesNotThrow(() => validatePrefixes('a/!{timestamp:yyyy}/', 'errors/'));
  assert.equal(
    ruleOf(() => validatePrefixes('a/!{timestamp:yyyy}/', undefined)),
    'ErrorOutputPrefix cannot be null or empty when Prefix contains expressions',
  );
  assert.equal(
    ruleOf(() => validatePrefixes('a/!{timestamp:yyyy}/', '')),
    'ErrorOutputPrefix cannot be null or empty when Prefix contains expressions',
  );
  assert.match(
    ruleOf(() => validatePrefixes('a/', 'e/!{timestamp:yyyy}/')),
    /must contain !\{firehose:error-output-type\}/,
  );
  assert.match(
    ruleOf(() => validatePrefixes('!{firehose:error-output-type}/', 'e/')),
    /Prefix must not contain/,
  );
  assert.match(
    ruleOf(() => validatePrefixes('!{unknown:x}/', 'e/')),
    /namespace 'unknown' is not supported/,
  );
  assert.match(
    ruleOf(() => validatePrefixes('!{timestamp:yyyy', 'e/')),
    /not closed/,
  );
  assert.match(
    ruleOf(() => validatePrefixes('!{timestamp:qqq}/', 'e/')),
    /not a valid DateTimeFormatter pattern/,
  );
  assert.match(
    ruleOf(() => validatePrefixes('!{partitionKeyFromQuery:id}/', 'e/')),
    /dynamic partitioning/,
  );
});

test('an evaluated prefix longer than 512 characters is refused', () => {
  assert.equal(evaluatePrefix(`${'a'.repeat(498)}`, { timestampMs: at }).length, 512);
  assert.throws(() => evaluatePrefix(`${'a'.repeat(499)}`, { timestampMs: at }), ServiceError);
});

test('CustomTimeZone: prefix and object name in the zone’s wall-clock time', () => {
  assert.equal(evaluatePrefix(undefined, { timestampMs: at, timeZone: 'Asia/Tokyo' }), '2026/02/05/16/');
  assert.equal(
    evaluatePrefix('!{timestamp:yyyy-MM-dd HH}/', { timestampMs: at, timeZone: 'America/New_York' }),
    '2026-02-05 02/',
  );
  const midnightTokyo = Date.UTC(2026, 1, 5, 15, 0, 0);
  assert.equal(objectNameTime(midnightTokyo, 'Asia/Tokyo'), '2026-02-06-00-00-00');
  assert.equal(objectNameTime(midnightTokyo, ''), '2026-02-05-15-00-00');
  assert.doesNotThrow(() => validateTimeZone('Europe/Berlin'));
  assert.doesNotThrow(() => validateTimeZone(''));
  assert.throws(
    () => validateTimeZone('Mars/Olympus'),
    (error: unknown) =>
      error instanceof ServiceError &&
      error.code === 'InvalidArgumentException' &&
      error.message === 'CustomTimeZone Mars/Olympus is not a valid time zone.',
  );
});

test('partition key expressions read the record keys of their source; a missing key is an error', () => {
  const prefix =
    'c=!{partitionKeyFromQuery:customer}/l=!{partitionKeyFromLambda:customer}/!{timestamp:yyyy}/';
  assert.equal(
    evaluatePrefix(prefix, {
      timestampMs: at,
      partitionKeys: { Query: { customer: 'q1' }, Lambda: { customer: 'l1' } },
    }),
    'c=q1/l=l1/2026/',
  );
  assert.throws(
    () => evaluatePrefix(prefix, { timestampMs: at, partitionKeys: { Query: { customer: 'q1' } } }),
    MissingPartitionKeyError,
  );
  assert.deepEqual(partitionKeyReferences(prefix), [
    { source: 'Query', key: 'customer' },
    { source: 'Lambda', key: 'customer' },
  ]);
  // With dynamic partitioning the Prefix must use a key, and keys never go in the ErrorOutputPrefix.
  validatePrefixes(prefix, 'e/!{firehose:error-output-type}/', true);
  assert.match(
    ruleOf(() => validatePrefixes('fixed/', 'e/', true)),
    /must contain at least one partitionKeyFrom/,
  );
  assert.match(
    ruleOf(() =>
      validatePrefixes(prefix, 'e/!{firehose:error-output-type}/!{partitionKeyFromLambda:x}', true),
    ),
    /ErrorOutputPrefix must not contain the expression !\{partitionKeyFromLambda:x\}/,
  );
  assert.match(
    ruleOf(() => validatePrefixes('!{partitionKeyFromQuery:}/', 'e/', true)),
    /must name a partition key/,
  );
});

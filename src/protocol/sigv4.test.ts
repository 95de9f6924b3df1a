import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ServiceError } from '../core/errors.js';
import { accountIdFor, parseSigV4, type RequestHeaders } from './sigv4.js';

const botocoreAuthorization =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/kinesis/aws4_request, ' +
  'SignedHeaders=content-type;host;x-amz-date;x-amz-target, ' +
  'Signature=' +
  'a'.repeat(64);

function failure(headers: RequestHeaders, query = new URLSearchParams()): ServiceError {
  try {
    parseSigV4(headers, query);
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.status, 400);
    assert.equal(error.messageKey, 'message');
    return error;
  }
  assert.fail('expected an authentication error');
}

test('parses the header form', () => {
  const auth = parseSigV4(
    { authorization: botocoreAuthorization, 'x-amz-date': '20261122T025458Z' },
    new URLSearchParams(),
  );
  assert.deepEqual(auth, {
    source: 'header',
    algorithm: 'AWS4-HMAC-SHA256',
    accessKeyId: 'AKIDEXAMPLE',
    date: '20261122T025458Z',
    scopeDate: '20261122',
    region: 'us-east-1',
    service: 'kinesis',
    signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-target'],
    signature: 'a'.repeat(64),
  });
});

test('tolerates comma-only separators, a Date header and array header values', () => {
  const auth = parseSigV4(
    {
      authorization: [
        'AWS4-HMAC-SHA256 Credential=123456789012/20261122/eu-west-1/kinesis/aws4_request,SignedHeaders=:authority;x-amz-date,Signature=ff',
      ],
      date: 'Sun, 22 Nov 2026 02:54:58 GMT',
    },
    new URLSearchParams(),
  );
  assert.equal(auth.region, 'eu-west-1');
  assert.equal(auth.date, 'Sun, 22 Nov 2026 02:54:58 GMT');
  assert.deepEqual(auth.signedHeaders, [':authority', 'x-amz-date']);
});

test('parses the query-string form', () => {
  const query = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': 'AKID/20261122/us-west-2/kinesis/aws4_request',
    'X-Amz-Date': '20261122T025458Z',
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': 'bb',
  });
  const auth = parseSigV4({}, query);
  assert.equal(auth.source, 'query');
  assert.equal(auth.region, 'us-west-2');
  assert.equal(auth.signature, 'bb');
});

test('both header and query authentication: InvalidSignatureException', () => {
  const error = failure(
    { authorization: botocoreAuthorization },
    new URLSearchParams({ 'X-Amz-Algorithm': 'x' }),
  );
  assert.equal(error.code, 'InvalidSignatureException');
  assert.equal(
    error.message,
    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
  );
});

test('neither: MissingAuthenticationTokenException', () => {
  const error = failure({ 'x-amz-date': '20261122T025458Z' });
  assert.equal(error.code, 'MissingAuthenticationTokenException');
  assert.equal(error.message, 'Missing Authentication Token');
});

test('an incomplete header lists every missing part and echoes the header', () => {
  const error = failure({ authorization: 'AWS4-HMAC-SHA256 ' });
  assert.equal(error.code, 'IncompleteSignatureException');
  assert.equal(
    error.message,
    "Authorization header requires 'Credential' parameter. " +
      "Authorization header requires 'Signature' parameter. " +
      "Authorization header requires 'SignedHeaders' parameter. " +
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
      'Authorization=AWS4-HMAC-SHA256 ',
  );
  const noDate = failure({ authorization: botocoreAuthorization });
  assert.equal(
    noDate.message,
    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
      `Authorization=${botocoreAuthorization}`,
  );
  const noSignature = failure({
    authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host',
    date: 'x',
  });
  assert.equal(
    noSignature.message,
    "Authorization header requires 'Signature' parameter. " +
      'Authorization=AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host',
  );
});

test('incomplete query parameters', () => {
  const error = failure(
    {},
    new URLSearchParams({ 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Date': 'd' }),
  );
  assert.equal(error.code, 'IncompleteSignatureException');
  assert.equal(
    error.message,
    "AWS query-string parameters must include 'X-Amz-Credential'. " +
      "AWS query-string parameters must include 'X-Amz-Signature'. " +
      "AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
      'Re-examine the query-string parameters.',
  );
});

test('a malformed credential scope is an IncompleteSignatureException', () => {
  const error = failure({
    authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261122, SignedHeaders=host, Signature=aa',
    'x-amz-date': '20261122T025458Z',
  });
  assert.equal(error.code, 'IncompleteSignatureException');
  assert.match(error.message, /^Credential should be scoped with a valid terminator: 'aws4_request'/);
});

test('accountIdFor: a 12-digit key is the account id', () => {
  assert.equal(accountIdFor('123456789012', '000000000000'), '123456789012');
  assert.equal(accountIdFor('AKIAIOSFODNN7EXAMPLE', '000000000000'), '000000000000');
  assert.equal(accountIdFor('1234567890123', '000000000000'), '000000000000');
  assert.equal(accountIdFor('12345678901', '000000000000'), '000000000000');
});

/** DescribeStreamSummary: every limit and error, against a real server. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertMismatches,
  awsError,
  defaultAccount,
  lengthAtLeast,
  lengthAtMost,
  namePattern,
  nonNumberMismatches,
  numberMismatches,
  pattern,
  startTestServer,
  streamArnPattern,
  validationError,
  violation,
  type TestServer,
} from '../../helpers/validation.js';

describe('DescribeStreamSummary', () => {
  let server: TestServer;
  const call = (body: unknown) => server.call('DescribeStreamSummary', body);

  before(async () => {
    server = await startTestServer();
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects a StreamName that is not a string', async () => {
      await assertMismatches(nonNumberMismatches('an String'), (value) => call({ StreamName: value }));
    });

    it('rejects a StreamName that is a number, naming the Java class AWS names', async () => {
      await assertMismatches(numberMismatches('an String'), (value) => call({ StreamName: value }));
    });
  });

  describe('validation', () => {
    it('rejects empty, 129-character and out-of-pattern names', async () => {
      assert.deepEqual(
        await call({ StreamName: '' }),
        validationError(
          violation('', 'streamName', pattern(namePattern)),
          violation('', 'streamName', lengthAtLeast(1)),
        ),
      );
      const longName = 'x'.repeat(129);
      assert.deepEqual(
        await call({ StreamName: longName }),
        validationError(violation(longName, 'streamName', lengthAtMost(128))),
      );
      assert.deepEqual(
        await call({ StreamName: 'a b' }),
        validationError(violation('a b', 'streamName', pattern(namePattern))),
      );
    });

    it('rejects a bad StreamARN and StreamId together', async () => {
      assert.deepEqual(
        await call({ StreamARN: '', StreamId: 'NOT-AN-ID' }),
        validationError(
          violation('', 'streamARN', pattern(streamArnPattern)),
          violation('', 'streamARN', lengthAtLeast(1)),
          violation('NOT-AN-ID', 'streamId', pattern('[a-z0-9]{20}-[a-z0-9]{3}')),
        ),
      );
    });

    it('needs StreamName or StreamARN', async () => {
      assert.deepEqual(
        await call({}),
        awsError('ValidationException', 'Either StreamName or StreamARN must be provided.'),
      );
    });
  });

  describe('functionality errors', () => {
    it('answers ResourceNotFoundException for an unknown stream, by name and by ARN', async () => {
      assert.deepEqual(
        await call({ StreamName: 'missing' }),
        awsError('ResourceNotFoundException', `Stream missing under account ${defaultAccount} not found.`),
      );
      assert.deepEqual(
        await call({ StreamARN: 'arn:aws:kinesis:ap-south-1:444455556666:stream/missing' }),
        awsError('ResourceNotFoundException', 'Stream missing under account 444455556666 not found.'),
      );
    });
  });
});

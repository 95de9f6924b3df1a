/**
 * DeleteStream: every limit and error, against a real server whose transitions take 3 s, so a
 * stream stays CREATING long enough to be refused.
 */
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
  serializationError,
  startTestServer,
  streamArnPattern,
  validationError,
  violation,
  type TestServer,
} from '../../helpers/validation.js';

describe('DeleteStream', () => {
  let server: TestServer;
  const call = (body: unknown) => server.call('DeleteStream', body);

  before(async () => {
    server = await startTestServer(['--transition-delay-ms', '3000']);
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

    it('rejects an EnforceConsumerDeletion that is not a boolean', async () => {
      assert.deepEqual(
        await call({ StreamName: 's', EnforceConsumerDeletion: 'yes' }),
        serializationError("'YES' can not be converted to an Boolean"),
      );
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
      const longName = 'a'.repeat(129);
      assert.deepEqual(
        await call({ StreamName: longName }),
        validationError(violation(longName, 'streamName', lengthAtMost(128))),
      );
      assert.deepEqual(
        await call({ StreamName: 'a b' }),
        validationError(violation('a b', 'streamName', pattern(namePattern))),
      );
    });

    it('rejects a StreamARN outside the pattern', async () => {
      assert.deepEqual(
        await call({ StreamARN: 'arn:aws:kinesis:us-east-1:1:stream/s' }),
        validationError(
          violation('arn:aws:kinesis:us-east-1:1:stream/s', 'streamARN', pattern(streamArnPattern)),
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
        await call({ StreamARN: 'arn:aws:kinesis:us-west-2:123456789012:stream/elsewhere' }),
        awsError('ResourceNotFoundException', 'Stream elsewhere under account 123456789012 not found.'),
      );
    });

    it('refuses a StreamName and StreamARN naming different streams', async () => {
      const arn = `arn:aws:kinesis:us-east-1:${defaultAccount}:stream/one`;
      assert.deepEqual(
        await call({ StreamName: 'two', StreamARN: arn }),
        awsError(
          'InvalidArgumentException',
          `StreamARN ${arn} and StreamName two do not refer to the same stream.`,
        ),
      );
    });

    it('refuses a stream that is still CREATING (ResourceInUseException)', async () => {
      await server.createStream('creating');
      assert.deepEqual(
        await call({ StreamName: 'creating' }),
        awsError(
          'ResourceInUseException',
          `Stream creating under account ${defaultAccount} not ACTIVE, instead in state CREATING`,
        ),
      );
    });
  });
});

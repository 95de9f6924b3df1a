/** DescribeStream: every limit and error, against a real server. */
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
  valueAtLeast,
  valueAtMost,
  violation,
  type TestServer,
} from '../../helpers/validation.js';

describe('DescribeStream', () => {
  let server: TestServer;
  const call = (body: unknown) => server.call('DescribeStream', body);

  before(async () => {
    server = await startTestServer();
    await server.createActiveStream('described', { ShardCount: 2 });
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

    it('rejects a Limit that is not an integer', async () => {
      assert.deepEqual(
        await call({ StreamName: 'described', Limit: '1' }),
        serializationError('class java.lang.String can not be converted to an Integer'),
      );
      assert.deepEqual(
        await call({ StreamName: 'described', Limit: [] }),
        serializationError('Start of list found where not expected'),
      );
    });
  });

  describe('validation', () => {
    it('rejects Limit 0 and 10001', async () => {
      assert.deepEqual(
        await call({ StreamName: 'described', Limit: 0 }),
        validationError(violation('0', 'limit', valueAtLeast(1))),
      );
      assert.deepEqual(
        await call({ StreamName: 'described', Limit: 10001 }),
        validationError(violation('10001', 'limit', valueAtMost(10000))),
      );
    });

    it('rejects bad names and shard ids together, in model order', async () => {
      const longName = 'a'.repeat(129);
      assert.deepEqual(
        await call({ StreamName: longName, Limit: 0, ExclusiveStartShardId: '' }),
        validationError(
          violation(longName, 'streamName', lengthAtMost(128)),
          violation('0', 'limit', valueAtLeast(1)),
          violation('', 'exclusiveStartShardId', pattern(namePattern)),
          violation('', 'exclusiveStartShardId', lengthAtLeast(1)),
        ),
      );
      assert.deepEqual(
        await call({ StreamName: 'a b', ExclusiveStartShardId: 'shard 1' }),
        validationError(
          violation('a b', 'streamName', pattern(namePattern)),
          violation('shard 1', 'exclusiveStartShardId', pattern(namePattern)),
        ),
      );
    });

    it('rejects a StreamARN outside the pattern', async () => {
      assert.deepEqual(
        await call({ StreamARN: 'stream/described' }),
        validationError(violation('stream/described', 'streamARN', pattern(streamArnPattern))),
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
    it('answers ResourceNotFoundException for an unknown stream', async () => {
      assert.deepEqual(
        await call({ StreamName: 'missing' }),
        awsError('ResourceNotFoundException', `Stream missing under account ${defaultAccount} not found.`),
      );
    });

    it('looks the stream up in the account and region of the ARN', async () => {
      assert.deepEqual(
        await call({ StreamARN: 'arn:aws:kinesis:eu-west-1:000000000000:stream/described' }),
        awsError('ResourceNotFoundException', `Stream described under account ${defaultAccount} not found.`),
      );
    });

    it('does not find a stream of another account', async () => {
      assert.deepEqual(
        await server.call('DescribeStream', { StreamName: 'described' }, { accessKeyId: '210987654321' }),
        awsError('ResourceNotFoundException', 'Stream described under account 210987654321 not found.'),
      );
    });
  });
});

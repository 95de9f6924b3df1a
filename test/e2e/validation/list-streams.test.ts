/** ListStreams: every limit and error, against a real server. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertMismatches,
  awsError,
  lengthAtLeast,
  lengthAtMost,
  namePattern,
  nonNumberMismatches,
  pattern,
  serializationError,
  startTestServer,
  validationError,
  valueAtLeast,
  valueAtMost,
  violation,
  type TestServer,
} from '../../helpers/validation.js';

describe('ListStreams', () => {
  let server: TestServer;
  const call = (body: unknown) => server.call('ListStreams', body);

  before(async () => {
    server = await startTestServer();
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects a Limit that is not an integer', async () => {
      assert.deepEqual(
        await call({ Limit: '10' }),
        serializationError('class java.lang.String can not be converted to an Integer'),
      );
      assert.deepEqual(
        await call({ Limit: true }),
        serializationError('class java.lang.Boolean can not be converted to an Integer'),
      );
      assert.deepEqual(
        await call({ Limit: [] }),
        serializationError('Start of list found where not expected'),
      );
      assert.deepEqual(
        await call({ Limit: {} }),
        serializationError('Start of structure or map found where not expected.'),
      );
    });

    it('rejects an ExclusiveStartStreamName or NextToken that is not a string', async () => {
      await assertMismatches(nonNumberMismatches('an String'), (value) =>
        call({ ExclusiveStartStreamName: value }),
      );
      await assertMismatches(nonNumberMismatches('an String'), (value) => call({ NextToken: value }));
    });
  });

  describe('validation', () => {
    it('rejects Limit 0 and 10001', async () => {
      assert.deepEqual(await call({ Limit: 0 }), validationError(violation('0', 'limit', valueAtLeast(1))));
      assert.deepEqual(
        await call({ Limit: 10001 }),
        validationError(violation('10001', 'limit', valueAtMost(10000))),
      );
    });

    it('rejects bad ExclusiveStartStreamName and an empty NextToken, all at once', async () => {
      const longName = 'n'.repeat(129);
      assert.deepEqual(
        await call({ Limit: 0, ExclusiveStartStreamName: longName, NextToken: '' }),
        validationError(
          violation('0', 'limit', valueAtLeast(1)),
          violation(longName, 'exclusiveStartStreamName', lengthAtMost(128)),
          violation('', 'nextToken', lengthAtLeast(1)),
        ),
      );
      assert.deepEqual(
        await call({ ExclusiveStartStreamName: 'a b' }),
        validationError(violation('a b', 'exclusiveStartStreamName', pattern(namePattern))),
      );
    });
  });

  describe('functionality errors', () => {
    it('refuses a NextToken it did not issue', async () => {
      assert.deepEqual(
        await call({ NextToken: 'not-a-token' }),
        awsError('InvalidArgumentException', 'Invalid NextToken: not-a-token'),
      );
    });

    it('refuses a ListShards token', async () => {
      await server.createActiveStream('paged', { ShardCount: 2 });
      const page = await server.call('ListShards', { StreamName: 'paged', MaxResults: 1 });
      const token = (page.body as { NextToken?: string }).NextToken;
      assert.ok(token !== undefined, JSON.stringify(page));
      assert.deepEqual(
        await call({ NextToken: token }),
        awsError('InvalidArgumentException', `Invalid NextToken: ${token}`),
      );
    });
  });
});

/**
 * RegisterStreamConsumer: every limit and error, against a real server. The consumer limits (5
 * CREATING, 20 per stream) depend on timing, so test/streams/fan-out-clock.test.ts checks them
 * with a manual clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consumerArnPattern, streamArnOf, waitForConsumer } from '../../helpers/consumers.js';
import {
  assertMismatches,
  awsError,
  defaultAccount,
  lengthAtLeast,
  lengthAtMost,
  namePattern,
  nonNumberMismatches,
  notNull,
  pattern,
  startTestServer,
  streamArnPattern,
  validationError,
  violation,
  type TestServer,
} from '../../helpers/validation.js';

describe('RegisterStreamConsumer', () => {
  let server: TestServer;
  const call = (body: unknown) => server.call('RegisterStreamConsumer', body);

  before(async () => {
    server = await startTestServer();
    await server.createActiveStream('consumed');
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects a StreamARN, ConsumerName or Tags of the wrong type', async () => {
      await assertMismatches(nonNumberMismatches('an String'), (value) =>
        call({ StreamARN: value, ConsumerName: 'c' }),
      );
      await assertMismatches(nonNumberMismatches('an String'), (value) =>
        call({ StreamARN: streamArnOf('consumed'), ConsumerName: value }),
      );
    });
  });

  describe('validation', () => {
    it('requires StreamARN and ConsumerName', async () => {
      assert.deepEqual(
        await call({}),
        validationError(violation(null, 'streamARN', notNull), violation(null, 'consumerName', notNull)),
      );
    });

    it('checks the name and ARN constraints together', async () => {
      const longName = 'c'.repeat(129);
      assert.deepEqual(
        await call({ StreamARN: 'not-an-arn', ConsumerName: longName }),
        validationError(
          violation('not-an-arn', 'streamARN', pattern(streamArnPattern)),
          violation(longName, 'consumerName', lengthAtMost(128)),
        ),
      );
      assert.deepEqual(
        await call({ StreamARN: streamArnOf('consumed'), ConsumerName: '' }),
        validationError(
          violation('', 'consumerName', pattern(namePattern)),
          violation('', 'consumerName', lengthAtLeast(1)),
        ),
      );
    });
  });

  describe('functionality', () => {
    it('registers CREATING with AWS ARN format, then ACTIVE, and refuses a duplicate name', async () => {
      const reply = await call({
        StreamARN: streamArnOf('consumed'),
        ConsumerName: 'first',
        Tags: { team: 'a' },
      });
      assert.equal(reply.status, 200);
      const consumer = (reply.body as { Consumer: Record<string, unknown> }).Consumer;
      assert.equal(consumer.ConsumerName, 'first');
      assert.equal(consumer.ConsumerStatus, 'CREATING');
      const created = consumer.ConsumerCreationTimestamp as number;
      assert.equal(consumer.ConsumerARN, `${streamArnOf('consumed')}/consumer/first:${Math.floor(created)}`);
      assert.match(consumer.ConsumerARN as string, new RegExp(consumerArnPattern));
      await waitForConsumer(server, consumer.ConsumerARN as string, 'ACTIVE');
      assert.deepEqual(await server.call('ListTagsForResource', { ResourceARN: consumer.ConsumerARN }), {
        status: 200,
        body: { Tags: [{ Key: 'team', Value: 'a' }] },
      });
      assert.deepEqual(
        await call({ StreamARN: streamArnOf('consumed'), ConsumerName: 'first' }),
        awsError(
          'ResourceInUseException',
          `Consumer first under stream consumed and account ${defaultAccount} already exists.`,
        ),
      );
    });

    it('answers ResourceNotFoundException for a missing stream', async () => {
      assert.deepEqual(
        await call({ StreamARN: streamArnOf('missing'), ConsumerName: 'c' }),
        awsError('ResourceNotFoundException', `Stream missing under account ${defaultAccount} not found.`),
      );
    });
  });
});

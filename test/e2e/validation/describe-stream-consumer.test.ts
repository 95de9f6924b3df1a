/** DescribeStreamConsumer: every limit and error, against a real server. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consumerArnPattern, registerActiveConsumer, streamArnOf } from '../../helpers/consumers.js';
import {
  assertMismatches,
  awsError,
  defaultAccount,
  lengthAtMost,
  namePattern,
  nonNumberMismatches,
  pattern,
  startTestServer,
  streamArnPattern,
  validationError,
  violation,
  type TestServer,
} from '../../helpers/validation.js';

describe('DescribeStreamConsumer', () => {
  let server: TestServer;
  let consumerArn = '';
  const call = (body: unknown) => server.call('DescribeStreamConsumer', body);

  before(async () => {
    server = await startTestServer();
    await server.createActiveStream('described');
    consumerArn = await registerActiveConsumer(server, 'described', 'reader');
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects members of the wrong type', async () => {
      await assertMismatches(nonNumberMismatches('an String'), (value) => call({ ConsumerARN: value }));
      await assertMismatches(nonNumberMismatches('an String'), (value) =>
        call({ StreamARN: streamArnOf('described'), ConsumerName: value }),
      );
    });
  });

  describe('validation', () => {
    it('checks every constraint at once', async () => {
      const longName = 'n'.repeat(129);
      assert.deepEqual(
        await call({ ConsumerARN: 'arn:nope', StreamARN: 'nope', ConsumerName: longName }),
        validationError(
          violation('nope', 'streamARN', pattern(streamArnPattern)),
          violation(longName, 'consumerName', lengthAtMost(128)),
          violation('arn:nope', 'consumerARN', pattern(consumerArnPattern)),
        ),
      );
      assert.deepEqual(
        await call({ StreamARN: streamArnOf('described'), ConsumerName: 'a b' }),
        validationError(violation('a b', 'consumerName', pattern(namePattern))),
      );
    });

    it('needs ConsumerARN, or StreamARN with ConsumerName', async () => {
      const expected = awsError(
        'InvalidArgumentException',
        'ConsumerARN or both ConsumerName and StreamARN are required for this request.',
      );
      assert.deepEqual(await call({}), expected);
      assert.deepEqual(await call({ StreamARN: streamArnOf('described') }), expected);
      assert.deepEqual(await call({ ConsumerName: 'reader' }), expected);
    });
  });

  describe('functionality', () => {
    it('describes by ARN and by stream and name alike, with the StreamARN', async () => {
      const byArn = await call({ ConsumerARN: consumerArn });
      const byName = await call({ StreamARN: streamArnOf('described'), ConsumerName: 'reader' });
      assert.deepEqual(byArn, byName);
      const description = (byArn.body as { ConsumerDescription: Record<string, unknown> })
        .ConsumerDescription;
      assert.deepEqual(Object.keys(description).sort(), [
        'ConsumerARN',
        'ConsumerCreationTimestamp',
        'ConsumerName',
        'ConsumerStatus',
        'StreamARN',
      ]);
      assert.equal(description.StreamARN, streamArnOf('described'));
      assert.equal(description.ConsumerStatus, 'ACTIVE');
    });

    it('answers ResourceNotFoundException for a missing consumer, another incarnation, or stream', async () => {
      assert.deepEqual(
        await call({ StreamARN: streamArnOf('described'), ConsumerName: 'nobody' }),
        awsError('ResourceNotFoundException', 'Consumer nobody not found.'),
      );
      const otherIncarnation = consumerArn.replace(/:\d+$/, ':1000000000');
      assert.deepEqual(
        await call({ ConsumerARN: otherIncarnation }),
        awsError('ResourceNotFoundException', `Consumer ${otherIncarnation} not found.`),
      );
      assert.deepEqual(
        await call({ ConsumerARN: `${streamArnOf('gone')}/consumer/reader:1000000000` }),
        awsError('ResourceNotFoundException', `Stream gone under account ${defaultAccount} not found.`),
      );
    });
  });
});

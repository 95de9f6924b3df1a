/**
 * DeregisterStreamConsumer, and what else takes a consumer ARN (tags, resource policies): every
 * limit and error, against a real server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  consumerArnPattern,
  registerActiveConsumer,
  streamArnOf,
  waitForConsumer,
} from '../../helpers/consumers.js';
import {
  assertMismatches,
  awsError,
  defaultAccount,
  nonNumberMismatches,
  pattern,
  startTestServer,
  validationError,
  violation,
  type TestServer,
} from '../../helpers/validation.js';

describe('DeregisterStreamConsumer', () => {
  let server: TestServer;
  const call = (body: unknown) => server.call('DeregisterStreamConsumer', body);

  before(async () => {
    server = await startTestServer();
    await server.createActiveStream('leaving');
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects a ConsumerARN that is not a string', async () => {
      await assertMismatches(nonNumberMismatches('an String'), (value) => call({ ConsumerARN: value }));
    });
  });

  describe('validation', () => {
    it('checks the ARN pattern and needs a consumer reference', async () => {
      assert.deepEqual(
        await call({ ConsumerARN: 'nope' }),
        validationError(violation('nope', 'consumerARN', pattern(consumerArnPattern))),
      );
      assert.deepEqual(
        await call({ ConsumerName: 'x' }),
        awsError(
          'InvalidArgumentException',
          'ConsumerARN or both ConsumerName and StreamARN are required for this request.',
        ),
      );
    });
  });

  describe('functionality', () => {
    it('goes DELETING, then is gone; deregistering again is refused', async () => {
      const arn = await registerActiveConsumer(server, 'leaving', 'once');
      assert.deepEqual(await call({ StreamARN: streamArnOf('leaving'), ConsumerName: 'once' }), {
        status: 200,
        body: undefined,
      });
      const created = arn.slice(arn.lastIndexOf(':') + 1);
      const during = await call({ ConsumerARN: arn });
      if (
        during.status !== 400 ||
        (during.body as { __type: string }).__type !== 'ResourceNotFoundException'
      ) {
        assert.deepEqual(
          during,
          awsError(
            'ResourceInUseException',
            `Consumer once with creation timestamp ${created} under stream leaving and account ${defaultAccount} is not in ACTIVE status.`,
          ),
        );
      }
      await waitForConsumer(server, arn, undefined);
      assert.deepEqual(
        await call({ ConsumerARN: arn }),
        awsError('ResourceNotFoundException', `Consumer ${arn} not found.`),
      );
    });

    it('tags a consumer through TagResource, UntagResource and ListTagsForResource', async () => {
      const arn = await registerActiveConsumer(server, 'leaving', 'tagged');
      assert.equal(
        (await server.call('TagResource', { ResourceARN: arn, Tags: { a: '1', b: '2' } })).status,
        200,
      );
      assert.equal((await server.call('UntagResource', { ResourceARN: arn, TagKeys: ['a'] })).status, 200);
      assert.deepEqual(await server.call('ListTagsForResource', { ResourceARN: arn }), {
        status: 200,
        body: { Tags: [{ Key: 'b', Value: '2' }] },
      });
      // The stream's own tags are separate.
      assert.deepEqual(await server.call('ListTagsForResource', { ResourceARN: streamArnOf('leaving') }), {
        status: 200,
        body: { Tags: [] },
      });
      assert.deepEqual(
        await server.call('TagResource', { ResourceARN: arn, Tags: { 'aws:x': '1' } }),
        awsError(
          'InvalidArgumentException',
          `Failed to add tags to stream tagged under account ${defaultAccount} because the prefix 'aws:' is reserved for AWS use.`,
        ),
      );
      const missing = `${streamArnOf('leaving')}/consumer/nobody:1000000000`;
      assert.deepEqual(
        await server.call('ListTagsForResource', { ResourceARN: missing }),
        awsError('ResourceNotFoundException', `Consumer ${missing} not found.`),
      );
    });

    it('keeps a resource policy on a consumer, apart from the stream', async () => {
      const arn = await registerActiveConsumer(server, 'leaving', 'governed');
      const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
      assert.equal(
        (await server.call('PutResourcePolicy', { ResourceARN: arn, Policy: policy })).status,
        200,
      );
      assert.deepEqual(await server.call('GetResourcePolicy', { ResourceARN: arn }), {
        status: 200,
        body: { Policy: policy },
      });
      assert.deepEqual(await server.call('GetResourcePolicy', { ResourceARN: streamArnOf('leaving') }), {
        status: 200,
        body: { Policy: '{}' },
      });
      assert.equal((await server.call('DeleteResourcePolicy', { ResourceARN: arn })).status, 200);
      assert.deepEqual(await server.call('GetResourcePolicy', { ResourceARN: arn }), {
        status: 200,
        body: { Policy: '{}' },
      });
    });

    it('is counted by DescribeStreamSummary', async () => {
      await server.createActiveStream('counted');
      await registerActiveConsumer(server, 'counted', 'one');
      const summary = (await server.call('DescribeStreamSummary', { StreamName: 'counted' })).body as {
        StreamDescriptionSummary: { ConsumerCount: number };
      };
      assert.equal(summary.StreamDescriptionSummary.ConsumerCount, 1);
    });
  });
});

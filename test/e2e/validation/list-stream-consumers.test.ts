/** ListStreamConsumers: every limit and error, against a real server. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registerActiveConsumer, streamArnOf } from '../../helpers/consumers.js';
import {
  awsError,
  defaultAccount,
  lengthAtLeast,
  notNull,
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

interface Listed {
  readonly Consumers: { ConsumerName: string; ConsumerStatus: string }[];
  readonly NextToken?: string;
}

describe('ListStreamConsumers', () => {
  let server: TestServer;
  const call = (body: unknown) => server.call('ListStreamConsumers', body);

  before(async () => {
    server = await startTestServer();
    await server.createActiveStream('listed');
    for (const name of ['c', 'a', 'b']) await registerActiveConsumer(server, 'listed', name);
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects a MaxResults that is not an integer', async () => {
      assert.deepEqual(
        await call({ StreamARN: streamArnOf('listed'), MaxResults: '2' }),
        serializationError('class java.lang.String can not be converted to an Integer'),
      );
    });
  });

  describe('validation', () => {
    it('requires StreamARN and bounds MaxResults and NextToken', async () => {
      assert.deepEqual(await call({}), validationError(violation(null, 'streamARN', notNull)));
      assert.deepEqual(
        await call({ StreamARN: 'x', MaxResults: 0, NextToken: '' }),
        validationError(
          violation('x', 'streamARN', pattern(streamArnPattern)),
          violation('', 'nextToken', lengthAtLeast(1)),
          violation('0', 'maxResults', valueAtLeast(1)),
        ),
      );
      assert.deepEqual(
        await call({ StreamARN: streamArnOf('listed'), MaxResults: 10001 }),
        validationError(violation('10001', 'maxResults', valueAtMost(10000))),
      );
    });
  });

  describe('functionality', () => {
    it('lists by name and pages with NextToken', async () => {
      const all = (await call({ StreamARN: streamArnOf('listed') })).body as Listed;
      assert.deepEqual(
        all.Consumers.map((consumer) => [consumer.ConsumerName, consumer.ConsumerStatus]),
        [
          ['a', 'ACTIVE'],
          ['b', 'ACTIVE'],
          ['c', 'ACTIVE'],
        ],
      );
      assert.equal(all.NextToken, undefined);
      const names: string[] = [];
      let token: string | undefined;
      for (let page = 0; page < 5; page++) {
        const reply = (await call({ StreamARN: streamArnOf('listed'), MaxResults: 2, NextToken: token }))
          .body as Listed;
        names.push(...reply.Consumers.map((consumer) => consumer.ConsumerName));
        token = reply.NextToken;
        if (token === undefined) break;
      }
      assert.deepEqual(names, ['a', 'b', 'c']);
    });

    it('filters by StreamCreationTimestamp, and refuses foreign tokens', async () => {
      const summary = (await server.call('DescribeStreamSummary', { StreamName: 'listed' })).body as {
        StreamDescriptionSummary: { StreamCreationTimestamp: number };
      };
      const created = summary.StreamDescriptionSummary.StreamCreationTimestamp;
      const matching = (await call({ StreamARN: streamArnOf('listed'), StreamCreationTimestamp: created }))
        .body as Listed;
      assert.equal(matching.Consumers.length, 3);
      // boto3 sends whole seconds.
      const seconds = (
        await call({ StreamARN: streamArnOf('listed'), StreamCreationTimestamp: Math.floor(created) })
      ).body as Listed;
      assert.equal(seconds.Consumers.length, 3);
      assert.deepEqual(
        await call({ StreamARN: streamArnOf('listed'), StreamCreationTimestamp: created - 3600 }),
        awsError('ResourceNotFoundException', `Stream listed under account ${defaultAccount} not found.`),
      );
      assert.deepEqual(
        await call({ StreamARN: streamArnOf('listed'), NextToken: 'forged' }),
        awsError('InvalidArgumentException', 'Invalid NextToken: forged'),
      );
      await server.createActiveStream('other');
      await registerActiveConsumer(server, 'other', 'x');
      await registerActiveConsumer(server, 'other', 'y');
      const page = (await call({ StreamARN: streamArnOf('other'), MaxResults: 1 })).body as Listed;
      assert.ok(page.NextToken !== undefined);
      assert.deepEqual(
        await call({ StreamARN: streamArnOf('listed'), NextToken: page.NextToken }),
        awsError('InvalidArgumentException', `Invalid NextToken: ${page.NextToken}`),
      );
    });

    it('answers ResourceNotFoundException for a missing stream', async () => {
      assert.deepEqual(
        await call({ StreamARN: streamArnOf('missing') }),
        awsError('ResourceNotFoundException', `Stream missing under account ${defaultAccount} not found.`),
      );
    });
  });
});

/** CreateStream: every limit and error, against a real server. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  awsError,
  defaultAccount,
  enumSet,
  lengthAtLeast,
  lengthAtMost,
  namePattern,
  notNull,
  pattern,
  numberMismatches,
  nonNumberMismatches,
  assertMismatches,
  serializationError,
  startTestServer,
  validationError,
  valueAtLeast,
  valueAtMost,
  violation,
  type TestServer,
} from '../../helpers/validation.js';

const longName = 'a'.repeat(129);

describe('CreateStream', () => {
  let server: TestServer;
  const call = (body: unknown, options?: { accessKeyId?: string; region?: string }) =>
    server.call('CreateStream', body, options);

  before(async () => {
    server = await startTestServer();
    await server.createActiveStream('existing');
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects a StreamName that is a boolean, list or object', async () => {
      await assertMismatches(nonNumberMismatches('an String'), (value) => call({ StreamName: value }));
    });

    it('rejects a StreamName that is a number, naming the Java class AWS names', async () => {
      await assertMismatches(numberMismatches('an String'), (value) => call({ StreamName: value }));
    });

    it('rejects a ShardCount that is not an integer', async () => {
      assert.deepEqual(
        await call({ StreamName: 's', ShardCount: '1' }),
        serializationError('class java.lang.String can not be converted to an Integer'),
      );
      assert.deepEqual(
        await call({ StreamName: 's', ShardCount: true }),
        serializationError('class java.lang.Boolean can not be converted to an Integer'),
      );
    });

    it('rejects StreamModeDetails and Tags of the wrong kind', async () => {
      assert.deepEqual(
        await call({ StreamName: 's', StreamModeDetails: [] }),
        serializationError('Start of list found where not expected'),
      );
      assert.deepEqual(
        await call({ StreamName: 's', StreamModeDetails: 'ON_DEMAND' }),
        serializationError('Expected null'),
      );
      assert.deepEqual(await call({ StreamName: 's', Tags: 1 }), serializationError('Expected map or null'));
      assert.deepEqual(
        await call({ StreamName: 's', Tags: [] }),
        serializationError('Start of list found where not expected'),
      );
    });
  });

  describe('validation', () => {
    it('requires StreamName', async () => {
      assert.deepEqual(await call({}), validationError(violation(null, 'streamName', notNull)));
      assert.deepEqual(
        await call({ StreamName: null, ShardCount: 1 }),
        validationError(violation(null, 'streamName', notNull)),
      );
    });

    it('rejects an empty StreamName with both constraints, and ShardCount 0', async () => {
      assert.deepEqual(
        await call({ StreamName: '', ShardCount: 0 }),
        validationError(
          violation('', 'streamName', pattern(namePattern)),
          violation('', 'streamName', lengthAtLeast(1)),
          violation('0', 'shardCount', valueAtLeast(1)),
        ),
      );
    });

    it('rejects a 129-character StreamName', async () => {
      assert.deepEqual(
        await call({ StreamName: longName, ShardCount: 1 }),
        validationError(violation(longName, 'streamName', lengthAtMost(128))),
      );
    });

    it('accepts a 128-character StreamName', async () => {
      assert.deepEqual(await call({ StreamName: 'b'.repeat(128), ShardCount: 1 }), {
        status: 200,
        body: undefined,
      });
    });

    it('rejects a StreamName outside the pattern', async () => {
      assert.deepEqual(
        await call({ StreamName: 'a b', ShardCount: 1 }),
        validationError(violation('a b', 'streamName', pattern(namePattern))),
      );
    });

    it('rejects a StreamModeDetails without StreamMode, and unknown modes', async () => {
      assert.deepEqual(
        await call({ StreamName: 's', StreamModeDetails: {} }),
        validationError(violation(null, 'streamModeDetails.streamMode', notNull)),
      );
      assert.deepEqual(
        await call({ StreamName: 's', StreamModeDetails: { StreamMode: 'SERVERLESS' } }),
        validationError(
          violation('SERVERLESS', 'streamModeDetails.streamMode', enumSet(['PROVISIONED', 'ON_DEMAND'])),
        ),
      );
    });

    it('rejects an empty Tags map and bad tag keys and values', async () => {
      assert.deepEqual(
        await call({ StreamName: 's', Tags: {} }),
        validationError(violation('{}', 'tags', lengthAtLeast(1))),
      );
      assert.deepEqual(
        await call({ StreamName: 's', Tags: { '': 'v' } }),
        validationError(
          violation(
            '{=v}',
            'tags',
            `Map keys must satisfy constraint: [${lengthAtMost(128)}, ${lengthAtLeast(1)}]`,
          ),
        ),
      );
      const longValue = 'v'.repeat(257);
      assert.deepEqual(
        await call({ StreamName: 's', Tags: { k: longValue } }),
        validationError(
          violation(
            `{k=${longValue}}`,
            'tags',
            `Map value must satisfy constraint: [${lengthAtMost(256)}, ${lengthAtLeast(0)}]`,
          ),
        ),
      );
    });

    it('rejects MaxRecordSizeInKiB outside 1024–10240 and a negative WarmThroughputMiBps', async () => {
      assert.deepEqual(
        await call({ StreamName: 's', MaxRecordSizeInKiB: 1023 }),
        validationError(violation('1023', 'maxRecordSizeInKiB', valueAtLeast(1024))),
      );
      assert.deepEqual(
        await call({ StreamName: 's', MaxRecordSizeInKiB: 10241 }),
        validationError(violation('10241', 'maxRecordSizeInKiB', valueAtMost(10240))),
      );
      assert.deepEqual(
        await call({ StreamName: 's', WarmThroughputMiBps: -1 }),
        validationError(violation('-1', 'warmThroughputMiBps', valueAtLeast(0))),
      );
    });

    it('reports every violation in model order, joined by "; "', async () => {
      assert.deepEqual(
        await call({
          StreamName: 'a b',
          ShardCount: 0,
          StreamModeDetails: { StreamMode: 'X' },
          WarmThroughputMiBps: -5,
          MaxRecordSizeInKiB: 1,
        }),
        validationError(
          violation('a b', 'streamName', pattern(namePattern)),
          violation('0', 'shardCount', valueAtLeast(1)),
          violation('X', 'streamModeDetails.streamMode', enumSet(['PROVISIONED', 'ON_DEMAND'])),
          violation('-5', 'warmThroughputMiBps', valueAtLeast(0)),
          violation('1', 'maxRecordSizeInKiB', valueAtLeast(1024)),
        ),
      );
    });
  });

  describe('functionality errors', () => {
    it('refuses a name already in use (ResourceInUseException)', async () => {
      assert.deepEqual(
        await call({ StreamName: 'existing', ShardCount: 1 }),
        awsError('ResourceInUseException', `Stream existing under account ${defaultAccount} already exists.`),
      );
    });

    it('refuses to exceed the account shard limit (LimitExceededException, default limit 500)', async () => {
      const scope = { accessKeyId: '111122223333', region: 'eu-west-1' };
      await server.createActiveStream('first', { ShardCount: 2 }, scope);
      assert.deepEqual(
        await call({ StreamName: 'too-big', ShardCount: 600 }, scope),
        awsError(
          'LimitExceededException',
          'This request would exceed the shard limit for the account 111122223333 in eu-west-1. ' +
            'Current shard count for the account: 2. Limit: 500. ' +
            'Number of additional shards that would have resulted from this request: 600. ' +
            'Refer to the AWS Service Limits page (https://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) ' +
            'for current limits and how to request higher limits.',
        ),
      );
      assert.deepEqual(
        await call({ StreamName: 'just-fits', ShardCount: 498 }, scope),
        { status: 200, body: undefined },
        'exactly at the limit is allowed',
      );
    });

    it('refuses ShardCount with ON_DEMAND', async () => {
      assert.deepEqual(
        await call({ StreamName: 'od', ShardCount: 2, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }),
        awsError('ValidationException', 'ShardCount is not expected when StreamMode=ON_DEMAND'),
      );
    });

    it('refuses warm throughput (needs a billing commitment)', async () => {
      assert.deepEqual(
        await call({
          StreamName: 'warm',
          StreamModeDetails: { StreamMode: 'ON_DEMAND' },
          WarmThroughputMiBps: 0,
        }),
        awsError(
          'ValidationException',
          'Warm throughput requires an on-demand stream and an account with MinimumThroughputBillingCommitment enabled.',
        ),
      );
    });

    it('refuses more than 50 tags', async () => {
      const tags = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, 'v']));
      assert.deepEqual(
        await call({ StreamName: 'tagged', ShardCount: 1, Tags: tags }),
        awsError(
          'InvalidArgumentException',
          `Failed to create stream tagged under account ${defaultAccount} because a given stream cannot have more than 50 tags associated with it.`,
        ),
      );
      const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`k${index}`, 'v']));
      assert.deepEqual(await call({ StreamName: 'tagged', ShardCount: 1, Tags: fifty }), {
        status: 200,
        body: undefined,
      });
    });
  });
});

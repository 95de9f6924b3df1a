/**
 * SubscribeToShard: the errors AWS answers before the event stream starts (as HTTP errors, which
 * boto3 needs), against a real server. What the stream carries is tested in test/e2e/fan-out;
 * refusing a consumer that is not ACTIVE, in test/streams/fan-out-clock (it depends on timing).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consumerArnPattern, registerActiveConsumer, streamArnOf } from '../../helpers/consumers.js';
import {
  assertMismatches,
  awsError,
  defaultAccount,
  enumSet,
  nonNumberMismatches,
  notNull,
  pattern,
  startTestServer,
  validationError,
  violation,
  type TestServer,
} from '../../helpers/validation.js';

// Listed in the order AWS prints the set (as in GetShardIterator's test).
const iteratorTypes = [
  'AFTER_SEQUENCE_NUMBER',
  'LATEST',
  'AT_TIMESTAMP',
  'AT_SEQUENCE_NUMBER',
  'TRIM_HORIZON',
];

describe('SubscribeToShard', () => {
  let server: TestServer;
  let consumerArn = '';
  const call = (body: unknown) => server.call('SubscribeToShard', body);
  const subscribe = (position: Record<string, unknown>, shardId = 'shardId-000000000000') =>
    call({ ConsumerARN: consumerArn, ShardId: shardId, StartingPosition: position });

  before(async () => {
    server = await startTestServer();
    await server.createActiveStream('pushed');
    consumerArn = await registerActiveConsumer(server, 'pushed', 'reader');
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects members of the wrong type', async () => {
      await assertMismatches(nonNumberMismatches('an String'), (value) =>
        call({ ConsumerARN: value, ShardId: 'shardId-0', StartingPosition: { Type: 'LATEST' } }),
      );
    });
  });

  describe('validation', () => {
    it('requires ConsumerARN, ShardId and StartingPosition', async () => {
      assert.deepEqual(
        await call({}),
        validationError(
          violation(null, 'consumerARN', notNull),
          violation(null, 'shardId', notNull),
          violation(null, 'startingPosition', notNull),
        ),
      );
    });

    it('checks the ARN pattern and the position type', async () => {
      assert.deepEqual(
        await call({ ConsumerARN: 'x', ShardId: 'shardId-0', StartingPosition: { Type: 'SOON' } }),
        validationError(
          violation('x', 'consumerARN', pattern(consumerArnPattern)),
          violation('SOON', 'startingPosition.type', enumSet(iteratorTypes)),
        ),
      );
    });
  });

  describe('functionality errors', () => {
    it('answers ResourceNotFoundException for a missing consumer or shard', async () => {
      const missing = `${streamArnOf('pushed')}/consumer/nobody:1000000000`;
      assert.deepEqual(
        await call({ ConsumerARN: missing, ShardId: 'shardId-0', StartingPosition: { Type: 'LATEST' } }),
        awsError('ResourceNotFoundException', `Consumer ${missing} not found.`),
      );
      assert.deepEqual(
        await subscribe({ Type: 'LATEST' }, 'shardId-000000000007'),
        awsError(
          'ResourceNotFoundException',
          `Shard shardId-000000000007 in stream pushed under account ${defaultAccount} does not exist`,
        ),
      );
    });

    it('checks StartingPosition as GetShardIterator does', async () => {
      const rule =
        'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
        '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber.';
      assert.deepEqual(
        await subscribe({ Type: 'AT_SEQUENCE_NUMBER' }),
        awsError(
          'InvalidArgumentException',
          `${rule} Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.`,
        ),
      );
      assert.deepEqual(
        await subscribe({ Type: 'TRIM_HORIZON', SequenceNumber: '1' }),
        awsError(
          'InvalidArgumentException',
          `${rule} Request specified TRIM_HORIZON and also a StartingSequenceNumber.`,
        ),
      );
      assert.deepEqual(
        await subscribe({ Type: 'AT_TIMESTAMP' }),
        awsError(
          'InvalidArgumentException',
          'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.',
        ),
      );
      const future = await subscribe({ Type: 'AT_TIMESTAMP', Timestamp: Date.now() / 1000 + 3600 });
      assert.equal((future.body as { __type: string }).__type, 'InvalidArgumentException');
    });
  });
});

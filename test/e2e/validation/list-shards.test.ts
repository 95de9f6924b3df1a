/**
 * ListShards: every limit and error, against a real server whose transitions take 3 s, so a
 * stream stays CREATING long enough to be refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertMismatches,
  awsError,
  defaultAccount,
  enumSet,
  lengthAtLeast,
  lengthAtMost,
  namePattern,
  nonNumberMismatches,
  notNull,
  pattern,
  serializationError,
  startTestServer,
  validationError,
  valueAtLeast,
  valueAtMost,
  violation,
  type Reply,
  type TestServer,
} from '../../helpers/validation.js';

const filterTypes = [
  'AFTER_SHARD_ID',
  'AT_TRIM_HORIZON',
  'FROM_TRIM_HORIZON',
  'AT_LATEST',
  'AT_TIMESTAMP',
  'FROM_TIMESTAMP',
];

describe('ListShards', () => {
  let server: TestServer;
  let token = '';
  const call = (body: unknown) => server.call('ListShards', body);
  const invalid = (message: string): Reply => awsError('InvalidArgumentException', message);
  const filtered = (filter: Record<string, unknown>) => call({ StreamName: 'listed', ShardFilter: filter });
  const filteredRaw = (filter: unknown) => call({ StreamName: 'listed', ShardFilter: filter });

  before(async () => {
    server = await startTestServer(['--transition-delay-ms', '3000']);
    await server.createActiveStream('listed', { ShardCount: 3 });
    const page = await call({ StreamName: 'listed', MaxResults: 1 });
    token = (page.body as { NextToken?: string }).NextToken ?? '';
    assert.notEqual(token, '', JSON.stringify(page));
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects string members that are not strings', async () => {
      for (const member of ['StreamName', 'NextToken', 'ExclusiveStartShardId']) {
        await assertMismatches(nonNumberMismatches('an String'), (value) => call({ [member]: value }));
      }
    });

    it('rejects a MaxResults that is not an integer', async () => {
      assert.deepEqual(
        await call({ StreamName: 'listed', MaxResults: '1' }),
        serializationError('class java.lang.String can not be converted to an Integer'),
      );
    });

    it('rejects a StreamCreationTimestamp that is not a number', async () => {
      assert.deepEqual(
        await call({ StreamName: 'listed', StreamCreationTimestamp: 'today' }),
        serializationError('class java.lang.String can not be converted to a Timestamp'),
      );
    });

    it('rejects a ShardFilter that is not a structure', async () => {
      assert.deepEqual(await filteredRaw('AT_LATEST'), serializationError('Expected null'));
      assert.deepEqual(await filteredRaw([]), serializationError('Start of list found where not expected'));
    });
  });

  describe('validation', () => {
    it('rejects MaxResults 0 and 10001', async () => {
      assert.deepEqual(
        await call({ StreamName: 'listed', MaxResults: 0 }),
        validationError(violation('0', 'maxResults', valueAtLeast(1))),
      );
      assert.deepEqual(
        await call({ StreamName: 'listed', MaxResults: 10001 }),
        validationError(violation('10001', 'maxResults', valueAtMost(10000))),
      );
    });

    it('rejects every empty member at once, in model order', async () => {
      assert.deepEqual(
        await call({ StreamName: '', NextToken: '', MaxResults: 0, ExclusiveStartShardId: '' }),
        validationError(
          violation('', 'streamName', pattern(namePattern)),
          violation('', 'streamName', lengthAtLeast(1)),
          violation('', 'nextToken', lengthAtLeast(1)),
          violation('', 'exclusiveStartShardId', pattern(namePattern)),
          violation('', 'exclusiveStartShardId', lengthAtLeast(1)),
          violation('0', 'maxResults', valueAtLeast(1)),
        ),
      );
    });

    it('rejects 129-character names', async () => {
      const long = 'a'.repeat(129);
      assert.deepEqual(
        await call({ StreamName: long, ExclusiveStartShardId: long, MaxResults: 100000 }),
        validationError(
          violation(long, 'streamName', lengthAtMost(128)),
          violation(long, 'exclusiveStartShardId', lengthAtMost(128)),
          violation('100000', 'maxResults', valueAtMost(10000)),
        ),
      );
    });

    it('requires ShardFilter.Type and checks it and ShardFilter.ShardId', async () => {
      assert.deepEqual(await filtered({}), validationError(violation(null, 'shardFilter.type', notNull)));
      assert.deepEqual(
        await filtered({ Type: 'LATEST' }),
        validationError(violation('LATEST', 'shardFilter.type', enumSet(filterTypes))),
      );
      assert.deepEqual(
        await filtered({ Type: 'AFTER_SHARD_ID', ShardId: 'shard 1' }),
        validationError(violation('shard 1', 'shardFilter.shardId', pattern(namePattern))),
      );
    });
  });

  describe('functionality errors', () => {
    it('needs a NextToken or a StreamName', async () => {
      assert.deepEqual(await call({}), invalid('Either NextToken or StreamName should be provided.'));
      assert.deepEqual(
        await call({ MaxResults: 5, ShardFilter: { Type: 'AT_LATEST' } }),
        invalid('Either NextToken or StreamName should be provided.'),
      );
    });

    it('refuses a NextToken together with StreamName, ExclusiveStartShardId or StreamCreationTimestamp', async () => {
      assert.deepEqual(
        await call({ StreamName: 'listed', NextToken: token }),
        invalid('NextToken and StreamName cannot be provided together.'),
      );
      assert.deepEqual(
        await call({ StreamName: 'anything', NextToken: 'anything' }),
        invalid('NextToken and StreamName cannot be provided together.'),
        'checked before the token is read',
      );
      assert.deepEqual(
        await call({ NextToken: token, ExclusiveStartShardId: 'shardId-000000000000' }),
        invalid('NextToken and ExclusiveStartShardId cannot be provided together.'),
      );
      assert.deepEqual(
        await call({ NextToken: token, StreamCreationTimestamp: 1 }),
        invalid('NextToken and StreamCreationTimestamp cannot be provided together.'),
      );
      assert.equal((await call({ NextToken: token, MaxResults: 1 })).status, 200, 'the token itself is good');
    });

    it('refuses a NextToken it did not issue for ListShards', async () => {
      assert.deepEqual(await call({ NextToken: 'garbage' }), invalid('Invalid NextToken: garbage'));
      await server.createStream('second');
      const streamsPage = await server.call('ListStreams', { Limit: 1 });
      const streamsToken = (streamsPage.body as { NextToken?: string }).NextToken;
      assert.ok(streamsToken !== undefined, JSON.stringify(streamsPage));
      assert.deepEqual(
        await call({ NextToken: streamsToken }),
        invalid(`Invalid NextToken: ${streamsToken}`),
      );
    });

    it('answers ResourceNotFoundException for an unknown stream', async () => {
      assert.deepEqual(
        await call({ StreamName: 'missing' }),
        awsError('ResourceNotFoundException', `Stream missing under account ${defaultAccount} not found.`),
      );
    });

    it('answers ResourceNotFoundException when StreamCreationTimestamp is not the stream’s', async () => {
      assert.deepEqual(
        await call({ StreamName: 'listed', StreamCreationTimestamp: 1_000_000_000 }),
        awsError('ResourceNotFoundException', `Stream listed under account ${defaultAccount} not found.`),
      );
    });

    it('refuses a stream that is still CREATING (ResourceInUseException)', async () => {
      await server.createStream('creating');
      assert.deepEqual(
        await call({ StreamName: 'creating' }),
        awsError(
          'ResourceInUseException',
          `Stream creating under account ${defaultAccount} is not ACTIVE, instead in state CREATING`,
        ),
      );
    });

    it('needs ShardFilter.ShardId exactly for AFTER_SHARD_ID', async () => {
      assert.deepEqual(
        await filtered({ Type: 'AFTER_SHARD_ID' }),
        invalid('ShardId must be specified when the ShardFilter type is AFTER_SHARD_ID.'),
      );
      for (const type of filterTypes.filter((candidate) => candidate !== 'AFTER_SHARD_ID')) {
        const filter = { Type: type, ShardId: 'shardId-000000000000', Timestamp: 1 };
        assert.deepEqual(
          await filtered(filter),
          invalid(`ShardId must not be specified when the ShardFilter type is ${type}.`),
          type,
        );
      }
      assert.equal((await filtered({ Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000000' })).status, 200);
    });

    it('needs ShardFilter.Timestamp exactly for AT_TIMESTAMP and FROM_TIMESTAMP', async () => {
      for (const type of ['AT_TIMESTAMP', 'FROM_TIMESTAMP']) {
        assert.deepEqual(
          await filtered({ Type: type }),
          invalid(`Timestamp must be specified when the ShardFilter type is ${type}.`),
        );
        assert.equal((await filtered({ Type: type, Timestamp: Date.now() / 1000 })).status, 200, type);
      }
      for (const type of ['AT_TRIM_HORIZON', 'FROM_TRIM_HORIZON', 'AT_LATEST']) {
        assert.deepEqual(
          await filtered({ Type: type, Timestamp: 1 }),
          invalid(`Timestamp must not be specified when the ShardFilter type is ${type}.`),
        );
        assert.equal((await filtered({ Type: type })).status, 200, type);
      }
      assert.deepEqual(
        await filtered({ Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000000', Timestamp: 1 }),
        invalid('Timestamp must not be specified when the ShardFilter type is AFTER_SHARD_ID.'),
      );
    });
  });
});

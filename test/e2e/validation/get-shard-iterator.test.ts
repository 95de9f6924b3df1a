/**
 * GetShardIterator: every limit and error, against a real server. Transitions take 1 s so that a
 * stream can be caught in CREATING.
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
  numberMismatches,
  pattern,
  sequenceNumberFromHex,
  sequenceNumberPattern,
  serializationError,
  startTestServer,
  validationError,
  violation,
  type Reply,
  type TestServer,
} from '../../helpers/validation.js';

const combinationRule =
  'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
  '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber.';

interface Shard {
  readonly ShardId: string;
  readonly SequenceNumberRange: { readonly StartingSequenceNumber: string };
}

describe('GetShardIterator', () => {
  let server: TestServer;
  let shards: Shard[] = [];
  const call = (body: unknown) => server.call('GetShardIterator', body);
  const iterator = (input: Record<string, unknown>) =>
    call({ StreamName: 'stream', ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST', ...input });
  const ok = (reply: Reply): void => assert.equal(reply.status, 200, JSON.stringify(reply));
  const shardMissing = (shardId: string, stream: string): Reply =>
    awsError(
      'ResourceNotFoundException',
      `Shard ${shardId} in stream ${stream} under account ${defaultAccount} does not exist`,
    );
  const couldNotFind = (reference: string, stream: string): Reply =>
    awsError(
      'ResourceNotFoundException',
      `Could not find shard ${reference} in stream ${stream} under account ${defaultAccount}.`,
    );
  const invalidStart = (sequenceNumber: string, stream = 'stream'): Reply =>
    awsError(
      'InvalidArgumentException',
      `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator on shard shardId-000000000000 ` +
        `in stream ${stream} under account ${defaultAccount} is invalid.`,
    );

  before(async () => {
    server = await startTestServer(['--transition-delay-ms', '1000']);
    await Promise.all([
      server.createActiveStream('stream', { ShardCount: 2 }),
      server.createActiveStream('reborn', { ShardCount: 1 }),
    ]);
    const listed = await server.call('ListShards', { StreamName: 'stream' });
    shards = (listed.body as { Shards: Shard[] }).Shards;
    assert.equal(shards.length, 2);
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects string members that are not strings', async () => {
      for (const member of ['ShardId', 'ShardIteratorType', 'StartingSequenceNumber', 'StreamName']) {
        await assertMismatches(nonNumberMismatches('an String'), (value) => iterator({ [member]: value }));
      }
    });

    it('rejects a ShardId that is a number, naming the Java class AWS names', async () => {
      await assertMismatches(numberMismatches('an String'), (value) => iterator({ ShardId: value }));
    });

    it('rejects a Timestamp that is not a number', async () => {
      assert.deepEqual(
        await iterator({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: 'yesterday' }),
        serializationError('class java.lang.String can not be converted to a Timestamp'),
      );
    });
  });

  describe('validation', () => {
    it('requires ShardId and ShardIteratorType', async () => {
      assert.deepEqual(
        await call({}),
        validationError(violation(null, 'shardId', notNull), violation(null, 'shardIteratorType', notNull)),
      );
    });

    it('rejects every empty member at once', async () => {
      assert.deepEqual(
        await call({ StreamName: '', ShardId: '', ShardIteratorType: 'LATEST', StartingSequenceNumber: '' }),
        validationError(
          violation('', 'streamName', pattern(namePattern)),
          violation('', 'streamName', lengthAtLeast(1)),
          violation('', 'shardId', pattern(namePattern)),
          violation('', 'shardId', lengthAtLeast(1)),
          violation('', 'startingSequenceNumber', pattern(sequenceNumberPattern)),
        ),
      );
    });

    it('rejects 129-character names and shard ids', async () => {
      const long = 'a'.repeat(129);
      assert.deepEqual(
        await iterator({ StreamName: long, ShardId: long }),
        validationError(
          violation(long, 'streamName', lengthAtMost(128)),
          violation(long, 'shardId', lengthAtMost(128)),
        ),
      );
    });

    it('rejects an unknown ShardIteratorType, listing the set in the order AWS does', async () => {
      assert.deepEqual(
        await iterator({ ShardIteratorType: 'OLDEST' }),
        validationError(
          violation(
            'OLDEST',
            'shardIteratorType',
            enumSet([
              'AFTER_SEQUENCE_NUMBER',
              'LATEST',
              'AT_TIMESTAMP',
              'AT_SEQUENCE_NUMBER',
              'TRIM_HORIZON',
            ]),
          ),
        ),
      );
    });

    it('rejects a StartingSequenceNumber outside its pattern', async () => {
      assert.deepEqual(
        await iterator({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: '0x1' }),
        validationError(violation('0x1', 'startingSequenceNumber', pattern(sequenceNumberPattern))),
      );
    });
  });

  describe('functionality errors', () => {
    it('answers "does not exist" for a well-formed shard id of an unknown stream', async () => {
      for (const reference of ['2147483647', 'foo-2147483647', 'shardId-002147483647']) {
        assert.deepEqual(
          await iterator({ StreamName: 'missing', ShardId: reference }),
          shardMissing('shardId-002147483647', 'missing'),
          reference,
        );
      }
    });

    it('reads the number after the last hyphen, however many digits (AWS-observed)', async () => {
      for (const reference of ['a-00002147483647', '-00002147483647']) {
        assert.deepEqual(
          await iterator({ StreamName: 'missing', ShardId: reference }),
          shardMissing('shardId-002147483647', 'missing'),
          reference,
        );
      }
    });

    it('answers "Could not find shard" for a shard id it cannot parse', async () => {
      for (const reference of ['2147483648', 'shardId-002147483648', 'ABKLFD8', '2.14E4']) {
        assert.deepEqual(
          await iterator({ StreamName: 'missing', ShardId: reference }),
          couldNotFind(reference, 'missing'),
          reference,
        );
      }
    });

    it('answers "does not exist" for an unknown shard of a known stream, before checking the type', async () => {
      assert.deepEqual(
        await iterator({
          ShardId: 'shardId-5',
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          StartingSequenceNumber: '5',
        }),
        shardMissing('shardId-000000000005', 'stream'),
      );
    });

    it('answers "does not exist" for a shard of a stream still CREATING', async () => {
      await server.createStream('creating');
      assert.deepEqual(
        await iterator({ StreamName: 'creating', ShardId: 'shardId-000000000000' }),
        shardMissing('shardId-000000000000', 'creating'),
      );
    });

    it('explains each invalid combination of type and StartingSequenceNumber', async () => {
      const start = shards[0]?.SequenceNumberRange.StartingSequenceNumber;
      for (const type of ['TRIM_HORIZON', 'LATEST']) {
        assert.deepEqual(
          await iterator({ ShardIteratorType: type, StartingSequenceNumber: start }),
          awsError(
            'InvalidArgumentException',
            `${combinationRule} Request specified ${type} and also a StartingSequenceNumber.`,
          ),
        );
      }
      for (const type of ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER']) {
        assert.deepEqual(
          await iterator({ ShardIteratorType: type }),
          awsError(
            'InvalidArgumentException',
            `${combinationRule} Request specified ${type} and no StartingSequenceNumber.`,
          ),
        );
      }
      // The shard's own StartingSequenceNumber is a valid position for both.
      ok(await iterator({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: start }));
      ok(await iterator({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: start }));
    });

    it('needs a Timestamp for AT_TIMESTAMP, and refuses one in the future', async () => {
      assert.deepEqual(
        await iterator({ ShardIteratorType: 'AT_TIMESTAMP' }),
        awsError(
          'InvalidArgumentException',
          'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.',
        ),
      );
      const beforeMs = Date.now();
      const futureMs = beforeMs + 3_600_000;
      const reply = await iterator({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: futureMs / 1000 });
      const afterMs = Date.now();
      const message = (reply.body as { message?: string }).message ?? '';
      const nowMs = Number(/currentTimestampInMillis: (\d+)$/.exec(message)?.[1]);
      assert.ok(nowMs >= beforeMs && nowMs <= afterMs, message);
      assert.deepEqual(
        reply,
        awsError(
          'InvalidArgumentException',
          `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${futureMs}, currentTimestampInMillis: ${nowMs}`,
        ),
      );
      ok(await iterator({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: (beforeMs - 60_000) / 1000 }));
    });

    it("refuses another shard's sequence number, naming the shard it encodes", async () => {
      const otherShardStart = shards[1]?.SequenceNumberRange.StartingSequenceNumber;
      assert.deepEqual(
        await iterator({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: otherShardStart }),
        awsError(
          'InvalidArgumentException',
          'Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to a shard with shardId-000000000000',
        ),
      );
    });

    it('refuses sequence numbers that are not ones AWS could have issued', async () => {
      for (const sequenceNumber of [
        '1234',
        sequenceNumberFromHex('13bb2cc3d80000000000000000000000'),
        sequenceNumberFromHex('20000000000800000000000000000000000000000000002'),
        sequenceNumberFromHex('20000000000000000000000000000000000000000000004'),
      ]) {
        for (const type of ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER']) {
          assert.deepEqual(
            await iterator({ ShardIteratorType: type, StartingSequenceNumber: sequenceNumber }),
            invalidStart(sequenceNumber),
            `${type} ${sequenceNumber}`,
          );
        }
      }
    });

    it('refuses a sequence number of an earlier stream of the same name', async () => {
      const put = await server.call('PutRecord', { StreamName: 'reborn', PartitionKey: 'a', Data: 'AA==' });
      const { SequenceNumber: old } = put.body as { SequenceNumber: string };
      await server.deleteStreamAndWait('reborn');
      await server.createActiveStream('reborn', { ShardCount: 1 });
      assert.deepEqual(
        await iterator({
          StreamName: 'reborn',
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          StartingSequenceNumber: old,
        }),
        awsError(
          'InvalidArgumentException',
          `StartingSequenceNumber ${old} used in GetShardIterator on shard shardId-000000000000 in stream reborn ` +
            `under account ${defaultAccount} is invalid because it did not come from this stream.`,
        ),
      );
    });
  });
});

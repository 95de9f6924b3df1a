/** GetRecords: every limit and error, against a real server. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertMismatches,
  awsError,
  defaultAccount,
  lengthAtLeast,
  lengthAtMost,
  nonNumberMismatches,
  notNull,
  numberMismatches,
  pattern,
  serializationError,
  startTestServer,
  streamArnPattern,
  validationError,
  valueAtLeast,
  valueAtMost,
  violation,
  type Reply,
  type TestServer,
} from '../../helpers/validation.js';

const invalidIterator = awsError('InvalidArgumentException', 'Invalid ShardIterator.');

describe('GetRecords', () => {
  let server: TestServer;
  let live = '';
  const call = (body: unknown) => server.call('GetRecords', body);
  const iteratorOf = async (stream: string, shardId: string): Promise<string> => {
    const reply = await server.call('GetShardIterator', {
      StreamName: stream,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    const iterator = (reply.body as { ShardIterator?: string }).ShardIterator;
    assert.ok(iterator !== undefined, JSON.stringify(reply));
    return iterator;
  };
  const shardMissing = (shardId: string, stream: string): Reply =>
    awsError(
      'ResourceNotFoundException',
      `Shard ${shardId} in stream ${stream} under account ${defaultAccount} does not exist`,
    );

  before(async () => {
    server = await startTestServer();
    await server.createActiveStream('stream', { ShardCount: 1 });
    live = await iteratorOf('stream', 'shardId-000000000000');
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects a ShardIterator that is not a string', async () => {
      await assertMismatches(nonNumberMismatches('an String'), (value) => call({ ShardIterator: value }));
    });

    it('rejects a ShardIterator that is a number, naming the Java class AWS names', async () => {
      await assertMismatches(numberMismatches('an String'), (value) => call({ ShardIterator: value }));
    });

    it('rejects a Limit that is not an integer', async () => {
      assert.deepEqual(
        await call({ ShardIterator: live, Limit: '10' }),
        serializationError('class java.lang.String can not be converted to an Integer'),
      );
      assert.deepEqual(
        await call({ ShardIterator: live, Limit: false }),
        serializationError('class java.lang.Boolean can not be converted to an Integer'),
      );
    });
  });

  describe('validation', () => {
    it('requires ShardIterator', async () => {
      assert.deepEqual(await call({}), validationError(violation(null, 'shardIterator', notNull)));
    });

    it('rejects an empty ShardIterator and Limit 0 together', async () => {
      assert.deepEqual(
        await call({ ShardIterator: '', Limit: 0 }),
        validationError(
          violation('', 'shardIterator', lengthAtLeast(1)),
          violation('0', 'limit', valueAtLeast(1)),
        ),
      );
    });

    it('rejects a 513-character ShardIterator and Limit 10001', async () => {
      const long = 'a'.repeat(513);
      assert.deepEqual(
        await call({ ShardIterator: long, Limit: 10001 }),
        validationError(
          violation(long, 'shardIterator', lengthAtMost(512)),
          violation('10001', 'limit', valueAtMost(10000)),
        ),
      );
    });

    it('rejects a StreamARN outside the pattern', async () => {
      assert.deepEqual(
        await call({ ShardIterator: live, StreamARN: 'arn:aws:s3:::bucket' }),
        validationError(violation('arn:aws:s3:::bucket', 'streamARN', pattern(streamArnPattern))),
      );
    });
  });

  describe('functionality errors', () => {
    it('refuses iterators it did not issue', async () => {
      for (const garbage of [
        'a',
        'not-an-iterator',
        'AAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        'a'.repeat(512),
      ]) {
        assert.deepEqual(await call({ ShardIterator: garbage }), invalidIterator, garbage);
      }
    });

    it('refuses altered and truncated iterators', async () => {
      const bytes = Buffer.from(live, 'base64');
      for (const at of [8, 20, bytes.length - 20, bytes.length - 1]) {
        const altered = Buffer.from(bytes);
        altered[at] = (altered[at] ?? 0) ^ 0x01;
        assert.deepEqual(
          await call({ ShardIterator: altered.toString('base64') }),
          invalidIterator,
          `byte ${at}`,
        );
      }
      assert.deepEqual(await call({ ShardIterator: live.slice(0, -4) }), invalidIterator);
      assert.deepEqual(await call({ ShardIterator: `${live}AAAA` }), invalidIterator);
      assert.equal((await call({ ShardIterator: live })).status, 200, 'the original still works');
    });

    let doomedIterators: string[] = [];

    it('answers ResourceNotFoundException for an iterator of a deleted stream', async () => {
      await server.createActiveStream('doomed', { ShardCount: 2 });
      doomedIterators = [
        await iteratorOf('doomed', 'shardId-000000000000'),
        await iteratorOf('doomed', 'shardId-000000000001'),
      ];
      await server.deleteStreamAndWait('doomed');
      assert.deepEqual(
        await call({ ShardIterator: doomedIterators[0] }),
        shardMissing('shardId-000000000000', 'doomed'),
      );
      assert.deepEqual(
        await call({ ShardIterator: doomedIterators[1] }),
        shardMissing('shardId-000000000001', 'doomed'),
      );
    });

    it('serves an old iterator on a stream recreated under the same name, if the shard exists (AWS-observed)', async () => {
      // kinesalite's suite, run against real Kinesis: after DeleteStream and CreateStream with one
      // shard, the old shard-1 iterator is not found but the old shard-0 iterator reads the new
      // stream.
      const [iterator0, iterator1] = doomedIterators;
      assert.ok(iterator0 !== undefined && iterator1 !== undefined, 'runs after the deleted-stream test');
      await server.createActiveStream('doomed', { ShardCount: 1 });
      assert.deepEqual(
        await call({ ShardIterator: iterator1 }),
        shardMissing('shardId-000000000001', 'doomed'),
      );
      const reply = await call({ ShardIterator: iterator0 });
      assert.equal(reply.status, 200, JSON.stringify(reply));
      assert.deepEqual((reply.body as { Records: unknown[] }).Records, []);
    });
  });
});

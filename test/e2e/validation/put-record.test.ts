/**
 * PutRecord: every limit and error, against a real server. Transitions take 1 s so that a
 * stream can be caught in CREATING.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertMismatches,
  awsError,
  defaultAccount,
  hashKeyLimit,
  hashKeyPattern,
  heapByteBuffer,
  lengthAtLeast,
  lengthAtMost,
  namePattern,
  nonNumberMismatches,
  notNull,
  numberMismatches,
  pattern,
  sequenceNumberFromHex,
  sequenceNumberPattern,
  startTestServer,
  validationError,
  violation,
  zeros,
  type Reply,
  type TestServer,
} from '../../helpers/validation.js';

const MiB = 1024 * 1024;

describe('PutRecord', () => {
  let server: TestServer;
  const call = (body: unknown) => server.call('PutRecord', body);
  const put = (input: Record<string, unknown>) =>
    call({ StreamName: 'stream', PartitionKey: 'a', Data: '', ...input });
  const ok = (reply: Reply): void => assert.equal(reply.status, 200, JSON.stringify(reply));
  const invalidOrdering = (sequenceNumber: string): Reply =>
    awsError(
      'InvalidArgumentException',
      `ExclusiveMinimumSequenceNumber ${sequenceNumber} used in PutRecord on stream stream under account ${defaultAccount} is invalid.`,
    );

  before(async () => {
    server = await startTestServer(['--transition-delay-ms', '1000']);
    await Promise.all([
      server.createActiveStream('stream', { ShardCount: 2 }),
      server.createActiveStream('large', { ShardCount: 1, MaxRecordSizeInKiB: 2048 }),
    ]);
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects a Data that is not a blob', async () => {
      await assertMismatches(nonNumberMismatches('a Blob'), (value) => put({ Data: value }));
    });

    it('rejects a Data that is a number, naming the Java class AWS names', async () => {
      await assertMismatches(numberMismatches('a Blob'), (value) => put({ Data: value }));
    });

    it('rejects Data that is not valid base64, with Coral texts', async () => {
      await assertMismatches(
        [
          [
            '23456',
            "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5",
          ],
          ['=+/=', "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='"],
          ['+/+=', "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"],
        ],
        (value) => put({ Data: value }),
      );
    });

    it('rejects string members that are not strings', async () => {
      for (const member of ['PartitionKey', 'ExplicitHashKey', 'SequenceNumberForOrdering', 'StreamName']) {
        await assertMismatches(nonNumberMismatches('an String'), (value) => put({ [member]: value }));
      }
    });

    it('rejects a PartitionKey that is a number, naming the Java class AWS names', async () => {
      await assertMismatches(numberMismatches('an String'), (value) => put({ PartitionKey: value }));
    });
  });

  describe('validation', () => {
    it('requires Data and PartitionKey', async () => {
      assert.deepEqual(
        await call({}),
        validationError(violation(null, 'data', notNull), violation(null, 'partitionKey', notNull)),
      );
      assert.deepEqual(
        await call({ StreamName: 'stream', Data: null, PartitionKey: 'a' }),
        validationError(violation(null, 'data', notNull)),
      );
    });

    it('rejects every empty member at once, in model order', async () => {
      assert.deepEqual(
        await call({
          StreamName: '',
          PartitionKey: '',
          Data: '',
          ExplicitHashKey: '',
          SequenceNumberForOrdering: '',
        }),
        validationError(
          violation('', 'streamName', pattern(namePattern)),
          violation('', 'streamName', lengthAtLeast(1)),
          violation('', 'partitionKey', lengthAtLeast(1)),
          violation('', 'explicitHashKey', pattern(hashKeyPattern)),
          violation('', 'sequenceNumberForOrdering', pattern(sequenceNumberPattern)),
        ),
      );
    });

    it('rejects a 257-character PartitionKey, counted in characters', async () => {
      const key = 'k'.repeat(257);
      assert.deepEqual(
        await put({ PartitionKey: key }),
        validationError(violation(key, 'partitionKey', lengthAtMost(256))),
      );
      const euros = '€'.repeat(257);
      assert.deepEqual(
        await put({ PartitionKey: euros }),
        validationError(violation(euros, 'partitionKey', lengthAtMost(256))),
      );
      ok(await put({ PartitionKey: '€'.repeat(256) }));
    });

    it('rejects a stream name that is too long or outside the pattern', async () => {
      const longName = 's'.repeat(129);
      assert.deepEqual(
        await put({ StreamName: longName }),
        validationError(violation(longName, 'streamName', lengthAtMost(128))),
      );
      assert.deepEqual(
        await put({ StreamName: 'a b' }),
        validationError(violation('a b', 'streamName', pattern(namePattern))),
      );
    });

    it('rejects an ExplicitHashKey outside its pattern', async () => {
      for (const hashKey of ['abc', '01', '-1', '1'.repeat(40)]) {
        assert.deepEqual(
          await put({ ExplicitHashKey: hashKey }),
          validationError(violation(hashKey, 'explicitHashKey', pattern(hashKeyPattern))),
        );
      }
    });

    it('rejects a SequenceNumberForOrdering outside its pattern', async () => {
      for (const sequenceNumber of ['x', '007', '1'.repeat(130)]) {
        assert.deepEqual(
          await put({ SequenceNumberForOrdering: sequenceNumber }),
          validationError(
            violation(sequenceNumber, 'sequenceNumberForOrdering', pattern(sequenceNumberPattern)),
          ),
        );
      }
    });

    it('rejects Data over the model maximum of 10 MiB', async () => {
      assert.deepEqual(
        await put({ Data: zeros(10 * MiB + 1) }),
        validationError(violation(heapByteBuffer(10 * MiB + 1), 'data', lengthAtMost(10 * MiB))),
      );
    });
  });

  describe('functionality errors', () => {
    it('answers ResourceNotFoundException for an unknown stream', async () => {
      assert.deepEqual(
        await put({ StreamName: 'missing' }),
        awsError('ResourceNotFoundException', `Stream missing under account ${defaultAccount} not found.`),
      );
    });

    it('answers ResourceNotFoundException for a stream still CREATING', async () => {
      await server.createStream('creating');
      assert.deepEqual(
        await put({ StreamName: 'creating' }),
        awsError('ResourceNotFoundException', `Stream creating under account ${defaultAccount} not found.`),
      );
    });

    it('rejects Data over 1 MiB on a default stream', async () => {
      assert.deepEqual(
        await put({ Data: zeros(MiB + 1) }),
        validationError(violation(heapByteBuffer(MiB + 1), 'data', lengthAtMost(MiB))),
      );
    });

    it('counts the partition key in the 1 MiB record size', async () => {
      ok(await put({ Data: zeros(MiB - 1), PartitionKey: 'a' }));
      assert.deepEqual(
        await put({ Data: zeros(MiB), PartitionKey: 'a' }),
        awsError(
          'InvalidArgumentException',
          "The record at 'data' is 1048577 bytes with its partition key, over the stream's maximum record size of 1048576 bytes.",
        ),
      );
      assert.deepEqual(
        await put({ Data: zeros(MiB + 1), PartitionKey: 'a' }),
        validationError(violation(heapByteBuffer(MiB + 1), 'data', lengthAtMost(MiB))),
      );
    });

    it("uses the stream's MaxRecordSizeInKiB", async () => {
      ok(await put({ StreamName: 'large', Data: zeros(MiB + 1) }));
      assert.deepEqual(
        await put({ StreamName: 'large', Data: zeros(2 * MiB + 1) }),
        validationError(violation(heapByteBuffer(2 * MiB + 1), 'data', lengthAtMost(2 * MiB))),
      );
    });

    it('rejects an ExplicitHashKey of 2^128 or more', async () => {
      for (const hashKey of [hashKeyLimit.toString(), '9'.repeat(39)]) {
        assert.deepEqual(
          await put({ ExplicitHashKey: hashKey }),
          awsError(
            'InvalidArgumentException',
            `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${hashKey}`,
          ),
        );
      }
      ok(await put({ ExplicitHashKey: (hashKeyLimit - 1n).toString() }));
    });

    it('rejects a SequenceNumberForOrdering that is not a sequence number', async () => {
      for (const sequenceNumber of [
        '1234',
        // kinesalite's cases, recorded against real Kinesis: wrong version nibbles, a leading 1 or
        // 3, an 8 in the counter's top bit, a 32-digit number.
        sequenceNumberFromHex('20000000000000000000000000000000000000000000000'),
        sequenceNumberFromHex('20000000000000000000000000000000000000000000004'),
        sequenceNumberFromHex('30000000000000000000000000000000000000000000001'),
        sequenceNumberFromHex('1ffffffffff7fffffffffffffff000000000007fffffff2'),
        sequenceNumberFromHex('20000000000800000000000000000000000000000000002'),
        sequenceNumberFromHex('13bb2cc3d80000000000000000000000'),
      ]) {
        assert.deepEqual(
          await put({ SequenceNumberForOrdering: sequenceNumber }),
          invalidOrdering(sequenceNumber),
        );
      }
    });

    it('rejects a SequenceNumberForOrdering whose shard index has the sign bit set (AWS-observed)', async () => {
      const sequenceNumber = sequenceNumberFromHex('20000000000000000000000000000000000000800000002');
      assert.deepEqual(
        await put({ SequenceNumberForOrdering: sequenceNumber }),
        invalidOrdering(sequenceNumber),
      );
    });

    it('rejects a SequenceNumberForOrdering from the future (AWS-observed)', async () => {
      const future = Math.floor(Date.now() / 1000 + 2).toString(16);
      const sequenceNumber = sequenceNumberFromHex(`200000000000000000000000000000${future}000000002`);
      assert.deepEqual(
        await put({ SequenceNumberForOrdering: sequenceNumber }),
        invalidOrdering(sequenceNumber),
      );
    });
  });
});

/**
 * PutRecords: every limit and error, against a real server. Transitions take 1 s so that a
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
  serializationError,
  startTestServer,
  validationError,
  violation,
  zeros,
  type TestServer,
} from '../../helpers/validation.js';

const MiB = 1024 * 1024;

describe('PutRecords', () => {
  let server: TestServer;
  const call = (body: unknown) => server.call('PutRecords', body);
  const putAll = (records: unknown[], streamName = 'stream') =>
    call({ StreamName: streamName, Records: records });
  const record = { PartitionKey: 'a', Data: '' };

  before(async () => {
    server = await startTestServer(['--transition-delay-ms', '1000']);
    await server.createActiveStream('stream', { ShardCount: 2 });
  });

  after(async () => {
    await server?.stop();
  });

  describe('serialization', () => {
    it('rejects Records that is not a list', async () => {
      await assertMismatches(
        [
          ['x', 'Expected list or null'],
          [true, 'Expected list or null'],
          [23, 'Expected list or null'],
          [{}, 'Start of structure or map found where not expected.'],
        ],
        (value) => call({ StreamName: 'stream', Records: value }),
      );
    });

    it('rejects a record that is not a structure', async () => {
      await assertMismatches(
        [
          ['x', 'Expected null'],
          [true, 'Expected null'],
          [23, 'Expected null'],
          [[], 'Start of list found where not expected'],
        ],
        (value) => putAll([value]),
      );
    });

    it('rejects record members of the wrong type', async () => {
      await assertMismatches(nonNumberMismatches('a Blob'), (value) => putAll([{ ...record, Data: value }]));
      await assertMismatches(nonNumberMismatches('an String'), (value) =>
        putAll([{ ...record, PartitionKey: value }]),
      );
      await assertMismatches(nonNumberMismatches('an String'), (value) =>
        putAll([{ ...record, ExplicitHashKey: value }]),
      );
      assert.deepEqual(
        await putAll([{ ...record, Data: 'abc' }]),
        serializationError(
          "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3",
        ),
      );
    });

    it('rejects record members that are numbers, naming the Java class AWS names', async () => {
      await assertMismatches(numberMismatches('a Blob'), (value) => putAll([{ ...record, Data: value }]));
    });
  });

  describe('validation', () => {
    it('requires Records', async () => {
      assert.deepEqual(
        await call({ StreamName: 'stream' }),
        validationError(violation(null, 'records', notNull)),
      );
    });

    it('rejects an empty Records list, with the stream name errors after it', async () => {
      assert.deepEqual(
        await call({ StreamName: '', Records: [] }),
        validationError(
          violation('[]', 'records', lengthAtLeast(1)),
          violation('', 'streamName', pattern(namePattern)),
          violation('', 'streamName', lengthAtLeast(1)),
        ),
      );
    });

    it('rejects 501 records', async () => {
      const records = Array.from({ length: 501 }, () => record);
      const shown = `[${records.map(() => `{Data=${heapByteBuffer(0)}, PartitionKey=a}`).join(', ')}]`;
      assert.deepEqual(
        await putAll(records),
        validationError(violation(shown, 'records', lengthAtMost(500))),
      );
    });

    it('names the member of the record at fault, 1-based', async () => {
      assert.deepEqual(
        await putAll([{ Data: '' }, { PartitionKey: 'a' }]),
        validationError(
          violation(null, 'records.1.member.partitionKey', notNull),
          violation(null, 'records.2.member.data', notNull),
        ),
      );
      assert.deepEqual(
        await putAll([record, null]),
        validationError(violation(null, 'records.2.member', notNull)),
      );
      assert.deepEqual(
        await putAll([record, { ...record, ExplicitHashKey: 'x' }]),
        validationError(violation('x', 'records.2.member.explicitHashKey', pattern(hashKeyPattern))),
      );
      const key = 'k'.repeat(257);
      assert.deepEqual(
        await putAll([{ ...record, PartitionKey: key }]),
        validationError(violation(key, 'records.1.member.partitionKey', lengthAtMost(256))),
      );
    });

    it('reports at most 10 violations', async () => {
      const records = Array.from({ length: 12 }, () => ({ PartitionKey: '', Data: '' }));
      assert.deepEqual(
        await putAll(records),
        validationError(
          ...Array.from({ length: 10 }, (_, index) =>
            violation('', `records.${index + 1}.member.partitionKey`, lengthAtLeast(1)),
          ),
        ),
      );
    });

    it('rejects a record over the model maximum of 10 MiB', async () => {
      assert.deepEqual(
        await putAll([record, { ...record, Data: zeros(10 * MiB + 1) }]),
        validationError(
          violation(heapByteBuffer(10 * MiB + 1), 'records.2.member.data', lengthAtMost(10 * MiB)),
        ),
      );
    });
  });

  describe('functionality errors', () => {
    it('answers ResourceNotFoundException for an unknown stream', async () => {
      assert.deepEqual(
        await putAll([record], 'missing'),
        awsError('ResourceNotFoundException', `Stream missing under account ${defaultAccount} not found.`),
      );
    });

    it('answers ResourceNotFoundException for a stream still CREATING', async () => {
      await server.createStream('creating');
      assert.deepEqual(
        await putAll([record], 'creating'),
        awsError('ResourceNotFoundException', `Stream creating under account ${defaultAccount} not found.`),
      );
    });

    it('rejects a record over 1 MiB (data plus key) and fails the whole request', async () => {
      assert.deepEqual(
        await putAll([record, { PartitionKey: 'a', Data: zeros(MiB) }]),
        awsError(
          'InvalidArgumentException',
          "The record at 'records.2.member.data' is 1048577 bytes with its partition key, over the stream's maximum record size of 1048576 bytes.",
        ),
      );
      assert.deepEqual(
        await putAll([record, { PartitionKey: 'a', Data: zeros(MiB + 1) }]),
        validationError(violation(heapByteBuffer(MiB + 1), 'records.2.member.data', lengthAtMost(MiB))),
      );
    });

    it('rejects an ExplicitHashKey of 2^128', async () => {
      const hashKey = hashKeyLimit.toString();
      assert.deepEqual(
        await putAll([record, { ...record, ExplicitHashKey: hashKey }]),
        awsError(
          'InvalidArgumentException',
          `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${hashKey}`,
        ),
      );
    });

    it('rejects more than 10 MiB in one request, and accepts exactly 10 MiB', async () => {
      const tooMuch = Array.from({ length: 11 }, () => ({ PartitionKey: 'k', Data: zeros(1_000_000) }));
      assert.deepEqual(
        await putAll(tooMuch),
        awsError(
          'InvalidArgumentException',
          'Records size exceeds 10 MB limit. Request size was 11000011 bytes.',
        ),
      );
      const exactly = Array.from({ length: 10 }, () => ({ PartitionKey: 'k', Data: zeros(MiB - 1) }));
      const reply = await putAll(exactly);
      assert.equal(reply.status, 200);
      assert.equal((reply.body as { FailedRecordCount: number }).FailedRecordCount, 0);
    });
  });
});

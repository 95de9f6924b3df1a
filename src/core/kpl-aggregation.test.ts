import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import {
  aggregate,
  AggregationFormatError,
  deaggregate,
  isAggregated,
  kplMagic,
  type UserRecord,
} from './kpl-aggregation.js';

// AWS's own JavaScript implementation (awslabs/kinesis-aggregation), as the independent side.
const require = createRequire(import.meta.url);
const awsAggregation = require('aws-kinesis-agg') as {
  RecordAggregator: new () => {
    addUserRecord(record: { partitionKey: string; explicitHashKey?: string; data: Buffer }): void;
    build(): { partitionKey: string; data: Buffer };
  };
  deaggregateSync(
    record: { partitionKey: string; data: string; sequenceNumber: string },
    computeChecksums: boolean,
    callback: (
      error: Error | null,
      records?: { partitionKey: string; explicitPartitionKey?: string; data: string }[],
    ) => void,
  ): void;
};

function randomRecords(count: number, seed: number): UserRecord[] {
  // No integer-like keys: AWS's library keeps its key table in a plain object, whose integer
  // keys JavaScript enumerates first, so it writes such tables out of order.
  const keys = ['a', 'ü-key', 'key-with-a-longer-name', `p${seed}`];
  return Array.from({ length: count }, (_, index) => {
    const data = randomBytes((index * 37 + seed) % 300);
    const partitionKey = keys[(index + seed) % keys.length] as string;
    return index % 3 === 0
      ? { partitionKey, explicitHashKey: String(BigInt(index) * 10n ** 30n), data }
      : { partitionKey, data };
  });
}

function theirDeaggregate(
  data: Buffer,
): { partitionKey: string; explicitPartitionKey?: string; data: string }[] {
  let result: { partitionKey: string; explicitPartitionKey?: string; data: string }[] | undefined;
  awsAggregation.deaggregateSync(
    { partitionKey: 'outer', data: data.toString('base64'), sequenceNumber: '1' },
    true,
    (error, records) => {
      if (error) throw error;
      result = records;
    },
  );
  assert.ok(result !== undefined);
  return result;
}

describe('KPL aggregation', () => {
  it('writes aggregates that AWS’s library reads back exactly', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const records = randomRecords(seed * 3, seed);
      const packed = aggregate(records);
      assert.ok(isAggregated(packed));
      const theirs = theirDeaggregate(packed);
      // Their decoder reads an absent hash key index as 0 (proto2's default), so hash keys are
      // compared only where a record has one.
      assert.deepEqual(
        theirs.map((record, index) => [
          record.partitionKey,
          records[index]?.explicitHashKey === undefined ? undefined : record.explicitPartitionKey,
          record.data,
        ]),
        records.map((record) => [
          record.partitionKey,
          record.explicitHashKey,
          record.data.toString('base64'),
        ]),
      );
    }
  });

  it('reads aggregates written by AWS’s library', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const records = randomRecords(seed * 2, seed).map(({ partitionKey, data }) => ({ partitionKey, data }));
      const aggregator = new awsAggregation.RecordAggregator();
      for (const record of records) aggregator.addUserRecord({ ...record });
      const built = aggregator.build();
      const ours = deaggregate(built.data, built.partitionKey);
      assert.deepEqual(
        ours.map((record) => [record.partitionKey, record.data.toString('hex')]),
        records.map((record) => [record.partitionKey, record.data.toString('hex')]),
      );
    }
  });

  it('passes ordinary records through, including ones that only look aggregated', () => {
    const plain = Buffer.from('{"hello":"world"}');
    assert.deepEqual(deaggregate(plain, 'pk'), [{ partitionKey: 'pk', data: plain }]);
    assert.deepEqual(deaggregate(plain, 'pk', '42'), [
      { partitionKey: 'pk', explicitHashKey: '42', data: plain },
    ]);
    // The magic alone, or an aggregate with a bad checksum, is data (as the KCL treats it).
    const packed = aggregate([{ partitionKey: 'k', data: Buffer.from('x') }]);
    const damaged = Buffer.from(packed);
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] as number) ^ 0xff;
    assert.equal(deaggregate(damaged, 'pk').length, 1);
    assert.equal(deaggregate(damaged, 'pk')[0]?.data, damaged);
    assert.equal(deaggregate(kplMagic, 'pk')[0]?.data, kplMagic);
    assert.deepEqual(deaggregate(aggregate([]), 'pk'), []);
  });

  it('rejects aggregates with a valid checksum but a damaged body', () => {
    const seal = (body: Buffer): Buffer =>
      Buffer.concat([kplMagic, body, createHash('md5').update(body).digest()]);
    // One record (field 3) whose partition key index 5 is outside an empty table.
    const badIndex = seal(Buffer.from([0x1a, 0x04, 0x08, 0x05, 0x1a, 0x00]));
    assert.throws(() => deaggregate(badIndex, 'pk'), AggregationFormatError);
    // A length running past the end.
    const truncated = seal(Buffer.from([0x0a, 0x7f, 0x61]));
    assert.throws(() => deaggregate(truncated, 'pk'), AggregationFormatError);
    // Wire type 3 (groups) is not used by this format.
    assert.throws(() => deaggregate(seal(Buffer.from([0x0b])), 'pk'), AggregationFormatError);
  });
});

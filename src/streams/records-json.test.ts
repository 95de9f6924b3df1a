import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { encodeJson } from '../protocol/json-codec.js';
import { encodeJsonBody } from '../protocol/own-json-body.js';
import { withRecordsJson, type WireRecord } from './records-json.js';

const keys = [
  'k',
  'pk-17',
  'with "quotes"',
  'back\\slash',
  'tab\there',
  'ünïcödé',
  '日本語',
  '😀',
  '\u0000\u001f',
  'a\ud800b',
];

function randomRecords(count: number, seed: number): WireRecord[] {
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) & 0x7fffffff);
  return Array.from({ length: count }, (_, index) => {
    const record: WireRecord = {
      SequenceNumber: String(49_600_000_000_000_000_000n + BigInt(next())),
      ApproximateArrivalTimestamp: new Date(1_700_000_000_000 + (next() % 100_000)),
      Data: randomBytes(next() % 7 === 0 ? 0 : next() % 300),
      PartitionKey: keys[next() % keys.length]! + index,
    };
    return next() % 5 === 0 ? { ...record, EncryptionType: next() % 2 === 0 ? 'KMS' : 'NONE' } : record;
  });
}

test('the GetRecords JSON writer gives the bytes encodeJson gives, for every output shape', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const records = randomRecords(seed * 7, seed);
    const outputs = [
      { Records: records, NextShardIterator: 'AAAA+/=' + seed, MillisBehindLatest: seed * 3 },
      {
        Records: records,
        MillisBehindLatest: 0,
        ChildShards: [
          {
            ShardId: 'shardId-000000000001',
            ParentShards: ['shardId-000000000000'],
            HashKeyRange: { StartingHashKey: '0', EndingHashKey: '1' },
          },
        ],
      },
      { Records: records },
    ];
    for (const output of outputs) {
      const expected = Buffer.from(encodeJson(output), 'utf8');
      const actual = encodeJsonBody(withRecordsJson({ ...output }));
      assert.equal(actual.toString('utf8'), expected.toString('utf8'));
      assert.ok(actual.equals(expected));
    }
  }
});

test('an empty page is written too', () => {
  const output = { Records: [], NextShardIterator: 'it', MillisBehindLatest: 0 };
  assert.equal(encodeJsonBody(withRecordsJson({ ...output })).toString(), encodeJson(output));
});

test('the writer is invisible to enumeration (CBOR and in-process callers)', () => {
  const output = withRecordsJson({ Records: randomRecords(2, 3), MillisBehindLatest: 0 });
  assert.deepEqual(Object.keys(output), ['Records', 'MillisBehindLatest']);
  assert.equal(JSON.parse(encodeJsonBody(output).toString()).Records.length, 2);
});

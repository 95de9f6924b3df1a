import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { encodeJson } from '../protocol/json-codec.js';
import { encodeJsonBody } from '../protocol/own-json-body.js';
import type { LogRecord } from '../log/log-store.js';
import { RecordBatch } from '../log/record-batch.js';
import { withBatchRecordsJson, withRecordsJson, type WireRecord } from './records-json.js';
import { formatSequenceNumber } from './sequence-number.js';

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

test('the batch writer gives the bytes encodeJson gives for the same records, numbered by the shard', () => {
  for (let seed = 1; seed <= 12; seed++) {
    let state = seed;
    const next = (): number => (state = (state * 1103515245 + 12345) & 0x7fffffff);
    const firstOffset = seed === 1 ? 0 : next() % 1_000_000;
    let timestampMs = 1_700_000_000_000 + (next() % 100_000);
    const stored: LogRecord[] = Array.from({ length: seed * 23 }, (_, index) => {
      // Several records per arrival millisecond, runs crossing second boundaries.
      if (next() % 4 === 0) timestampMs += next() % 700;
      return {
        offset: firstOffset + index,
        timestampMs,
        // As stored: through UTF-8 (a lone surrogate comes back as U+FFFD).
        partitionKey: Buffer.from(keys[next() % keys.length]! + index, 'utf8').toString('utf8'),
        data: randomBytes(next() % 7 === 0 ? 0 : next() % 300),
      };
    });
    const batch = RecordBatch.fromRecords(stored);
    const shard = { shardCreatedSeconds: 1_600_000_000 + seed, shardIndex: seed * 3 };
    for (const from of [0, 1, Math.floor(stored.length / 2), stored.length]) {
      for (const encryptionType of [undefined, 'NONE']) {
        const records: WireRecord[] = stored.slice(from).map((entry) => {
          const base = {
            SequenceNumber: formatSequenceNumber({
              ...shard,
              counter: BigInt(entry.offset) + 1n,
              arrivalSeconds: Math.floor(entry.timestampMs / 1000),
            }),
            ApproximateArrivalTimestamp: new Date(entry.timestampMs),
            Data: entry.data,
            PartitionKey: entry.partitionKey,
          };
          return encryptionType === undefined ? base : { ...base, EncryptionType: encryptionType };
        });
        const rests = [
          { NextShardIterator: 'AAAA+/=' + seed, MillisBehindLatest: seed },
          { MillisBehindLatest: 0 },
          {},
        ];
        for (const rest of rests) {
          const output = withBatchRecordsJson(
            { Records: records, ...rest },
            { batch, from, ...shard, encryptionType },
            rest,
          );
          const expected = encodeJson({ Records: records, ...rest });
          assert.equal(encodeJsonBody(output).toString('utf8'), expected);
        }
      }
    }
  }
});

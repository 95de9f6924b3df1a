import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryCatalog } from '../catalog/memory-catalog.js';
import { ManualClock } from '../core/clock.js';
import { ServiceError } from '../core/errors.js';
import type { LogRecord } from '../log/log-store.js';
import { Keyring, locateKey } from './keyring.js';
import { isSealed, RecordEncryption, SealedRecordError } from './record-encryption.js';
import { applyEncryptionChange, recordEncryptionChange } from './stream-encryption.js';
import type { StreamRecord } from './stream-model.js';

const hourMs = 3_600_000;

function streamRecord(overrides: Partial<StreamRecord> = {}): StreamRecord {
  return {
    streamId: 'stream-a',
    accountId: '000000000000',
    region: 'us-east-1',
    name: 'a',
    status: 'ACTIVE',
    mode: 'PROVISIONED',
    createdAtMs: 0,
    retentionHours: 24,
    shards: [],
    nextShardIndex: 0,
    tags: {},
    shardLevelMetrics: [],
    encryptionType: 'NONE',
    maxRecordSizeKiB: 1024,
    ...overrides,
  };
}

async function encrypted(
  encryption: RecordEncryption,
  base: StreamRecord,
  keyId: string,
  nowMs: number,
): Promise<StreamRecord> {
  const location = locateKey(keyId, base.accountId, base.region);
  const { wrapped } = await encryption.keyring.generateDataKey(location, base.streamId);
  return {
    ...base,
    ...applyEncryptionChange(base, { keyId, dataKey: { keyId, wrapped, createdAtMs: nowMs } }, nowMs),
  };
}

const asLogRecord = (sealed: { partitionKey: string; data: Uint8Array }, offset = 0): LogRecord => ({
  offset,
  timestampMs: 0,
  partitionKey: sealed.partitionKey,
  data: Buffer.from(sealed.data),
});

describe('record encryption', () => {
  it('names one key by its GUID, key ARN and lower/upper case; aliases apart; rejects other text', () => {
    const guid = '12345678-90ab-cdef-1234-567890ABCDEF';
    assert.deepEqual(locateKey(guid, '111111111111', 'eu-west-1'), {
      accountId: '111111111111',
      region: 'eu-west-1',
      name: 'key/12345678-90ab-cdef-1234-567890abcdef',
    });
    assert.deepEqual(
      locateKey(`arn:aws:kms:us-west-2:222222222222:key/${guid}`, '111111111111', 'eu-west-1'),
      {
        accountId: '222222222222',
        region: 'us-west-2',
        name: 'key/12345678-90ab-cdef-1234-567890abcdef',
      },
    );
    assert.equal(locateKey('arn:aws:kms:us-west-2:222222222222:alias/Mine', 'x', 'y').name, 'alias/Mine');
    assert.equal(locateKey('alias/aws/kinesis', 'x', 'y').name, 'alias/aws/kinesis');
    for (const bad of ['', 'foo', 'alias/', 'arn:aws:kms:us-east-1:1:key/x', `key/${guid}`]) {
      assert.throws(
        () => locateKey(bad, 'x', 'y'),
        (error: unknown) => error instanceof ServiceError && error.code === 'KMSNotFoundException',
      );
    }
  });

  it('round-trips records, hides data and partition key, and binds them to their stream', async () => {
    const clock = new ManualClock();
    const encryption = new RecordEncryption(new Keyring(new MemoryCatalog(), clock));
    const record = await encrypted(encryption, streamRecord(), 'alias/aws/kinesis', clock.nowMs());
    const writeKey = await encryption.writeKey(record);
    assert.ok(writeKey !== undefined);
    const sealed = encryption.seal(writeKey, 'user-ü-42', Buffer.from('payload-secret'));
    assert.ok(isSealed(sealed));
    assert.ok(!Buffer.from(sealed.data).includes('payload-secret'));
    assert.ok(!Buffer.from(sealed.data).includes('user-'));
    const entry = asLogRecord(sealed);
    const keys = await encryption.readKeys(record, [entry]);
    const opened = encryption.open(record, keys, entry);
    assert.equal(opened?.partitionKey, 'user-ü-42');
    assert.equal(opened?.data.toString(), 'payload-secret');

    const empty = asLogRecord(encryption.seal(writeKey, 'k', Buffer.alloc(0)));
    assert.equal(encryption.open(record, keys, empty)?.data.length, 0);

    const tampered = Buffer.from(entry.data);
    tampered[tampered.length - 20] = (tampered[tampered.length - 20] as number) ^ 1;
    assert.throws(() => encryption.open(record, keys, { ...entry, data: tampered }), SealedRecordError);
    // The same bytes presented as another stream's record fail authentication.
    const other = { ...record, streamId: 'stream-b' };
    assert.throws(() => encryption.open(other, keys, entry), SealedRecordError);
    assert.throws(
      () => encryption.open(record, keys, { ...entry, data: Buffer.from([1, 0]) }),
      SealedRecordError,
    );
  });

  it('keeps old keys readable across key changes and a stop, and drops them after retention', async () => {
    const clock = new ManualClock();
    const catalog = new MemoryCatalog();
    const encryption = new RecordEncryption(new Keyring(catalog, clock));
    const first = await encrypted(encryption, streamRecord(), 'alias/one', clock.nowMs());
    const firstKey = await encryption.writeKey(first);
    assert.ok(firstKey !== undefined);
    const old = asLogRecord(encryption.seal(firstKey, 'p', Buffer.from('old')));

    clock.advance(hourMs);
    const second = await encrypted(encryption, first, 'alias/two', clock.nowMs());
    assert.deepEqual(
      second.dataKeys?.map((key) => [key.epoch, key.keyId, key.retiredAtMs]),
      [
        [1, 'alias/one', clock.nowMs()],
        [2, 'alias/two', undefined],
      ],
    );
    const secondKey = await encryption.writeKey(second);
    assert.equal(secondKey?.epoch, 2);

    clock.advance(hourMs);
    const stopped = { ...second, ...applyEncryptionChange(second, {}, clock.nowMs()) };
    assert.equal(stopped.encryptionType, 'NONE');
    assert.equal(stopped.keyId, undefined);
    assert.equal(await encryption.writeKey(stopped), undefined);
    // A fresh service (a restart) unwraps the old key through the keyring in the catalog.
    const restarted = new RecordEncryption(new Keyring(catalog, clock));
    const keys = await restarted.readKeys(stopped, [old]);
    assert.equal(restarted.open(stopped, keys, old)?.data.toString(), 'old');

    clock.advance(25 * hourMs);
    const later = { ...stopped, ...applyEncryptionChange(stopped, {}, clock.nowMs()) };
    assert.deepEqual(later.dataKeys, []);
    const noKeys = await restarted.readKeys(later, [old]);
    assert.equal(restarted.open(later, noKeys, old), undefined);
  });

  it('allows 25 starts (or stops) in a rolling 24 hours, then LimitExceededException', () => {
    const record = streamRecord();
    let times: number[] = [];
    for (let call = 0; call < 25; call++) {
      times = recordEncryptionChange(record, times, 'StartStreamEncryption', call * 1000);
    }
    assert.throws(
      () => recordEncryptionChange(record, times, 'StartStreamEncryption', 30_000),
      (error: unknown) => error instanceof ServiceError && error.code === 'LimitExceededException',
    );
    assert.equal(recordEncryptionChange(record, times, 'StartStreamEncryption', 24 * hourMs + 1).length, 25);
  });
});

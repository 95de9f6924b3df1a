/**
 * How the limits in `src/core/limits.ts` relate: each relation is a promise one part of the server
 * makes to another (the HTTP body cap must admit the largest legal PutRecords, iterators must fit
 * the model's 512 characters, and so on), so changing one limit alone fails here first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controlPlaneRates, limits, sizeUnits } from '../../src/core/limits.js';
import { eventStreamMessageBytesMax } from '../../src/protocol/event-stream.js';

const { KiB, MiB } = sizeUnits;

/** Length of base64 (with padding) for `bytes` bytes. */
const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3);

/**
 * A JSON PutRecords body carrying `putRecordsBytesMax` of data in `putRecordsCountMax` records,
 * with the longest partition keys and hash keys: the largest body a client may legally send.
 */
function largestPutRecordsBodyBytes(): number {
  const perRecordOverhead =
    '{"Data":"","PartitionKey":"","ExplicitHashKey":""},'.length +
    limits.partitionKeyLengthMax * 3 + // escaped or multi-byte characters, generously
    39; // the longest hash key
  const streamName = '{"StreamName":"","Records":[]}'.length + limits.streamNameLengthMax;
  return (
    base64Length(limits.putRecordsBytesMax) +
    // base64 is computed per record: each record may add up to 2 bytes of padding.
    limits.putRecordsCountMax * (perRecordOverhead + 3) +
    streamName
  );
}

describe('limits', () => {
  it('has the AWS values', () => {
    assert.equal(limits.recordBytesMax, 1 * MiB);
    assert.equal(limits.recordDataBytesModelMax, 10 * MiB);
    assert.equal(limits.putRecordsBytesMax, 10 * MiB);
    assert.equal(limits.putRecordsCountMax, 500);
    assert.equal(limits.partitionKeyLengthMax, 256);
    assert.equal(limits.getRecordsCountMax, 10_000);
    assert.equal(limits.shardIteratorLengthMax, 512);
    assert.equal(limits.shardIteratorLifetimeMs, 300_000);
    assert.equal(limits.nextTokenLifetimeMs, 300_000);
    assert.equal(limits.streamNameLengthMax, 128);
    assert.equal(limits.shardCountMax, 10_000);
    assert.equal(limits.tagsPerStreamMax, 50);
    assert.equal(limits.describeStreamShardsMax, 100);
    assert.equal(limits.listShardsResultsMax, 1000);
    assert.equal(limits.listStreamsResultsMax, 100);
    assert.equal(limits.defaultShardCount, 4);
    assert.equal(limits.onDemandInitialShardCount, 4);
  });

  it('accepts a request body big enough for the largest legal PutRecords as base64 JSON', () => {
    assert.ok(limits.requestBodyBytesMax >= base64Length(limits.putRecordsBytesMax));
    assert.ok(
      limits.requestBodyBytesMax >= largestPutRecordsBodyBytes(),
      `${limits.requestBodyBytesMax} < ${largestPutRecordsBodyBytes()}`,
    );
  });

  it('accepts a request body big enough for one record at the largest MaxRecordSizeInKiB', () => {
    assert.ok(limits.requestBodyBytesMax >= base64Length(limits.recordDataBytesModelMax) + 64 * KiB);
  });

  it('keeps a single record within what one PutRecords may carry', () => {
    assert.ok(limits.recordBytesMax <= limits.putRecordsBytesMax);
    assert.ok(limits.recordDataBytesModelMax <= limits.putRecordsBytesMax);
    assert.ok(limits.recordBytesMax <= limits.recordDataBytesModelMax);
    assert.ok(limits.partitionKeyLengthMax * 4 < limits.recordBytesMax, 'a key alone never fills a record');
  });

  it('lets GetRecords return at least one largest record, and at most one PutRecords worth per call', () => {
    assert.ok(limits.getRecordsBytesMax >= limits.recordDataBytesModelMax);
    assert.ok(limits.getRecordsBytesMax >= limits.putRecordsBytesMax);
    assert.ok(limits.getRecordsCountMax >= limits.putRecordsCountMax);
  });

  it('keeps iterators and tokens alive for the same 300 s as AWS', () => {
    assert.equal(limits.shardIteratorLifetimeMs, limits.nextTokenLifetimeMs);
    assert.ok(limits.shardIteratorLengthMax <= 512, 'the model caps ShardIterator at 512 characters');
  });

  it('leaves room for an iterator of the longest stream name within 512 characters', () => {
    // Sealed iterator: 8-byte prefix, 12-byte nonce, 16-byte tag, and a payload of 29 fixed bytes
    // plus region, account and name with a length byte each (see streams/shard-iterator.ts).
    const longestRegion = 'us-isob-east-1'.length + 4;
    const payloadBytes = 29 + 3 + longestRegion + 12 + limits.streamNameLengthMax;
    const sealedBytes = 8 + 12 + payloadBytes + 16;
    assert.ok(base64Length(sealedBytes) <= limits.shardIteratorLengthMax, `${base64Length(sealedBytes)}`);
  });

  it('pages no more than the model allows to ask for', () => {
    for (const pageMax of [
      limits.describeStreamShardsMax,
      limits.listShardsResultsMax,
      limits.listStreamsResultsMax,
    ]) {
      assert.ok(pageMax >= 1 && pageMax <= 10_000);
    }
    assert.ok(limits.listShardsResultsMax >= limits.describeStreamShardsMax);
  });

  it('keeps shard counts consistent', () => {
    assert.ok(limits.defaultShardCount >= 1 && limits.defaultShardCount <= limits.shardCountMax);
    assert.ok(limits.onDemandInitialShardCount <= limits.accountShardLimitDefault);
    assert.ok(limits.defaultShardCount <= limits.accountShardLimitDefault);
  });

  it('keeps retention within AWS bounds', () => {
    assert.equal(limits.retentionHoursMin, 24);
    assert.equal(limits.retentionHoursMax, 8760);
    assert.ok(limits.retentionHoursMin <= limits.retentionHoursDefault);
    assert.ok(limits.retentionHoursDefault <= limits.retentionHoursMax);
  });

  it('makes the default status transition short next to SDK waiters', () => {
    assert.ok(limits.transitionDelayMsDefault > 0 && limits.transitionDelayMsDefault <= 10_000);
  });

  it('keeps enhanced fan-out within AWS rules and one event within an event-stream message', () => {
    assert.equal(limits.consumersPerStreamMax, 20);
    assert.equal(limits.consumersCreatingMax, 5);
    assert.ok(limits.consumersCreatingMax <= limits.consumersPerStreamMax);
    assert.equal(limits.subscriptionLifetimeMs, 300_000);
    assert.equal(limits.subscriptionHeartbeatMs, 5_000);
    assert.ok(limits.subscriptionHeartbeatMs < limits.subscriptionLifetimeMs);
    // An event holds up to its byte budget, or one record alone when that is larger: as base64
    // JSON either must fit AWS's 16 MiB message limit, with room for the rest of the event.
    const largestRecordBytes = limits.recordDataBytesModelMax + limits.partitionKeyLengthMax * 3;
    const eventBytes = base64Length(Math.max(limits.subscribeEventBytesMax, largestRecordBytes)) + 64 * KiB;
    assert.ok(eventBytes <= eventStreamMessageBytesMax, `${eventBytes} > ${eventStreamMessageBytesMax}`);
  });

  it('has the AWS throughput and rates, and lets the largest legal write and read through', () => {
    assert.equal(limits.shardWriteBytesPerSecond, 1 * MiB);
    assert.equal(limits.shardWriteRecordsPerSecond, 1000);
    assert.equal(limits.shardReadCallsPerSecond, 5);
    assert.equal(limits.shardReadBytesPerSecond, 2 * MiB);
    assert.equal(limits.shardIteratorCallsPerSecond, 5);
    assert.equal(limits.subscriptionBytesPerSecond, 2 * MiB);
    assert.equal(limits.streamsTransitioningMax, 5);
    assert.equal(limits.shardCountUpdatesPerDayMax, 10);
    assert.equal(limits.streamModeSwitchesPerDayMax, 2);
    assert.equal(controlPlaneRates.CreateStream?.perSecond, 5);
    assert.equal(controlPlaneRates.DescribeStream?.perSecond, 10);
    assert.equal(controlPlaneRates.DescribeStreamSummary?.perSecond, 20);
    assert.equal(controlPlaneRates.DescribeLimits?.perSecond, 1);
    // A full bucket admits a whole PutRecords to one shard (500 records) and one default-size
    // record; larger ones are admitted from a full bucket into debt (core/token-bucket.ts).
    assert.ok(limits.shardWriteRecordsPerSecond * limits.burstSeconds >= limits.putRecordsCountMax);
    assert.ok(limits.shardWriteBytesPerSecond * limits.burstSeconds >= limits.recordBytesMax);
    assert.ok(limits.burstSeconds >= 1, 'a bucket holds at least one second of its rate');
    // Fan-out pacing never holds an event for longer than the heartbeat allows.
    assert.ok(
      limits.subscribeEventBytesMax / limits.subscriptionBytesPerSecond <
        limits.subscriptionHeartbeatMs / 1000,
    );
  });

  it('starts on-demand streams with the write capacity AWS documents (4 MiB/s)', () => {
    assert.equal(limits.onDemandInitialShardCount * limits.shardWriteBytesPerSecond, 4 * MiB);
    assert.equal(limits.onDemandPeakFactor, 2);
    assert.equal(limits.onDemandWindowMsDefault, 30 * 24 * 3_600_000);
    assert.ok(limits.onDemandIntervalMsDefault < limits.onDemandWindowMsDefault);
  });
});

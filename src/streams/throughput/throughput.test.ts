/**
 * The rate-limit parts on a manual clock: per-shard throughput, control-plane rates, fault
 * injection, the sliding peak and the on-demand shard target.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../core/clock.js';
import { ServiceError } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { ControlPlaneRates } from './control-plane-rates.js';
import { FaultInjector } from './fault-injector.js';
import { onDemandShardTarget } from './on-demand-scaler.js';
import { ShardThroughput, type ThrottleEvent } from './shard-throughput.js';
import { SlidingPeak } from './sliding-peak.js';

const stream = { accountId: '111122223333', region: 'us-east-1', name: 'orders' };
const scope = { accountId: '111122223333', region: 'us-east-1' };

function thrown(run: () => void): ServiceError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    return error;
  }
  assert.fail('expected an error');
}

describe('ShardThroughput', () => {
  it('admits 1,000 records a second per shard and refuses the next with AWS text', () => {
    const clock = new ManualClock();
    const events: ThrottleEvent[] = [];
    const shards = new ShardThroughput(clock, (event) => events.push(event));
    for (let record = 0; record < 1000; record++) {
      assert.equal(shards.admitWrite(stream, 0, 'log-0', 10, 'PutRecords'), undefined);
    }
    assert.deepEqual(shards.admitWrite(stream, 0, 'log-0', 10, 'PutRecords'), {
      errorCode: 'ProvisionedThroughputExceededException',
      errorMessage:
        'Rate exceeded for shard shardId-000000000000 in stream orders under account 111122223333.',
    });
    assert.equal(shards.admitWrite(stream, 1, 'log-1', 10, 'PutRecords'), undefined, 'another shard');
    assert.deepEqual(events, [
      {
        kind: 'write',
        operation: 'PutRecords',
        accountId: '111122223333',
        region: 'us-east-1',
        streamName: 'orders',
        shardId: 'shardId-000000000000',
        count: 1,
      },
    ]);
    clock.advance(1);
    assert.equal(shards.admitWrite(stream, 0, 'log-0', 10, 'PutRecord'), undefined, 'one record per ms');
  });

  it('admits 1 MiB a second per shard', () => {
    const clock = new ManualClock();
    const shards = new ShardThroughput(clock, () => undefined);
    const quarter = limits.shardWriteBytesPerSecond / 4;
    for (let record = 0; record < 4; record++)
      assert.equal(shards.admitWrite(stream, 0, 'l', quarter, 'PutRecord'), undefined);
    assert.notEqual(shards.admitWrite(stream, 0, 'l', 1, 'PutRecord'), undefined);
    clock.advance(250);
    assert.equal(shards.admitWrite(stream, 0, 'l', quarter, 'PutRecord'), undefined);
  });

  it('refuses the sixth GetRecords in a second, and reads after a 10 MiB read for about 4 s', () => {
    const clock = new ManualClock();
    const events: ThrottleEvent[] = [];
    const shards = new ShardThroughput(clock, (event) => events.push(event));
    for (let call = 0; call < 5; call++) shards.admitRead(stream, 2, 'log-2');
    const error = thrown(() => shards.admitRead(stream, 2, 'log-2'));
    assert.equal(error.code, 'ProvisionedThroughputExceededException');
    assert.equal(error.message, 'Rate exceeded for Shard - 111122223333/orders/shardId-000000000002');
    assert.equal(events[0]?.kind, 'read');
    clock.advance(1000);
    shards.admitRead(stream, 2, 'log-2');
    shards.chargeRead('log-2', 10 * 1024 * 1024);
    clock.advance(3900);
    assert.equal(
      thrown(() => shards.admitRead(stream, 2, 'log-2')).code,
      'ProvisionedThroughputExceededException',
    );
    clock.advance(200);
    shards.admitRead(stream, 2, 'log-2');
  });

  it('refuses the sixth GetShardIterator in a second', () => {
    const clock = new ManualClock();
    const shards = new ShardThroughput(clock, () => undefined);
    for (let call = 0; call < 5; call++) shards.admitIterator(stream, 0, 'log-0');
    const error = thrown(() => shards.admitIterator(stream, 0, 'log-0'));
    assert.equal(error.code, 'ProvisionedThroughputExceededException');
    assert.equal(
      error.message,
      'Rate exceeded for shard shardId-000000000000 in stream orders under account 111122223333.',
    );
  });
});

describe('ControlPlaneRates', () => {
  it('refuses the sixth CreateStream in a second per account, and counts accounts apart', () => {
    const clock = new ManualClock();
    const rates = new ControlPlaneRates(clock);
    for (let call = 0; call < 5; call++) rates.admit('CreateStream', scope, { StreamName: `s${call}` });
    const error = thrown(() => rates.admit('CreateStream', scope, { StreamName: 's5' }));
    assert.equal(error.code, 'LimitExceededException');
    assert.equal(error.message, 'Rate exceeded for stream s5 under account 111122223333.');
    rates.admit('CreateStream', { ...scope, accountId: '999988887777' }, { StreamName: 's5' });
    clock.advance(200);
    rates.admit('CreateStream', scope, { StreamName: 's5' });
  });

  it('says the account when no stream is named, and leaves unlisted operations alone', () => {
    const clock = new ManualClock();
    const rates = new ControlPlaneRates(clock);
    for (let call = 0; call < 5; call++) rates.admit('ListStreams', scope, {});
    assert.equal(
      thrown(() => rates.admit('ListStreams', scope, {})).message,
      'Rate exceeded for account 111122223333.',
    );
    for (let call = 0; call < 100; call++) rates.admit('SubscribeToShard', scope, {});
  });

  it('limits per stream where AWS does (ListStreamConsumers, 5/s per stream)', () => {
    const clock = new ManualClock();
    const rates = new ControlPlaneRates(clock);
    const arnA = 'arn:aws:kinesis:us-east-1:111122223333:stream/a';
    const arnB = 'arn:aws:kinesis:us-east-1:111122223333:stream/b';
    for (let call = 0; call < 5; call++) rates.admit('ListStreamConsumers', scope, { StreamARN: arnA });
    assert.equal(
      thrown(() => rates.admit('ListStreamConsumers', scope, { StreamARN: arnA })).code,
      'LimitExceededException',
    );
    rates.admit('ListStreamConsumers', scope, { StreamARN: arnB });
    // A consumer ARN counts toward its stream.
    for (let call = 0; call < 20; call++) {
      rates.admit('DescribeStreamConsumer', scope, { ConsumerARN: `${arnA}/consumer/c:1` });
    }
    assert.throws(() => rates.admit('DescribeStreamConsumer', scope, { StreamARN: arnA, ConsumerName: 'c' }));
  });
});

describe('FaultInjector', () => {
  it('fails about the configured fractions of data-plane requests, the same ones for a seed', () => {
    const outcomes = (seed: number): string[] => {
      const faults = new FaultInjector({ throttleRate: 0.2, internalRate: 0.1, seed });
      const seen: string[] = [];
      for (let call = 0; call < 10_000; call++) {
        try {
          faults.maybeFail('PutRecord', scope, { StreamName: 'orders' });
          seen.push('ok');
        } catch (error) {
          seen.push((error as ServiceError).code);
        }
      }
      return seen;
    };
    const first = outcomes(7);
    assert.deepEqual(outcomes(7), first);
    assert.notDeepEqual(outcomes(8), first);
    const count = (code: string): number => first.filter((outcome) => outcome === code).length;
    assert.ok(
      Math.abs(count('ProvisionedThroughputExceededException') - 2000) < 200,
      `${count('ProvisionedThroughputExceededException')}`,
    );
    assert.ok(Math.abs(count('InternalFailure') - 1000) < 150, `${count('InternalFailure')}`);
  });

  it('leaves control-plane requests alone', () => {
    const faults = new FaultInjector({ throttleRate: 1, internalRate: 0, seed: 1 });
    faults.maybeFail('CreateStream', scope, {});
    const error = thrown(() => faults.maybeFail('GetRecords', scope, {}));
    assert.equal(error.status, 400);
    const internal = new FaultInjector({ throttleRate: 0, internalRate: 1, seed: 1 });
    const failure = thrown(() => internal.maybeFail('GetShardIterator', scope, {}));
    assert.deepEqual([failure.code, failure.status], ['InternalFailure', 500]);
  });
});

describe('on-demand scaling', () => {
  it('keeps the peak within the window', () => {
    const peak = new SlidingPeak(1000);
    peak.add(0, 5);
    peak.add(100, 3);
    peak.add(200, 4);
    assert.equal(peak.peak(200), 5);
    assert.equal(peak.peak(1000), 4, 'the first sample left the window');
    assert.equal(peak.peak(1300), 0);
  });

  it('targets twice the peak, at least the 4 starting shards', () => {
    const MiB = 1024 * 1024;
    assert.equal(onDemandShardTarget(0, 0), 4);
    assert.equal(onDemandShardTarget(1 * MiB, 0), 4);
    assert.equal(onDemandShardTarget(3 * MiB, 0), 6);
    assert.equal(onDemandShardTarget(0, 2500), 5);
    assert.equal(onDemandShardTarget(100_000 * MiB, 0), limits.shardCountMax);
  });
});

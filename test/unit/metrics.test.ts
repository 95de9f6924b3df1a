/**
 * The metrics core (`src/core/metrics.ts`): the text exposition is exact (inline snapshot) and
 * reads back through an independent parser with the same values, escapes and buckets; removed
 * series disappear; and the stream metrics' throttling hooks and shard-level switches.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsRegistry } from '../../src/core/metrics.js';
import { StreamMetrics } from '../../src/streams/stream-metrics.js';
import type { StreamRecord } from '../../src/streams/stream-model.js';
import { parsePrometheusText, samplesOf, valueOf } from '../helpers/prometheus-text.js';

describe('metrics registry', () => {
  it('renders the text format 0.0.4 exactly', () => {
    const registry = new MetricsRegistry();
    const requests = registry.counter('demo_requests_total', 'Requests seen.', ['method']);
    requests.child('GET').inc();
    requests.child('POST').inc(41);
    registry.gauge('demo_temperature', 'A gauge\nwith a line feed and a \\ backslash.').child().set(-1.5);
    const latency = registry.histogram('demo_latency_seconds', 'Latency.', ['stream'], [0.1, 1]);
    latency.child('a').observe(0.05);
    latency.child('a').observe(0.1);
    latency.child('a').observe(3);
    registry.counter('demo_unused_total', 'Never given a child: not rendered.');
    assert.equal(
      registry.render(),
      [
        '# HELP demo_requests_total Requests seen.',
        '# TYPE demo_requests_total counter',
        'demo_requests_total{method="GET"} 1',
        'demo_requests_total{method="POST"} 41',
        '# HELP demo_temperature A gauge\\nwith a line feed and a \\\\ backslash.',
        '# TYPE demo_temperature gauge',
        'demo_temperature -1.5',
        '# HELP demo_latency_seconds Latency.',
        '# TYPE demo_latency_seconds histogram',
        'demo_latency_seconds_bucket{stream="a",le="0.1"} 2',
        'demo_latency_seconds_bucket{stream="a",le="1"} 2',
        'demo_latency_seconds_bucket{stream="a",le="+Inf"} 3',
        'demo_latency_seconds_sum{stream="a"} 3.15',
        'demo_latency_seconds_count{stream="a"} 3',
        '',
      ].join('\n'),
    );
  });

  it('parses back: escaped label values, help text, special values and cumulative buckets', () => {
    const registry = new MetricsRegistry();
    const awkward = 'quote " backslash \\ line\nfeed, comma } brace';
    registry
      .counter('round_trip_total', 'Help with \\ and\nnewline.', ['name', 'other'])
      .child(awkward, '')
      .inc(7);
    const gauges = registry.gauge('round_trip_special', 'Special values.', ['kind']);
    gauges.child('inf').set(Infinity);
    gauges.child('nan').set(NaN);
    gauges.child('big').set(2 ** 53);
    const histogram = registry.histogram('round_trip_seconds', 'H.', [], [1, 2, 4]);
    for (const value of [0.5, 1.5, 1.5, 3, 100]) histogram.child().observe(value);

    const parsed = parsePrometheusText(registry.render());
    assert.equal(valueOf(parsed, 'round_trip_total', { name: awkward, other: '' }), 7);
    assert.equal(parsed.help.get('round_trip_total'), 'Help with \\ and\nnewline.');
    assert.equal(parsed.types.get('round_trip_seconds'), 'histogram');
    assert.equal(valueOf(parsed, 'round_trip_special', { kind: 'inf' }), Infinity);
    assert.ok(Number.isNaN(valueOf(parsed, 'round_trip_special', { kind: 'nan' })));
    assert.equal(valueOf(parsed, 'round_trip_special', { kind: 'big' }), 2 ** 53);
    const buckets = samplesOf(parsed, 'round_trip_seconds_bucket').map((sample) => [
      sample.labels.le,
      sample.value,
    ]);
    assert.deepEqual(buckets, [
      ['1', 1],
      ['2', 3],
      ['4', 4],
      ['+Inf', 5],
    ]);
    assert.equal(valueOf(parsed, 'round_trip_seconds_count'), 5);
    assert.equal(valueOf(parsed, 'round_trip_seconds_sum'), 106.5);
  });

  it('drops removed series and runs refresh hooks before rendering', () => {
    const registry = new MetricsRegistry();
    const family = registry.gauge('series_bytes', 'Bytes.', ['stream']);
    for (const stream of ['a', 'b', 'c']) family.child(stream).set(1);
    family.remove('b');
    family.removeWhere((values) => values[0] === 'c');
    let refreshed = 0;
    const kept = family.child('a');
    // A refresh that sets a child held aside: once removed, that child is no longer rendered.
    registry.beforeRender(() => {
      refreshed++;
      kept.set(refreshed * 10);
    });
    const parsed = parsePrometheusText(registry.render());
    assert.deepEqual(
      parsed.samples.map((sample) => [sample.labels.stream, sample.value]),
      [['a', 10]],
    );
    family.remove('a');
    assert.equal(registry.render(), '');
  });

  it('refuses invalid names, label counts and buckets', () => {
    const registry = new MetricsRegistry();
    assert.throws(() => registry.counter('bad-name', 'x'));
    assert.throws(() => registry.counter('ok_total', 'x', ['bad-label']));
    assert.throws(() => registry.histogram('h', 'x', ['le'], [1]));
    assert.throws(() => registry.histogram('h2', 'x', [], [2, 1]));
    const family = registry.counter('twice_total', 'x', ['a']);
    assert.throws(() => registry.counter('twice_total', 'x'));
    assert.throws(() => family.child('one', 'two'));
  });
});

function streamRecord(overrides: Partial<StreamRecord> = {}): StreamRecord {
  return {
    streamId: 'id1',
    accountId: '111122223333',
    region: 'eu-west-1',
    name: 'orders',
    status: 'ACTIVE',
    mode: 'PROVISIONED',
    createdAtMs: 0,
    retentionHours: 24,
    shards: [0, 1].map((index) => ({
      index,
      startingHashKey: '0',
      endingHashKey: '1',
      createdAtMs: 0,
    })),
    nextShardIndex: 2,
    tags: {},
    shardLevelMetrics: [],
    encryptionType: 'NONE',
    maxRecordSizeKiB: 1024,
    ...overrides,
  };
}

describe('stream metrics', () => {
  const key = 'streams/111122223333/eu-west-1/orders';
  const stream = { account: '111122223333', region: 'eu-west-1', stream: 'orders' };
  const shard1 = { ...stream, shard: 'shardId-000000000001' };

  it('counts the throttling hooks per stream, and per shard only when enabled', () => {
    const registry = new MetricsRegistry();
    const metrics = new StreamMetrics(registry);
    metrics.track(key, streamRecord());
    const identity = { accountId: '111122223333', region: 'eu-west-1', name: 'orders' };
    metrics.recordWriteThrottled(identity, 1, 3);
    metrics.recordReadThrottled(identity, 1);
    metrics.recordSubscribeRateExceeded(identity);
    metrics.recordWriteThrottled({ ...identity, name: 'unknown' }, 0, 5);
    let parsed = parsePrometheusText(registry.render());
    assert.equal(valueOf(parsed, 'tributary_kinesis_write_provisioned_throughput_exceeded_total', stream), 3);
    assert.equal(valueOf(parsed, 'tributary_kinesis_read_provisioned_throughput_exceeded_total', stream), 1);
    assert.equal(valueOf(parsed, 'tributary_kinesis_subscribe_to_shard_rate_exceeded_total', stream), 1);
    assert.equal(
      samplesOf(parsed, 'tributary_kinesis_shard_write_provisioned_throughput_exceeded_total').length,
      0,
    );

    metrics.track(
      key,
      streamRecord({
        shardLevelMetrics: ['WriteProvisionedThroughputExceeded', 'ReadProvisionedThroughputExceeded'],
      }),
    );
    metrics.recordWriteThrottled(identity, 1, 2);
    metrics.recordReadThrottled(identity, 1);
    metrics.recordReadThrottled(identity, 1);
    parsed = parsePrometheusText(registry.render());
    assert.equal(valueOf(parsed, 'tributary_kinesis_write_provisioned_throughput_exceeded_total', stream), 5);
    assert.equal(
      valueOf(parsed, 'tributary_kinesis_shard_write_provisioned_throughput_exceeded_total', shard1),
      2,
    );
    assert.equal(
      valueOf(parsed, 'tributary_kinesis_shard_read_provisioned_throughput_exceeded_total', shard1),
      2,
    );
    // Both open shards show up as soon as the names are enabled, shard 0 at zero.
    assert.equal(
      valueOf(parsed, 'tributary_kinesis_shard_write_provisioned_throughput_exceeded_total', {
        ...stream,
        shard: 'shardId-000000000000',
      }),
      0,
    );
    assert.equal(samplesOf(parsed, 'tributary_kinesis_shard_incoming_bytes_total').length, 0);

    metrics.track(key, streamRecord({ shardLevelMetrics: ['ReadProvisionedThroughputExceeded'] }));
    parsed = parsePrometheusText(registry.render());
    assert.equal(
      samplesOf(parsed, 'tributary_kinesis_shard_write_provisioned_throughput_exceeded_total').length,
      0,
    );
    assert.equal(
      valueOf(parsed, 'tributary_kinesis_shard_read_provisioned_throughput_exceeded_total', shard1),
      2,
    );
  });

  it('removes every series of an untracked stream and restarts a re-created one at zero', () => {
    const registry = new MetricsRegistry();
    const metrics = new StreamMetrics(registry, {
      storedBytesOf: (logId) => (logId.startsWith('id1-') ? 100 : 7),
    });
    metrics.track(key, streamRecord({ shardLevelMetrics: ['IncomingBytes'] }));
    metrics.track('streams/111122223333/eu-west-1/other', streamRecord({ streamId: 'id9', name: 'other' }));
    const series = metrics.series(key);
    assert.ok(series !== undefined);
    metrics.recordIncoming(series, 1, 2, 30);
    let parsed = parsePrometheusText(registry.render());
    assert.equal(valueOf(parsed, 'tributary_kinesis_incoming_bytes_total', stream), 30);
    assert.equal(valueOf(parsed, 'tributary_kinesis_shard_incoming_bytes_total', shard1), 30);
    assert.equal(valueOf(parsed, 'tributary_storage_log_bytes', stream), 200);
    assert.equal(valueOf(parsed, 'tributary_storage_log_bytes', { ...stream, stream: 'other' }), 14);

    metrics.track(key, streamRecord({ streamId: 'id2', shardLevelMetrics: ['IncomingBytes'] }));
    parsed = parsePrometheusText(registry.render());
    assert.equal(valueOf(parsed, 'tributary_kinesis_incoming_bytes_total', stream), 0);
    assert.equal(valueOf(parsed, 'tributary_kinesis_shard_incoming_bytes_total', shard1), 0);

    metrics.untrack(key);
    parsed = parsePrometheusText(registry.render());
    const ofOrders = parsed.samples.filter((sample) => sample.labels.stream === 'orders');
    assert.deepEqual(ofOrders, []);
    assert.equal(
      valueOf(parsed, 'tributary_kinesis_incoming_bytes_total', { ...stream, stream: 'other' }),
      0,
    );
  });
});

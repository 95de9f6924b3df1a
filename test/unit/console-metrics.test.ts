/**
 * The console's reading of /metrics (web/src/metrics): the lenient Prometheus text parser, the
 * CloudWatch name in HELP texts, and the history that turns counters into per-second rates and
 * keeps gauges as read. Pure functions, run under Node.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  appendSnapshot,
  familiesWith,
  seriesValues,
  timesInSeconds,
  valueIn,
  type SeriesQuery,
  type Snapshot,
} from '../../web/src/metrics/metric-history.js';
import { cloudWatchNameOf, parsePrometheusText } from '../../web/src/metrics/prometheus-text.js';

const stream = { account: '000000000000', region: 'us-east-1', stream: 'test-kinesis' };

function exposition(records: number, iteratorAgeMs: number, shardAges: readonly number[] = []): string {
  return [
    '# HELP tributary_kinesis_incoming_records_total Records successfully put. CloudWatch: IncomingRecords.',
    '# TYPE tributary_kinesis_incoming_records_total counter',
    `tributary_kinesis_incoming_records_total{account="000000000000",region="us-east-1",stream="test-kinesis"} ${records}`,
    `tributary_kinesis_incoming_records_total{account="000000000000",region="us-east-1",stream="other"} 999`,
    '# HELP tributary_kinesis_get_records_iterator_age_milliseconds Age. CloudWatch: GetRecords.IteratorAgeMilliseconds.',
    '# TYPE tributary_kinesis_get_records_iterator_age_milliseconds gauge',
    `tributary_kinesis_get_records_iterator_age_milliseconds{account="000000000000",region="us-east-1",stream="test-kinesis"} ${iteratorAgeMs}`,
    '# TYPE tributary_kinesis_shard_iterator_age_milliseconds gauge',
    ...shardAges.map(
      (age, shard) =>
        `tributary_kinesis_shard_iterator_age_milliseconds{account="000000000000",region="us-east-1",stream="test-kinesis",shard="shardId-00000000000${shard}"} ${age}`,
    ),
    '',
  ].join('\n');
}

function snapshot(timeMs: number, text: string): Snapshot {
  return { timeMs, exposition: parsePrometheusText(text) };
}

describe('console metrics: Prometheus text', () => {
  it('reads samples, labels with escapes, TYPE and HELP, and skips what it cannot read', () => {
    const parsed = parsePrometheusText(
      [
        '# a plain comment',
        '# HELP requests_total Requests \\\\ served\\nper path. CloudWatch: PutRecords.Success (shard level).',
        '# TYPE requests_total counter',
        'requests_total{path="/a\\"b\\\\c\\nd",code="200"} 12 1700000000000',
        'requests_total{path="/x",} 3e2',
        'temperature -1.5',
        'broken{label=unquoted} 1',
        'not_a_number 12abc',
        '# TYPE odd nonsense',
        'up +Inf',
        '',
      ].join('\n'),
    );
    assert.deepEqual(parsed.samples, [
      { name: 'requests_total', labels: { path: '/a"b\\c\nd', code: '200' }, value: 12 },
      { name: 'requests_total', labels: { path: '/x' }, value: 300 },
      { name: 'temperature', labels: {}, value: -1.5 },
      { name: 'up', labels: {}, value: Infinity },
    ]);
    assert.equal(parsed.skippedLines, 3);
    assert.deepEqual([...parsed.types], [['requests_total', 'counter']]);
    assert.equal(
      parsed.help.get('requests_total'),
      'Requests \\ served\nper path. CloudWatch: PutRecords.Success (shard level).',
    );
    assert.equal(cloudWatchNameOf(parsed.help.get('requests_total')), 'PutRecords.Success');
    assert.equal(cloudWatchNameOf('Records put. CloudWatch: IncomingRecords.'), 'IncomingRecords');
    assert.equal(cloudWatchNameOf('No name here.'), undefined);
    assert.equal(cloudWatchNameOf(undefined), undefined);
  });

  it('reads an empty exposition as no samples', () => {
    assert.deepEqual(parsePrometheusText(''), {
      samples: [],
      types: new Map(),
      help: new Map(),
      skippedLines: 0,
    });
  });
});

describe('console metrics: history and rates', () => {
  const incoming: SeriesQuery = {
    metric: 'tributary_kinesis_incoming_records_total',
    labels: stream,
    kind: 'rate',
  };
  const iteratorAge: SeriesQuery = {
    metric: 'tributary_kinesis_get_records_iterator_age_milliseconds',
    labels: stream,
    kind: 'gauge',
  };

  it('turns a counter into per-second rates between reads, and keeps gauges as read', () => {
    const history = [
      snapshot(10_000, exposition(0, 0)),
      snapshot(12_000, exposition(10, 250)),
      snapshot(16_000, exposition(30, 1000)),
      snapshot(17_000, exposition(30, 0)),
    ];
    assert.deepEqual(seriesValues(history, incoming), [null, 5, 5, 0]);
    assert.deepEqual(seriesValues(history, iteratorAge), [0, 250, 1000, 0]);
    assert.deepEqual(timesInSeconds(history), [10, 12, 16, 17]);
  });

  it('takes a counter that went down as reset (counting from zero), and a missing sample as a gap', () => {
    const empty = '# TYPE tributary_kinesis_incoming_records_total counter\n';
    const history = [
      snapshot(0, exposition(100, 0)),
      snapshot(1000, exposition(4, 0)),
      snapshot(2000, empty),
      snapshot(3000, exposition(6, 0)),
      snapshot(5000, exposition(10, 0)),
    ];
    assert.deepEqual(seriesValues(history, incoming), [null, 4, null, null, 2]);
    assert.deepEqual(seriesValues(history, iteratorAge), [0, 0, null, 0, 0]);
  });

  it('does not divide by a zero or negative time step', () => {
    const history = [snapshot(5000, exposition(1, 0)), snapshot(5000, exposition(9, 0))];
    assert.deepEqual(seriesValues(history, incoming), [null, null]);
  });

  it('sums counters and maximises gauges over the matching samples', () => {
    const read = parsePrometheusText(exposition(7, 0, [40, 900, 15]));
    assert.equal(valueIn(read, incoming), 7);
    assert.equal(
      valueIn(read, { metric: 'tributary_kinesis_incoming_records_total', labels: {}, kind: 'rate' }),
      1006,
    );
    assert.equal(
      valueIn(read, {
        metric: 'tributary_kinesis_shard_iterator_age_milliseconds',
        labels: stream,
        kind: 'gauge',
      }),
      900,
    );
    assert.equal(valueIn(read, { ...incoming, labels: { ...stream, stream: 'missing' } }), undefined);
  });

  it('keeps at most the history length, dropping the oldest reads', () => {
    let history: Snapshot[] = [];
    for (let index = 0; index < 7; index++) {
      history = appendSnapshot(history, snapshot(index * 1000, exposition(index, 0)), 5);
    }
    assert.deepEqual(timesInSeconds(history), [2, 3, 4, 5, 6]);
  });

  it('finds the counter and gauge families of a prefix that have samples with the labels', () => {
    const read = parsePrometheusText(
      [
        '# HELP tributary_firehose_incoming_records_total Records. CloudWatch: IncomingRecords.',
        '# TYPE tributary_firehose_incoming_records_total counter',
        'tributary_firehose_incoming_records_total{delivery_stream="test-firehose"} 3',
        '# TYPE tributary_firehose_data_freshness_seconds gauge',
        'tributary_firehose_data_freshness_seconds{delivery_stream="test-firehose"} 1.5',
        '# TYPE tributary_firehose_delivery_latency_seconds histogram',
        'tributary_firehose_delivery_latency_seconds_count{delivery_stream="test-firehose"} 1',
        '# TYPE tributary_firehose_other_total counter',
        'tributary_firehose_other_total{delivery_stream="another"} 1',
        '# TYPE tributary_firehose_named_total counter',
        'tributary_firehose_named_total{delivery_stream_name="test-firehose"} 1',
        '',
      ].join('\n'),
    );
    const byName = { delivery_stream: 'test-firehose' };
    const byLongName = { delivery_stream_name: 'test-firehose' };
    assert.deepEqual(familiesWith(read, 'tributary_firehose_', [byName, byLongName]), [
      { name: 'tributary_firehose_data_freshness_seconds', type: 'gauge', help: undefined, labels: byName },
      {
        name: 'tributary_firehose_incoming_records_total',
        type: 'counter',
        help: 'Records. CloudWatch: IncomingRecords.',
        labels: byName,
      },
      { name: 'tributary_firehose_named_total', type: 'counter', help: undefined, labels: byLongName },
    ]);
  });
});

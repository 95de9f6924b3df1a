/**
 * docs/metrics.md lists every CloudWatch metric with the Prometheus name and type the server
 * serves it under (`src/streams/stream-metric-names.ts`), and nothing else: a renamed or new
 * metric fails here until the table says so.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  prometheusNameOf,
  shardMetricDefinitions,
  streamMetricDefinitions,
  type MetricDefinition,
} from '../../src/streams/stream-metric-names.js';
import {
  allDeliveryMetricDefinitions,
  firehosePrometheusNameOf,
  ingestionMetricDefinitions,
  processingMetricDefinitions,
  type FirehoseMetricDefinition,
} from '../../src/firehose/firehose-metric-names.js';
import { repositoryRoot } from '../helpers/server-process.js';

function rowStart(definition: MetricDefinition, level: 'stream' | 'shard'): string {
  const type = definition.kind === 'latency' ? 'histogram (seconds)' : definition.kind;
  return `| \`${definition.cloudWatchName}\` | \`${prometheusNameOf(definition, level)}\` | ${type} |`;
}

describe('docs/metrics.md', () => {
  it('has one table row per metric, with its Prometheus name and type', async () => {
    const text = await readFile(path.join(repositoryRoot, 'docs', 'metrics.md'), 'utf8');
    const [streamPart, shardPart] = (text.split('### Firehose metrics')[0] as string).split(
      '### Shard-level metrics',
    ) as [string, string];
    assert.ok(shardPart !== undefined, 'the shard-level section exists');
    const rowsOf = (part: string): string[] =>
      part.split('\n').filter((line) => /^\| `[A-Za-z.]+` \| `tributary_kinesis_/.test(line));
    const expectedStream = Object.values(streamMetricDefinitions).map((definition) =>
      rowStart(definition, 'stream'),
    );
    const expectedShard = Object.values(shardMetricDefinitions).map((definition) =>
      rowStart(definition, 'shard'),
    );
    const rowPrefix = (row: string): string => row.split(' | ').slice(0, 3).join(' | ') + ' |';
    assert.deepEqual(rowsOf(streamPart).map(rowPrefix), expectedStream);
    assert.deepEqual(rowsOf(shardPart).map(rowPrefix), expectedShard);
  });

  it('has one Firehose row per metric, ingestion, processing, then delivery', async () => {
    const text = await readFile(path.join(repositoryRoot, 'docs', 'metrics.md'), 'utf8');
    const type = (definition: FirehoseMetricDefinition): string =>
      definition.kind === 'latency'
        ? 'histogram (seconds)'
        : definition.kind === 'freshness'
          ? 'gauge (seconds)'
          : 'counter';
    const expected = [
      ...Object.values(ingestionMetricDefinitions),
      ...Object.values(processingMetricDefinitions),
      ...allDeliveryMetricDefinitions(),
    ].map(
      (definition) =>
        `| \`${definition.cloudWatchName}\` | \`${firehosePrometheusNameOf(definition)}\` | ${type(definition)} |`,
    );
    const rows = text
      .split('\n')
      .filter((line) => /^\| `[A-Za-z0-9.]+` \| `tributary_firehose_/.test(line))
      .map((row) => row.split(' | ').slice(0, 3).join(' | ') + ' |');
    assert.deepEqual(rows, expected);
    assert.equal(
      firehosePrometheusNameOf(ingestionMetricDefinitions.putRecordBatchLatency),
      'tributary_firehose_put_record_batch_latency_seconds',
    );
  });

  it('derives names mechanically', () => {
    assert.equal(
      prometheusNameOf(streamMetricDefinitions.subscribeToShardEventMillisBehindLatest, 'stream'),
      'tributary_kinesis_subscribe_to_shard_event_millis_behind_latest',
    );
    assert.equal(
      prometheusNameOf(streamMetricDefinitions.putRecordsLatency, 'stream'),
      'tributary_kinesis_put_records_latency_seconds',
    );
    assert.equal(
      prometheusNameOf(shardMetricDefinitions.WriteProvisionedThroughputExceeded, 'shard'),
      'tributary_kinesis_shard_write_provisioned_throughput_exceeded_total',
    );
  });
});

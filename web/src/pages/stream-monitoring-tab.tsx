/**
 * A data stream's Monitoring tab: live charts of its CloudWatch metrics as served on /metrics —
 * incoming records and bytes, outgoing records (GetRecords and enhanced fan-out), iterator age,
 * throttled requests, and enhanced fan-out lag (MillisBehindLatest). The stream's series are
 * found by its account and region, read from its ARN, and its name.
 */
import { MetricsPanel, type ChartDefinition } from '../components/metrics-panel.js';
import type { SeriesQuery } from '../metrics/metric-history.js';
import { useMetricsHistory } from '../metrics/use-metrics-history.js';
import type { StreamTabProps } from './stream-detail.js';

export function StreamMonitoringTab({ stream }: StreamTabProps) {
  const { history, error } = useMetricsHistory();
  const labels = resourceLabels(stream.StreamARN, { stream: stream.StreamName ?? '' });
  return (
    <MetricsPanel
      charts={streamCharts(labels)}
      history={history}
      error={error}
      emptyText="No data for this stream yet."
    />
  );
}

/** account and region from an ARN (`arn:aws:kinesis:<region>:<account>:…`), plus `extra`. */
export function resourceLabels(
  arn: string | undefined,
  extra: Record<string, string>,
): Record<string, string> {
  const parts = (arn ?? '').split(':');
  const labels: Record<string, string> = { ...extra };
  if (parts.length >= 6 && parts[3] !== undefined && parts[4] !== undefined) {
    labels.region = parts[3];
    labels.account = parts[4];
  }
  return labels;
}

function streamCharts(labels: Record<string, string>): ChartDefinition[] {
  const rate = (metric: string): SeriesQuery => ({
    metric: `tributary_kinesis_${metric}`,
    labels,
    kind: 'rate',
  });
  const gauge = (metric: string): SeriesQuery => ({
    metric: `tributary_kinesis_${metric}`,
    labels,
    kind: 'gauge',
  });
  return [
    {
      id: 'incoming-records',
      title: 'Incoming records',
      axisLabel: 'records/second',
      unit: 'count',
      series: [{ label: 'IncomingRecords', query: rate('incoming_records_total') }],
    },
    {
      id: 'incoming-bytes',
      title: 'Incoming data',
      axisLabel: 'bytes/second',
      unit: 'bytes',
      series: [{ label: 'IncomingBytes', query: rate('incoming_bytes_total') }],
    },
    {
      id: 'outgoing-records',
      title: 'Outgoing records',
      axisLabel: 'records/second',
      unit: 'count',
      series: [
        { label: 'GetRecords.Records', query: rate('get_records_records_total') },
        { label: 'SubscribeToShardEvent.Records', query: rate('subscribe_to_shard_event_records_total') },
      ],
    },
    {
      id: 'iterator-age',
      title: 'Iterator age (GetRecords)',
      axisLabel: 'age',
      unit: 'milliseconds',
      series: [
        {
          label: 'GetRecords.IteratorAgeMilliseconds',
          query: gauge('get_records_iterator_age_milliseconds'),
        },
      ],
    },
    {
      id: 'throttled',
      title: 'Throttled requests',
      axisLabel: 'per second',
      unit: 'count',
      series: [
        {
          label: 'WriteProvisionedThroughputExceeded',
          query: rate('write_provisioned_throughput_exceeded_total'),
        },
        {
          label: 'ReadProvisionedThroughputExceeded',
          query: rate('read_provisioned_throughput_exceeded_total'),
        },
      ],
    },
    {
      id: 'fan-out-lag',
      title: 'Enhanced fan-out lag',
      axisLabel: 'behind latest',
      unit: 'milliseconds',
      series: [
        {
          label: 'SubscribeToShardEvent.MillisBehindLatest',
          query: gauge('subscribe_to_shard_event_millis_behind_latest'),
        },
      ],
    },
  ];
}

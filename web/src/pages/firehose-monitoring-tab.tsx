/**
 * A delivery stream's Monitoring tab: a live chart for each Firehose metric the server serves for
 * it on /metrics (families `tributary_firehose_…` with the stream's account, region and name),
 * named by the CloudWatch name in the metric's HELP text. The page does not assume which metrics
 * exist: it shows what the server has, and says so when there are none. A Kinesis-sourced delivery
 * stream links to its source stream's charts.
 */
import { MetricsPanel, type ChartDefinition } from '../components/metrics-panel.js';
import { streamNameOfArn } from '../firehose.js';
import { familiesWith, type Family } from '../metrics/metric-history.js';
import type { ChartUnit } from '../metrics/metric-units.js';
import { cloudWatchNameOf } from '../metrics/prometheus-text.js';
import { useMetricsHistory } from '../metrics/use-metrics-history.js';
import { linkTo, streamPath } from '../router.js';
import type { DeliveryStreamTabProps } from './delivery-stream-detail.js';
import { resourceLabels } from './stream-monitoring-tab.js';

const familyPrefix = 'tributary_firehose_';
/** The label that names the delivery stream, in the order tried. */
const nameLabels = ['delivery_stream', 'delivery_stream_name', 'stream'] as const;

export function FirehoseMonitoringTab({ stream }: DeliveryStreamTabProps) {
  const { history, error } = useMetricsHistory();
  const name = stream.DeliveryStreamName ?? '';
  const labelSets = nameLabels.map((label) => resourceLabels(stream.DeliveryStreamARN, { [label]: name }));
  const latest = history.at(-1);
  const families = latest === undefined ? [] : familiesWith(latest.exposition, familyPrefix, labelSets);
  const sourceArn = stream.Source?.KinesisStreamSourceDescription?.KinesisStreamARN;
  return (
    <>
      {sourceArn !== undefined && (
        <p>
          Records come from the data stream{' '}
          <a
            href={streamPath(streamNameOfArn(sourceArn), 'monitoring')}
            onClick={linkTo(streamPath(streamNameOfArn(sourceArn), 'monitoring'))}
          >
            {streamNameOfArn(sourceArn)}
          </a>
          : its charts show what producers write and what this delivery stream reads.
        </p>
      )}
      {latest !== undefined && families.length === 0 ? (
        <div class="empty card" role="status">
          <h2>No delivery metrics</h2>
          <p>
            The server serves no Firehose metrics for {name} on <a href="/metrics">/metrics</a>. They appear
            here when it does.
          </p>
        </div>
      ) : (
        <MetricsPanel
          charts={families.map(chartOf)}
          history={history}
          error={error}
          emptyText="No data for this delivery stream yet."
        />
      )}
    </>
  );
}

function chartOf(family: Family): ChartDefinition {
  const unit = unitOf(family.name);
  const title = cloudWatchNameOf(family.help) ?? family.name;
  const axisLabel =
    family.type === 'counter'
      ? unit === 'bytes'
        ? 'bytes/second'
        : 'per second'
      : unit === 'count'
        ? 'value'
        : unit;
  return {
    id: family.name.replace(/_/g, '-'),
    title,
    axisLabel,
    unit,
    series: [
      {
        label: title,
        query: {
          metric: family.name,
          labels: family.labels,
          kind: family.type === 'counter' ? 'rate' : 'gauge',
        },
      },
    ],
  };
}

function unitOf(name: string): ChartUnit {
  if (/_bytes(_total)?$/.test(name)) return 'bytes';
  if (/_milliseconds(_total)?$/.test(name)) return 'milliseconds';
  if (/_seconds(_total)?$/.test(name)) return 'seconds';
  return 'count';
}

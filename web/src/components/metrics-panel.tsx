/**
 * A grid of live charts over the /metrics history: each chart names its series by query, and the
 * panel turns the history into x values and per-series values. A failed read of /metrics shows
 * a banner above the charts (the charts keep what they had).
 */
import { seriesValues, timesInSeconds, type SeriesQuery, type Snapshot } from '../metrics/metric-history.js';
import type { ChartUnit } from '../metrics/metric-units.js';
import { metricsPollMs } from '../metrics/use-metrics-history.js';
import { MetricsChart } from './metrics-chart.js';
import { ErrorBanner } from './ui.js';

export interface ChartDefinition {
  readonly id: string;
  readonly title: string;
  readonly axisLabel: string;
  readonly unit: ChartUnit;
  readonly series: readonly { readonly label: string; readonly query: SeriesQuery }[];
}

export function MetricsPanel({
  charts,
  history,
  error,
  emptyText,
}: {
  charts: readonly ChartDefinition[];
  history: readonly Snapshot[];
  error: unknown;
  emptyText: string;
}) {
  const times = timesInSeconds(history);
  return (
    <div class="metrics-panel">
      <ErrorBanner error={error} title="Could not read the server's metrics." />
      <p class="hint">
        Read from <a href="/metrics">/metrics</a> every {metricsPollMs / 1000} seconds while this page is
        open; counters are drawn as rates per second between reads. Times are the browser's.
      </p>
      <div class="chart-grid">
        {charts.map((chart) => (
          <MetricsChart
            key={chart.id}
            id={chart.id}
            title={chart.title}
            axisLabel={chart.axisLabel}
            unit={chart.unit}
            times={times}
            series={chart.series.map((item) => ({
              label: item.label,
              values: seriesValues(history, item.query),
            }))}
            emptyText={history.length < 2 ? 'Waiting for the first readings…' : emptyText}
          />
        ))}
      </div>
    </div>
  );
}

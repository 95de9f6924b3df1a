/**
 * One live time-series chart drawn with uPlot: a title, the y axis labelled with its unit, a time
 * x axis, a legend with each series' value under the cursor, and an empty state laid over the
 * axes until there is a value to draw. The chart is created once per set of series and fed new
 * data with setData, so a 2-second poll redraws without flicker; it follows its container's width.
 * The figure carries data-points (values drawn) and data-max (largest value) for tests and for
 * screen readers a one-line summary of the latest values.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './metrics-chart.css';
import { formatValue, type ChartUnit } from '../metrics/metric-units.js';

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

export interface MetricsChartProps {
  readonly id: string;
  readonly title: string;
  /** The y axis' label, e.g. "records/second". */
  readonly axisLabel: string;
  readonly unit: ChartUnit;
  /** x values: Unix seconds. */
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  /** Shown over the axes while no series has a value. */
  readonly emptyText: string;
}

const palette = ['#0b6bcb', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#495057'];
const chartHeightPx = 180;

export function MetricsChart({ id, title, axisLabel, unit, times, series, emptyText }: MetricsChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const data: uPlot.AlignedData = [
    times as number[],
    ...series.map((item) => item.values as (number | null)[]),
  ];
  const seriesKey = series.map((item) => item.label).join('\u0000');

  useEffect(() => {
    const element = container.current;
    if (element === null) return undefined;
    const format = (value: number): string => formatValue(value, unit);
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 240),
      height: chartHeightPx,
      series: [
        { label: 'Time' },
        ...series.map((item, index) => ({
          label: item.label,
          stroke: palette[index % palette.length],
          width: 2,
          points: { size: 4 },
          value: (_plot: uPlot, value: number | null) => (value === null ? '—' : format(value)),
        })),
      ],
      axes: [
        { label: 'Time', labelSize: 20 },
        {
          label: axisLabel,
          labelSize: 20,
          size: 72,
          values: (_plot, splits) => splits.map((value) => format(value)),
        },
      ],
      scales: {
        x: { time: true },
        // Rates and ages are never negative; an all-zero series still gets a visible axis.
        y: { range: (_plot, _min, max) => [0, max > 0 ? max * 1.15 : 1] },
      },
      legend: { show: true, live: true },
    };
    const created = new uPlot(options, data, element);
    plot.current = created;
    const resize = new ResizeObserver(() => {
      created.setSize({ width: Math.max(element.clientWidth, 240), height: chartHeightPx });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      created.destroy();
      plot.current = undefined;
    };
  }, [seriesKey, unit, axisLabel]);

  useEffect(() => {
    const current = plot.current;
    if (current === undefined) return;
    current.setData(data);
    // Without a cursor over the chart, the legend shows the latest values rather than dashes.
    if (current.cursor.idx === null || current.cursor.idx === undefined) {
      current.setLegend({ idx: Math.max(times.length - 1, 0) });
    }
  });

  const drawn = series.flatMap((item) => item.values.filter((value): value is number => value !== null));
  const max = drawn.length === 0 ? 0 : Math.max(...drawn);
  const latest = series
    .map((item) => {
      const value = [...item.values].reverse().find((candidate) => candidate !== null);
      return `${item.label} ${value === undefined || value === null ? 'no data' : formatValue(value, unit)}`;
    })
    .join(', ');
  return (
    <figure
      class="chart card"
      aria-labelledby={`${id}-title`}
      data-testid={`chart-${id}`}
      data-points={drawn.length}
      data-max={max}
    >
      <figcaption id={`${id}-title`}>
        {title} <span class="chart-unit">({axisLabel})</span>
      </figcaption>
      <p class="visually-hidden">Latest: {latest}.</p>
      <div class="chart-canvas">
        <div ref={container} aria-hidden="true" />
        {drawn.length === 0 && (
          <p class="chart-empty" role="status">
            {emptyText}
          </p>
        )}
      </div>
    </figure>
  );
}

/**
 * The results table: one row per figure, a column per target, the ratios Tributary / peer, the
 * target and PASS/FAIL; and a second table with the CPU each side used, to show who was saturated.
 */
import { type TargetName, targetNames } from './bench-target.js';
import { type Cell, isMeasurement } from './measurement.js';

export const figureIds = [
  'put100',
  'put1k',
  'cbor1k',
  'putRecord',
  'drain',
  'latencyP50',
  'latencyP99',
  'fanOutP50',
  'fanOutP99',
  'ceiling',
  'ingestRatio',
  'sustainedRatio',
  'rss',
  'restartAfterTerm',
  'restartAfterKill',
] as const;
export type FigureId = (typeof figureIds)[number];

/** The reason given for the heavy figures in a quick run. */
export const fullRunOnly = 'full run only';

export type Results = Map<FigureId, Map<TargetName, Cell>>;

interface FigureDefinition {
  readonly label: string;
  readonly unit: string;
  readonly digits: number;
  readonly target: string;
  /** PASS/FAIL from Tributary's value (and the whole results, for relative targets). */
  readonly pass?: (value: number, results: Results) => boolean;
}

function valueOf(results: Results, figure: FigureId, target: TargetName): number | undefined {
  const cell = results.get(figure)?.get(target);
  return isMeasurement(cell) ? cell.value : undefined;
}

export const figures: Record<FigureId, FigureDefinition> = {
  put100: {
    label: 'PutRecords, 100 B records, 500/batch, 4 shards, durable',
    unit: 'records/s',
    digits: 0,
    target: '≥ 150,000 and ≥ 10× kinesalite',
    pass: (value, results) => {
      const peer = valueOf(results, 'put100', 'kinesalite');
      return value >= 150_000 && peer !== undefined && value >= 10 * peer;
    },
  },
  put1k: {
    label: 'PutRecords, 1 KiB records, durable',
    unit: 'MB/s',
    digits: 1,
    target: '≥ 100 MB/s',
    pass: (value) => value >= 100,
  },
  cbor1k: {
    label: 'PutRecords, 1 KiB records over CBOR, durable',
    unit: 'MB/s',
    digits: 1,
    target: '≥ 1.3× the JSON figure',
    pass: (value, results) => {
      const json = valueOf(results, 'put1k', 'Tributary');
      return json !== undefined && value >= 1.3 * json;
    },
  },
  putRecord: {
    label: 'PutRecord, one record per request, 16 callers',
    unit: 'requests/s',
    digits: 0,
    target: '≥ 10,000',
    pass: (value) => value >= 10_000,
  },
  drain: {
    label: 'GetRecords drain, 100 B records, Limit 10000',
    unit: 'records/s',
    digits: 0,
    target: '≥ 300,000',
    pass: (value) => value >= 300_000,
  },
  latencyP50: {
    label: 'Put-to-get latency p50, half of peak load (lower is better)',
    unit: 'ms',
    digits: 2,
    target: '≤ 2 ms',
    pass: (value) => value <= 2,
  },
  latencyP99: {
    label: 'Put-to-get latency p99, half of peak load (lower is better)',
    unit: 'ms',
    digits: 2,
    target: '≤ 10 ms',
    pass: (value) => value <= 10,
  },
  fanOutP50: {
    label: 'Fan-out push latency p50, put acknowledged → event received, light load (lower is better)',
    unit: 'ms',
    digits: 2,
    target: '(reference)',
  },
  fanOutP99: {
    label: 'Fan-out push latency p99, put acknowledged → event received, light load (lower is better)',
    unit: 'ms',
    digits: 2,
    target: '≤ 5 ms',
    pass: (value) => value <= 5,
  },
  ceiling: {
    label: 'Decode ceiling: parse + base64 + MD5 of the 100 B bodies, one core',
    unit: 'records/s',
    digits: 0,
    target: '(reference)',
  },
  ingestRatio: {
    label: 'Ingest / same-run decode ceiling (100 B)',
    unit: '',
    digits: 2,
    target: '≥ 0.4',
    pass: (value) => value >= 0.4,
  },
  sustainedRatio: {
    label: '5-minute sustained ingest / 10-second figure (100 B)',
    unit: '',
    digits: 2,
    target: '≥ 0.8',
    pass: (value) => value >= 0.8,
  },
  rss: {
    label: 'RSS holding 10 GB over 100 streams × 4 shards',
    unit: 'MB',
    digits: 0,
    target: '≤ 300 MB',
    pass: (value) => value <= 300,
  },
  restartAfterTerm: {
    label: 'Restart with 10 GB after SIGTERM, until serving',
    unit: 's',
    digits: 2,
    target: '≤ 2 s',
    pass: (value) => value <= 2,
  },
  restartAfterKill: {
    label: 'Restart with 10 GB after SIGKILL, until serving',
    unit: 's',
    digits: 2,
    target: '≤ 10 s',
    pass: (value) => value <= 10,
  },
};

function formatNumber(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function formatCell(cell: Cell | undefined, definition: FigureDefinition): string {
  if (cell === undefined) return '';
  if (!isMeasurement(cell)) return cell.error === fullRunOnly ? fullRunOnly : `n/a (${cell.error})`;
  const formatted = formatNumber(cell.value, definition.digits);
  return definition.unit === '' ? formatted : `${formatted} ${definition.unit}`;
}

function formatCores(cores: number | null): string {
  return cores === null ? '–' : cores.toFixed(2);
}

function renderMarkdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** The results table, of every figure or of the given ones only. */
export function renderResultsTable(results: Results, only: readonly FigureId[] = figureIds): string {
  const peers = targetNames.filter((name) => name !== 'Tributary');
  const header = [
    'figure',
    ...targetNames,
    ...peers.map((peer) => `Tributary / ${peer}`),
    'target',
    'result',
  ];
  const rows = only.map((id) => {
    const definition = figures[id];
    const cells = results.get(id) ?? new Map<TargetName, Cell>();
    const ours = cells.get('Tributary');
    const ratios = peers.map((peer) => {
      const theirs = cells.get(peer);
      return isMeasurement(ours) && isMeasurement(theirs) && theirs.value > 0
        ? `${formatNumber(ours.value / theirs.value, 2)}×`
        : '';
    });
    const verdict =
      definition.pass === undefined
        ? ''
        : ours === undefined
          ? 'not run'
          : !isMeasurement(ours) && ours.error === fullRunOnly
            ? '–'
            : isMeasurement(ours)
              ? definition.pass(ours.value, results)
                ? 'PASS'
                : 'FAIL'
              : 'FAIL';
    return [
      definition.label,
      ...targetNames.map((name) => formatCell(cells.get(name), definition)),
      ...ratios,
      definition.target,
      verdict,
    ];
  });
  return renderMarkdownTable(header, rows);
}

/** Server and generator CPU (in cores) behind each measured figure, with any notes. */
export function renderCpuTable(results: Results): string {
  const header = [
    'figure',
    ...targetNames.map((name) => `${name}: server (main thread) / client / other`),
    'notes',
  ];
  const rows: string[][] = [];
  for (const id of figureIds) {
    const cells = results.get(id);
    if (cells === undefined) continue;
    const notes = targetNames
      .map((name) => {
        const cell = cells.get(name);
        return isMeasurement(cell) && cell.note !== '' ? `${name}: ${cell.note}` : '';
      })
      .filter((note) => note !== '')
      .join('; ');
    rows.push([
      figures[id].label,
      ...targetNames.map((name) => {
        const cell = cells.get(name);
        return isMeasurement(cell) && cell.serverCores !== null
          ? `${formatCores(cell.serverCores)} (${formatCores(cell.serverMainThreadCores ?? null)}) / ${formatCores(cell.clientCores)} / ${formatCores(cell.otherCores ?? null)}`
          : '';
      }),
      notes,
    ]);
  }
  return renderMarkdownTable(header, rows);
}

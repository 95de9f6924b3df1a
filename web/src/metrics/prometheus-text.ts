/**
 * Reads GET /metrics (the Prometheus text exposition format 0.0.4) in the browser: samples with
 * their labels, and each family's TYPE and HELP. The console only draws what it reads, so this
 * parser is lenient where Prometheus is strict: a line it cannot read is skipped and counted
 * (`skippedLines`), never fatal, so one odd series cannot blank every chart. Pure: no DOM, so the
 * unit tests run it under Node.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Exposition {
  readonly samples: readonly Sample[];
  /** TYPE per family name. */
  readonly types: ReadonlyMap<string, MetricType>;
  /** HELP per family name, unescaped. */
  readonly help: ReadonlyMap<string, string>;
  readonly skippedLines: number;
}

const metricTypes: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const namePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const commentPattern = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s?(.*)$/;

export function parsePrometheusText(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, MetricType>();
  const help = new Map<string, string>();
  let skippedLines = 0;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const match = commentPattern.exec(line);
      if (match === null) continue; // an ordinary comment
      const [, keyword, name, rest = ''] = match;
      if (name === undefined) continue;
      if (keyword === 'TYPE') {
        if (metricTypes.has(rest)) types.set(name, rest as MetricType);
        else skippedLines++;
      } else {
        help.set(name, unescapeHelp(rest));
      }
      continue;
    }
    const sample = parseSample(line);
    if (sample === undefined) skippedLines++;
    else samples.push(sample);
  }
  return { samples, types, help, skippedLines };
}

/** One sample line, or undefined when it is not one. */
function parseSample(line: string): Sample | undefined {
  const nameMatch = namePattern.exec(line);
  if (nameMatch === null) return undefined;
  const name = nameMatch[0];
  let position = name.length;
  const labels: Record<string, string> = {};
  if (line[position] === '{') {
    position++;
    for (;;) {
      while (line[position] === ' ' || line[position] === ',') position++;
      if (line[position] === '}') break;
      const labelMatch = labelNamePattern.exec(line.slice(position));
      if (labelMatch === null) return undefined;
      position += labelMatch[0].length;
      if (line.slice(position, position + 2) !== '="') return undefined;
      position += 2;
      let value = '';
      for (;;) {
        const character = line[position++];
        if (character === undefined) return undefined;
        if (character === '"') break;
        if (character === '\\') {
          const escaped = line[position++];
          value += escaped === 'n' ? '\n' : (escaped ?? '');
        } else {
          value += character;
        }
      }
      labels[labelMatch[0]] = value;
    }
    position++;
  }
  // The value, then an optional timestamp (ignored: the console stamps samples when it reads them).
  const fields = line.slice(position).trim().split(/\s+/);
  const value = parseValue(fields[0] ?? '');
  return value === undefined ? undefined : { name, labels, value };
}

function parseValue(text: string): number | undefined {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(.)/g, (_all, escaped: string) => (escaped === 'n' ? '\n' : escaped));
}

/** The CloudWatch name Tributary's HELP texts end with (`… CloudWatch: IncomingRecords.`). */
export function cloudWatchNameOf(helpText: string | undefined): string | undefined {
  if (helpText === undefined) return undefined;
  return /CloudWatch: ([A-Za-z0-9_.]+?)(?: \([^)]*\))?\.?$/.exec(helpText)?.[1];
}

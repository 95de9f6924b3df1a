/**
 * A strict parser of the Prometheus text exposition format 0.0.4, written from the format's
 * description (not from our renderer) so that tests read /metrics as Prometheus would: HELP and
 * TYPE comments, samples with escaped label values, histogram `_bucket`/`_sum`/`_count` series
 * under their family's TYPE. Anything malformed throws with the line number.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly help: ReadonlyMap<string, string>;
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
}

const namePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const metricTypes = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parsePrometheusText(text: string): Exposition {
  const help = new Map<string, string>();
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  if (text !== '' && !text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((line, index) => {
    const where = `line ${index + 1} (${JSON.stringify(line)})`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
      if (match === null) return; // an ordinary comment
      const [, keyword, name, rest] = match as unknown as [string, string, string, string];
      if (keyword === 'HELP') {
        if (help.has(name)) throw new Error(`${where}: second HELP for ${name}`);
        help.set(name, unescapeHelp(rest, where));
      } else {
        if (!metricTypes.has(rest)) throw new Error(`${where}: unknown type ${rest}`);
        if (types.has(name)) throw new Error(`${where}: second TYPE for ${name}`);
        if (samples.some((sample) => familyOf(sample.name, types) === name)) {
          throw new Error(`${where}: TYPE after samples of ${name}`);
        }
        types.set(name, rest);
      }
      return;
    }
    samples.push(parseSample(line, where));
  });
  for (const sample of samples) {
    if (familyOf(sample.name, types) === undefined) throw new Error(`sample ${sample.name} has no TYPE`);
  }
  return { help, types, samples };
}

function parseSample(line: string, where: string): Sample {
  const nameMatch = namePattern.exec(line);
  if (nameMatch === null) throw new Error(`${where}: no metric name`);
  const name = nameMatch[0];
  let position = name.length;
  const labels: Record<string, string> = {};
  if (line[position] === '{') {
    position++;
    while (line[position] !== '}') {
      const labelMatch = labelNamePattern.exec(line.slice(position));
      if (labelMatch === null) throw new Error(`${where}: bad label name at ${position}`);
      const labelName = labelMatch[0];
      position += labelName.length;
      if (line.slice(position, position + 2) !== '="')
        throw new Error(`${where}: expected =" at ${position}`);
      position += 2;
      let value = '';
      for (;;) {
        const character = line[position];
        if (character === undefined) throw new Error(`${where}: unterminated label value`);
        position++;
        if (character === '"') break;
        if (character === '\\') {
          const escaped = line[position++];
          if (escaped === 'n') value += '\n';
          else if (escaped === '\\' || escaped === '"') value += escaped;
          else throw new Error(`${where}: bad escape \\${escaped ?? ''}`);
        } else {
          value += character;
        }
      }
      if (labelName in labels) throw new Error(`${where}: label ${labelName} twice`);
      labels[labelName] = value;
      if (line[position] === ',') position++;
      else if (line[position] !== '}') throw new Error(`${where}: expected , or } at ${position}`);
    }
    position++;
  }
  const fields = line.slice(position).split(' ');
  if (fields[0] !== '' || fields.length < 2 || fields.length > 3)
    throw new Error(`${where}: expected " value"`);
  return { name, labels, value: parseValue(fields[1] as string, where) };
}

function parseValue(text: string, where: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${where}: bad value ${text}`);
  return Number(text);
}

function unescapeHelp(text: string, where: string): string {
  return text.replace(/\\(.?)/g, (_all, escaped: string) => {
    if (escaped === 'n') return '\n';
    if (escaped === '\\') return '\\';
    throw new Error(`${where}: bad escape in HELP`);
  });
}

/** The family a sample belongs to: itself, or a histogram/summary it is a part of. */
function familyOf(sampleName: string, types: ReadonlyMap<string, string>): string | undefined {
  if (types.has(sampleName)) return sampleName;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sampleName.endsWith(suffix)) continue;
    const base = sampleName.slice(0, -suffix.length);
    const type = types.get(base);
    if (type === 'histogram' || (type === 'summary' && suffix !== '_bucket')) return base;
  }
  return undefined;
}

/** Samples of `name` whose labels include every one of `labels`. */
export function samplesOf(
  exposition: Exposition,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Sample[] {
  return exposition.samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  );
}

/** The value of the one sample of `name` with exactly these labels (plus none other); throws otherwise. */
export function valueOf(
  exposition: Exposition,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const found = samplesOf(exposition, name, labels).filter(
    (sample) => Object.keys(sample.labels).length === Object.keys(labels).length,
  );
  if (found.length !== 1)
    throw new Error(`expected one sample ${name}${JSON.stringify(labels)}, found ${found.length}`);
  return (found[0] as Sample).value;
}

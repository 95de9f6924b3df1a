/**
 * Writes docs/benchmarks.md from a run: command, date, machine, Node version, the results and CPU
 * tables and the method. The hand-written analysis between the `analysis` markers is carried over
 * from the existing file, since it is written from reading a run, not computed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repositoryRoot } from '../test/helpers/server-process.js';

const analysisStart = '<!-- analysis:start -->';
const analysisEnd = '<!-- analysis:end -->';

export function machineDescription(): string {
  const cpus = os.cpus();
  return (
    `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ` +
    `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, ${os.type()} ${os.release()} (${os.arch()})`
  );
}

async function existingAnalysis(file: string): Promise<string> {
  const previous = await readFile(file, 'utf8').catch(() => '');
  const start = previous.indexOf(analysisStart);
  const end = previous.indexOf(analysisEnd);
  if (start < 0 || end < start) return `${analysisStart}\n(not written yet)\n${analysisEnd}`;
  return previous.slice(start, end + analysisEnd.length);
}

/**
 * Figures measured apart from a full run (`--sql-only`, `--fan-out-only`, `--formats-only`, `--firehose-only` with
 * `--write-docs`) live in named sections between `<!-- name:start -->` and `<!-- name:end -->`
 * markers; a full run keeps them.
 */
export const keptSections = ['sql-engine', 'fan-out', 'firehose-formats', 'firehose-ingest'] as const;
export type KeptSection = (typeof keptSections)[number];

const markersOf = (name: KeptSection): { start: string; end: string } => ({
  start: `<!-- ${name}:start -->`,
  end: `<!-- ${name}:end -->`,
});

function sectionIn(text: string, name: KeptSection): string {
  const { start, end } = markersOf(name);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  return from < 0 || to < from ? '' : text.slice(from, to + end.length);
}

async function existingSections(file: string): Promise<string> {
  const previous = await readFile(file, 'utf8').catch(() => '');
  const sections = keptSections.map((name) => sectionIn(previous, name)).filter((text) => text !== '');
  return sections.map((text) => `\n${text}\n`).join('');
}

/** Writes one kept section (its body without markers) into docs/benchmarks.md, in place or at the end. */
export async function writeKeptSection(name: KeptSection, body: string): Promise<string> {
  const file = path.join(repositoryRoot, 'docs', 'benchmarks.md');
  const previous = await readFile(file, 'utf8').catch(() => '');
  const { start, end } = markersOf(name);
  const section = `${start}\n${body.trim()}\n${end}`;
  const current = sectionIn(previous, name);
  const text =
    current === '' ? `${previous.trimEnd()}\n\n${section}\n` : previous.replace(current, () => section);
  await writeFile(file, text);
  return file;
}

export interface DocInput {
  readonly command: string;
  readonly startedAt: Date;
  readonly loadAtStart: string;
  readonly resultsTable: string;
  readonly cpuTable: string;
  readonly profiles: string;
  readonly method: string;
}

export async function writeBenchmarksDoc(input: DocInput): Promise<string> {
  const file = path.join(repositoryRoot, 'docs', 'benchmarks.md');
  const text = `# Benchmarks

Produced by \`bench/main.ts\`; regenerate with the command below. Figures from one machine: compare
them with each other, not with other hardware.

- Command: \`${input.command}\`
- Date: ${input.startedAt.toISOString()}
- Machine: ${machineDescription()}
- Node.js: ${process.version}
- Load average when the run started (1, 5, 15 min): ${input.loadAtStart}. Other work on the machine
  shares its cores; the CPU table's "other" column shows how much during each figure.

## Results

${input.resultsTable}

## CPU during each figure

Cores used over the measurement window (1.00 = one core busy the whole time): the server process
from /proc/<pid>/stat (in brackets its main thread, the JavaScript thread, which cannot use more
than one core), the load generator as the sum over its worker processes, and every other process on
the machine from /proc/stat. The machine has
${os.cpus().length} cores, shared by both sides.

${input.cpuTable}

## Method

${input.method}

## Profiles

Tributary's main (JavaScript) thread, profiled with V8's sampling profiler while every short figure ran once
more after the measured runs. The profiler slows the server; read the shares, not the rates.

${input.profiles}

## What limits each figure

${await existingAnalysis(file)}
${await existingSections(file)}`;
  await writeFile(file, text);
  return file;
}

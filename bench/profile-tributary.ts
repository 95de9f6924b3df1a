/**
 * The profile behind the figures: runs every short figure once more against a Tributary started
 * with V8's sampling profiler (see cpu-profile-preload.ts), cuts the main thread's profile into one window per figure (V8's profile clock
 * and `process.hrtime` are both CLOCK_MONOTONIC on Linux) and lists where each figure's CPU went,
 * so a missed target comes with the reason. Figures under the profiler are slower; only the shares
 * are of interest.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { removeDataDir, repositoryRoot } from '../test/helpers/server-process.js';
import { startTributary } from './start-tributary.js';
import type { BenchTarget } from './bench-target.js';
import { type ShortFigureId, type ShortSettings, measureShortFigures } from './measure-short-figures.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Window {
  readonly title: string;
  readonly startMicros: number;
  endMicros: number;
}

const topFunctions = 8;
const preload = new URL('./cpu-profile-preload.js', import.meta.url).href;
const figureTitles: Record<ShortFigureId, string> = {
  put100: 'PutRecords, 100 B',
  drain: 'GetRecords drain, 100 B',
  put1k: 'PutRecords, 1 KiB, JSON',
  cbor1k: 'PutRecords, 1 KiB, CBOR',
  putRecord: 'PutRecord, 16 callers',
  latencyP50: 'Put-to-get latency at half of peak',
  latencyP99: 'Put-to-get latency at half of peak',
};

/** Microseconds on the clock V8's profiler stamps samples with. */
export const nowMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/** Environment that makes a Tributary process profile itself into `file` (written at exit). */
export function profilingEnv(file: string): Record<string, string> {
  return { NODE_OPTIONS: `--import ${preload}`, BENCH_CPU_PROFILE_FILE: file };
}

/** Reads a profile written by the preload and summarises the given windows of it. */
export async function summariseProfileFile(file: string, windows: readonly Window[]): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new Error('the server wrote no CPU profile');
  });
  const profile = JSON.parse(text) as CpuProfile;
  return windows.map((window) => summariseWindow(profile, window)).join('\n\n');
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName === '' ? '(anonymous)' : functionName;
  if (url === '') return name;
  const file = url.replace(/^file:\/\//, '').replace(repositoryRoot, '');
  return `${name} ${file}:${lineNumber + 1}`;
}

function summariseWindow(profile: CpuProfile, window: Window): string {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<string, number>();
  let busyMicros = 0;
  let time = profile.startTime;
  for (let index = 0; index < profile.samples.length; index++) {
    const delta = profile.timeDeltas[index] ?? 0;
    time += delta;
    if (time < window.startMicros || time >= window.endMicros) continue;
    const node = byNode.get(profile.samples[index] ?? -1);
    if (node === undefined || node.callFrame.functionName === '(idle)') continue;
    const name = frameName(node);
    selfMicros.set(name, (selfMicros.get(name) ?? 0) + delta);
    busyMicros += delta;
  }
  const windowMicros = window.endMicros - window.startMicros;
  const rows = [...selfMicros.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topFunctions)
    .map(([name, micros]) => `| ${((100 * micros) / Math.max(1, busyMicros)).toFixed(1)}% | \`${name}\` |`);
  return [
    `### ${window.title}`,
    '',
    `Main thread busy ${((100 * busyMicros) / Math.max(1, windowMicros)).toFixed(0)}% of ` +
      `${(windowMicros / 1e6).toFixed(1)} s. Self time, share of the busy time:`,
    '',
    '| self | function |',
    '|-----:|----------|',
    ...rows,
  ].join('\n');
}

/** Markdown: one section per figure with the main thread's busy share and top self-time functions. */
export async function profileTributary(
  settings: ShortSettings,
  log: (line: string) => void,
): Promise<string> {
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-profile-'));
  const windows: Window[] = [];
  try {
    const server = await startTributary({
      extraArgs: ['--log-level', 'warn'],
      env: profilingEnv(path.join(profileDir, 'server.cpuprofile')),
    });
    try {
      const pid = server.child.pid;
      if (pid === undefined) throw new Error('server has no pid');
      const target: BenchTarget = { name: 'Tributary', endpoint: server.endpoint, pid, stop: async () => {} };
      const mark = (figure: ShortFigureId | null): void => {
        const now = nowMicros();
        const open = windows[windows.length - 1];
        if (open !== undefined) open.endMicros = now;
        if (figure !== null) windows.push({ title: figureTitles[figure], startMicros: now, endMicros: now });
      };
      await measureShortFigures(target, 'profile', settings, log, mark);
    } finally {
      await server.stop(); // a clean exit is what writes the profile
      await removeDataDir(server.dataDir);
    }
    return await summariseProfileFile(path.join(profileDir, 'server.cpuprofile'), windows);
  } finally {
    await rm(profileDir, { recursive: true, force: true });
  }
}

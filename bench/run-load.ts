/**
 * Runs one load job in several forked worker processes at once (each with its own keep-alive
 * connections and pre-built bodies), and measures the server's CPU over the same window from
 * /proc, so a figure comes with who was busy: the server or the generator.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadResult, ParentMessage, WorkerMessage } from './load-job.js';
import { readMachineBusySeconds, readProcessCpuSeconds } from './process-usage.js';

const workerModule = fileURLToPath(new URL('./load-worker.js', import.meta.url));
/** Body building and connection set-up must fit in this; the job's own duration comes on top. */
const prepareTimeoutMs = 60_000;

export interface LoadOutcome extends LoadResult {
  readonly seconds: number;
  /** Server CPU over the run, as a share of one core (1 = one core busy). */
  readonly serverCores: number;
  /** The server's main (JavaScript) thread alone. */
  readonly serverMainThreadCores: number;
  /** All workers' CPU over the run, as a share of one core. */
  readonly clientCores: number;
  /** Everything else on the machine (the harness, other users), as a share of one core. */
  readonly otherCores: number;
}

interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly result: Promise<LoadResult>;
}

function startWorker(job: LoadJob): Worker {
  const child = fork(workerModule, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    readyResolve = resolve;
  });
  const result = new Promise<LoadResult>((resolve, reject) => {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') readyResolve();
      else if (message.type === 'result') resolve(message.result);
      else reject(new Error(`load worker failed: ${message.message}`));
    });
    child.once('exit', (code) => reject(new Error(`load worker exited with code ${code}`)));
    child.once('error', reject);
  });
  // `ready` must not hang forever if the worker dies while preparing.
  result.catch(() => readyResolve());
  child.send({ type: 'job', job } satisfies ParentMessage);
  return { child, ready, result };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Runs `jobs` (one per worker process) together; resolves with the summed counts. The elapsed time
 * is the slowest worker's. Workers are killed (by pid) if anything goes wrong.
 */
export async function runLoad(jobs: readonly LoadJob[], serverPid: number): Promise<LoadOutcome> {
  const workers = jobs.map(startWorker);
  try {
    await withTimeout(Promise.all(workers.map((worker) => worker.ready)), prepareTimeoutMs, 'preparing load');
    const serverCpuBefore = await readProcessCpuSeconds(serverPid);
    const serverMainBefore = await readProcessCpuSeconds(serverPid, true);
    const machineBefore = await readMachineBusySeconds();
    const startedAt = performance.now();
    for (const worker of workers) worker.child.send({ type: 'go' } satisfies ParentMessage);
    const longestMs = Math.max(...jobs.map((job) => job.durationMs));
    const results = await withTimeout(
      Promise.all(workers.map((worker) => worker.result)),
      longestMs + prepareTimeoutMs,
      'load',
    );
    const wallSeconds = (performance.now() - startedAt) / 1000;
    const serverCpu = (await readProcessCpuSeconds(serverPid)) - serverCpuBefore;
    const serverMainCpu = (await readProcessCpuSeconds(serverPid, true)) - serverMainBefore;
    const machineCpu = (await readMachineBusySeconds()) - machineBefore;
    const seconds = Math.max(...results.map((result) => result.elapsedMs)) / 1000;
    const sum = (pick: (result: LoadResult) => number): number =>
      results.reduce((total, result) => total + pick(result), 0);
    return {
      requests: sum((result) => result.requests),
      records: sum((result) => result.records),
      failedRecords: sum((result) => result.failedRecords),
      errors: sum((result) => result.errors),
      firstError: results.find((result) => result.firstError !== null)?.firstError ?? null,
      dataBytes: sum((result) => result.dataBytes),
      cpuSeconds: sum((result) => result.cpuSeconds),
      elapsedMs: seconds * 1000,
      seconds,
      serverCores: serverCpu / wallSeconds,
      serverMainThreadCores: serverMainCpu / wallSeconds,
      clientCores: sum((result) => result.cpuSeconds) / wallSeconds,
      otherCores: Math.max(0, machineCpu - serverCpu - sum((result) => result.cpuSeconds)) / wallSeconds,
    };
  } finally {
    for (const worker of workers) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    }
  }
}

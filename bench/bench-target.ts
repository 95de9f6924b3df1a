/**
 * The servers the benchmark drives, one at a time: Tributary (its real `serve` command on a
 * temporary data directory), kinesalite (in memory) and kinesis-local (in memory). Each listens
 * on 127.0.0.1 on a free port and is stopped by its process id; temporary directories are removed
 * on stop, also after a failed start.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { removeDataDir } from '../test/helpers/server-process.js';
import { startTributary } from './start-tributary.js';
import { KinesisHttpClient } from './kinesis-http-client.js';

export const targetNames = ['Tributary', 'kinesalite', 'kinesis-local'] as const;
export type TargetName = (typeof targetNames)[number];

export interface BenchTarget {
  readonly name: TargetName;
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const startTimeoutMs = 60_000;
const stopGraceMs = 10_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls ListStreams until it answers 200: the moment a server is serving. */
export async function waitUntilServing(endpoint: string, timeoutMs: number): Promise<void> {
  const client = new KinesisHttpClient(endpoint, { connections: 1, timeoutMs: 2_000 });
  const deadline = performance.now() + timeoutMs;
  let lastError = 'no answer';
  try {
    while (performance.now() < deadline) {
      try {
        const response = await client.send('ListStreams', Buffer.from('{}'));
        if (response.status === 200) return;
        lastError = `HTTP ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
      await sleep(20);
    }
  } finally {
    client.close();
  }
  throw new Error(`${endpoint} not serving after ${timeoutMs} ms: ${lastError}`);
}

async function startTributaryTarget(extraArgs: readonly string[]): Promise<BenchTarget> {
  const server = await startTributary({ extraArgs: ['--log-level', 'warn', ...extraArgs] });
  const pid = server.child.pid;
  if (pid === undefined) throw new Error('Tributary has no pid');
  return {
    name: 'Tributary',
    endpoint: server.endpoint,
    pid,
    async stop() {
      await server.stop();
      await removeDataDir(server.dataDir);
    },
  };
}

async function startKinesalite(): Promise<BenchTarget> {
  const entry = fileURLToPath(new URL('./kinesalite-entry.js', import.meta.url));
  const child = fork(entry, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('kinesalite did not start')), startTimeoutMs);
      child.once('message', (message: { port: number }) => {
        clearTimeout(timer);
        resolve(message.port);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`kinesalite exited with code ${code}: ${stderr.slice(0, 500)}`));
      });
    });
    if (child.pid === undefined) throw new Error('kinesalite has no pid');
    return {
      name: 'kinesalite',
      endpoint: `http://127.0.0.1:${port}`,
      pid: child.pid,
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

async function startKinesisLocal(): Promise<BenchTarget> {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('kinesis-local/package.json'));
  const loopback = new URL('./loopback-listen.js', import.meta.url).href;
  // Its working directory is a temporary one: it would put any persisted data there.
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'kinesis-local-'));
  const [plainPort, tlsPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', loopback, path.join(packageDir, 'main.js')], {
    cwd: workDir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      KINESIS_MOCK_CERT_PATH: path.join(packageDir, 'server.json'),
      CREATE_STREAM_DURATION: '1ms',
      DELETE_STREAM_DURATION: '1ms',
      SHARD_LIMIT: '10000',
      SHOULD_PERSIST_DATA: 'false',
      LOG_LEVEL: 'ERROR',
    },
  });
  child.stderr?.resume(); // drained so a chatty log cannot block it
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    const endpoint = `http://127.0.0.1:${plainPort}`;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`kinesis-local exited with code ${code}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitUntilServing(endpoint, startTimeoutMs), exited]);
    if (child.pid === undefined) throw new Error('kinesis-local has no pid');
    return { name: 'kinesis-local', endpoint, pid: child.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `tributaryArgs` are extra `serve` flags for Tributary; peers take no options. */
export function startTarget(name: TargetName, tributaryArgs: readonly string[] = []): Promise<BenchTarget> {
  switch (name) {
    case 'Tributary':
      return startTributaryTarget(tributaryArgs);
    case 'kinesalite':
      return startKinesalite();
    case 'kinesis-local':
      return startKinesisLocal();
  }
}

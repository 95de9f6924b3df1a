/**
 * The full-run-only figures, against Tributary alone: sustained ingest over minutes, resident
 * memory while holding a large data set over many streams, and restart time with that data set
 * after SIGTERM and after SIGKILL. Each step is bounded in time and reports how far it got.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { removeDataDir, type ServerProcess } from '../test/helpers/server-process.js';
import { startTributary } from './start-tributary.js';
import { waitUntilServing } from './bench-target.js';
import { KinesisHttpClient } from './kinesis-http-client.js';
import type { PutRecordsJob } from './load-job.js';
import { type Cell, type Measurement, unavailable } from './measurement.js';
import { readProcessRssBytes } from './process-usage.js';
import { nowMicros, profilingEnv, summariseProfileFile } from './profile-tributary.js';
import { runLoad } from './run-load.js';
import { createActiveStream } from './stream-admin.js';

export interface HeavySettings {
  readonly processes: number;
  readonly connectionsPerProcess: number;
  readonly sustainedMs: number;
  readonly fillStreams: number;
  readonly fillShardsPerStream: number;
  readonly fillBytes: number;
  readonly fillRecordBytes: number;
  readonly fillBatchSize: number;
  readonly fillTimeoutMs: number;
}

const GB = 1_000_000_000;
const MB = 1_000_000;
const serveTimeoutMs = 120_000;

function putRecordsJob(
  endpoint: string,
  streamNames: string[],
  recordBytes: number,
  batchSize: number,
  connections: number,
  durationMs: number,
  dataBytesMax: number | null,
): PutRecordsJob {
  return {
    kind: 'put-records',
    endpoint,
    streamNames,
    recordBytes,
    batchSize,
    encoding: 'json',
    connections,
    durationMs,
    recordsPerSecond: null,
    dataBytesMax,
    bodyCount: 4,
  };
}

/** PutRecords of 100 B records for `sustainedMs` on a fresh server, as in the 10-second figure. */
export async function measureSustainedIngest(settings: HeavySettings, batchSize: number): Promise<Cell> {
  const server = await startTributary({ extraArgs: ['--log-level', 'warn'] });
  try {
    await createActiveStream(server.endpoint, 'bench-sustained', 4);
    const job = putRecordsJob(
      server.endpoint,
      ['bench-sustained'],
      100,
      batchSize,
      settings.connectionsPerProcess,
      settings.sustainedMs,
      null,
    );
    const outcome = await runLoad(Array<PutRecordsJob>(settings.processes).fill(job), pidOf(server));
    return {
      value: outcome.records / outcome.seconds,
      serverCores: outcome.serverCores,
      serverMainThreadCores: outcome.serverMainThreadCores,
      otherCores: outcome.otherCores,
      clientCores: outcome.clientCores,
      note: `${outcome.records} records in ${outcome.seconds.toFixed(0)} s`,
    };
  } catch (error) {
    // The server's state and its last log lines say more than the client's error alone.
    const exit = server.child.exitCode ?? server.child.signalCode ?? 'still running';
    const message = error instanceof Error ? error.message : String(error);
    return unavailable(`${message}; server ${exit}; log: ${server.stderr().slice(-300)}`);
  } finally {
    await server.stop();
    await removeDataDir(server.dataDir);
  }
}

function pidOf(server: ServerProcess): number {
  if (server.child.pid === undefined) throw new Error('server has no pid');
  return server.child.pid;
}

/** Reads a few pages from the first shard of some streams, so the RSS includes a read path. */
async function sampleReads(endpoint: string, streamNames: readonly string[]): Promise<number> {
  const client = new KinesisHttpClient(endpoint, { connections: 1, timeoutMs: 60_000 });
  let records = 0;
  try {
    for (const streamName of streamNames.slice(0, 10)) {
      let iterator: string | undefined = (
        await client.call<{ ShardIterator: string }>('GetShardIterator', {
          StreamName: streamName,
          ShardId: 'shardId-000000000000',
          ShardIteratorType: 'TRIM_HORIZON',
        })
      ).ShardIterator;
      for (let page = 0; page < 3 && iterator !== undefined; page++) {
        const output: { Records: unknown[]; NextShardIterator?: string } = await client.call('GetRecords', {
          ShardIterator: iterator,
          Limit: 10_000,
        });
        records += output.Records.length;
        iterator = output.NextShardIterator;
      }
    }
  } finally {
    client.close();
  }
  return records;
}

async function timeRestart(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ server: ServerProcess; seconds: number }> {
  const started = performance.now();
  const server = await startTributary({
    dataDir,
    env,
    extraArgs: ['--log-level', 'warn'],
    startTimeoutMs: serveTimeoutMs,
  });
  try {
    await waitUntilServing(server.endpoint, serveTimeoutMs);
  } catch (error) {
    await server.kill();
    throw error;
  }
  return { server, seconds: (performance.now() - started) / 1000 };
}

/** A clean restart on `dataDir` with the profiler on, summarised from spawn to serving. */
async function profileRestart(dataDir: string): Promise<string> {
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-profile-'));
  try {
    const file = path.join(profileDir, 'restart.cpuprofile');
    const startMicros = nowMicros();
    const restarted = await timeRestart(dataDir, profilingEnv(file));
    const endMicros = nowMicros();
    await restarted.server.stop(); // a clean exit writes the profile
    return await summariseProfileFile(file, [
      {
        title: `Restart with the data set after SIGTERM (${restarted.seconds.toFixed(1)} s under the profiler)`,
        startMicros,
        endMicros,
      },
    ]);
  } finally {
    await rm(profileDir, { recursive: true, force: true });
  }
}

export interface DataSetFigures {
  readonly rss: Cell;
  readonly restartAfterTerm: Cell;
  readonly restartAfterKill: Cell;
  /** Markdown: where a restart's main-thread time went, or why there is no profile. */
  readonly restartProfile: string;
}

/**
 * Fills `fillStreams` × `fillShardsPerStream` shards with `fillBytes` of data (fsync on an
 * interval, to keep the fill short), reads a sample, reads the RSS, then restarts the server on the
 * same directory after SIGTERM and after SIGKILL, timing spawn → first ListStreams answer.
 */
export async function measureDataSetFigures(
  settings: HeavySettings,
  log: (line: string) => void,
): Promise<DataSetFigures> {
  let server = await startTributary({
    extraArgs: ['--log-level', 'warn', '--fsync', 'interval'],
    startTimeoutMs: serveTimeoutMs,
  });
  const dataDir = server.dataDir;
  const failAll = (error: unknown): DataSetFigures => ({
    rss: unavailable(error),
    restartAfterTerm: unavailable(error),
    restartAfterKill: unavailable(error),
    restartProfile: `no restart profile: ${unavailable(error).error}`,
  });
  try {
    const streamNames = Array.from(
      { length: settings.fillStreams },
      (_, index) => `bench-hold-${String(index).padStart(3, '0')}`,
    );
    log(`creating ${streamNames.length} streams × ${settings.fillShardsPerStream} shards`);
    for (const name of streamNames)
      await createActiveStream(server.endpoint, name, settings.fillShardsPerStream);
    log(`writing ${(settings.fillBytes / GB).toFixed(1)} GB`);
    const jobs = Array.from({ length: settings.processes }, (_, index) =>
      putRecordsJob(
        server.endpoint,
        // each process writes to every stream, starting at a different one
        [...streamNames.slice(index), ...streamNames.slice(0, index)],
        settings.fillRecordBytes,
        settings.fillBatchSize,
        settings.connectionsPerProcess,
        settings.fillTimeoutMs,
        settings.fillBytes / settings.processes,
      ),
    );
    const fill = await runLoad(jobs, pidOf(server));
    const fillNote =
      `${(fill.dataBytes / GB).toFixed(2)} GB written in ${fill.seconds.toFixed(0)} s ` +
      `(${(fill.dataBytes / MB / fill.seconds).toFixed(0)} MB/s, --fsync interval)`;
    log(fillNote);
    const sampled = await sampleReads(server.endpoint, streamNames);
    const rssBytes = await readProcessRssBytes(pidOf(server));
    const rss: Measurement = {
      value: rssBytes / MB,
      serverCores: null,
      clientCores: null,
      note: `${fillNote}; RSS after reading ${sampled} records back`,
    };

    log('restart after SIGTERM');
    await server.stop();
    const afterTerm = await timeRestart(dataDir);
    server = afterTerm.server;
    log('restart after SIGKILL');
    await server.kill();
    const afterKill = await timeRestart(dataDir);
    server = afterKill.server;
    log('restart once more under the profiler');
    await server.stop();
    const restartProfile = await profileRestart(dataDir).catch(
      (error: unknown) => `no restart profile: ${unavailable(error).error}`,
    );
    const restartNote = `${(fill.dataBytes / GB).toFixed(2)} GB in ${settings.fillStreams * settings.fillShardsPerStream} shards`;
    return {
      rss,
      restartAfterTerm: { value: afterTerm.seconds, serverCores: null, clientCores: null, note: restartNote },
      restartAfterKill: { value: afterKill.seconds, serverCores: null, clientCores: null, note: restartNote },
      restartProfile,
    };
  } catch (error) {
    return failAll(error);
  } finally {
    await server.stop();
    await removeDataDir(dataDir);
  }
}

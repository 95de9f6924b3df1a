/**
 * `node dist/bench/measure-drain-cpu.js [--fill-ms N] [--drains N] [--profile FILE]`: the GetRecords
 * drain's cost in server CPU, which stays meaningful on a loaded machine where wall-clock rates do
 * not. Starts Tributary (as `npm run bench` does: durable, limits off), fills a 4-shard stream with
 * 100 B records through PutRecords, then drains it from TRIM_HORIZON several times with the bench's
 * drain workers (Limit 10,000, two processes) and prints records per server CPU-second (whole
 * process and main thread). With --profile the server writes a V8 CPU profile of its main thread
 * to FILE at exit, and the drain windows' top self-time functions are printed.
 */
import { parseArgs } from 'node:util';
import { removeDataDir } from '../test/helpers/server-process.js';
import type { DrainJob, PutRecordsJob } from './load-job.js';
import { readProcessCpuSeconds } from './process-usage.js';
import { nowMicros, profilingEnv, summariseProfileFile, type Window } from './profile-tributary.js';
import { runLoad } from './run-load.js';
import { startTributary } from './start-tributary.js';
import { createActiveStream, listShardIds } from './stream-admin.js';

const { values } = parseArgs({
  options: {
    'fill-ms': { type: 'string', default: '4000' },
    drains: { type: 'string', default: '3' },
    profile: { type: 'string' },
  },
});
const fillMs = Number(values['fill-ms']);
const drains = Number(values.drains);
const profileFile = values.profile;
const streamName = 'drain-cpu';
const processes = 2;

const server = await startTributary({
  extraArgs: ['--log-level', 'warn'],
  ...(profileFile === undefined ? {} : { env: profilingEnv(profileFile) }),
});
const windows: Window[] = [];
try {
  const pid = server.child.pid;
  if (pid === undefined) throw new Error('server has no pid');
  await createActiveStream(server.endpoint, streamName, 4);
  const fill: PutRecordsJob = {
    kind: 'put-records',
    endpoint: server.endpoint,
    streamNames: [streamName],
    recordBytes: 100,
    batchSize: 500,
    encoding: 'json',
    connections: 8,
    durationMs: fillMs,
    recordsPerSecond: null,
    dataBytesMax: null,
    bodyCount: 4,
  };
  const filled = await runLoad([fill, fill], pid);
  console.log(`filled ${filled.records} records in ${filled.seconds.toFixed(1)} s`);
  const shardIds = await listShardIds(server.endpoint, streamName);
  for (let round = 1; round <= drains; round++) {
    const jobs: DrainJob[] = Array.from({ length: processes }, (_, reader) => ({
      kind: 'drain',
      endpoint: server.endpoint,
      streamName,
      shardIds: shardIds.filter((_, index) => index % processes === reader),
      limit: 10_000,
      durationMs: 120_000,
    }));
    const cpuBefore = await readProcessCpuSeconds(pid);
    const mainBefore = await readProcessCpuSeconds(pid, true);
    const window: Window = { title: `drain ${round}`, startMicros: nowMicros(), endMicros: 0 };
    const outcome = await runLoad(jobs, pid);
    window.endMicros = nowMicros();
    windows.push(window);
    const cpu = (await readProcessCpuSeconds(pid)) - cpuBefore;
    const main = (await readProcessCpuSeconds(pid, true)) - mainBefore;
    if (outcome.records !== filled.records) {
      throw new Error(`drain ${round} read ${outcome.records} of ${filled.records} records`);
    }
    console.log(
      `drain ${round}: ${outcome.records} records in ${outcome.seconds.toFixed(2)} s ` +
        `(${Math.round(outcome.records / outcome.seconds)} records/s wall); server CPU ${cpu.toFixed(2)} s ` +
        `(main thread ${main.toFixed(2)} s): ${Math.round(outcome.records / cpu)} records per server CPU-second, ` +
        `${Math.round(outcome.records / main)} per main-thread CPU-second; clients ${outcome.clientCores.toFixed(2)} cores`,
    );
  }
} finally {
  await server.stop();
  await removeDataDir(server.dataDir);
}
if (profileFile !== undefined) console.log(await summariseProfileFile(profileFile, windows));

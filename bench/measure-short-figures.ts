/**
 * The short figures, measured against one target (Tributary or a peer) with the same generator:
 * PutRecords 100 B and 1 KiB (JSON), 1 KiB over CBOR, single-record PutRecord, the GetRecords drain
 * and put-to-get latency at half of the target's own peak. A figure that fails becomes an
 * unavailable cell with its reason; the others still run.
 */
import type { BenchTarget } from './bench-target.js';
import type { PutRecordsJob } from './load-job.js';
import { measurePutToGetLatency } from './measure-latency.js';
import { type Cell, type Measurement, isMeasurement, unavailable } from './measurement.js';
import type { Encoding } from './request-bodies.js';
import { type LoadOutcome, runLoad } from './run-load.js';
import { createActiveStream, deleteStreamQuietly, listShardIds } from './stream-admin.js';

export const shortFigureIds = [
  'put100',
  'put1k',
  'cbor1k',
  'putRecord',
  'drain',
  'latencyP50',
  'latencyP99',
] as const;
export type ShortFigureId = (typeof shortFigureIds)[number];

export interface ShortSettings {
  readonly durationMs: number;
  readonly processes: number;
  readonly connectionsPerProcess: number;
  readonly shardCount: number;
  readonly batchSize: number;
  readonly putRecordCallers: number;
  readonly latencySamples: number;
  readonly latencyIntervalMs: number;
  readonly drainTimeoutMs: number;
}

const MB = 1_000_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function problems(outcome: LoadOutcome): string {
  const parts = [];
  if (outcome.errors > 0) parts.push(`${outcome.errors} failed requests (${outcome.firstError ?? ''})`);
  if (outcome.failedRecords > 0) parts.push(`${outcome.failedRecords} failed records`);
  return parts.join('; ').slice(0, 200);
}

function measured(value: number, outcome: LoadOutcome, note = problems(outcome)): Measurement {
  return {
    value,
    serverCores: outcome.serverCores,
    serverMainThreadCores: outcome.serverMainThreadCores,
    otherCores: outcome.otherCores,
    clientCores: outcome.clientCores,
    note,
  };
}

async function putRecords(
  target: BenchTarget,
  stream: string,
  recordBytes: number,
  encoding: Encoding,
  settings: ShortSettings,
  recordsPerSecond: number | null = null,
  durationMs = settings.durationMs,
): Promise<LoadOutcome> {
  const job: PutRecordsJob = {
    kind: 'put-records',
    endpoint: target.endpoint,
    streamNames: [stream],
    recordBytes,
    batchSize: settings.batchSize,
    encoding,
    connections: settings.connectionsPerProcess,
    durationMs,
    recordsPerSecond: recordsPerSecond === null ? null : recordsPerSecond / settings.processes,
    dataBytesMax: null,
    bodyCount: 4,
  };
  const outcome = await runLoad(Array<PutRecordsJob>(settings.processes).fill(job), target.pid);
  if (outcome.records === 0) throw new Error(outcome.firstError ?? 'no record acknowledged');
  return outcome;
}

async function drain(
  target: BenchTarget,
  stream: string,
  expected: number,
  settings: ShortSettings,
): Promise<Measurement> {
  const shardIds = await listShardIds(target.endpoint, stream);
  const readers = Math.min(settings.processes, shardIds.length);
  const jobs = Array.from({ length: readers }, (_, reader) => ({
    kind: 'drain' as const,
    endpoint: target.endpoint,
    streamName: stream,
    shardIds: shardIds.filter((_, index) => index % readers === reader),
    limit: 10_000,
    durationMs: settings.drainTimeoutMs,
  }));
  const outcome = await runLoad(jobs, target.pid);
  if (outcome.records === 0) throw new Error(outcome.firstError ?? 'read no record');
  const shortfall =
    outcome.records === expected ? '' : `read ${outcome.records} of ${expected} records in the time limit`;
  return measured(
    outcome.records / outcome.seconds,
    outcome,
    [shortfall, problems(outcome)].join(' ').trim(),
  );
}

async function attempt(run: () => Promise<Cell>): Promise<Cell> {
  try {
    return await run();
  } catch (error) {
    return unavailable(error);
  }
}

/**
 * One repetition of every short figure against `target`; `tag` keeps stream names unique. `mark`
 * is told when each figure starts (null: all done), so a profile can be cut into figures.
 */
export async function measureShortFigures(
  target: BenchTarget,
  tag: string,
  settings: ShortSettings,
  log: (line: string) => void,
  mark: (figure: ShortFigureId | null) => void = () => undefined,
): Promise<Map<ShortFigureId, Cell>> {
  const cells = new Map<ShortFigureId, Cell>();
  const endpoint = target.endpoint;

  mark('put100');
  log(`${target.name}: PutRecords 100 B`);
  const stream100 = `bench-100-${tag}`;
  let put100Records = 0;
  cells.set(
    'put100',
    await attempt(async () => {
      await createActiveStream(endpoint, stream100, settings.shardCount);
      const outcome = await putRecords(target, stream100, 100, 'json', settings);
      put100Records = outcome.records;
      return measured(outcome.records / outcome.seconds, outcome);
    }),
  );
  mark('drain');
  log(`${target.name}: GetRecords drain of ${put100Records} records`);
  cells.set(
    'drain',
    put100Records === 0
      ? { error: 'nothing was written to drain' }
      : await attempt(() => drain(target, stream100, put100Records, settings)),
  );
  await deleteStreamQuietly(endpoint, stream100);

  // CBOR is measured on Tributary only: the target compares it with Tributary's own JSON figure.
  const encodings = target.name === 'Tributary' ? (['json', 'cbor'] as const) : (['json'] as const);
  for (const encoding of encodings) {
    const id = encoding === 'json' ? 'put1k' : 'cbor1k';
    mark(id);
    log(`${target.name}: PutRecords 1 KiB over ${encoding.toUpperCase()}`);
    const stream = `bench-1k-${encoding}-${tag}`;
    cells.set(
      id,
      await attempt(async () => {
        await createActiveStream(endpoint, stream, settings.shardCount);
        const outcome = await putRecords(target, stream, 1024, encoding, settings);
        return measured(outcome.dataBytes / MB / outcome.seconds, outcome);
      }),
    );
    await deleteStreamQuietly(endpoint, stream);
  }

  mark('putRecord');
  log(`${target.name}: PutRecord, ${settings.putRecordCallers} callers`);
  const streamSingle = `bench-single-${tag}`;
  cells.set(
    'putRecord',
    await attempt(async () => {
      await createActiveStream(endpoint, streamSingle, settings.shardCount);
      const processes = Math.min(settings.processes, settings.putRecordCallers);
      const job = {
        kind: 'put-record' as const,
        endpoint,
        streamName: streamSingle,
        recordBytes: 100,
        connections: Math.ceil(settings.putRecordCallers / processes),
        durationMs: settings.durationMs,
      };
      const outcome = await runLoad(Array<typeof job>(processes).fill(job), target.pid);
      if (outcome.records === 0) throw new Error(outcome.firstError ?? 'no record acknowledged');
      return measured(outcome.records / outcome.seconds, outcome);
    }),
  );
  await deleteStreamQuietly(endpoint, streamSingle);

  const peak = cells.get('put100');
  mark('latencyP50');
  log(`${target.name}: put-to-get latency at half of peak`);
  const [p50, p99] = isMeasurement(peak)
    ? await latencyAtHalfPeak(target, tag, peak.value, settings)
    : [{ error: 'no peak PutRecords figure' }, { error: 'no peak PutRecords figure' }];
  cells.set('latencyP50', p50);
  cells.set('latencyP99', p99);
  mark(null);
  return cells;
}

/** A paced background writer at half of `peakRecordsPerSecond`, and the latency probe beside it. */
async function latencyAtHalfPeak(
  target: BenchTarget,
  tag: string,
  peakRecordsPerSecond: number,
  settings: ShortSettings,
): Promise<[Cell, Cell]> {
  const background = `bench-latency-load-${tag}`;
  const probe = `bench-latency-probe-${tag}`;
  try {
    await createActiveStream(target.endpoint, background, settings.shardCount);
    await createActiveStream(target.endpoint, probe, 1);
    const warmUpMs = 1_000;
    const probeMs = settings.latencySamples * settings.latencyIntervalMs;
    const load = putRecords(
      target,
      background,
      100,
      'json',
      settings,
      peakRecordsPerSecond / 2,
      warmUpMs + probeMs * 1.5 + 1_000,
    );
    load.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    await sleep(warmUpMs);
    const latency = await measurePutToGetLatency(
      target.endpoint,
      probe,
      settings.latencySamples,
      settings.latencyIntervalMs,
    );
    const outcome = await load;
    const note =
      `${latency.samples} samples, max ${latency.maxMs.toFixed(1)} ms, background ` +
      `${Math.round(outcome.records / outcome.seconds)} records/s ${problems(outcome)}`.trim();
    return [measured(latency.p50Ms, outcome, note), measured(latency.p99Ms, outcome, note)];
  } catch (error) {
    return [unavailable(error), unavailable(error)];
  } finally {
    await deleteStreamQuietly(target.endpoint, background);
    await deleteStreamQuietly(target.endpoint, probe);
  }
}

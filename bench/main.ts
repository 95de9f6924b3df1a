/**
 * `npm run bench [-- --quick] [-- --write-docs] [-- --sql-only] [-- --firehose-only]`: starts Tributary (default durable settings: file
 * storage, fsync always), kinesalite and kinesis-local one after another on 127.0.0.1, drives each
 * with the same multi-process load generator, measures the same-run decode ceiling, and prints one
 * table of figures with ratios Tributary / peer, targets and PASS/FAIL. A full run takes medians of
 * 3 and adds the heavy Tributary-only figures (sustained ingest, RSS with 10 GB, restart times).
 *
 * A peer that fails to start or to do an operation gets "n/a (reason)" cells; the run goes on.
 * Every server is stopped by pid and its directory removed, also on failure; every loop is bounded.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type BenchTarget, type TargetName, startTarget, targetNames } from './bench-target.js';
import { machineDescription, writeBenchmarksDoc, writeKeptSection } from './benchmarks-doc.js';
import { measureDecodeCeiling } from './decode-ceiling.js';
import { measureFanOutLatency } from './measure-fan-out-latency.js';
import { measureFormats, renderFormatsTable } from './measure-formats.js';
import {
  type FirehoseIngestSettings,
  measureFirehoseIngest,
  renderFirehoseIngestTable,
} from './measure-firehose-ingest.js';
import {
  type HeavySettings,
  measureDataSetFigures,
  measureSustainedIngest,
} from './measure-heavy-figures.js';
import {
  type ShortFigureId,
  type ShortSettings,
  measureShortFigures,
  shortFigureIds,
} from './measure-short-figures.js';
import { type Cell, isMeasurement, medianCell, unavailable } from './measurement.js';
import { profileTributary } from './profile-tributary.js';
import { measureSqlFigures, renderSqlFigures, writeSqlSection } from './measure-sql.js';
import {
  type FigureId,
  type Results,
  fullRunOnly,
  renderCpuTable,
  renderResultsTable,
} from './results-table.js';

const GB = 1_000_000_000;

interface Options {
  readonly quick: boolean;
  /** Only the fan-out push latency figure (to try it out quickly). */
  readonly fanOutOnly: boolean;
  /** Only the Firehose format figures (GZIP delivery vs zlib, JSON → Parquet), in process. */
  readonly formatsOnly: boolean;
  /** Only the SQL engine's figures (bench/measure-sql.ts). */
  readonly sqlOnly: boolean;
  /** Only Firehose PutRecordBatch ingest (bench/measure-firehose-ingest.ts). */
  readonly firehoseOnly: boolean;
  readonly firehose: FirehoseIngestSettings;
  readonly fanOutSamples: number;
  readonly fanOutIntervalMs: number;
  readonly writeDocs: boolean;
  readonly profile: boolean;
  readonly repetitions: number;
  readonly targets: readonly TargetName[];
  readonly short: ShortSettings;
  readonly heavy: HeavySettings;
  readonly ceilingMs: number;
}

const usage = `Usage: npm run bench -- [options]

Runs Tributary, kinesalite and kinesis-local side by side with the same load and prints every
figure of docs/benchmarks.md with its ratios and targets. A full run repeats each figure three
times and adds the sustained-ingest and 10 GB memory/restart figures; --quick is about a minute.

Options:
  --quick                 about a minute: one repetition, short figures only, no profile unless --profile
  --profile               profile Tributary's main thread during each short figure (always on in a full run)
  --write-docs            write the results into docs/benchmarks.md
  --targets LIST          comma-separated subset of: ${targetNames.join(', ')}
  --processes N           load-generator processes (1..16, default 2)
  --connections N         keep-alive connections per load process (1..64, default 4)
  --sustained-seconds N   length of the sustained-ingest figure (default 300)
  --hold-gb N             data held for the memory and restart figures (default 10)
  --fan-out-only          only the fan-out push latency figure
  --formats-only          only the Firehose format figures (GZIP vs zlib, JSON to Parquet), in process
  --sql-only              only the SQL engine figures (in process, DuckDB beside)
  --firehose-only         only Firehose PutRecordBatch ingest into a durable server
  -h, --help              this text
`;

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      quick: { type: 'boolean', default: false },
      // Profiles Tributary's main thread during each short figure; always on in a full run.
      profile: { type: 'boolean', default: false },
      'write-docs': { type: 'boolean', default: false },
      'fan-out-only': { type: 'boolean', default: false },
      'formats-only': { type: 'boolean', default: false },
      // Only the SQL engine's figures (in process, no servers).
      'sql-only': { type: 'boolean', default: false },
      // Only Firehose PutRecordBatch ingest into a durable server.
      'firehose-only': { type: 'boolean', default: false },
      processes: { type: 'string', default: '2' },
      connections: { type: 'string', default: '4' },
      targets: { type: 'string', default: targetNames.join(',') },
      // Smaller heavy figures, for trying the full run out; the documented run uses the defaults.
      'sustained-seconds': { type: 'string', default: '300' },
      'hold-gb': { type: 'string', default: '10' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const quick = values.quick === true;
  const processes = Number(values.processes);
  const connectionsPerProcess = Number(values.connections);
  if (!(processes >= 1 && processes <= 16) || !(connectionsPerProcess >= 1 && connectionsPerProcess <= 64)) {
    throw new Error('--processes must be 1..16 and --connections 1..64');
  }
  const sustainedSeconds = Number(values['sustained-seconds']);
  const holdGb = Number(values['hold-gb']);
  if (!(sustainedSeconds >= 1 && sustainedSeconds <= 1_800) || !(holdGb > 0 && holdGb <= 50)) {
    throw new Error('--sustained-seconds must be 1..1800 and --hold-gb over 0, at most 50');
  }
  const targets = (values.targets ?? '').split(',').map((name) => {
    const found = targetNames.find((known) => known === name);
    if (found === undefined) throw new Error(`unknown target ${name}; known: ${targetNames.join(', ')}`);
    return found;
  });
  return {
    quick,
    fanOutOnly: values['fan-out-only'] === true,
    formatsOnly: values['formats-only'] === true,
    sqlOnly: values['sql-only'] === true,
    firehoseOnly: values['firehose-only'] === true,
    firehose: {
      durationMs: quick ? 3_000 : 10_000,
      connections: 8,
      repetitions: quick ? 1 : 3,
      batchSize: 500,
      recordBytes: 1024,
    },
    fanOutSamples: quick ? 200 : 1_000,
    fanOutIntervalMs: 10,
    writeDocs: values['write-docs'] === true,
    profile: values.profile === true || !quick,
    repetitions: quick ? 1 : 3,
    targets,
    ceilingMs: quick ? 1_500 : 3_000,
    short: {
      durationMs: quick ? 2_000 : 10_000,
      processes,
      connectionsPerProcess,
      shardCount: 4,
      batchSize: 500,
      putRecordCallers: 16,
      latencySamples: quick ? 200 : 1_000,
      latencyIntervalMs: 10,
      drainTimeoutMs: quick ? 10_000 : 60_000,
    },
    heavy: {
      processes,
      connectionsPerProcess,
      sustainedMs: sustainedSeconds * 1000,
      fillStreams: 100,
      fillShardsPerStream: 4,
      fillBytes: holdGb * GB,
      fillRecordBytes: 8 * 1024,
      fillBatchSize: 100,
      fillTimeoutMs: 600_000,
    },
  };
}

const log = (line: string): void => {
  process.stderr.write(`[${(performance.now() / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};

function setCell(results: Results, figure: FigureId, target: TargetName, cell: Cell): void {
  let row = results.get(figure);
  if (row === undefined) {
    row = new Map();
    results.set(figure, row);
  }
  row.set(target, cell);
}

/** Every short figure for one target, medians over the repetitions; the server always stopped. */
async function measureTarget(name: TargetName, options: Options, results: Results): Promise<void> {
  const perFigure = new Map<ShortFigureId, Cell[]>(shortFigureIds.map((id) => [id, []]));
  let target: BenchTarget | undefined;
  try {
    log(`starting ${name}`);
    target = await startTarget(name);
    for (let repetition = 1; repetition <= options.repetitions; repetition++) {
      log(`${name}: repetition ${repetition} of ${options.repetitions}`);
      const cells = await measureShortFigures(target, `r${repetition}`, options.short, log);
      for (const [id, cell] of cells) perFigure.get(id)?.push(cell);
    }
  } catch (error) {
    const failure = unavailable(error);
    log(`${name} failed: ${failure.error}`);
    for (const cells of perFigure.values()) if (cells.length === 0) cells.push(failure);
  } finally {
    if (target !== undefined) {
      log(`stopping ${name}`);
      await target.stop();
    }
  }
  for (const [id, cells] of perFigure) if (cells.length > 0) setCell(results, id, name, medianCell(cells));
}

/** Fan-out push latency, on a fresh Tributary; peers are not measured (no SubscribeToShard). */
async function measureFanOut(options: Options, results: Results): Promise<void> {
  for (const peer of targetNames.filter((name) => name !== 'Tributary')) {
    setCell(results, 'fanOutP50', peer, { error: 'not measured for peers' });
    setCell(results, 'fanOutP99', peer, { error: 'not measured for peers' });
  }
  let target: BenchTarget | undefined;
  try {
    log('fan-out push latency');
    target = await startTarget('Tributary');
    const latency = await measureFanOutLatency(
      target.endpoint,
      target.pid,
      options.fanOutSamples,
      options.fanOutIntervalMs,
    );
    const note = `${latency.samples} samples, one PutRecord every ${options.fanOutIntervalMs} ms, max ${latency.maxMs.toFixed(1)} ms`;
    const cell = (value: number): Cell => ({
      value,
      serverCores: latency.serverCores,
      clientCores: null,
      note,
    });
    setCell(results, 'fanOutP50', 'Tributary', cell(latency.p50Ms));
    setCell(results, 'fanOutP99', 'Tributary', cell(latency.p99Ms));
  } catch (error) {
    const failure = unavailable(error);
    log(`fan-out latency failed: ${failure.error}`);
    setCell(results, 'fanOutP50', 'Tributary', failure);
    setCell(results, 'fanOutP99', 'Tributary', failure);
  } finally {
    await target?.stop();
  }
}

function ratioCell(numerator: Cell | undefined, denominator: Cell | undefined, note: string): Cell {
  if (!isMeasurement(numerator)) return numerator ?? { error: 'not measured' };
  if (!isMeasurement(denominator)) return denominator ?? { error: 'not measured' };
  if (denominator.value === 0) return { error: 'division by zero' };
  return {
    value: numerator.value / denominator.value,
    serverCores: numerator.serverCores,
    serverMainThreadCores: numerator.serverMainThreadCores ?? null,
    otherCores: numerator.otherCores ?? null,
    clientCores: numerator.clientCores,
    note,
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const startedAt = new Date();
  const loadAtStart = os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');
  const results: Results = new Map();
  let restartProfile = '';

  if (options.formatsOnly) {
    const figures = await measureFormats(options.repetitions, log);
    process.stdout.write(
      `\n${renderFormatsTable(figures)}\n\n${machineDescription()}; Node.js ${process.version}; load average at start ${loadAtStart}\n`,
    );
    return;
  }

  if (options.sqlOnly) {
    log('SQL engine figures (one core, in process)');
    const figures = await measureSqlFigures(options.quick ? 500_000 : 2_000_000);
    process.stdout.write(`\n${renderSqlFigures(figures)}\n`);
    if (options.writeDocs) {
      const command = `npm run bench -- --sql-only${options.quick ? ' --quick' : ''} --write-docs`;
      log(`wrote ${await writeSqlSection(figures, command, startedAt, loadAtStart)}`);
    }
    return;
  }

  if (options.firehoseOnly) {
    await measureAndWriteFirehoseIngest(options, startedAt, loadAtStart);
    return;
  }

  if (options.fanOutOnly) {
    await measureFanOut(options, results);
    const tables = `${renderResultsTable(results, ['fanOutP50', 'fanOutP99'])}\n\n${renderCpuTable(results)}`;
    process.stdout.write(`\n${tables}\n`);
    if (options.writeDocs) {
      const command = ['npm run bench --', ...process.argv.slice(2)].join(' ');
      const file = await writeKeptSection(
        'fan-out',
        `## Enhanced fan-out push latency

Measured with \`${command}\` on ${startedAt.toISOString()} (${machineDescription()}; Node.js
${process.version}; load average at start ${loadAtStart}): a JavaScript SDK v3 consumer subscribed
over HTTP/2 to a one-shard stream, a probe writer sending one PutRecord every
${options.fanOutIntervalMs} ms over a keep-alive connection; latency from the PutRecord answer to
the event carrying the record (\`bench/measure-fan-out-latency.ts\`).

${tables}`,
      );
      log(`wrote ${file}`);
    }
    return;
  }

  log('decode ceiling');
  const ceilings: Cell[] = [];
  for (let repetition = 0; repetition < options.repetitions; repetition++) {
    const value = measureDecodeCeiling(100, options.short.batchSize, options.ceilingMs);
    ceilings.push({ value, serverCores: null, clientCores: 1, note: '' });
  }
  const ceiling = medianCell(ceilings);
  setCell(results, 'ceiling', 'Tributary', ceiling);

  for (const name of options.targets) await measureTarget(name, options, results);
  if (options.targets.includes('Tributary')) await measureFanOut(options, results);

  const put100 = results.get('put100')?.get('Tributary');
  setCell(
    results,
    'ingestRatio',
    'Tributary',
    ratioCell(put100, ceiling, 'PutRecords 100 B / decode ceiling'),
  );

  if (options.quick || !options.targets.includes('Tributary')) {
    for (const id of ['sustainedRatio', 'rss', 'restartAfterTerm', 'restartAfterKill'] as const) {
      setCell(results, id, 'Tributary', { error: fullRunOnly });
    }
  } else {
    log(`sustained ingest for ${options.heavy.sustainedMs / 60_000} minutes`);
    const sustained = await measureSustainedIngest(options.heavy, options.short.batchSize);
    const sustainedNote = isMeasurement(sustained)
      ? `${Math.round(sustained.value)} records/s over ${options.heavy.sustainedMs / 60_000} min; ${sustained.note}`
      : '';
    setCell(results, 'sustainedRatio', 'Tributary', ratioCell(sustained, put100, sustainedNote));
    log('data set: RSS and restarts');
    const dataSet = await measureDataSetFigures(options.heavy, log);
    setCell(results, 'rss', 'Tributary', dataSet.rss);
    setCell(results, 'restartAfterTerm', 'Tributary', dataSet.restartAfterTerm);
    setCell(results, 'restartAfterKill', 'Tributary', dataSet.restartAfterKill);
    restartProfile = dataSet.restartProfile;
  }

  let profiles = 'not profiled in this run (`--profile` or a full run profiles)';
  if (options.profile && options.targets.includes('Tributary')) {
    log('profiling Tributary during each short figure');
    profiles = await profileTributary(options.short, log).catch(
      (error: unknown) => `profiling failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (restartProfile !== '') profiles += `\n\n${restartProfile}`;
  }

  if (options.targets.includes('Tributary'))
    await measureAndWriteFirehoseIngest(options, startedAt, loadAtStart);

  const resultsTable = renderResultsTable(results);
  const cpuTable = renderCpuTable(results);
  process.stdout.write(
    `\n${resultsTable}\n\n${cpuTable}\n\n${machineDescription()}; Node.js ${process.version}; load average at start ${loadAtStart}\n`,
  );
  if (options.profile) process.stdout.write(`\n${profiles}\n`);
  if (options.writeDocs) {
    const command = ['npm run bench --', ...process.argv.slice(2)].join(' ');
    const file = await writeBenchmarksDoc({
      command,
      startedAt,
      loadAtStart,
      resultsTable,
      cpuTable,
      profiles,
      method: methodText(options),
    });
    process.stdout.write(`wrote ${file}\n`);
  }
}

/** Firehose PutRecordBatch ingest: printed, and its kept section written with `--write-docs`. */
async function measureAndWriteFirehoseIngest(
  options: Options,
  startedAt: Date,
  loadAtStart: string,
): Promise<void> {
  log('Firehose PutRecordBatch ingest');
  const settings = options.firehose;
  let table: string;
  try {
    table = renderFirehoseIngestTable(await measureFirehoseIngest(settings, log), settings);
  } catch (error) {
    table = `Firehose ingest could not be measured: ${error instanceof Error ? error.message : String(error)}`;
  }
  const loadAtEnd = os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');
  process.stdout.write(`\n${table}\n\nload average at start ${loadAtStart}, at end ${loadAtEnd}\n`);
  if (!options.writeDocs) return;
  const command = ['npm run bench --', ...process.argv.slice(2)].join(' ');
  const file = await writeKeptSection(
    'firehose-ingest',
    `## Firehose PutRecordBatch ingest

Measured with \`${command}\` on ${startedAt.toISOString()} (${machineDescription()}; Node.js
${process.version}; load average at start ${loadAtStart}, at end ${loadAtEnd}): \`tributary serve\`
with file storage and \`--fsync always\`, one Direct PUT delivery stream (S3 destination, AWS's
default buffering, so delivery to the embedded bucket runs during the load), PutRecordBatch calls
of ${settings.batchSize} records × ${settings.recordBytes} bytes over ${settings.connections} keep-alive HTTP/1.1
connections, bodies built before the clock (\`bench/measure-firehose-ingest.ts\`). A record counts
when its batch was answered 200 with FailedPutCount 0, i.e. after it was appended and fsynced.

${table}`,
  );
  log(`wrote ${file}`);
}

function methodText(options: Options): string {
  const short = options.short;
  const heavy = options.heavy;
  return `- **Targets**, one after another, never at the same time: Tributary (\`tributary serve\`, file
  storage, \`--fsync always\`, temporary data directory), kinesalite (in memory) and kinesis-local
  (the Scala.js build of kinesis-mock, in memory, plain HTTP port). All bind 127.0.0.1 on a free
  port (kinesis-local through a preload that rewrites its wildcard listen address). None applies
  AWS per-shard throughput limits here: Tributary and kinesalite implement none, and kinesis-local
  was not seen to throttle (any throttled record would appear as failed records in the notes).
- **Load generator**: ${short.processes} forked worker processes, each with its own keep-alive
  \`node:http\` agent and request bodies built before the clock starts (random data and partition
  keys; the SDK is not used). Responses are inspected by byte search, not parsed. Its CPU is in the
  CPU table beside the server's.
- **PutRecords**: one stream of ${short.shardCount} shards per figure, batches of ${short.batchSize},
  ${short.processes} × ${short.connectionsPerProcess} connections, ${short.durationMs / 1000} s. Records/s counts acknowledged
  records; MB/s (10^6 bytes) counts record data only. CBOR bodies carry Data as byte strings
  (\`application/x-amz-cbor-1.1\`).
- **PutRecord**: one record of 100 B per request, ${short.putRecordCallers} concurrent callers, ${short.durationMs / 1000} s.
- **GetRecords drain**: the 100 B PutRecords stream read back from TRIM_HORIZON, one reader per
  shard spread over the worker processes, \`Limit\` 10000, until each shard returns an empty page.
- **Put-to-get latency**: a paced background writer at half of the same target's measured 100 B
  PutRecords rate, and a probe writer sending one PutRecord every ${short.latencyIntervalMs} ms (${short.latencySamples}
  samples) to a one-shard stream that a reader polls with GetRecords in a tight loop; from the
  PutRecord answer reaching the writer to the record reaching the reader.
- **Fan-out push latency** (Tributary only): a consumer subscribed with the JavaScript SDK v3
  (SubscribeToShard over HTTP/2) to a one-shard stream on a fresh server, and a probe writer sending
  one PutRecord every ${options.fanOutIntervalMs} ms (${options.fanOutSamples} samples); from the PutRecord answer reaching the
  writer to the event carrying the record reaching the consumer.
- **Decode ceiling**: in the harness process, with no server running: UTF-8 decode and
  \`JSON.parse\` of the same 100 B PutRecords bodies, base64 decode of each Data, MD5 of each
  PartitionKey, for ${options.ceilingMs / 1000} s on one core.
- **Repetitions**: ${options.repetitions === 1 ? 'one run of each short figure (quick mode)' : `medians of ${options.repetitions} for the short figures; the CPU and notes are those of the median run`}.
- **Sustained ingest** (full run only): 100 B PutRecords for ${heavy.sustainedMs / 60_000} minutes on a fresh
  server, divided by the 10-second median.
- **RSS and restarts** (full run only): ${heavy.fillStreams} streams × ${heavy.fillShardsPerStream} shards filled with
  ${heavy.fillBytes / GB} GB of ${heavy.fillRecordBytes / 1024} KiB records (\`--fsync interval\` to keep the fill short, at most
  ${heavy.fillTimeoutMs / 60_000} minutes), a few GetRecords pages read back from 10 streams, then VmRSS from
  /proc. Restart: SIGTERM (or SIGKILL), then the time from spawning a new server on the same data
  directory to its first successful ListStreams.
- Requests carry a well-formed SigV4 \`Authorization\` header with a dummy signature.`;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});

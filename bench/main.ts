/**
 * `npm run bench [-- --quick] [-- --write-docs]`: starts a Tributary server process with its
 * default durable settings (file storage, fsync always) on a temporary data directory, measures
 * PutRecords throughput, the GetRecords drain rate and put-to-get latency, prints a table, and
 * with `--write-docs` records it in docs/benchmarks.md. The server is always stopped and the data
 * directory removed, also on failure.
 *
 * Every loop is bounded by a duration or a sample count; every request has a timeout.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { removeDataDir, repositoryRoot, startServer } from '../test/helpers/server-process.js';
import { KinesisHttpClient } from './kinesis-http-client.js';

interface BenchSettings {
  readonly putDurationMs: number;
  readonly latencySamples: number;
  readonly connections: number;
  readonly shardCount: number;
  readonly batchSize: number;
}

interface Row {
  readonly name: string;
  readonly result: string;
}

const MiB = 1024 * 1024;
const latencyWriteIntervalMs = 10;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const formatCount = (value: number): string => Math.round(value).toLocaleString('en-US');

async function createActiveStream(
  client: KinesisHttpClient,
  name: string,
  shardCount: number,
): Promise<void> {
  await client.call('CreateStream', { StreamName: name, ShardCount: shardCount });
  for (let attempt = 0; attempt < 200; attempt++) {
    const summary = await client.call<{ StreamDescriptionSummary: { StreamStatus: string } }>(
      'DescribeStreamSummary',
      { StreamName: name },
    );
    if (summary.StreamDescriptionSummary.StreamStatus === 'ACTIVE') return;
    await sleep(25);
  }
  throw new Error(`stream ${name} did not become ACTIVE within 5 s`);
}

/** Pre-built PutRecords bodies, so the client spends no time serialising during the run. */
function buildPutRecordsBodies(streamName: string, recordBytes: number, batchSize: number): Buffer[] {
  return Array.from({ length: 16 }, () =>
    Buffer.from(
      JSON.stringify({
        StreamName: streamName,
        Records: Array.from({ length: batchSize }, () => ({
          Data: randomBytes(recordBytes).toString('base64'),
          PartitionKey: randomBytes(8).toString('hex'),
        })),
      }),
    ),
  );
}

async function measurePutThroughput(
  client: KinesisHttpClient,
  streamName: string,
  recordBytes: number,
  settings: BenchSettings,
): Promise<{ recordsPerSecond: number; mibPerSecond: number; records: number; failed: number }> {
  await createActiveStream(client, streamName, settings.shardCount);
  const bodies = buildPutRecordsBodies(streamName, recordBytes, settings.batchSize);
  let accepted = 0;
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + settings.putDurationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const body = bodies[next++ % bodies.length];
      if (body === undefined) throw new Error('no request body');
      const response = await client.send('PutRecords', body);
      if (response.status !== 200) {
        throw new Error(`PutRecords answered ${response.status}: ${response.body.toString('utf8')}`);
      }
      // Only the count is needed: a regular expression is far cheaper than parsing 500 results.
      const match = /"FailedRecordCount":(\d+)/.exec(response.body.toString('latin1'));
      const failedHere = match === null ? 0 : Number(match[1]);
      failed += failedHere;
      accepted += settings.batchSize - failedHere;
    }
  };
  await Promise.all(Array.from({ length: settings.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    recordsPerSecond: accepted / seconds,
    mibPerSecond: (accepted * recordBytes) / MiB / seconds,
    records: accepted,
    failed,
  };
}

interface GetRecordsOutput {
  Records: { Data: string; SequenceNumber: string }[];
  NextShardIterator?: string;
}

/** Reads every shard from TRIM_HORIZON to its end, one reader per shard, Limit 10000. */
async function measureDrain(
  client: KinesisHttpClient,
  streamName: string,
  expectedRecords: number,
): Promise<{ recordsPerSecond: number; mibPerSecond: number; records: number }> {
  const listed = await client.call<{ Shards: { ShardId: string }[] }>('ListShards', {
    StreamName: streamName,
  });
  let records = 0;
  let dataBytes = 0;
  const started = performance.now();
  await Promise.all(
    listed.Shards.map(async (shard) => {
      let iterator: string | undefined = (
        await client.call<{ ShardIterator: string }>('GetShardIterator', {
          StreamName: streamName,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        })
      ).ShardIterator;
      // Nothing writes during the drain: the first empty page is the end. The bound is a backstop.
      for (let page = 0; page < 100_000 && iterator !== undefined; page++) {
        const output: GetRecordsOutput = await client.call<GetRecordsOutput>('GetRecords', {
          ShardIterator: iterator,
          Limit: 10_000,
        });
        if (output.Records.length === 0) break;
        records += output.Records.length;
        for (const record of output.Records) dataBytes += Math.floor((record.Data.length * 3) / 4);
        iterator = output.NextShardIterator;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (records !== expectedRecords) {
    throw new Error(`drain read ${records} records from ${streamName}, expected ${expectedRecords}`);
  }
  return { recordsPerSecond: records / seconds, mibPerSecond: dataBytes / MiB / seconds, records };
}

function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/**
 * A writer sends one PutRecord every ~10 ms; a reader polls GetRecords in a tight loop. Latency is
 * the time from the PutRecord response reaching the writer to the record reaching the reader. The
 * reader can see a record before the writer has read its response; that counts as 0 ms.
 */
async function measureLatency(
  endpoint: string,
  settings: BenchSettings,
): Promise<{ p50Ms: number; p99Ms: number; maxMs: number; samples: number; seenBeforeAck: number }> {
  const streamName = 'bench-latency';
  const writer = new KinesisHttpClient(endpoint, { connections: 1, timeoutMs: 10_000 });
  const reader = new KinesisHttpClient(endpoint, { connections: 1, timeoutMs: 10_000 });
  try {
    await createActiveStream(writer, streamName, 1);
    let iterator: string | undefined = (
      await reader.call<{ ShardIterator: string }>('GetShardIterator', {
        StreamName: streamName,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'LATEST',
      })
    ).ShardIterator;
    const ackedAt = new Map<number, number>();
    const seenAt = new Map<number, number>();
    let writing = true;

    const readLoop = async (): Promise<void> => {
      // Runs until the writer is done and every record is seen, or 10 s after the writer stops.
      let writerDoneAt = Number.POSITIVE_INFINITY;
      while (iterator !== undefined) {
        if (!writing) writerDoneAt = Math.min(writerDoneAt, performance.now());
        if (!writing && seenAt.size >= settings.latencySamples) return;
        if (performance.now() - writerDoneAt > 10_000) throw new Error('latency reader missed records');
        const output: GetRecordsOutput = await reader.call<GetRecordsOutput>('GetRecords', {
          ShardIterator: iterator,
          Limit: 1000,
        });
        const now = performance.now();
        for (const record of output.Records) {
          seenAt.set(Number(Buffer.from(record.Data, 'base64').toString('utf8')), now);
        }
        iterator = output.NextShardIterator;
      }
    };
    const writeLoop = async (): Promise<void> => {
      try {
        for (let id = 0; id < settings.latencySamples; id++) {
          const started = performance.now();
          await writer.call('PutRecord', {
            StreamName: streamName,
            PartitionKey: 'latency',
            Data: Buffer.from(String(id)).toString('base64'),
          });
          ackedAt.set(id, performance.now());
          await sleep(Math.max(0, latencyWriteIntervalMs - (performance.now() - started)));
        }
      } finally {
        writing = false;
      }
    };
    await Promise.all([readLoop(), writeLoop()]);

    const latencies: number[] = [];
    let seenBeforeAck = 0;
    for (const [id, acked] of ackedAt) {
      const seen = seenAt.get(id);
      if (seen === undefined) throw new Error(`latency record ${id} was never read`);
      if (seen < acked) seenBeforeAck++;
      latencies.push(Math.max(0, seen - acked));
    }
    latencies.sort((a, b) => a - b);
    return {
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: latencies[latencies.length - 1] ?? Number.NaN,
      samples: latencies.length,
      seenBeforeAck,
    };
  } finally {
    writer.close();
    reader.close();
  }
}

function renderTable(rows: readonly Row[]): string {
  const nameWidth = Math.max('benchmark'.length, ...rows.map((row) => row.name.length));
  const resultWidth = Math.max('result'.length, ...rows.map((row) => row.result.length));
  const line = (name: string, result: string): string =>
    `| ${name.padEnd(nameWidth)} | ${result.padEnd(resultWidth)} |`;
  return [
    line('benchmark', 'result'),
    `|${'-'.repeat(nameWidth + 2)}|${'-'.repeat(resultWidth + 2)}|`,
    ...rows.map((row) => line(row.name, row.result)),
  ].join('\n');
}

function machineDescription(): string {
  const cpus = os.cpus();
  return (
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
    `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, ${os.type()} ${os.release()} (${os.arch()})`
  );
}

async function writeDocs(command: string, settings: BenchSettings, table: string): Promise<string> {
  const file = path.join(repositoryRoot, 'docs', 'benchmarks.md');
  const text = `# Benchmarks

Produced by \`bench/main.ts\`; regenerate with the command below. Numbers from one machine, one
run: compare them with each other, not with other hardware.

- Command: \`${command}\`
- Date: ${new Date().toISOString()}
- Machine: ${machineDescription()}
- Node.js: ${process.version}
- Server: one Tributary process, default durable settings (file storage, \`--fsync always\`), on a
  temporary data directory on the same machine as the client.

${table}

## Method

- **PutRecords throughput**: one stream of ${settings.shardCount} shards per record size, batches of
  ${settings.batchSize} records with random data and random partition keys, ${settings.connections} concurrent
  keep-alive HTTP/1.1 connections (\`node:http\`, not the SDK) sending pre-built JSON bodies for
  ${settings.putDurationMs / 1000} s. Records/s counts acknowledged records; MiB/s counts record data only.
- **GetRecords drain**: reads the 1 KiB stream back from TRIM_HORIZON, one reader per shard,
  \`Limit\` 10000, until every shard returns an empty page. MiB/s counts record data only.
- **Put-to-get latency**: a writer sends one PutRecord every ${latencyWriteIntervalMs} ms
  (${settings.latencySamples} records); a reader polls GetRecords in a tight loop. Latency is from the
  PutRecord response reaching the writer to the record reaching the reader; a record seen before the
  writer read its response counts as 0 ms.
- Requests carry a well-formed SigV4 \`Authorization\` header with a dummy signature (Tributary
  parses signatures but does not verify them).
`;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'write-docs': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const quick = values.quick === true;
  const settings: BenchSettings = {
    putDurationMs: quick ? 8_000 : 30_000,
    latencySamples: quick ? 1_000 : 3_000,
    connections: 8,
    shardCount: 4,
    batchSize: 500,
  };
  const command = `npm run bench --${quick ? ' --quick' : ''}${values['write-docs'] === true ? ' --write-docs' : ''}`;

  const server = await startServer({ extraArgs: ['--log-level', 'warn'] });
  const rows: Row[] = [];
  try {
    const client = new KinesisHttpClient(server.endpoint, { connections: settings.connections });
    try {
      for (const recordBytes of [100, 1024]) {
        const label = recordBytes === 100 ? '100 B' : '1 KiB';
        process.stderr.write(`PutRecords ${label}…\n`);
        const put = await measurePutThroughput(client, `bench-${recordBytes}`, recordBytes, settings);
        rows.push({
          name: `PutRecords, ${label} records, ${settings.batchSize}/batch, ${settings.shardCount} shards, ${settings.connections} connections`,
          result:
            `${formatCount(put.recordsPerSecond)} records/s, ${put.mibPerSecond.toFixed(1)} MiB/s` +
            (put.failed > 0 ? ` (${formatCount(put.failed)} records failed)` : ''),
        });
        if (recordBytes === 1024) {
          process.stderr.write(`GetRecords drain of ${formatCount(put.records)} records…\n`);
          const drain = await measureDrain(client, `bench-${recordBytes}`, put.records);
          rows.push({
            name: `GetRecords drain, ${label} records, Limit 10000, one reader per shard`,
            result: `${formatCount(drain.recordsPerSecond)} records/s, ${drain.mibPerSecond.toFixed(1)} MiB/s (${formatCount(drain.records)} records)`,
          });
        }
      }
    } finally {
      client.close();
    }
    process.stderr.write(`put-to-get latency, ${settings.latencySamples} records…\n`);
    const latency = await measureLatency(server.endpoint, settings);
    rows.push({
      name: `Put-to-get latency, PutRecord every ${latencyWriteIntervalMs} ms, polling GetRecords`,
      result:
        `p50 ${latency.p50Ms.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms, max ${latency.maxMs.toFixed(2)} ms ` +
        `(${latency.samples} samples, ${latency.seenBeforeAck} seen before the ack)`,
    });
  } finally {
    await server.stop();
    await removeDataDir(server.dataDir);
  }

  const table = renderTable(rows);
  process.stdout.write(`\n${table}\n\n${machineDescription()}; Node.js ${process.version}\n`);
  if (values['write-docs'] === true) {
    process.stdout.write(`wrote ${await writeDocs(command, settings, table)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});

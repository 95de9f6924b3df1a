/**
 * `npm run bench -- --firehose-only`: Firehose PutRecordBatch ingest into a durable Tributary
 * (`tributary serve`, file storage, `--fsync always`): batches of 500 records of 1 KiB to one
 * Direct PUT delivery stream (S3 destination with AWS's default buffering, so delivery to the
 * embedded bucket runs during the load, as it would), over keep-alive HTTP/1.1 connections with
 * request bodies built before the clock starts. A record counts once its batch was answered 200
 * with `FailedPutCount` 0 — after the records were appended and fsynced to the delivery stream's
 * log. MB/s is 10^6 bytes of record data per second (target ≥ 50).
 *
 * The client runs in this process (one request is ~0.7 MB of JSON; its CPU is reported beside the
 * server's). Each figure is the median of `repetitions` runs on one server; every loop is bounded.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { readProcessCpuSeconds } from './process-usage.js';
import { startTributary } from './start-tributary.js';
import { removeDataDir } from '../test/helpers/server-process.js';

export interface FirehoseIngestSettings {
  readonly durationMs: number;
  readonly connections: number;
  readonly repetitions: number;
  readonly batchSize: number;
  readonly recordBytes: number;
  /** Extra `tributary serve` flags (diagnosis only; the documented figure uses none). */
  readonly serverArgs?: readonly string[];
}

export interface FirehoseIngestFigure {
  readonly megabytesPerSecond: number;
  readonly recordsPerSecond: number;
  readonly serverCores: number;
  readonly clientCores: number;
  readonly failedBatches: number;
  readonly runs: readonly number[];
}

const deliveryStreamName = 'bench-ingest';
const bodyCount = 8;

function send(
  agent: http.Agent,
  endpoint: URL,
  operation: string,
  body: Buffer,
): Promise<{ status: number; body: Buffer }> {
  const date = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: endpoint.hostname,
        port: Number(endpoint.port),
        method: 'POST',
        path: '/',
        timeout: 60_000,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'content-length': String(body.length),
          'x-amz-target': `Firehose_20150804.${operation}`,
          'x-amz-date': date,
          // Tributary parses SigV4 headers but does not verify signatures.
          authorization:
            `AWS4-HMAC-SHA256 Credential=test/${date.slice(0, 8)}/us-east-1/firehose/aws4_request, ` +
            `SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${operation} timed out`)));
    request.on('error', reject);
    request.end(body);
  });
}

async function call(agent: http.Agent, endpoint: URL, operation: string, input: unknown): Promise<unknown> {
  const answer = await send(agent, endpoint, operation, Buffer.from(JSON.stringify(input)));
  if (answer.status !== 200)
    throw new Error(`${operation} answered ${answer.status}: ${answer.body.toString()}`);
  return JSON.parse(answer.body.toString() || '{}') as unknown;
}

async function waitActive(agent: http.Agent, endpoint: URL): Promise<void> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    const described = (await call(agent, endpoint, 'DescribeDeliveryStream', {
      DeliveryStreamName: deliveryStreamName,
    })) as { DeliveryStreamDescription: { DeliveryStreamStatus: string } };
    if (described.DeliveryStreamDescription.DeliveryStreamStatus === 'ACTIVE') return;
    if (performance.now() > deadline) throw new Error('the bench delivery stream did not become ACTIVE');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function buildBodies(settings: FirehoseIngestSettings): Buffer[] {
  return Array.from({ length: bodyCount }, () =>
    Buffer.from(
      JSON.stringify({
        DeliveryStreamName: deliveryStreamName,
        Records: Array.from({ length: settings.batchSize }, () => ({
          Data: randomBytes(settings.recordBytes).toString('base64'),
        })),
      }),
    ),
  );
}

const acknowledged = Buffer.from('"FailedPutCount":0');

/** One timed run: `connections` loops sending batches until the duration is over. */
async function runOnce(
  agent: http.Agent,
  endpoint: URL,
  bodies: readonly Buffer[],
  settings: FirehoseIngestSettings,
  serverPid: number,
): Promise<{ records: number; seconds: number; failed: number; serverCores: number; clientCores: number }> {
  let records = 0;
  let failed = 0;
  const serverBefore = await readProcessCpuSeconds(serverPid);
  const clientBefore = process.cpuUsage();
  const startedMs = performance.now();
  const endMs = startedMs + settings.durationMs;
  await Promise.all(
    Array.from({ length: settings.connections }, async (_, connection) => {
      let index = connection;
      while (performance.now() < endMs) {
        const answer = await send(agent, endpoint, 'PutRecordBatch', bodies[index % bodies.length] as Buffer);
        index++;
        if (answer.status === 200 && answer.body.includes(acknowledged)) records += settings.batchSize;
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - startedMs) / 1000;
  const serverCpu = (await readProcessCpuSeconds(serverPid)) - serverBefore;
  const client = process.cpuUsage(clientBefore);
  return {
    records,
    seconds,
    failed,
    serverCores: serverCpu / seconds,
    clientCores: (client.user + client.system) / 1e6 / seconds,
  };
}

export async function measureFirehoseIngest(
  settings: FirehoseIngestSettings,
  log: (line: string) => void,
): Promise<FirehoseIngestFigure> {
  const server = await startTributary({ extraArgs: ['--log-level', 'warn', ...(settings.serverArgs ?? [])] });
  const agent = new http.Agent({ keepAlive: true, maxSockets: settings.connections });
  try {
    const endpoint = new URL(server.endpoint);
    await call(agent, endpoint, 'CreateDeliveryStream', {
      DeliveryStreamName: deliveryStreamName,
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        RoleARN: 'arn:aws:iam::000000000000:role/firehose',
        BucketARN: 'arn:aws:s3:::bench-ingest',
      },
    });
    await waitActive(agent, endpoint);
    const bodies = buildBodies(settings);
    // Warm up connections and the JIT before measuring.
    await runOnce(agent, endpoint, bodies, { ...settings, durationMs: 1_000 }, server.child.pid as number);
    const runs: {
      megabytesPerSecond: number;
      recordsPerSecond: number;
      serverCores: number;
      clientCores: number;
      failed: number;
    }[] = [];
    for (let repetition = 1; repetition <= settings.repetitions; repetition++) {
      const run = await runOnce(agent, endpoint, bodies, settings, server.child.pid as number);
      const recordsPerSecond = run.records / run.seconds;
      runs.push({
        megabytesPerSecond: (recordsPerSecond * settings.recordBytes) / 1e6,
        recordsPerSecond,
        serverCores: run.serverCores,
        clientCores: run.clientCores,
        failed: run.failed,
      });
      log(`firehose ingest run ${repetition}: ${runs.at(-1)?.megabytesPerSecond.toFixed(1)} MB/s`);
    }
    const sorted = [...runs].sort((a, b) => a.megabytesPerSecond - b.megabytesPerSecond);
    const median = sorted[Math.floor(sorted.length / 2)] as (typeof runs)[number];
    return {
      megabytesPerSecond: median.megabytesPerSecond,
      recordsPerSecond: median.recordsPerSecond,
      serverCores: median.serverCores,
      clientCores: median.clientCores,
      failedBatches: runs.reduce((total, run) => total + run.failed, 0),
      runs: runs.map((run) => run.megabytesPerSecond),
    };
  } finally {
    agent.destroy();
    await server.stop();
    await removeDataDir(server.dataDir);
  }
}

export function renderFirehoseIngestTable(
  figure: FirehoseIngestFigure,
  settings: FirehoseIngestSettings,
): string {
  const pass = figure.megabytesPerSecond >= 50 && figure.failedBatches === 0 ? 'PASS' : 'FAIL';
  return [
    '| figure | Tributary | target | result |',
    '|---|---|---|---|',
    `| PutRecordBatch ingest, ${settings.batchSize} × ${settings.recordBytes / 1024} KiB, durable (fsync always) | ${figure.megabytesPerSecond.toFixed(1)} MB/s (${Math.round(figure.recordsPerSecond).toLocaleString('en-US')} records/s) | ≥ 50 MB/s | ${pass} |`,
    '',
    `Per second of server CPU in the median run: ${(figure.megabytesPerSecond / Math.max(figure.serverCores, 1e-9)).toFixed(1)} MB (the wall-clock figure is what counts against the target; on a shared machine the server may get far less than a core).`,
    '',
    `Runs: ${figure.runs.map((value) => value.toFixed(1)).join(', ')} MB/s (median shown); ${settings.connections} connections, ${settings.durationMs / 1000} s each; failed batches ${figure.failedBatches}. CPU during the median run: server ${figure.serverCores.toFixed(2)} cores, client ${figure.clientCores.toFixed(2)} cores.`,
  ].join('\n');
}

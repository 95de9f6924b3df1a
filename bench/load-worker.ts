/**
 * A load generator process, forked by `runLoad`: it receives one job, builds every request body,
 * says `ready`, waits for `go` (so all workers start together), runs until the job's deadline and
 * reports counts and its own CPU time. Responses are inspected with byte searches rather than
 * parsed, so a worker stays cheap next to the server it drives.
 */
import { performance } from 'node:perf_hooks';
import { cborContentType, jsonContentType, KinesisHttpClient } from './kinesis-http-client.js';
import { RawKinesisConnection } from './raw-kinesis-connection.js';
import type {
  DrainJob,
  LoadJob,
  LoadResult,
  ParentMessage,
  PutRecordJob,
  PutRecordsJob,
  WorkerMessage,
} from './load-job.js';
import {
  buildMultiStreamPutRecordsBodies,
  buildPutRecordBodies,
  buildPutRecordsBodies,
} from './request-bodies.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const errorPauseMs = 50;

function openConnections(endpoint: string, count: number): RawKinesisConnection[] {
  return Array.from({ length: count }, () => new RawKinesisConnection(endpoint));
}

function closeAll(connections: readonly RawKinesisConnection[]): void {
  for (const connection of connections) connection.close();
}

class Tally {
  requests = 0;
  records = 0;
  failedRecords = 0;
  errors = 0;
  firstError: string | null = null;
  dataBytes = 0;

  error(message: string): void {
    this.errors++;
    this.firstError ??= message.slice(0, 300);
  }
}

const jsonFailedKey = Buffer.from('"FailedRecordCount"');
const cborFailedKey = Buffer.from('FailedRecordCount');

/** FailedRecordCount from a PutRecords answer without parsing the 500 results beside it. */
function failedRecordCount(body: Buffer, cbor: boolean): number {
  if (cbor) {
    const at = body.indexOf(cborFailedKey);
    if (at < 0) return 0;
    const head = body[at + cborFailedKey.length] ?? 0;
    if (head < 0x18) return head;
    if (head === 0x18) return body[at + cborFailedKey.length + 1] ?? 0;
    if (head === 0x19) return body.readUInt16BE(at + cborFailedKey.length + 1);
    return 0;
  }
  let at = body.indexOf(jsonFailedKey);
  if (at < 0) return 0;
  at += jsonFailedKey.length;
  while (body[at] === 0x3a || body[at] === 0x20) at++; // ':' and spaces
  let value = 0;
  for (let digit = body[at] ?? 0; digit >= 0x30 && digit <= 0x39; digit = body[++at] ?? 0) {
    value = value * 10 + (digit - 0x30);
  }
  return value;
}

function prepareBodies(job: PutRecordsJob): (Buffer | Buffer[])[] {
  if (job.streamNames.length > 1) {
    return buildMultiStreamPutRecordsBodies(job.streamNames, job.recordBytes, job.batchSize);
  }
  const [streamName] = job.streamNames;
  if (streamName === undefined) throw new Error('put-records job without a stream');
  return buildPutRecordsBodies(streamName, job.recordBytes, job.batchSize, job.encoding, job.bodyCount);
}

async function runPutRecords(job: PutRecordsJob, tally: Tally, started: Promise<void>): Promise<void> {
  const bodies = prepareBodies(job);
  const cbor = job.encoding === 'cbor';
  const clients = openConnections(job.endpoint, job.connections);
  await started;
  const begin = performance.now();
  const deadline = begin + job.durationMs;
  // Paced mode: each connection sends a batch every `intervalMs`, on a fixed schedule.
  const intervalMs =
    job.recordsPerSecond === null ? 0 : (job.connections * job.batchSize * 1000) / job.recordsPerSecond;
  let next = 0;
  const connection = async (index: number): Promise<void> => {
    const client = clients[index];
    if (client === undefined) throw new Error('no connection');
    for (let sent = 0; performance.now() < deadline; sent++) {
      if (job.dataBytesMax !== null && tally.dataBytes >= job.dataBytesMax) return;
      if (intervalMs > 0) {
        const due = begin + (index / job.connections + sent) * intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await sleep(Math.min(wait, deadline - performance.now()));
        if (performance.now() >= deadline) return;
      }
      const body = bodies[next++ % bodies.length];
      if (body === undefined) throw new Error('no request body');
      tally.requests++;
      try {
        const response = await client.send('PutRecords', body, cbor ? cborContentType : jsonContentType);
        if (response.status !== 200) {
          tally.error(`HTTP ${response.status}: ${response.body.toString('utf8')}`);
          await sleep(errorPauseMs);
          continue;
        }
        const failed = failedRecordCount(response.body, cbor);
        tally.failedRecords += failed;
        tally.records += job.batchSize - failed;
        tally.dataBytes += (job.batchSize - failed) * job.recordBytes;
      } catch (error) {
        tally.error(error instanceof Error ? error.message : String(error));
        await sleep(errorPauseMs);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: job.connections }, (_, index) => connection(index)));
  } finally {
    closeAll(clients);
  }
}

async function runPutRecord(job: PutRecordJob, tally: Tally, started: Promise<void>): Promise<void> {
  const bodies = buildPutRecordBodies(job.streamName, job.recordBytes, 256);
  const clients = openConnections(job.endpoint, job.connections);
  await started;
  const deadline = performance.now() + job.durationMs;
  let next = 0;
  const caller = async (client: RawKinesisConnection): Promise<void> => {
    while (performance.now() < deadline) {
      const body = bodies[next++ % bodies.length];
      if (body === undefined) throw new Error('no request body');
      tally.requests++;
      try {
        const response = await client.send('PutRecord', body);
        if (response.status === 200) {
          tally.records++;
          tally.dataBytes += job.recordBytes;
        } else {
          tally.error(`HTTP ${response.status}: ${response.body.toString('utf8')}`);
          await sleep(errorPauseMs);
        }
      } catch (error) {
        tally.error(error instanceof Error ? error.message : String(error));
        await sleep(errorPauseMs);
      }
    }
  };
  try {
    await Promise.all(clients.map(caller));
  } finally {
    closeAll(clients);
  }
}

const sequenceNumberKey = Buffer.from('"SequenceNumber"');
const nextIteratorKey = Buffer.from('"NextShardIterator"');

/** Counts records by their SequenceNumber keys: base64 data and hex keys cannot contain one. */
function countRecords(body: Buffer): number {
  let count = 0;
  for (let at = body.indexOf(sequenceNumberKey); at >= 0; at = body.indexOf(sequenceNumberKey, at + 16)) {
    count++;
  }
  return count;
}

function nextIterator(body: Buffer): string | undefined {
  const at = body.lastIndexOf(nextIteratorKey);
  if (at < 0) return undefined;
  const open = body.indexOf(0x22, at + nextIteratorKey.length); // the value's opening quote
  const close = body.indexOf(0x22, open + 1);
  if (open < 0 || close < 0) return undefined;
  return body.toString('latin1', open + 1, close);
}

async function runDrain(job: DrainJob, tally: Tally, started: Promise<void>): Promise<void> {
  const client = new KinesisHttpClient(job.endpoint, { connections: job.shardIds.length });
  const iterators = await Promise.all(
    job.shardIds.map(
      async (shardId) =>
        (
          await client.call<{ ShardIterator: string }>('GetShardIterator', {
            StreamName: job.streamName,
            ShardId: shardId,
            ShardIteratorType: 'TRIM_HORIZON',
          })
        ).ShardIterator,
    ),
  );
  client.close();
  const readers = openConnections(job.endpoint, iterators.length);
  await started;
  const deadline = performance.now() + job.durationMs;
  const reader = async (first: string, index: number): Promise<void> => {
    const connection = readers[index];
    if (connection === undefined) throw new Error('no connection');
    let iterator: string | undefined = first;
    while (iterator !== undefined && performance.now() < deadline) {
      tally.requests++;
      const response = await connection.send(
        'GetRecords',
        Buffer.from(`{"ShardIterator":${JSON.stringify(iterator)},"Limit":${job.limit}}`),
      );
      if (response.status !== 200) {
        tally.error(`HTTP ${response.status}: ${response.body.toString('utf8')}`);
        return;
      }
      const records = countRecords(response.body);
      // Nothing writes during a drain: the first empty page is the end of the shard.
      if (records === 0) return;
      tally.records += records;
      iterator = nextIterator(response.body);
    }
  };
  try {
    await Promise.all(iterators.map(reader));
  } finally {
    closeAll(readers);
  }
}

function runJob(job: LoadJob, tally: Tally, started: Promise<void>): Promise<void> {
  switch (job.kind) {
    case 'put-records':
      return runPutRecords(job, tally, started);
    case 'put-record':
      return runPutRecord(job, tally, started);
    case 'drain':
      return runDrain(job, tally, started);
  }
}

function send(message: WorkerMessage): void {
  process.send?.(message);
}

let signalGo: () => void = () => undefined;
const started = new Promise<void>((resolve) => {
  signalGo = resolve;
});
let cpuAtGo = process.cpuUsage();
let timeAtGo = 0;

process.on('message', (message: ParentMessage) => {
  if (message.type === 'go') {
    cpuAtGo = process.cpuUsage();
    timeAtGo = performance.now();
    signalGo();
    return;
  }
  const tally = new Tally();
  // Each runner builds its bodies synchronously before awaiting `go`, so they exist by now.
  const running = runJob(message.job, tally, started);
  send({ type: 'ready' });
  running.then(
    () => {
      const cpu = process.cpuUsage(cpuAtGo);
      const result: LoadResult = {
        requests: tally.requests,
        records: tally.records,
        failedRecords: tally.failedRecords,
        errors: tally.errors,
        firstError: tally.firstError,
        dataBytes: tally.dataBytes,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        elapsedMs: performance.now() - timeAtGo,
      };
      send({ type: 'result', result });
      process.disconnect();
    },
    (error: unknown) => {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      process.disconnect();
    },
  );
});

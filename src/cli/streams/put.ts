/**
 * `tributary streams put NAME`: one record from --data (PutRecord), or one record per line of
 * stdin sent in PutRecords batches (≤ 500 records, ≤ 5 MiB). Records a batch reports as failed
 * (throttled, internal failure) are sent again with backoff, up to --max-attempts times; batches
 * go one after another, so records of one key keep their order across batches. A batch waits at
 * most 100 ms for more lines, so a slow producer's lines arrive promptly.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import {
  PutRecordCommand,
  PutRecordsCommand,
  type KinesisClient,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { Backoff, isThrottlingError, sleepUnlessAborted } from '../../client/read-pacing.js';
import {
  exitCodes,
  oneOf,
  positiveInteger,
  write,
  type CommandIo,
  type StreamsSubcommand,
} from './command-line.js';
import { Progress } from './progress.js';

const batchRecordsMax = 500;
/** AWS's documented PutRecords ceiling (data plus partition keys). */
const batchBytesMax = 5 * 1024 * 1024;
const batchLingerMs = 100;
const defaultAttemptsMax = 10;

export const putCommand: StreamsSubcommand = {
  name: 'put',
  summary: 'write records: --data TEXT, or one record per line of stdin',
  help: `Usage: tributary streams put NAME [--data TEXT] [--partition-key KEY] [--output text|json]

Writes --data as one record (PutRecord), or else each line of stdin as a record (PutRecords
batches of up to 500 records and 5 MiB; the newline is not part of the record). Records that a
batch reports as failed are retried with backoff.

Options:
  --data TEXT           the record's data (UTF-8); without it, stdin is read
  --partition-key KEY   partition key of every record; default a random UUID per record
  --max-attempts N      tries per record before giving up; default ${defaultAttemptsMax}
  --output text|json    --data: prints the shard id and sequence number (json: an object);
                        stdin: a summary on stderr (json: {"records","retried","failed"} on stdout)
Exit code 1 if any record could not be written.`,
  options: {
    data: { type: 'string' },
    'partition-key': { type: 'string' },
    'max-attempts': { type: 'string' },
    output: { type: 'string' },
  },
  positionals: ['NAME'],
  async run({ client, values, positionals, io }) {
    const name = positionals[0] as string;
    const output = oneOf('output', values.output, ['text', 'json'], 'text');
    const attemptsMax = positiveInteger('max-attempts', values['max-attempts'], 100) ?? defaultAttemptsMax;
    const partitionKey = values['partition-key'] as string | undefined;
    if (typeof values.data === 'string') {
      const reply = await client.send(
        new PutRecordCommand({
          StreamName: name,
          PartitionKey: partitionKey ?? randomUUID(),
          Data: Buffer.from(values.data, 'utf8'),
        }),
        { abortSignal: io.signal },
      );
      const result = { shardId: reply.ShardId, sequenceNumber: reply.SequenceNumber };
      await write(
        io.stdout,
        output === 'json' ? `${JSON.stringify(result)}\n` : `${result.shardId}\t${result.sequenceNumber}\n`,
      );
      return exitCodes.ok;
    }
    const totals = await putLines(client, name, partitionKey, attemptsMax, io);
    if (output === 'json') await write(io.stdout, `${JSON.stringify(totals)}\n`);
    if (totals.failed > 0) {
      await write(io.stderr, `${totals.failed} of ${totals.records} records could not be written\n`);
      return exitCodes.failed;
    }
    return exitCodes.ok;
  },
};

interface PutTotals {
  records: number;
  retried: number;
  failed: number;
}

async function putLines(
  client: KinesisClient,
  name: string,
  partitionKey: string | undefined,
  attemptsMax: number,
  io: CommandIo,
): Promise<PutTotals> {
  const totals: PutTotals = { records: 0, retried: 0, failed: 0 };
  const progress = new Progress(io.stderr, 'put');
  let bytesSent = 0;
  let batch: PutRecordsRequestEntry[] = [];
  let batchBytes = 0;
  let chain: Promise<void> = Promise.resolve();
  let linger: NodeJS.Timeout | undefined;

  const flush = (): Promise<void> => {
    if (linger !== undefined) clearTimeout(linger);
    linger = undefined;
    const entries = batch;
    const size = batchBytes;
    batch = [];
    batchBytes = 0;
    if (entries.length === 0) return chain;
    chain = chain.then(async () => {
      const failedEntries = await sendBatch(client, name, entries, attemptsMax, totals, io.signal);
      totals.records += entries.length;
      totals.failed += failedEntries;
      bytesSent += size;
      progress.update({ records: totals.records, bytes: bytesSent });
    });
    return chain;
  };

  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const data = Buffer.from(line, 'utf8');
    const key = partitionKey ?? randomUUID();
    const size = data.length + Buffer.byteLength(key);
    if (batch.length === batchRecordsMax || batchBytes + size > batchBytesMax) await flush();
    batch.push({ Data: data, PartitionKey: key });
    batchBytes += size;
    linger ??= setTimeout(() => void flush().catch(() => undefined), batchLingerMs);
  }
  await flush();
  await chain;
  await progress.finish(
    { records: totals.records, bytes: bytesSent },
    `done (${totals.retried} retried, ${totals.failed} failed)`,
  );
  return totals;
}

/** Sends one batch, retrying the records it reports as failed; answers how many never made it. */
async function sendBatch(
  client: KinesisClient,
  name: string,
  entries: readonly PutRecordsRequestEntry[],
  attemptsMax: number,
  totals: PutTotals,
  signal: AbortSignal,
): Promise<number> {
  const backoff = new Backoff();
  let pending = entries;
  for (let attempt = 1; ; attempt++) {
    let failed: PutRecordsRequestEntry[];
    try {
      const reply = await client.send(new PutRecordsCommand({ StreamName: name, Records: [...pending] }), {
        abortSignal: signal,
      });
      const results = reply.Records ?? [];
      failed = pending.filter((_, index) => results[index]?.ErrorCode !== undefined);
    } catch (error) {
      if (!isThrottlingError(error)) throw error;
      failed = [...pending];
    }
    if (failed.length === 0) return 0;
    if (attempt >= attemptsMax) return failed.length;
    totals.retried += failed.length;
    pending = failed;
    await sleepUnlessAborted(backoff.nextDelayMs(), signal);
  }
}

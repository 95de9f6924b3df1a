/**
 * `tributary streams export NAME --output FILE`: every record from TRIM_HORIZON to the tip at the
 * start, all shards in lineage order, as JSON lines (see record-format.ts). The file is written
 * as FILE.partial and renamed at the end, so FILE exists only complete. Progress goes to stderr:
 * a bar on a terminal, a line every 2 s otherwise.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { ShardLineageReader } from '../../client/shard-lineage-reader.js';
import { exitCodes, positiveInteger, UsageError, write, type StreamsSubcommand } from './command-line.js';
import { Progress } from './progress.js';
import { formatRecord } from './record-format.js';

export const exportCommand: StreamsSubcommand = {
  name: 'export',
  summary: "write a stream's records to a JSON-lines file",
  help: `Usage: tributary streams export NAME --output FILE.jsonl

Writes every record of the stream, from the oldest kept (TRIM_HORIZON) to the newest at the
moment the export starts, to FILE as JSON lines: {shardId, sequenceNumber, partitionKey,
approximateArrivalTimestamp (ISO 8601), data (base64)}. Shards are read in lineage order
(parents before children), so each partition key's records appear in order. Records written
after the start are left out. The file appears only when complete (written as FILE.partial);
--output - writes to stdout. Progress on stderr: a bar on a terminal, a line every 2 s otherwise.

Options:
  --output FILE       the JSON-lines file to write (required); - for stdout
  --limit N           records per GetRecords call, 1 to 10000; default 10000`,
  options: { output: { type: 'string' }, limit: { type: 'string' } },
  positionals: ['NAME'],
  async run({ client, values, positionals, io }) {
    const name = positionals[0] as string;
    const recordsPerCallMax = positiveInteger('limit', values.limit, 10_000) ?? 10_000;
    const target = values.output;
    if (typeof target !== 'string' || target === '') throw new UsageError('--output FILE is required');
    const toStdout = target === '-';
    const partial = `${target}.partial`;
    const out: NodeJS.WritableStream = toStdout ? io.stdout : createWriteStream(partial, { flags: 'w' });
    const progress = new Progress(io.stderr, `export ${name}`);
    const firstBehindMs = new Map<string, number>();
    const currentBehindMs = new Map<string, number>();
    let records = 0;
    let bytes = 0;
    const reader: ShardLineageReader = new ShardLineageReader({
      client,
      streamName: name,
      mode: 'snapshot',
      recordsPerCallMax,
      start: { type: 'TRIM_HORIZON' },
      signal: io.signal,
      onShardEnd: (shardId) => currentBehindMs.delete(shardId),
      onBatch: async ({ shardId, records: batch, millisBehindLatest }) => {
        const text = batch.map((record) => formatRecord('json', shardId, record)).join('');
        await write(out, text);
        records += batch.length;
        bytes += Buffer.byteLength(text);
        if (millisBehindLatest !== undefined) {
          if (!firstBehindMs.has(shardId)) firstBehindMs.set(shardId, millisBehindLatest);
          currentBehindMs.set(shardId, millisBehindLatest);
        }
        progress.update(state());
      },
    });
    const state = () => {
      // Done shards count whole; a shard being read counts by how far it caught up.
      let fraction = reader.shardsFinished;
      for (const [shardId, behind] of currentBehindMs) {
        const first = firstBehindMs.get(shardId) ?? 0;
        if (first > 0) fraction += 1 - behind / first;
      }
      const included = Math.max(reader.shardsIncluded, 1);
      return {
        records,
        bytes,
        fraction: fraction / included,
        detail: `shards ${reader.shardsFinished}/${reader.shardsIncluded}`,
      };
    };
    try {
      await reader.run();
      if (io.signal.aborted) throw new Error('export interrupted');
      if (!toStdout) {
        await new Promise<void>((resolve, reject) => {
          out.once('error', reject);
          out.end(() => resolve());
        });
        await rename(partial, target);
      }
    } catch (error) {
      if (!toStdout) {
        (out as NodeJS.WritableStream & { destroy(): void }).destroy();
        await rm(partial, { force: true });
      }
      await progress.finish(state(), 'failed');
      throw error;
    }
    await progress.finish(state(), `done${toStdout ? '' : `: ${target}`}`);
    return exitCodes.ok;
  },
};

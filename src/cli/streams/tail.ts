/**
 * `tributary streams tail NAME`: prints records as they arrive on every shard, following splits
 * and merges (parents read to their end before their children, through `ShardLineageReader`).
 * Runs until Ctrl-C / SIGTERM (exit 0), --max-records, a closed output pipe, or an error (exit 1).
 */
import { ShardLineageReader, type StartingPosition } from '../../client/shard-lineage-reader.js';
import {
  exitCodes,
  isClosedPipe,
  oneOf,
  positiveInteger,
  UsageError,
  write,
  type StreamsSubcommand,
} from './command-line.js';
import { formatRecord, recordFormats } from './record-format.js';

export const tailCommand: StreamsSubcommand = {
  name: 'tail',
  summary: 'follow every shard live, through resharding',
  help: `Usage: tributary streams tail NAME [--from trim-horizon|latest|at-timestamp] [--format text|json|hex]

Prints records as they arrive on every shard of the stream, following splits and merges: a
shard's parents are read to their end before it, so each partition key's records come out in
order. Stops on Ctrl-C or SIGTERM (exit 0).

Options:
  --from POSITION     latest (default): only new records; trim-horizon: everything kept, then
                      new records; at-timestamp: from --timestamp on
  --timestamp TIME    ISO 8601 time or epoch seconds, with --from at-timestamp
  --format FORMAT     text (default): shard, sequence number, partition key, data as UTF-8,
                      tab-separated (\\t \\n \\r \\\\ escaped); json: one object a line
                      {shardId, sequenceNumber, partitionKey, approximateArrivalTimestamp, data
                      (base64)}; hex: as text with the data in hexadecimal
  --max-records N     exit after N records
  --limit N           records per GetRecords call, 1 to 10000; default 10000`,
  options: {
    from: { type: 'string' },
    timestamp: { type: 'string' },
    format: { type: 'string' },
    'max-records': { type: 'string' },
    limit: { type: 'string' },
  },
  positionals: ['NAME'],
  async run({ client, values, positionals, io }) {
    const name = positionals[0] as string;
    const recordsPerCallMax = positiveInteger('limit', values.limit, 10_000) ?? 10_000;
    const format = oneOf('format', values.format, recordFormats, 'text');
    const maxRecords = positiveInteger('max-records', values['max-records']);
    const start = startingPosition(values.from, values.timestamp);
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    io.signal.addEventListener('abort', onAbort, { once: true });
    let printed = 0;
    let pipeClosed = false;
    const reader = new ShardLineageReader({
      client,
      streamName: name,
      mode: 'follow',
      recordsPerCallMax,
      start,
      signal: stop.signal,
      onBatch: async ({ shardId, records }) => {
        if (stop.signal.aborted) return;
        const take = maxRecords === undefined ? records : records.slice(0, maxRecords - printed);
        try {
          await write(io.stdout, take.map((record) => formatRecord(format, shardId, record)).join(''));
        } catch (error) {
          if (!isClosedPipe(error)) throw error;
          pipeClosed = true;
          stop.abort();
          return;
        }
        printed += take.length;
        if (maxRecords !== undefined && printed >= maxRecords) stop.abort();
      },
    });
    try {
      await reader.run();
    } finally {
      io.signal.removeEventListener('abort', onAbort);
    }
    return pipeClosed || stop.signal.aborted ? exitCodes.ok : exitCodes.failed;
  },
};

function startingPosition(
  from: string | boolean | undefined,
  timestamp: string | boolean | undefined,
): StartingPosition {
  const choice = oneOf('from', from, ['latest', 'trim-horizon', 'at-timestamp'], 'latest');
  if (choice !== 'at-timestamp') {
    if (timestamp !== undefined) throw new UsageError('--timestamp goes with --from at-timestamp');
    return choice === 'latest' ? { type: 'LATEST' } : { type: 'TRIM_HORIZON' };
  }
  if (typeof timestamp !== 'string') throw new UsageError('--from at-timestamp needs --timestamp TIME');
  const date = /^\d+(\.\d+)?$/.test(timestamp) ? new Date(Number(timestamp) * 1000) : new Date(timestamp);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`--timestamp must be ISO 8601 or epoch seconds, got "${timestamp}"`);
  }
  return { type: 'AT_TIMESTAMP', timestamp: date };
}

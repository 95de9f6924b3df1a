/**
 * `tributary streams list`: every stream of the account and region, through ListStreams pages
 * (NextToken), with each stream's status, mode and creation time from StreamSummaries.
 */
import {
  ListStreamsCommand,
  type ListStreamsCommandInput,
  type StreamSummary,
} from '@aws-sdk/client-kinesis';
import { exitCodes, oneOf, positiveInteger, write, type StreamsSubcommand } from './command-line.js';

export const listCommand: StreamsSubcommand = {
  name: 'list',
  summary: 'list the streams (name, status, mode, created)',
  help: `Usage: tributary streams list [--output text|json] [--page-size N]

Lists every stream of the account and region (all ListStreams pages).

Options:
  --page-size N       streams asked for per ListStreams call (its Limit), 1 to 10000; default the
                      server's
  --output text|json  text: one stream a line (name, status, mode, creation time); json: an array
                      of {name, arn, status, mode, createdAt}; default text`,
  options: { output: { type: 'string' }, 'page-size': { type: 'string' } },
  positionals: [],
  async run({ client, values, io }) {
    const output = oneOf('output', values.output, ['text', 'json'], 'text');
    const pageSize = positiveInteger('page-size', values['page-size'], 10_000);
    const limit = pageSize === undefined ? {} : { Limit: pageSize };
    const streams: StreamSummary[] = [];
    let input: ListStreamsCommandInput = { ...limit };
    for (;;) {
      const page = await client.send(new ListStreamsCommand(input), { abortSignal: io.signal });
      streams.push(...(page.StreamSummaries ?? []));
      if (page.HasMoreStreams !== true) break;
      const last = page.StreamNames?.at(-1);
      // NextToken pages; a server without it pages by the last name seen.
      if (page.NextToken !== undefined) input = { ...limit, NextToken: page.NextToken };
      else if (last !== undefined) input = { ...limit, ExclusiveStartStreamName: last };
      else break;
    }
    const rows = streams.map((stream) => ({
      name: stream.StreamName ?? '',
      arn: stream.StreamARN ?? '',
      status: stream.StreamStatus ?? '',
      mode: stream.StreamModeDetails?.StreamMode ?? '',
      createdAt: stream.StreamCreationTimestamp?.toISOString() ?? '',
    }));
    if (output === 'json') {
      await write(io.stdout, `${JSON.stringify(rows, null, 2)}\n`);
      return exitCodes.ok;
    }
    if (rows.length === 0) {
      await write(io.stderr, 'no streams\n');
      return exitCodes.ok;
    }
    const width = Math.max(4, ...rows.map((row) => row.name.length));
    const lines = rows.map(
      (row) => `${row.name.padEnd(width)}  ${row.status.padEnd(8)}  ${row.mode.padEnd(11)}  ${row.createdAt}`,
    );
    await write(io.stdout, `${'NAME'.padEnd(width)}  STATUS    MODE         CREATED\n${lines.join('\n')}\n`);
    return exitCodes.ok;
  },
};

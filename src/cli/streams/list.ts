/**
 * `tributary streams list`: every stream of the account and region, through ListStreams pages
 * (NextToken), with each stream's status, mode and creation time from StreamSummaries.
 */
import { ListStreamsCommand, type StreamSummary } from '@aws-sdk/client-kinesis';
import { exitCodes, oneOf, write, type StreamsSubcommand } from './command-line.js';

export const listCommand: StreamsSubcommand = {
  name: 'list',
  summary: 'list the streams (name, status, mode, created)',
  help: `Usage: tributary streams list [--output text|json]

Lists every stream of the account and region (all ListStreams pages).

Options:
  --output text|json  text: one stream a line (name, status, mode, creation time); json: an array
                      of {name, arn, status, mode, createdAt}; default text`,
  options: { output: { type: 'string' } },
  positionals: [],
  async run({ client, values, io }) {
    const output = oneOf('output', values.output, ['text', 'json'], 'text');
    const streams: StreamSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListStreamsCommand(nextToken === undefined ? {} : { NextToken: nextToken }),
        { abortSignal: io.signal },
      );
      streams.push(...(page.StreamSummaries ?? []));
      nextToken = page.HasMoreStreams === true ? (page.NextToken ?? undefined) : undefined;
    } while (nextToken !== undefined);
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

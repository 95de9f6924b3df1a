/**
 * `tributary streams describe NAME`: DescribeStreamSummary plus every shard (ListShards pages):
 * id, hash-key range, open or closed, parents.
 */
import {
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListShardsCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { exitCodes, oneOf, write, type StreamsSubcommand } from './command-line.js';

export const describeCommand: StreamsSubcommand = {
  name: 'describe',
  summary: 'show a stream: summary and shard table',
  help: `Usage: tributary streams describe NAME [--output text|json]

Shows the stream's summary (DescribeStreamSummary) and all its shards (ListShards): id, hash-key
range, open or closed, parent and adjacent parent.

Options:
  --output text|json  default text; json prints {summary, shards} as the API returns them`,
  options: { output: { type: 'string' } },
  positionals: ['NAME'],
  async run({ client, values, positionals, io }) {
    const name = positionals[0] as string;
    const output = oneOf('output', values.output, ['text', 'json'], 'text');
    const summary = (
      await client.send(new DescribeStreamSummaryCommand({ StreamName: name }), { abortSignal: io.signal })
    ).StreamDescriptionSummary;
    const shards = await listAllShards(client, name, io.signal);
    if (output === 'json') {
      await write(io.stdout, `${JSON.stringify({ summary, shards }, null, 2)}\n`);
      return exitCodes.ok;
    }
    const lines = [
      `Stream:      ${summary?.StreamName ?? name}`,
      `ARN:         ${summary?.StreamARN ?? ''}`,
      `Status:      ${summary?.StreamStatus ?? ''}`,
      `Mode:        ${summary?.StreamModeDetails?.StreamMode ?? ''}`,
      `Created:     ${summary?.StreamCreationTimestamp?.toISOString() ?? ''}`,
      `Retention:   ${summary?.RetentionPeriodHours ?? ''} hours`,
      `Encryption:  ${summary?.EncryptionType ?? 'NONE'}`,
      `Open shards: ${summary?.OpenShardCount ?? ''}`,
      `Consumers:   ${summary?.ConsumerCount ?? 0}`,
      '',
    ];
    const rows = shards.map((shard) => [
      shard.ShardId ?? '',
      shard.SequenceNumberRange?.EndingSequenceNumber === undefined ? 'open' : 'closed',
      shard.HashKeyRange?.StartingHashKey ?? '',
      shard.HashKeyRange?.EndingHashKey ?? '',
      [shard.ParentShardId, shard.AdjacentParentShardId].filter((id) => id !== undefined).join(',') || '-',
    ]);
    const header = ['SHARD', 'STATE', 'STARTING HASH KEY', 'ENDING HASH KEY', 'PARENTS'];
    const widths = header.map((title, column) =>
      Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
    );
    const format = (row: readonly string[]): string =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] as number)))
        .join('  ');
    lines.push(format(header), ...rows.map(format));
    await write(io.stdout, `${lines.join('\n')}\n`);
    return exitCodes.ok;
  },
};

/** Every shard of the stream, through ListShards pages (a NextToken page names no stream). */
export async function listAllShards(
  client: KinesisClient,
  name: string,
  signal: AbortSignal,
): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(nextToken === undefined ? { StreamName: name } : { NextToken: nextToken }),
      { abortSignal: signal },
    );
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken ?? undefined;
  } while (nextToken !== undefined);
  return shards;
}

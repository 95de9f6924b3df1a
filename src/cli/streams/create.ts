/**
 * `tributary streams create NAME`: CreateStream, provisioned with --shards N (1 when absent) or
 * on-demand, and with --wait until DescribeStreamSummary shows ACTIVE.
 */
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { sleepUnlessAborted } from '../../client/read-pacing.js';
import {
  exitCodes,
  positiveInteger,
  UsageError,
  write,
  type CommandIo,
  type StreamsSubcommand,
} from './command-line.js';

const waitTimeoutMs = 300_000;
const waitPollMs = 500;

export const createCommand: StreamsSubcommand = {
  name: 'create',
  summary: 'create a stream (provisioned or on-demand)',
  help: `Usage: tributary streams create NAME [--shards N | --on-demand] [--wait]

Creates the stream NAME with CreateStream.

Options:
  --shards N      provisioned with N shards; default 1
  --on-demand     on-demand capacity mode instead (the server picks the shards)
  --wait          wait until the stream is ACTIVE (at most ${waitTimeoutMs / 1000} s; exit 1 if not)`,
  options: { shards: { type: 'string' }, 'on-demand': { type: 'boolean' }, wait: { type: 'boolean' } },
  positionals: ['NAME'],
  async run({ client, values, positionals, io }) {
    const name = positionals[0] as string;
    const shards = positiveInteger('shards', values.shards);
    const onDemand = values['on-demand'] === true;
    if (onDemand && shards !== undefined) throw new UsageError('--shards and --on-demand exclude each other');
    await client.send(
      new CreateStreamCommand(
        onDemand
          ? { StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }
          : { StreamName: name, ShardCount: shards ?? 1, StreamModeDetails: { StreamMode: 'PROVISIONED' } },
      ),
      { abortSignal: io.signal },
    );
    if (values.wait !== true) {
      await write(io.stderr, `creating stream ${name}\n`);
      return exitCodes.ok;
    }
    const status = await waitForActive(client, name, io);
    if (status !== 'ACTIVE') {
      await write(io.stderr, `stream ${name} is still ${status} after ${waitTimeoutMs / 1000} s\n`);
      return exitCodes.failed;
    }
    await write(io.stderr, `stream ${name} is ACTIVE\n`);
    return exitCodes.ok;
  },
};

/** Polls DescribeStreamSummary until ACTIVE or the timeout; answers the last status seen. */
export async function waitForActive(client: KinesisClient, name: string, io: CommandIo): Promise<string> {
  const deadline = Date.now() + waitTimeoutMs;
  for (;;) {
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }), {
      abortSignal: io.signal,
    });
    const status = summary.StreamDescriptionSummary?.StreamStatus ?? 'UNKNOWN';
    if (status === 'ACTIVE' || Date.now() > deadline) return status;
    await sleepUnlessAborted(waitPollMs, io.signal);
  }
}

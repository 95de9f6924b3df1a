/**
 * `tributary analytics start <app> [--from now|trim-horizon|last-stopped]` and `stop <app>`:
 * StartApplication (every input from the same starting position) and StopApplication, then wait
 * (DescribeApplication every 250 ms) until the application is RUNNING or READY.
 */
import {
  DescribeApplicationCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  type InputStartingPosition,
  type KinesisAnalyticsClient,
} from '@aws-sdk/client-kinesis-analytics';
import { exitCodes, oneOf, positiveInteger, write, type CommandIo } from '../streams/command-line.js';
import type { AnalyticsSubcommand } from './analytics-subcommand.js';

const positions: Record<string, InputStartingPosition> = {
  now: 'NOW',
  'trim-horizon': 'TRIM_HORIZON',
  'last-stopped': 'LAST_STOPPED_POINT',
};
const pollIntervalMs = 250;

export const startCommand: AnalyticsSubcommand = {
  name: 'start',
  summary: 'start an application and wait until it runs',
  help: `Usage: tributary analytics start APPLICATION [--from now|trim-horizon|last-stopped] [--wait-seconds N]

Starts the application (StartApplication) with every input reading from --from, then waits until
it is RUNNING.

Options:
  --from POSITION     now (records that arrive from now on), trim-horizon (everything retained) or
                      last-stopped (where it stopped: LAST_STOPPED_POINT); default now
  --wait-seconds N    how long to wait for RUNNING; default 60`,
  options: { from: { type: 'string' }, 'wait-seconds': { type: 'string' } },
  positionals: ['APPLICATION'],
  async run({ client, values, positionals, io }) {
    const name = positionals[0] as string;
    const from = oneOf('from', values.from, Object.keys(positions), 'now');
    const waitSeconds = positiveInteger('wait-seconds', values['wait-seconds']) ?? 60;
    const described = await client.send(new DescribeApplicationCommand({ ApplicationName: name }), {
      abortSignal: io.signal,
    });
    const inputs = described.ApplicationDetail?.InputDescriptions ?? [];
    await client.send(
      new StartApplicationCommand({
        ApplicationName: name,
        InputConfigurations: inputs.map((input) => ({
          Id: input.InputId,
          InputStartingPositionConfiguration: { InputStartingPosition: positions[from] },
        })),
      }),
      { abortSignal: io.signal },
    );
    return waitForStatus(client, name, 'RUNNING', waitSeconds, io);
  },
};

export const stopCommand: AnalyticsSubcommand = {
  name: 'stop',
  summary: 'stop an application and wait until it is READY',
  help: `Usage: tributary analytics stop APPLICATION [--wait-seconds N]

Stops the application (StopApplication; it checkpoints where it stopped, for a later
'start --from last-stopped'), then waits until it is READY.

Options:
  --wait-seconds N    how long to wait for READY; default 60`,
  options: { 'wait-seconds': { type: 'string' } },
  positionals: ['APPLICATION'],
  async run({ client, values, positionals, io }) {
    const name = positionals[0] as string;
    const waitSeconds = positiveInteger('wait-seconds', values['wait-seconds']) ?? 60;
    await client.send(new StopApplicationCommand({ ApplicationName: name }), { abortSignal: io.signal });
    return waitForStatus(client, name, 'READY', waitSeconds, io);
  },
};

async function waitForStatus(
  client: KinesisAnalyticsClient,
  name: string,
  wanted: string,
  waitSeconds: number,
  io: CommandIo,
): Promise<number> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const described = await client.send(new DescribeApplicationCommand({ ApplicationName: name }), {
      abortSignal: io.signal,
    });
    const status = described.ApplicationDetail?.ApplicationStatus ?? '';
    if (status === wanted) {
      await write(io.stdout, `${name} ${status}\n`);
      return exitCodes.ok;
    }
    if (Date.now() > deadline) {
      await write(io.stderr, `${name} is ${status}, not ${wanted}, after ${waitSeconds} s\n`);
      return exitCodes.failed;
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

/**
 * `tributary streams <subcommand>`: the Kinesis Data Streams command group (one Kinesis client
 * per run; parsing, help and exit codes in `../command-group.ts`).
 */
import { groupHelp, runCommandGroup } from '../command-group.js';
import { kinesisClientFor } from './connection.js';
import type { CommandIo, StreamsSubcommand } from './command-line.js';
import { createCommand } from './create.js';
import { describeCommand } from './describe.js';
import { exportCommand } from './export.js';
import { listCommand } from './list.js';
import { putCommand } from './put.js';
import { tailCommand } from './tail.js';

export const streamsSubcommands: readonly StreamsSubcommand[] = [
  listCommand,
  createCommand,
  describeCommand,
  putCommand,
  tailCommand,
  exportCommand,
];

const intro = 'Talks to a running server (Tributary or Amazon Kinesis) with the Kinesis Data Streams API.';

export function streamsHelp(): string {
  return groupHelp('streams', intro, streamsSubcommands);
}

export function streamsMain(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommandGroup(
    { name: 'streams', subcommands: streamsSubcommands, help: streamsHelp, clientFor: kinesisClientFor },
    argv,
    io,
  );
}

/**
 * `tributary analytics <subcommand>`: the Kinesis Data Analytics command group (one Kinesis
 * Analytics client per run; parsing, help and exit codes in `../command-group.ts`).
 */
import { groupHelp, runCommandGroup } from '../command-group.js';
import type { CommandIo } from '../streams/command-line.js';
import { analyticsClientFor } from './analytics-client.js';
import type { AnalyticsSubcommand } from './analytics-subcommand.js';
import { createCommand } from './create.js';
import { listCommand } from './list.js';
import { startCommand, stopCommand } from './start-stop.js';
import { tailCommand } from './tail.js';

export const analyticsSubcommands: readonly AnalyticsSubcommand[] = [
  listCommand,
  createCommand,
  startCommand,
  stopCommand,
  tailCommand,
];

const intro = 'Talks to a running Tributary server with the Kinesis Data Analytics (SQL applications) API.';

export function analyticsHelp(): string {
  return groupHelp('analytics', intro, analyticsSubcommands);
}

export function analyticsMain(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommandGroup(
    {
      name: 'analytics',
      subcommands: analyticsSubcommands,
      help: analyticsHelp,
      clientFor: analyticsClientFor,
    },
    argv,
    io,
  );
}

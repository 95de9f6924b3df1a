/**
 * `tributary analytics <subcommand>`: parses the subcommand's flags plus the shared connection
 * flags (as `tributary streams`), builds one Kinesis Analytics client, runs the subcommand and
 * turns failures into exit codes: 0 done, 1 an AWS, network or file error, 2 bad usage.
 */
import { parseArgs } from 'node:util';
import { describeError, exitCodes, UsageError, type CommandIo } from '../streams/command-line.js';
import { connectionHelp, connectionOptions, resolveConnection } from '../streams/connection.js';
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

export function analyticsHelp(): string {
  const rows = analyticsSubcommands.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`);
  return `Usage: tributary analytics <command> [options]

Talks to a running Tributary server with the Kinesis Data Analytics (SQL applications) API.

Commands:
${rows.join('\n')}

Run 'tributary analytics <command> --help' for a command's options.

${connectionHelp}
`;
}

function subcommandHelp(command: AnalyticsSubcommand): string {
  return `${command.help}\n  --help              show this help\n\n${connectionHelp}\n`;
}

export async function analyticsMain(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const command = analyticsSubcommands.find((candidate) => candidate.name === rest[0]);
    io.stdout.write(command === undefined ? analyticsHelp() : subcommandHelp(command));
    return exitCodes.ok;
  }
  const command = analyticsSubcommands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr.write(`tributary analytics: unknown command "${name}"\n\n${analyticsHelp()}`);
    return exitCodes.usage;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  let connection;
  try {
    const parsed = parseArgs({
      args: [...rest],
      options: { ...connectionOptions, ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values as Record<string, string | boolean | undefined>;
    positionals = parsed.positionals;
    if (values.help === true) {
      io.stdout.write(subcommandHelp(command));
      return exitCodes.ok;
    }
    if (positionals.length !== command.positionals.length) {
      const expected = command.positionals.length === 0 ? 'no arguments' : command.positionals.join(' ');
      throw new UsageError(
        `expected ${expected}, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
      );
    }
    connection = resolveConnection(values as Record<string, string | undefined>, io.environment);
  } catch (error) {
    io.stderr.write(`tributary analytics ${name}: ${(error as Error).message}\n\n${subcommandHelp(command)}`);
    return exitCodes.usage;
  }
  const client = analyticsClientFor(connection);
  try {
    return await command.run({ client, connection, values, positionals, io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `tributary analytics ${name}: ${error.message}\n\nRun 'tributary analytics ${name} --help' for usage.\n`,
      );
      return exitCodes.usage;
    }
    if (io.signal.aborted && (error as Error).name === 'AbortError') return exitCodes.ok;
    io.stderr.write(`tributary analytics ${name}: ${describeError(error, connection.endpoint)}\n`);
    return exitCodes.failed;
  } finally {
    client.destroy();
  }
}

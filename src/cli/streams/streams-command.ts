/**
 * `tributary streams <subcommand>`: parses the subcommand's flags plus the shared connection
 * flags, builds one Kinesis client, runs the subcommand and turns failures into exit codes:
 * 0 done, 1 an AWS, network or file error (printed as one line on stderr), 2 bad usage.
 */
import { parseArgs } from 'node:util';
import { connectionHelp, connectionOptions, kinesisClientFor, resolveConnection } from './connection.js';
import {
  describeError,
  exitCodes,
  UsageError,
  type CommandIo,
  type StreamsSubcommand,
} from './command-line.js';
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

export function streamsHelp(): string {
  const rows = streamsSubcommands.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`);
  return `Usage: tributary streams <command> [options]

Talks to a running server (Tributary or Amazon Kinesis) with the Kinesis Data Streams API.

Commands:
${rows.join('\n')}

Run 'tributary streams <command> --help' for a command's options.

${connectionHelp}
`;
}

function subcommandHelp(command: StreamsSubcommand): string {
  return `${command.help}\n  --help              show this help\n\n${connectionHelp}\n`;
}

export async function streamsMain(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const command = streamsSubcommands.find((candidate) => candidate.name === rest[0]);
    io.stdout.write(command === undefined ? streamsHelp() : subcommandHelp(command));
    return exitCodes.ok;
  }
  const command = streamsSubcommands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr.write(`tributary streams: unknown command "${name}"\n\n${streamsHelp()}`);
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
    io.stderr.write(`tributary streams ${name}: ${(error as Error).message}\n\n${subcommandHelp(command)}`);
    return exitCodes.usage;
  }
  const client = kinesisClientFor(connection);
  try {
    return await command.run({ client, values, positionals, io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `tributary streams ${name}: ${error.message}\n\nRun 'tributary streams ${name} --help' for usage.\n`,
      );
      return exitCodes.usage;
    }
    if (io.signal.aborted && (error as Error).name === 'AbortError') return exitCodes.ok;
    io.stderr.write(`tributary streams ${name}: ${describeError(error, connection.endpoint)}\n`);
    return exitCodes.failed;
  } finally {
    client.destroy();
  }
}

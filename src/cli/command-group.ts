/**
 * A command group (`tributary streams …`, `tributary analytics …`): help, the choice of
 * subcommand, its flags plus the shared connection flags, one client for the run, and failures
 * turned into exit codes: 0 done, 1 an AWS, network or file error (one line on stderr), 2 bad
 * usage. Each group supplies its subcommands, its help text and how to build its client.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  describeError,
  exitCodes,
  UsageError,
  type CommandIo,
  type ParsedValues,
} from './streams/command-line.js';
import {
  connectionHelp,
  connectionOptions,
  resolveConnection,
  type Connection,
} from './streams/connection.js';

export interface Subcommand<Client> {
  readonly name: string;
  readonly summary: string;
  /** Usage and options, without the shared connection options. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Positional arguments: exactly these. */
  readonly positionals: readonly string[];
  run(context: {
    readonly client: Client;
    readonly connection: Connection;
    readonly values: ParsedValues;
    readonly positionals: readonly string[];
    readonly io: CommandIo;
  }): Promise<number>;
}

export interface CommandGroup<Client> {
  /** `streams`, `analytics`: the word after `tributary`. */
  readonly name: string;
  readonly subcommands: readonly Subcommand<Client>[];
  readonly help: () => string;
  readonly clientFor: (connection: Connection) => Client & { destroy(): void };
}

function subcommandHelp(command: Subcommand<unknown>): string {
  return `${command.help}\n  --help              show this help\n\n${connectionHelp}\n`;
}

/** The group's help with one row per subcommand, between its own intro and the connection options. */
export function groupHelp(group: string, intro: string, subcommands: readonly Subcommand<unknown>[]): string {
  const rows = subcommands.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`);
  return `Usage: tributary ${group} <command> [options]

${intro}

Commands:
${rows.join('\n')}

Run 'tributary ${group} <command> --help' for a command's options.

${connectionHelp}
`;
}

export async function runCommandGroup<Client>(
  group: CommandGroup<Client>,
  argv: readonly string[],
  io: CommandIo,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const command = group.subcommands.find((candidate) => candidate.name === rest[0]);
    io.stdout.write(command === undefined ? group.help() : subcommandHelp(command));
    return exitCodes.ok;
  }
  const command = group.subcommands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr.write(`tributary ${group.name}: unknown command "${name}"\n\n${group.help()}`);
    return exitCodes.usage;
  }
  const prefix = `tributary ${group.name} ${name}`;
  let values: ParsedValues;
  let positionals: string[];
  let connection: Connection;
  try {
    const parsed = parseArgs({
      args: [...rest],
      options: { ...connectionOptions, ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values as ParsedValues;
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
    io.stderr.write(`${prefix}: ${(error as Error).message}\n\n${subcommandHelp(command)}`);
    return exitCodes.usage;
  }
  const client = group.clientFor(connection);
  try {
    return await command.run({ client, connection, values, positionals, io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `${prefix}: ${error.message}\n\nRun 'tributary ${group.name} ${name} --help' for usage.\n`,
      );
      return exitCodes.usage;
    }
    if (io.signal.aborted && (error as Error).name === 'AbortError') return exitCodes.ok;
    io.stderr.write(`${prefix}: ${describeError(error, connection.endpoint)}\n`);
    return exitCodes.failed;
  } finally {
    client.destroy();
  }
}

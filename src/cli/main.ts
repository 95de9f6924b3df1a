/**
 * The `tributary` command. `serve` runs the server; later commands talk to a running one.
 * Returns the process exit code; `bin/tributary.js` calls it. Commands are imported when run.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  ConfigError,
  defaultConfig,
  environmentVariableOf,
  resolveConfig,
  settingSpecs,
} from '../server/config.js';
import type { analyticsMain } from './analytics/analytics-command.js';
import type { streamsMain } from './streams/streams-command.js';

// Each command loads only what it runs: the clients' AWS SDKs stay out of the server process
// (tens of MB and most of a second at start), and the server stays out of the clients.
const streamsCommand = () => import('./streams/streams-command.js');
const analyticsCommand = () => import('./analytics/analytics-command.js');
const sqlRunCommand = () => import('./sql-run.js');

const version = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const mainHelp = `Tributary ${version}: a self-hosted real-time data platform that speaks the Amazon Kinesis APIs.

Usage: tributary <command> [options]

Commands:
  serve       run the server: Kinesis Data Streams, Firehose, Analytics and Glue APIs and the web console, on one port
  streams     work with the streams of a running server: list, create, describe, put, tail, export
  analytics   work with the SQL applications of a running server: list, create, start, stop, tail
  sql run     run a Kinesis Data Analytics SQL application offline over JSON lines
  help        show this help, or a command's: tributary help serve
  version     print the version

Run 'tributary <command> --help' for a command's options.
`;

function serveHelp(): string {
  const rows = settingSpecs.map((spec) => {
    const values = Array.isArray(spec.kind) ? ` (${(spec.kind as readonly string[]).join('|')})` : '';
    const configured = defaultConfig[spec.key];
    const fallback = configured === undefined || String(configured) === '' ? 'none' : String(configured);
    return `  --${spec.flag.padEnd(22)} ${spec.help}${values}; default ${fallback}; env ${environmentVariableOf(spec)}`;
  });
  return `Usage: tributary serve [options]

Runs Tributary until SIGTERM or SIGINT. Settings come from flags, then TRIBUTARY_* environment
variables, then a JSON config file (--config FILE or TRIBUTARY_CONFIG, keys as in camelCase:
{"port": 4567, "dataDir": "./data"}), then defaults. The same port serves the web console at /
(built by npm run build; see docs/console.md).

Options:
${rows.join('\n')}
  --config FILE            JSON file of settings
  --help                   show this help
`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(
        rest[0] === 'serve'
          ? serveHelp()
          : rest[0] === 'streams'
            ? (await streamsCommand()).streamsHelp()
            : rest[0] === 'analytics'
              ? (await analyticsCommand()).analyticsHelp()
              : rest[0] === 'sql'
                ? (await sqlRunCommand()).sqlHelp
                : mainHelp,
      );
      return 0;
    case 'version':
    case '--version':
      process.stdout.write(`${version}\n`);
      return 0;
    case 'serve':
      return serve(rest);
    case 'streams':
      return clientCommand(rest, (await streamsCommand()).streamsMain);
    case 'analytics':
      return clientCommand(rest, (await analyticsCommand()).analyticsMain);
    case 'sql':
      return (await sqlRunCommand()).sqlCommand(rest);
    default:
      process.stderr.write(`tributary: unknown command "${command}"\n\n${mainHelp}`);
      return 2;
  }
}

/**
 * Runs a `streams` or `analytics` subcommand; SIGINT and SIGTERM abort it (a second signal ends
 * the process).
 */
async function clientCommand(
  argv: readonly string[],
  run: typeof streamsMain | typeof analyticsMain,
): Promise<number> {
  // The SDK warns on Node.js 20 about its releases of 2027; a CLI user can do nothing about it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const interrupt = new AbortController();
  const onSignal = (): void => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await run(argv, {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      environment: process.env,
      signal: interrupt.signal,
    });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

async function serve(argv: readonly string[]): Promise<number> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    config: { type: 'string' },
    help: { type: 'boolean' },
  };
  for (const spec of settingSpecs) options[spec.flag] = { type: 'string' };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true });
  } catch (error) {
    process.stderr.write(`tributary serve: ${(error as Error).message}\n\n${serveHelp()}`);
    return 2;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help === true) {
    process.stdout.write(serveHelp());
    return 0;
  }
  const flags: Record<string, string | undefined> = {};
  for (const spec of settingSpecs) flags[spec.flag] = values[spec.flag] as string | undefined;
  let config;
  try {
    config = resolveConfig(flags, process.env, values.config as string | undefined);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tributary serve: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const { TributaryServer } = await import('../server/tributary-server.js');
  const server = new TributaryServer(config);
  try {
    await server.start();
  } catch (error) {
    // Settings checked when the server is built (the S3 endpoint map) stop it the same way.
    if (error instanceof ConfigError) {
      process.stderr.write(`tributary serve: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const endpoint = server.endpoint;
  process.stdout.write(
    `Tributary ${version} listening on ${endpoint} (storage ${config.storage}` +
      (config.storage === 'file' ? ` in ${config.dataDir}, fsync ${config.fsync}` : '') +
      `)\n\n` +
      (server.consoleUrl !== undefined
        ? `Web console: ${server.consoleUrl} (sign in with any access key and secret)\n\n`
        : `Web console: not built (run npm run build)\n\n`) +
      `Point the AWS CLI at it (any access key works; a 12-digit key is used as the account id):\n` +
      `  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=${config.defaultRegion}\n` +
      `  aws --endpoint-url ${endpoint} kinesis create-stream --stream-name demo --shard-count 1\n` +
      `  aws --endpoint-url ${endpoint} kinesis list-streams\n\n` +
      `Metrics (Prometheus text format): ${endpoint}/metrics; health: ${endpoint}/health\n\n` +
      `Stop with Ctrl-C (SIGINT) or SIGTERM.\n`,
  );

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      server.log.info('stopping', { signal });
      server.stop().then(
        () => {
          server.log.info('stopped cleanly');
          resolve();
        },
        (error: unknown) => {
          server.log.warn('stop failed', { error: String(error) });
          process.exitCode = 1;
          resolve();
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}

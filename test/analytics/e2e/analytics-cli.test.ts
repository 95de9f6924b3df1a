/**
 * End to end for `tributary analytics`: `node bin/tributary.js analytics …` runs as a child
 * process against a real server process: create from a request file (code from a SQL file),
 * list, start (waits for RUNNING), tail (JSON lines from the live results endpoint, started while
 * the application is READY), stop (waits for READY); errors with exit codes and AWS's messages;
 * every --help naming every option.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { analyticsSubcommands } from '../../../src/cli/analytics/analytics-command.js';
import { awsClientEnvironment } from '../../helpers/aws-environment.js';
import { kinesisClient, waitForActive } from '../../helpers/kinesis-client.js';
import {
  removeDataDir,
  startServer,
  tributaryBin,
  type ServerProcess,
} from '../../helpers/server-process.js';

const commandTimeoutMs = 120_000;

interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function startCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { stderr(): string; done: Promise<CommandResult> } {
  const child = spawn(process.execPath, [tributaryBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CommandResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tributary ${args.join(' ')} still running after ${commandTimeoutMs} ms:\n${stderr}`));
    }, commandTimeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { stderr: () => stderr, done };
}

const code = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER VARCHAR(8), DOUBLED INTEGER);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM TICKER, QTY * 2 FROM "SOURCE_SQL_STREAM_001";
`;

describe('tributary analytics', () => {
  let server: ServerProcess;
  let kinesis: KinesisClient;
  let workDir = '';
  let env: NodeJS.ProcessEnv = {};

  const run = (...args: string[]) =>
    startCommand(['analytics', ...args, '--endpoint', server.endpoint], env).done;

  before(async () => {
    server = await startServer({ extraArgs: ['--transition-delay-ms', '100'] });
    kinesis = kinesisClient(server.endpoint);
    workDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-analytics-cli-'));
    env = { ...awsClientEnvironment(workDir), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    await kinesis.send(new CreateStreamCommand({ StreamName: 'cli-input', ShardCount: 1 }));
    await waitForActive(kinesis, 'cli-input');
  });

  after(async () => {
    kinesis?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    if (workDir !== '') await rm(workDir, { recursive: true, force: true });
  });

  it('creates, lists, starts, tails and stops an application', async () => {
    await writeFile(path.join(workDir, 'app.sql'), code);
    const request = path.join(workDir, 'app.json');
    await writeFile(
      request,
      JSON.stringify({
        ApplicationName: 'cli-app',
        ApplicationCodeFile: 'app.sql',
        Inputs: [
          {
            NamePrefix: 'SOURCE_SQL_STREAM',
            KinesisStreamsInput: {
              ResourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/cli-input',
              RoleARN: 'arn:aws:iam::000000000000:role/analytics',
            },
            InputSchema: {
              RecordFormat: {
                RecordFormatType: 'CSV',
                MappingParameters: {
                  CSVMappingParameters: { RecordRowDelimiter: '\n', RecordColumnDelimiter: ',' },
                },
              },
              RecordColumns: [
                { Name: 'TICKER', SqlType: 'VARCHAR(8)' },
                { Name: 'QTY', SqlType: 'INTEGER' },
              ],
            },
          },
        ],
      }),
    );
    const created = await run('create', '--application', request);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/cli-app\n');

    const listed = await run('list', '--output', 'json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout), [
      {
        name: 'cli-app',
        status: 'READY',
        arn: 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/cli-app',
      },
    ]);

    // Tail before the start: it waits for the application to run.
    const tail = startCommand(
      [
        'analytics',
        'tail',
        'cli-app',
        'destination_sql_stream',
        '--max-rows',
        '3',
        '--endpoint',
        server.endpoint,
      ],
      env,
    );
    const deadline = Date.now() + 30_000;
    while (!tail.stderr().includes('application is READY; waiting for it to run')) {
      assert.ok(Date.now() < deadline, `tail did not report READY: ${tail.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const started = await run('start', 'cli-app', '--from', 'now');
    assert.equal(started.code, 0, started.stderr);
    assert.equal(started.stdout, 'cli-app RUNNING\n');
    const put = await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'cli-input',
        Records: ['AMZN,1', 'MSFT,2', 'IBM,3'].map((line, index) => ({
          Data: Buffer.from(line),
          PartitionKey: `k${index}`,
        })),
      }),
    );
    assert.equal(put.FailedRecordCount, 0);
    const tailed = await tail.done;
    assert.equal(tailed.code, 0, tailed.stderr);
    const lines = tailed.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { rowtime: string; row: unknown });
    assert.deepEqual(
      lines.map((line) => line.row),
      [
        { TICKER: 'AMZN', DOUBLED: 2 },
        { TICKER: 'MSFT', DOUBLED: 4 },
        { TICKER: 'IBM', DOUBLED: 6 },
      ],
    );
    for (const line of lines) assert.ok(!Number.isNaN(Date.parse(line.rowtime)));

    const stopped = await run('stop', 'cli-app');
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(stopped.stdout, 'cli-app READY\n');
    const text = await run('list');
    assert.match(text.stdout, /^NAME +STATUS +ARN\ncli-app +READY +arn:aws:kinesisanalytics:/);
  });

  it('fails with AWS’s errors and exit codes', async () => {
    const missing = await run('start', 'nope');
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      'tributary analytics start: ResourceNotFoundException: Application nope is not found in account 000000000000. (HTTP 400)\n',
    );
    const tail = await run('tail', 'cli-app', 'NO_SUCH_STREAM');
    assert.equal(tail.code, 1);
    assert.equal(
      tail.stderr,
      'tributary analytics tail: ResourceNotFoundException: Application cli-app has no in-application stream NO_SUCH_STREAM. (HTTP 404)\n',
    );
    const usage = await run('start', 'cli-app', '--from', 'yesterday');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--from must be one of now, trim-horizon, last-stopped, got "yesterday"/);
    const noFile = await run('create');
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /--application FILE is required/);
  });

  it('names every option in each --help', async () => {
    const top = await startCommand(['analytics', '--help'], env).done;
    for (const command of analyticsSubcommands)
      assert.ok(top.stdout.includes(`  ${command.name} `), command.name);
    for (const command of analyticsSubcommands) {
      const help = await startCommand(['analytics', command.name, '--help'], env).done;
      assert.equal(help.code, 0);
      for (const option of Object.keys(command.options))
        assert.ok(help.stdout.includes(`--${option}`), `${command.name} --${option}`);
      for (const option of ['--endpoint', '--region', '--profile', '--config'])
        assert.ok(help.stdout.includes(option));
    }
    const main = await startCommand(['--help'], env).done;
    assert.match(main.stdout, /analytics +work with the SQL applications/);
  });
});

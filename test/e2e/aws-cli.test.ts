/**
 * End to end with the AWS CLI v2 (`/usr/bin/aws`, Debian's awscli 2.x): the real, unmodified
 * client drives a real server process over HTTP/1.1 through a whole stream lifecycle, and one
 * error case checks the exit code and the exception name the CLI prints.
 *
 * The CLI is required, never skipped: if it is missing or is a v1 (pyenv often shadows it on
 * PATH, hence the absolute path), the suite fails with a message saying what to install.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { awsClientEnvironment, sleep } from '../helpers/aws-environment.js';
import { startServer, removeDataDir, type ServerProcess } from '../helpers/server-process.js';

const awsCliPath = '/usr/bin/aws';
const cliTimeoutMs = 60_000;

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      awsCliPath,
      [...args],
      { env, timeout: cliTimeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ code: 0, stdout, stderr });
        // A non-zero exit is a result; failing to start or a timeout is not.
        if (typeof error.code === 'number') return resolve({ code: error.code, stdout, stderr });
        reject(new Error(`${awsCliPath} ${args.join(' ')} failed to run: ${error.message}\n${stderr}`));
      },
    );
  });
}

interface ShardRecord {
  readonly SequenceNumber: string;
  readonly Data: string;
  readonly PartitionKey: string;
}

describe('AWS CLI v2 against a real server', () => {
  let server: ServerProcess | undefined;
  let homeDir = '';
  let env: NodeJS.ProcessEnv = {};
  const streamName = 'cli-e2e-stream';

  /** Runs `aws kinesis …` against the server; fails the test on a non-zero exit. */
  async function kinesis(...args: string[]): Promise<unknown> {
    assert.ok(server !== undefined, 'server not started');
    const full = ['kinesis', ...args, '--endpoint-url', server.endpoint, '--output', 'json'];
    const result = await runCli(full, env);
    assert.equal(
      result.code,
      0,
      `aws ${full.join(' ')} exited ${result.code}\nstderr: ${result.stderr}\nserver log:\n${server.stderr()}`,
    );
    return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as unknown);
  }

  before(async () => {
    homeDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-cli-home-'));
    env = awsClientEnvironment(homeDir);
    const version = await runCli(['--version'], env).catch((error: unknown) => {
      throw new Error(
        `The AWS CLI v2 is required at ${awsCliPath} (Debian: apt-get install awscli): ${String(error)}`,
      );
    });
    assert.match(
      version.stdout + version.stderr,
      /^aws-cli\/2\./,
      `${awsCliPath} must be the AWS CLI v2 (Debian package awscli 2.x); it reports: ${version.stdout}${version.stderr}`,
    );
    server = await startServer();
  });

  after(async () => {
    if (server !== undefined) {
      await server.stop();
      await removeDataDir(server.dataDir);
    }
    if (homeDir !== '') await rm(homeDir, { recursive: true, force: true });
  });

  it('creates a stream with two shards and waits until it is ACTIVE', async () => {
    await kinesis('create-stream', '--stream-name', streamName, '--shard-count', '2');
    let status = '';
    for (let attempt = 0; attempt < 30 && status !== 'ACTIVE'; attempt++) {
      const summary = (await kinesis('describe-stream-summary', '--stream-name', streamName)) as {
        StreamDescriptionSummary: { StreamStatus: string; OpenShardCount: number; StreamName: string };
      };
      status = summary.StreamDescriptionSummary.StreamStatus;
      assert.equal(summary.StreamDescriptionSummary.StreamName, streamName);
      if (status === 'ACTIVE') assert.equal(summary.StreamDescriptionSummary.OpenShardCount, 2);
      else await sleep(100);
    }
    assert.equal(status, 'ACTIVE', 'stream did not become ACTIVE within 30 polls');
  });

  const expected = new Map<string, { data: string; partitionKey: string; shardId: string }>();

  it('puts one record with put-record and a batch with put-records', async () => {
    const single = (await kinesis(
      'put-record',
      '--stream-name',
      streamName,
      '--partition-key',
      'pk-single',
      '--data',
      'hello from the cli',
      '--cli-binary-format',
      'raw-in-base64-out',
    )) as { ShardId: string; SequenceNumber: string };
    assert.match(single.ShardId, /^shardId-\d{12}$/);
    assert.match(single.SequenceNumber, /^\d+$/);
    expected.set(single.SequenceNumber, {
      data: 'hello from the cli',
      partitionKey: 'pk-single',
      shardId: single.ShardId,
    });

    const batch = Array.from({ length: 20 }, (_, index) => ({
      Data: `batch record ${index} ünïcödé`,
      PartitionKey: `pk-${index}`,
    }));
    const result = (await kinesis(
      'put-records',
      '--stream-name',
      streamName,
      '--records',
      JSON.stringify(batch),
      '--cli-binary-format',
      'raw-in-base64-out',
    )) as { FailedRecordCount?: number; Records: { ShardId: string; SequenceNumber: string }[] };
    assert.equal(result.FailedRecordCount ?? 0, 0);
    assert.equal(result.Records.length, batch.length);
    result.Records.forEach((entry, index) => {
      const sent = batch[index];
      assert.ok(sent !== undefined);
      expected.set(entry.SequenceNumber, {
        data: sent.Data,
        partitionKey: sent.PartitionKey,
        shardId: entry.ShardId,
      });
    });
    // Twenty keys over two shards: both shards should get some (a fixed MD5 split, not chance).
    assert.equal(new Set(result.Records.map((entry) => entry.ShardId)).size, 2);
  });

  it('lists the shards and reads every record back from TRIM_HORIZON with exact data', async () => {
    const listed = (await kinesis('list-shards', '--stream-name', streamName)) as {
      Shards: { ShardId: string; HashKeyRange: { StartingHashKey: string; EndingHashKey: string } }[];
    };
    assert.deepEqual(
      listed.Shards.map((shard) => shard.ShardId),
      ['shardId-000000000000', 'shardId-000000000001'],
    );
    assert.equal(listed.Shards[0]?.HashKeyRange.StartingHashKey, '0');
    assert.equal(listed.Shards[1]?.HashKeyRange.EndingHashKey, (2n ** 128n - 1n).toString());

    const seen = new Map<string, { data: string; partitionKey: string; shardId: string }>();
    for (const shard of listed.Shards) {
      const iterator = (await kinesis(
        'get-shard-iterator',
        '--stream-name',
        streamName,
        '--shard-id',
        shard.ShardId,
        '--shard-iterator-type',
        'TRIM_HORIZON',
      )) as { ShardIterator: string };
      let next: string | undefined = iterator.ShardIterator;
      let previous = -1n;
      // Bounded: the records fit in one page; a few empty pages at most before the end.
      for (let page = 0; page < 5 && next !== undefined; page++) {
        const response = (await kinesis('get-records', '--shard-iterator', next)) as {
          Records: ShardRecord[];
          NextShardIterator?: string;
          MillisBehindLatest?: number;
        };
        for (const record of response.Records) {
          const sequence = BigInt(record.SequenceNumber);
          assert.ok(sequence > previous, `sequence numbers must increase within ${shard.ShardId}`);
          previous = sequence;
          seen.set(record.SequenceNumber, {
            // The CLI prints blobs as base64.
            data: Buffer.from(record.Data, 'base64').toString('utf8'),
            partitionKey: record.PartitionKey,
            shardId: shard.ShardId,
          });
        }
        if (response.Records.length === 0) break;
        next = response.NextShardIterator;
      }
    }
    assert.deepEqual(
      [...seen.entries()].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1)),
      [...expected.entries()].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1)),
    );
  });

  it('lists the stream, deletes it, and it disappears', async () => {
    const listed = (await kinesis('list-streams')) as { StreamNames: string[] };
    assert.deepEqual(listed.StreamNames, [streamName]);
    await kinesis('delete-stream', '--stream-name', streamName);
    let names: string[] = [streamName];
    for (let attempt = 0; attempt < 30 && names.includes(streamName); attempt++) {
      await sleep(100);
      names = ((await kinesis('list-streams')) as { StreamNames: string[] }).StreamNames;
    }
    assert.deepEqual(names, [], 'stream still listed 30 polls after delete-stream');
  });

  it('reports ResourceNotFoundException with a non-zero exit code for a missing stream', async () => {
    assert.ok(server !== undefined);
    const result = await runCli(
      ['kinesis', 'describe-stream', '--stream-name', 'no-such-stream', '--endpoint-url', server.endpoint],
      env,
    );
    // The CLI v2 exits 254 for a service error (255 for other failures).
    assert.ok(result.code === 254 || result.code === 255, `exit code ${result.code}: ${result.stderr}`);
    assert.match(result.stderr, /ResourceNotFoundException/);
    assert.match(result.stderr, /no-such-stream/);
  });
});

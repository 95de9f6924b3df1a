/**
 * End to end for `tributary streams`: `node bin/tributary.js streams …` runs as a child process
 * against a real server process, and what it does is checked with the JavaScript SDK: create,
 * list and describe; put from stdin; tail across a SplitShard while a producer writes (every
 * record once, parents before children, per-key order); export to a file compared with what was
 * put; errors (exit codes and AWS's messages); every --help naming every option.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
  MergeShardsCommand,
  SplitShardCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { streamsSubcommands } from '../../src/cli/streams/streams-command.js';
import { awsClientEnvironment } from '../helpers/aws-environment.js';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, tributaryBin, type ServerProcess } from '../helpers/server-process.js';

const commandTimeoutMs = 120_000;

interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface RunningCommand {
  readonly child: ReturnType<typeof spawn>;
  stdout(): string;
  readonly done: Promise<CommandResult>;
}

function startCommand(args: readonly string[], env: NodeJS.ProcessEnv, stdin?: string): RunningCommand {
  const child = spawn(process.execPath, [tributaryBin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(stdin ?? '');
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
  return { child, stdout: () => stdout, done };
}

interface PutRecord {
  readonly id: number;
  readonly key: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
}

interface JsonLine {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly approximateArrivalTimestamp: string;
  readonly data: string;
}

/** Reads every record of every shard with the SDK (test-side truth, not the CLI's reader). */
async function readAll(client: KinesisClient, streamName: string): Promise<Map<string, string[]>> {
  const shards = (await client.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
  const byShard = new Map<string, string[]>();
  for (const shard of shards) {
    const data: string[] = [];
    let iterator = (
      await client.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    for (;;) {
      const reply = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const record of reply.Records ?? []) data.push(Buffer.from(record.Data ?? []).toString('utf8'));
      iterator = reply.NextShardIterator;
      if (iterator === undefined || (reply.Records ?? []).length === 0) break;
    }
    byShard.set(shard.ShardId as string, data);
  }
  return byShard;
}

/**
 * Checks records as a reader printed them: each id once, every record of a parent before any
 * record of its children, and each key's ids increasing (the producer wrote them in that order).
 */
function checkLineageOrder(
  lines: readonly JsonLine[],
  shards: readonly Shard[],
  put: readonly PutRecord[],
): void {
  const ids = lines.map((line) => Number(Buffer.from(line.data, 'base64').toString('utf8')));
  assert.equal(new Set(ids).size, ids.length, 'a record was printed twice');
  assert.deepEqual(
    [...ids].sort((a, b) => a - b),
    put.map((record) => record.id).sort((a, b) => a - b),
    'the printed records are not the records put',
  );
  const byId = new Map(put.map((record) => [record.id, record]));
  lines.forEach((line, index) => {
    const expected = byId.get(ids[index] as number) as PutRecord;
    assert.equal(line.shardId, expected.shardId, `record ${expected.id} printed under another shard`);
    assert.equal(line.sequenceNumber, expected.sequenceNumber);
    assert.equal(line.partitionKey, expected.key);
  });
  const lastIndexOf = new Map<string, number>();
  const firstIndexOf = new Map<string, number>();
  lines.forEach((line, index) => {
    lastIndexOf.set(line.shardId, index);
    if (!firstIndexOf.has(line.shardId)) firstIndexOf.set(line.shardId, index);
  });
  for (const shard of shards) {
    const first = firstIndexOf.get(shard.ShardId as string);
    if (first === undefined) continue;
    for (const parent of [shard.ParentShardId, shard.AdjacentParentShardId]) {
      if (parent === undefined) continue;
      const parentLast = lastIndexOf.get(parent);
      if (parentLast !== undefined) {
        assert.ok(
          parentLast < first,
          `${parent} printed a record after its child ${shard.ShardId as string}`,
        );
      }
    }
  }
  const lastIdOfKey = new Map<string, number>();
  lines.forEach((line, index) => {
    const id = ids[index] as number;
    const previous = lastIdOfKey.get(line.partitionKey) ?? -1;
    assert.ok(id > previous, `key ${line.partitionKey}: ${id} printed after ${previous}`);
    lastIdOfKey.set(line.partitionKey, id);
  });
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const parseJsonLines = (text: string): JsonLine[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JsonLine);

describe('tributary streams (the CLI) against a real server', () => {
  let server: ServerProcess;
  let client: KinesisClient;
  let homeDir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    server = await startServer();
    client = kinesisClient(server.endpoint);
    homeDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-cli-'));
    env = { ...awsClientEnvironment(homeDir), TRIBUTARY_ENDPOINT: server.endpoint };
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    if (homeDir !== undefined) await rm(homeDir, { recursive: true, force: true });
  });

  const run = (
    args: readonly string[],
    stdin?: string,
    extraEnv: NodeJS.ProcessEnv = {},
  ): Promise<CommandResult> => startCommand(['streams', ...args], { ...env, ...extraEnv }, stdin).done;

  async function runOk(args: readonly string[], stdin?: string): Promise<CommandResult> {
    const result = await run(args, stdin);
    assert.equal(
      result.code,
      0,
      `tributary streams ${args.join(' ')} exited ${result.code}:\n${result.stderr}`,
    );
    return result;
  }

  it('creates, lists and describes streams', async () => {
    await runOk(['create', 'alpha', '--shards', '3', '--wait']);
    await runOk(['create', 'beta', '--on-demand', '--wait']);

    const listed = JSON.parse((await runOk(['list', '--output', 'json'])).stdout) as {
      name: string;
      status: string;
      mode: string;
    }[];
    const byName = new Map(listed.map((stream) => [stream.name, stream]));
    assert.equal(byName.get('alpha')?.status, 'ACTIVE');
    assert.equal(byName.get('alpha')?.mode, 'PROVISIONED');
    assert.equal(byName.get('beta')?.mode, 'ON_DEMAND');
    const paged = JSON.parse(
      (await runOk(['list', '--output', 'json', '--page-size', '1'])).stdout,
    ) as unknown;
    assert.deepEqual(paged, listed, 'pages of one stream add up to the whole list');
    const text = (await runOk(['list'])).stdout;
    assert.match(text, /^alpha\s+ACTIVE\s+PROVISIONED\s+\d{4}-/m);
    assert.match(text, /^beta\s+ACTIVE\s+ON_DEMAND\s+\d{4}-/m);

    const described = JSON.parse((await runOk(['describe', 'alpha', '--output', 'json'])).stdout) as {
      summary: { StreamStatus: string; OpenShardCount: number };
      shards: Shard[];
    };
    const shards = (await client.send(new ListShardsCommand({ StreamName: 'alpha' }))).Shards ?? [];
    assert.equal(described.summary.StreamStatus, 'ACTIVE');
    assert.equal(described.summary.OpenShardCount, 3);
    assert.deepEqual(
      described.shards.map((shard) => [shard.ShardId, shard.HashKeyRange?.StartingHashKey]),
      shards.map((shard) => [shard.ShardId, shard.HashKeyRange?.StartingHashKey]),
    );
    const table = (await runOk(['describe', 'alpha'])).stdout;
    assert.match(table, /^Status:\s+ACTIVE$/m);
    for (const shard of shards) {
      const range = shard.HashKeyRange;
      assert.match(
        table,
        new RegExp(
          `^${shard.ShardId as string}\\s+open\\s+${range?.StartingHashKey}\\s+${range?.EndingHashKey}\\s+-$`,
          'm',
        ),
      );
    }
  });

  it('puts stdin lines and a --data record', async () => {
    await runOk(['create', 'lines', '--shards', '2', '--wait']);
    const lines = Array.from({ length: 1200 }, (_, index) => `line ${index}`);
    const put = await runOk(['put', 'lines', '--output', 'json'], `${lines.join('\n')}\n`);
    assert.deepEqual(JSON.parse(put.stdout), { records: 1200, retried: 0, failed: 0 });
    assert.match(put.stderr, /1,200 records .*done/);

    const single = JSON.parse(
      (await runOk(['put', 'lines', '--data', 'the single one', '--partition-key', 'k', '--output', 'json']))
        .stdout,
    ) as { shardId: string; sequenceNumber: string };

    const stored = await readAll(client, 'lines');
    const all = [...stored.values()].flat();
    assert.equal(all.length, 1201);
    assert.deepEqual(new Set(all), new Set([...lines, 'the single one']));
    // Random partition keys spread the lines over both shards.
    for (const data of stored.values()) assert.ok(data.length > 100, `a shard got only ${data.length} lines`);
    assert.equal(stored.get(single.shardId)?.at(-1), 'the single one');
  });

  it('tails every shard live across a SplitShard: every record once, parents first, keys in order', async () => {
    await runOk(['create', 'flow', '--shards', '2', '--wait']);
    const total = 1600;
    const tail = startCommand(
      [
        'streams',
        'tail',
        'flow',
        '--from',
        'trim-horizon',
        '--format',
        'json',
        '--max-records',
        String(total),
      ],
      env,
    );

    const put: PutRecord[] = [];
    const keys = Array.from({ length: 8 }, (_, index) => `key-${index}`);
    const produce = async (count: number): Promise<void> => {
      for (let written = 0; written < count; written += 50) {
        const batch = Array.from({ length: 50 }, (_, index) => ({
          id: put.length + index,
          key: keys[(put.length + index) % keys.length] as string,
        }));
        const reply = await client.send(
          new PutRecordsCommand({
            StreamName: 'flow',
            Records: batch.map((entry) => ({ PartitionKey: entry.key, Data: Buffer.from(String(entry.id)) })),
          }),
        );
        assert.equal(reply.FailedRecordCount, 0);
        batch.forEach((entry, index) => {
          const result = reply.Records?.[index];
          put.push({
            ...entry,
            shardId: result?.ShardId as string,
            sequenceNumber: result?.SequenceNumber as string,
          });
        });
      }
    };

    await produce(400);
    // The tail is reading (it printed something) before the split.
    for (let waited = 0; tail.stdout() === '' && waited < 600; waited++)
      await new Promise((r) => setTimeout(r, 50));
    assert.notEqual(tail.stdout(), '', 'tail printed nothing while records were written');
    const splitting = (async () => {
      const parent = ((await client.send(new ListShardsCommand({ StreamName: 'flow' }))).Shards ??
        [])[0] as Shard;
      const start = BigInt(parent.HashKeyRange?.StartingHashKey as string);
      const end = BigInt(parent.HashKeyRange?.EndingHashKey as string);
      await client.send(
        new SplitShardCommand({
          StreamName: 'flow',
          ShardToSplit: parent.ShardId,
          NewStartingHashKey: String((start + end) / 2n),
        }),
      );
    })();
    await produce(400);
    await splitting;
    await waitForActive(client, 'flow');
    await produce(400);
    // Then the split's two children merge back: a child with two parents.
    const merging = (async () => {
      const open = ((await client.send(new ListShardsCommand({ StreamName: 'flow' }))).Shards ?? []).filter(
        (shard) => shard.ParentShardId !== undefined,
      );
      assert.equal(open.length, 2);
      await client.send(
        new MergeShardsCommand({
          StreamName: 'flow',
          ShardToMerge: open[0]?.ShardId,
          AdjacentShardToMerge: open[1]?.ShardId,
        }),
      );
    })();
    await produce(200);
    await merging;
    await waitForActive(client, 'flow');
    await produce(200);

    const result = await tail.done;
    assert.equal(result.code, 0, result.stderr);
    const shards = (await client.send(new ListShardsCommand({ StreamName: 'flow' }))).Shards ?? [];
    assert.equal(shards.length, 5, 'the split and the merge happened');
    assert.ok(shards.some((shard) => shard.AdjacentParentShardId !== undefined));
    const lines = parseJsonLines(result.stdout);
    assert.equal(lines.length, total);
    checkLineageOrder(lines, shards, put);
    // Records were written to the children after the split, and the tail printed them.
    const children = new Set(
      shards.filter((shard) => shard.ParentShardId !== undefined).map((s) => s.ShardId),
    );
    assert.ok(
      lines.some((line) => children.has(line.shardId)),
      'no record of a child shard was printed',
    );

    // Started after the split, a tail knows the children before it has read their parent: small
    // reads make the parent take many calls, and the children still wait for it.
    const late = await runOk([
      'tail',
      'flow',
      '--from',
      'trim-horizon',
      '--format',
      'json',
      '--limit',
      '40',
      '--max-records',
      String(total),
    ]);
    checkLineageOrder(parseJsonLines(late.stdout), shards, put);

    // The export of the same stream (closed parent, children, untouched sibling) is what was put.
    const file = path.join(homeDir, 'flow.jsonl');
    const exported = await runOk(['export', 'flow', '--output', file, '--limit', '40']);
    assert.match(exported.stderr, /1,600 records .*shards 5\/5 .*done/);
    const exportedLines = parseJsonLines(await readFile(file, 'utf8'));
    assert.equal(exportedLines.length, total);
    checkLineageOrder(exportedLines, shards, put);
    for (const line of exportedLines) {
      assert.ok(
        !Number.isNaN(Date.parse(line.approximateArrivalTimestamp)),
        line.approximateArrivalTimestamp,
      );
    }
    await assert.rejects(stat(`${file}.partial`), /ENOENT/);
  });

  it('tails from LATEST and from a timestamp', async () => {
    await runOk(['create', 'starts', '--shards', '2', '--wait']);
    const putData = async (prefix: string, count: number): Promise<void> => {
      const reply = await client.send(
        new PutRecordsCommand({
          StreamName: 'starts',
          Records: Array.from({ length: count }, (_, index) => ({
            PartitionKey: `${prefix}-${index}`,
            Data: Buffer.from(`${prefix} ${index}`),
          })),
        }),
      );
      assert.equal(reply.FailedRecordCount, 0);
    };
    await putData('old', 20);

    // LATEST: when the tail is ready is not observable, so markers go in until one comes out.
    const latest = startCommand(['streams', 'tail', 'starts', '--format', 'json', '--max-records', '1'], env);
    let exited = false;
    void latest.done.finally(() => {
      exited = true;
    });
    for (let marker = 0; !exited && marker < 600; marker++) {
      await putData(`marker${marker}`, 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const printed = await latest.done;
    assert.equal(printed.code, 0, printed.stderr);
    const [line] = parseJsonLines(printed.stdout);
    assert.match(Buffer.from(line?.data ?? '', 'base64').toString('utf8'), /^marker\d+ 0$/);

    await new Promise((resolve) => setTimeout(resolve, 1500));
    const from = new Date();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await putData('new', 6);
    const timed = await runOk([
      'tail',
      'starts',
      '--from',
      'at-timestamp',
      '--timestamp',
      from.toISOString(),
      '--format',
      'json',
      '--max-records',
      '6',
    ]);
    const data = parseJsonLines(timed.stdout).map((entry) =>
      Buffer.from(entry.data, 'base64').toString('utf8'),
    );
    assert.deepEqual(
      data.sort(),
      Array.from({ length: 6 }, (_, index) => `new ${index}`),
    );
  });

  it('exports only what was there at the start while a producer keeps writing', async () => {
    await runOk(['create', 'busy', '--shards', '1', '--wait']);
    const first = await client.send(
      new PutRecordsCommand({
        StreamName: 'busy',
        Records: Array.from({ length: 300 }, (_, index) => ({
          PartitionKey: 'k',
          Data: Buffer.from(`before ${index}`),
        })),
      }),
    );
    assert.equal(first.FailedRecordCount, 0);
    let writing = true;
    let later = 0;
    // What the stream holds after the first 300, in order: a record the write limit refused (a
    // per-record error in a 200) is not in it.
    const accepted: string[] = [];
    const producer = (async () => {
      while (writing) {
        const batch = Array.from({ length: 20 }, () => `after ${later++}`);
        const answer = await client.send(
          new PutRecordsCommand({
            StreamName: 'busy',
            Records: batch.map((text) => ({ PartitionKey: 'k', Data: Buffer.from(text) })),
          }),
        );
        answer.Records?.forEach((entry, index) => {
          if (entry.ErrorCode === undefined) accepted.push(batch[index]!);
        });
      }
    })();
    let data: string[];
    try {
      const file = path.join(homeDir, 'busy.jsonl');
      await runOk(['export', 'busy', '--output', file]);
      data = parseJsonLines(await readFile(file, 'utf8')).map((line) =>
        Buffer.from(line.data, 'base64').toString('utf8'),
      );
    } finally {
      writing = false;
      await producer;
    }
    // Everything written before the export started, in order, then possibly a prefix of the
    // later records (written before the export's first read), never anything out of order.
    assert.deepEqual(
      data.slice(0, 300),
      Array.from({ length: 300 }, (_, index) => `before ${index}`),
    );
    assert.deepEqual(data.slice(300), accepted.slice(0, data.length - 300));
    assert.ok(later > 0, 'the producer wrote while the export ran');
  });

  it('prints AWS errors and exits non-zero; bad usage exits 2', async () => {
    const missing = await run(['describe', 'nope']);
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      'tributary streams describe: ResourceNotFoundException: Stream nope under account 000000000000 not found. (HTTP 400)\n',
    );
    const exported = await run(['export', 'nope', '--output', path.join(homeDir, 'nope.jsonl')]);
    assert.equal(exported.code, 1);
    assert.match(
      exported.stderr,
      /ResourceNotFoundException: Stream nope under account 000000000000 not found\./,
    );
    await assert.rejects(stat(path.join(homeDir, 'nope.jsonl')), /ENOENT/);
    const tail = await run(['tail', 'nope']);
    assert.equal(tail.code, 1);
    assert.match(tail.stderr, /ResourceNotFoundException/);

    const duplicate = await run(['create', 'alpha']);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /^tributary streams create: ResourceInUseException: /);

    const badFlag = await run(['list', '--shards', '2']);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /Unknown option '--shards'/);
    const badValue = await run(['create', 'x', '--shards', 'many']);
    assert.equal(badValue.code, 2);
    assert.match(badValue.stderr, /--shards must be a whole number/);
    assert.equal((await run(['describe'])).code, 2);
    assert.equal((await run(['frobnicate'])).code, 2);

    const unreachable = await run(['list', '--endpoint', 'http://127.0.0.1:1']);
    assert.equal(unreachable.code, 1);
    assert.match(
      unreachable.stderr,
      /^tributary streams list: cannot reach http:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/,
    );
  });

  it('takes its settings from flags, the environment and a config file; test/test locally', async () => {
    const configFile = path.join(homeDir, 'cli.json');
    await writeFile(configFile, JSON.stringify({ endpoint: server.endpoint, region: 'eu-west-1' }));
    const noCredentials: NodeJS.ProcessEnv = { ...env };
    delete noCredentials.AWS_ACCESS_KEY_ID;
    delete noCredentials.AWS_SECRET_ACCESS_KEY;
    delete noCredentials.TRIBUTARY_ENDPOINT;
    delete noCredentials.AWS_DEFAULT_REGION;
    const fromFile = await startCommand(
      ['streams', 'create', 'elsewhere', '--config', configFile, '--wait'],
      noCredentials,
    ).done;
    assert.equal(fromFile.code, 0, fromFile.stderr);
    // The file's region was used: the stream exists in eu-west-1 only.
    const euList = await startCommand(['streams', 'list', '--output', 'json'], {
      ...noCredentials,
      TRIBUTARY_CLI_CONFIG: configFile,
    }).done;
    assert.deepEqual(
      (JSON.parse(euList.stdout) as { name: string; arn: string }[]).map((stream) => stream.arn),
      ['arn:aws:kinesis:eu-west-1:000000000000:stream/elsewhere'],
    );
    // A flag beats the environment, which beats the file.
    const usList = await startCommand(['streams', 'list', '--output', 'json', '--region', 'us-east-1'], {
      ...noCredentials,
      AWS_REGION: 'ap-south-1',
      TRIBUTARY_CLI_CONFIG: configFile,
    }).done;
    assert.ok((JSON.parse(usList.stdout) as { name: string }[]).some((stream) => stream.name === 'alpha'));
    const apList = await startCommand(['streams', 'list', '--output', 'json'], {
      ...noCredentials,
      AWS_REGION: 'ap-south-1',
      TRIBUTARY_CLI_CONFIG: configFile,
    }).done;
    assert.deepEqual(JSON.parse(apList.stdout), []);
    // AWS_ENDPOINT_URL_KINESIS is honoured, and a 12-digit key from the environment is the account.
    const keyed = await startCommand(['streams', 'create', 'own', '--wait'], {
      ...env,
      TRIBUTARY_ENDPOINT: '',
      AWS_ENDPOINT_URL_KINESIS: server.endpoint,
      AWS_ACCESS_KEY_ID: '123456789012',
    }).done;
    assert.equal(keyed.code, 0, keyed.stderr);
    const ownList = await startCommand(['streams', 'list', '--output', 'json'], {
      ...env,
      AWS_ACCESS_KEY_ID: '123456789012',
    }).done;
    assert.deepEqual(
      (JSON.parse(ownList.stdout) as { arn: string }[]).map((stream) => stream.arn),
      ['arn:aws:kinesis:us-east-1:123456789012:stream/own'],
    );
  });

  it('reads credentials from a --profile of the shared files', async () => {
    const credentialsFile = path.join(homeDir, 'credentials');
    await writeFile(
      credentialsFile,
      '[other]\naws_access_key_id = 111122223333\naws_secret_access_key = secret\n',
    );
    const profileEnv: NodeJS.ProcessEnv = { ...env, AWS_SHARED_CREDENTIALS_FILE: credentialsFile };
    delete profileEnv.AWS_ACCESS_KEY_ID;
    delete profileEnv.AWS_SECRET_ACCESS_KEY;
    const created = await startCommand(
      ['streams', 'create', 'profiled', '--profile', 'other', '--wait'],
      profileEnv,
    ).done;
    assert.equal(created.code, 0, created.stderr);
    const listed = await startCommand(
      ['streams', 'list', '--output', 'json', '--profile', 'other'],
      profileEnv,
    ).done;
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { arn: string }[]).map((stream) => stream.arn),
      ['arn:aws:kinesis:us-east-1:111122223333:stream/profiled'],
    );
    // A profile that does not exist is an error, not a silent fallback to test/test.
    const missing = await startCommand(['streams', 'list', '--profile', 'absent'], profileEnv).done;
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^tributary streams list: no AWS credentials: /);
  });

  it('documents every option in --help', async () => {
    const top = await startCommand(['--help'], env).done;
    assert.match(top.stdout, /^ {2}streams +work with the streams of a running server/m);
    const streams = await run(['--help']);
    assert.equal(streams.code, 0);
    const helps = await Promise.all(streamsSubcommands.map((command) => run([command.name, '--help'])));
    streamsSubcommands.forEach((command, index) => {
      assert.match(streams.stdout, new RegExp(`^  ${command.name} +${escapeRegExp(command.summary)}$`, 'm'));
      const help = helps[index] as CommandResult;
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`^Usage: tributary streams ${command.name}`));
      for (const option of [
        ...Object.keys(command.options),
        'endpoint',
        'region',
        'profile',
        'config',
        'help',
      ]) {
        assert.match(
          help.stdout,
          new RegExp(`^ +--${option}\\b`, 'm'),
          `${command.name} --help omits --${option}`,
        );
      }
    });
  });
});

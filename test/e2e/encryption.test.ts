/**
 * Encryption at rest through the JavaScript SDK: StartStreamEncryption and StopStreamEncryption
 * with their status changes and checks, records written while encrypted stored sealed (the raw
 * segment files hold neither their data nor their partition keys), read back decrypted with
 * EncryptionType per record, also after a restart, and through the AWS CLI.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  InvalidArgumentException,
  KMSNotFoundException,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
  type KinesisClient,
  type _Record,
} from '@aws-sdk/client-kinesis';
import { awsClientEnvironment } from '../helpers/aws-environment.js';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const stream = 'sealed';

async function readAll(client: KinesisClient, streamName: string): Promise<_Record[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  const records: _Record[] = [];
  for (const shard of Shards) {
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const page = await client.send(new GetRecordsCommand({ ShardIterator }));
    records.push(...(page.Records ?? []));
  }
  return records;
}

async function segmentBytes(dataDir: string): Promise<Buffer> {
  const entries = await readdir(path.join(dataDir, 'log'), { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  assert.ok(files.length > 0, 'the log directory has files');
  return Buffer.concat(
    await Promise.all(files.map((entry) => readFile(path.join(entry.parentPath, entry.name)))),
  );
}

const text = (record: _Record): string => Buffer.from(record.Data ?? new Uint8Array()).toString('utf8');

describe('encryption at rest', () => {
  let server: ServerProcess;
  let client: KinesisClient;

  before(async () => {
    // Transitions last long enough to observe UPDATING even on a loaded machine.
    server = await startServer({ extraArgs: ['--transition-delay-ms', '1000'] });
    client = kinesisClient(server.endpoint);
    await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 2 }));
    await waitForActive(client, stream);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  it('rejects what AWS rejects', async () => {
    await assert.rejects(
      client.send(
        new StartStreamEncryptionCommand({
          StreamName: stream,
          EncryptionType: 'NONE',
          KeyId: 'alias/aws/kinesis',
        }),
      ),
      (error: unknown) =>
        error instanceof InvalidArgumentException && /only valid value is KMS/.test(error.message),
    );
    await assert.rejects(
      client.send(
        new StartStreamEncryptionCommand({ StreamName: stream, EncryptionType: 'KMS', KeyId: 'not a key' }),
      ),
      (error: unknown) =>
        error instanceof KMSNotFoundException && error.message === 'Invalid keyId not a key',
    );
    await assert.rejects(
      client.send(
        new StartStreamEncryptionCommand({
          StreamName: 'absent',
          EncryptionType: 'KMS',
          KeyId: 'alias/aws/kinesis',
        }),
      ),
      (error: unknown) =>
        error instanceof ResourceNotFoundException &&
        error.message === 'Stream absent under account 000000000000 not found.',
    );
    await assert.rejects(
      client.send(
        new StopStreamEncryptionCommand({
          StreamName: stream,
          EncryptionType: 'NONE',
          KeyId: 'alias/aws/kinesis',
        }),
      ),
      (error: unknown) => error instanceof InvalidArgumentException,
    );
  });

  it('seals records written while encrypted, and reads every record back as written', async () => {
    const before = await client.send(
      new PutRecordCommand({
        StreamName: stream,
        PartitionKey: 'clear-key',
        Data: Buffer.from('CLEAR-TEXT-0001'),
      }),
    );
    assert.equal(before.EncryptionType, 'NONE');

    await client.send(
      new StartStreamEncryptionCommand({
        StreamName: stream,
        EncryptionType: 'KMS',
        KeyId: 'alias/aws/kinesis',
      }),
    );
    const updating = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
    assert.equal(updating.StreamDescriptionSummary?.StreamStatus, 'UPDATING');
    await assert.rejects(
      client.send(
        new StartStreamEncryptionCommand({
          StreamName: stream,
          EncryptionType: 'KMS',
          KeyId: 'alias/aws/kinesis',
        }),
      ),
      (error: unknown) => error instanceof ResourceInUseException,
    );
    await waitForActive(client, stream);
    const described = await client.send(new DescribeStreamCommand({ StreamName: stream }));
    assert.equal(described.StreamDescription?.EncryptionType, 'KMS');
    assert.equal(described.StreamDescription?.KeyId, 'alias/aws/kinesis');

    const single = await client.send(
      new PutRecordCommand({
        StreamName: stream,
        PartitionKey: 'SECRET-KEY-single',
        Data: Buffer.from('SECRET-DATA-single'),
      }),
    );
    assert.equal(single.EncryptionType, 'KMS');
    const batch = await client.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: Array.from({ length: 50 }, (_, index) => ({
          PartitionKey: `SECRET-KEY-${index}`,
          Data: Buffer.from(`SECRET-DATA-${index}`),
        })),
      }),
    );
    assert.equal(batch.FailedRecordCount, 0);
    assert.equal(batch.EncryptionType, 'KMS');

    const records = await readAll(client, stream);
    assert.equal(records.length, 52);
    const clear = records.find((record) => record.PartitionKey === 'clear-key');
    assert.equal(clear?.EncryptionType, 'NONE');
    assert.equal(clear && text(clear), 'CLEAR-TEXT-0001');
    const sealed = records.filter((record) => record.PartitionKey?.startsWith('SECRET-KEY-'));
    assert.equal(sealed.length, 51);
    for (const record of sealed) {
      assert.equal(record.EncryptionType, 'KMS');
      assert.equal(text(record), record.PartitionKey?.replace('SECRET-KEY-', 'SECRET-DATA-'));
    }
  });

  it('keeps plaintext out of the segment files, and decrypts after a restart', async () => {
    await server.stop();
    const raw = await segmentBytes(server.dataDir);
    // The scan does see record bytes: the record written before encryption is there in clear.
    assert.ok(raw.includes('CLEAR-TEXT-0001'));
    assert.ok(!raw.includes('SECRET-DATA'), 'no sealed record data in the files');
    assert.ok(!raw.includes('SECRET-KEY'), 'no sealed record partition key in the files');

    server = await startServer({ dataDir: server.dataDir, extraArgs: ['--transition-delay-ms', '1000'] });
    client.destroy();
    client = kinesisClient(server.endpoint);
    const records = await readAll(client, stream);
    assert.equal(records.length, 52);
    assert.equal(records.filter((record) => text(record).startsWith('SECRET-DATA-')).length, 51);
  });

  it('stops encrypting new records with StopStreamEncryption, through the AWS CLI', async () => {
    const env = awsClientEnvironment(server.dataDir);
    const cli = (...args: string[]) =>
      promisify(execFile)('/usr/bin/aws', ['--endpoint-url', server.endpoint, 'kinesis', ...args], { env });
    await cli(
      'stop-stream-encryption',
      '--stream-name',
      stream,
      '--encryption-type',
      'KMS',
      '--key-id',
      'alias/aws/kinesis',
    );
    await waitForActive(client, stream);
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
    assert.equal(summary.StreamDescriptionSummary?.EncryptionType, 'NONE');
    assert.equal(summary.StreamDescriptionSummary?.KeyId, undefined);
    const { stdout } = await cli(
      'put-record',
      '--stream-name',
      stream,
      '--partition-key',
      'after',
      '--data',
      Buffer.from('AFTER-STOP').toString('base64'),
    );
    assert.equal(JSON.parse(stdout).EncryptionType, 'NONE');
    const records = await readAll(client, stream);
    assert.equal(records.length, 53);
    // The stream is unencrypted now: clear records carry no EncryptionType, sealed ones KMS.
    assert.equal(records.find((record) => record.PartitionKey === 'after')?.EncryptionType, undefined);
    assert.equal(records.filter((record) => record.EncryptionType === 'KMS').length, 51);
  });
});

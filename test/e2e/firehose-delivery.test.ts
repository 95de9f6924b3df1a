/**
 * Direct PUT delivery to the embedded bucket directory, with the JavaScript SDK v3 against a real
 * server: objects hold exactly the records put (compared as multisets: AWS does not fix object
 * boundaries or order), keys in AWS's format, buffering by interval and by size, UpdateDestination
 * applying to buffered records, GZIP objects read back with /usr/bin/gzip, prefix expressions.
 */
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  InvalidArgumentException,
  PutRecordBatchCommand,
  PutRecordCommand,
  UpdateDestinationCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sleep } from '../helpers/aws-environment.js';
import { XERIAL_READER } from '../helpers/codec-readers.js';
import {
  firehoseClient,
  linesOf,
  readBucket,
  waitForBucket,
  waitForDeliveryStreamActive,
} from '../helpers/firehose-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const uuidPattern = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const delimiter = { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' as const }] };

describe('Firehose Direct PUT delivery to the embedded bucket', () => {
  let server: ServerProcess;
  let client: FirehoseClient;

  before(async () => {
    server = await startServer();
    client = firehoseClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  async function create(name: string, s3: Record<string, unknown>): Promise<void> {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: { RoleARN: roleArn, ...s3 } as never,
      }),
    );
    await waitForDeliveryStreamActive(client, name);
  }

  async function putLines(name: string, lines: readonly string[]): Promise<void> {
    for (let start = 0; start < lines.length; start += 500) {
      const result = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: name,
          Records: lines.slice(start, start + 500).map((line) => ({ Data: Buffer.from(line) })),
        }),
      );
      assert.equal(result.FailedPutCount, 0);
      assert.equal(result.RequestResponses?.length, Math.min(500, lines.length - start));
      for (const response of result.RequestResponses ?? []) assert.ok((response.RecordId ?? '').length > 20);
    }
  }

  it('delivers every record after the buffer interval, under the default time prefix', async () => {
    const bucket = 'interval-bucket';
    await create('by-interval', {
      BucketARN: `arn:aws:s3:::${bucket}`,
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 1 },
      ProcessingConfiguration: delimiter,
    });
    const lines = Array.from({ length: 1200 }, (_, index) => `{"n":${index}}`);
    const beforeMs = Date.now();
    await putLines('by-interval', lines);
    const single = await client.send(
      new PutRecordCommand({
        DeliveryStreamName: 'by-interval',
        Record: { Data: Buffer.from('{"n":"single"}') },
      }),
    );
    assert.equal(single.Encrypted, false);
    const expected = [...lines, '{"n":"single"}'].sort();
    const objects = await waitForBucket(
      server.dataDir,
      bucket,
      (found) => linesOf(found).length >= expected.length,
    );
    assert.deepEqual(linesOf(objects), expected);
    const keyPattern = new RegExp(
      `^(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/by-interval-1-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-${uuidPattern}$`,
    );
    for (const object of objects) {
      const match = keyPattern.exec(object.key);
      assert.ok(match !== null, `key ${object.key} is not in AWS's format`);
      const [, year, month, day, hour, year2, month2, day2, hour2, minute, second] = match;
      assert.deepEqual([year, month, day, hour], [year2, month2, day2, hour2]);
      const stampMs = Date.UTC(
        Number(year2),
        Number(month2) - 1,
        Number(day2),
        Number(hour2),
        Number(minute),
        Number(second),
      );
      assert.ok(
        stampMs >= Math.floor(beforeMs / 1000) * 1000 && stampMs <= Date.now(),
        `time of ${object.key}`,
      );
      // AppendDelimiterToRecord: records separated by newlines, none after the last.
      assert.ok(!object.body.toString('utf8').endsWith('\n'));
    }
  });

  it('delivers by size before the interval, and an update applies to records already buffered', async () => {
    const bucket = 'size-bucket';
    await create('by-size', {
      BucketARN: `arn:aws:s3:::${bucket}`,
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 },
      Prefix: 'sized/',
    });
    // 5 batches of 10 records of 50,000 bytes: 2.5 MB, so two 1 MiB objects and a remainder.
    const records: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const datas = Array.from({ length: 10 }, (_, index) => {
        const id = `${batch}-${index}`.padEnd(8, '.');
        return `<${id}${'x'.repeat(50_000 - 10)}>`;
      });
      records.push(...datas);
      const result = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: 'by-size',
          Records: datas.map((data) => ({ Data: Buffer.from(data) })),
        }),
      );
      assert.equal(result.FailedPutCount, 0);
    }
    const twoObjects = await waitForBucket(server.dataDir, bucket, (found) => found.length >= 2);
    for (const object of twoObjects) {
      assert.ok(
        object.body.length >= 1024 * 1024,
        `object of ${object.body.length} bytes delivered before its size`,
      );
      assert.match(object.key, /^sized\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/by-size-1-/);
    }
    // The remainder waits for its 900 s interval.
    await sleep(1500);
    const stillTwo = await readBucket(server.dataDir, bucket);
    assert.equal(stillTwo.length, 2);
    const deliveredBytes = stillTwo.reduce((sum, object) => sum + object.body.length, 0);
    assert.ok(deliveredBytes < 2_500_000);

    await client.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: 'by-size',
        CurrentDeliveryStreamVersionId: '1',
        DestinationId: 'destinationId-000000000001',
        ExtendedS3DestinationUpdate: { BufferingHints: { IntervalInSeconds: 1 }, Prefix: 'after-update/' },
      }),
    );
    const all = await waitForBucket(server.dataDir, bucket, (found) => found.length >= 3);
    const third = all.find((object) => object.key.startsWith('after-update/'));
    assert.ok(third !== undefined, `no object under the updated prefix: ${all.map((o) => o.key).join(', ')}`);
    assert.match(third.key, /^after-update\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/by-size-2-/);
    const delivered = all.map((object) => object.body.toString('utf8')).join('');
    const split = delivered.match(/<[^>]*>/g) ?? [];
    assert.deepEqual(split.sort(), [...records].sort());
  });

  it('writes GZIP objects that gzip -d reads back, under evaluated prefix expressions', async () => {
    const bucket = 'gzip-bucket';
    await create('gzipped', {
      BucketARN: `arn:aws:s3:::${bucket}`,
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 1 },
      CompressionFormat: 'GZIP',
      Prefix: "logs/year=!{timestamp:yyyy}/at=!{timestamp:yyyy-MM-dd'T'HH}/!{firehose:random-string}/",
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      ProcessingConfiguration: delimiter,
    });
    const lines = Array.from({ length: 300 }, (_, index) => `line ${index} ${'abc'.repeat(index % 7)}`);
    await putLines('gzipped', lines);
    const objects = await waitForBucket(server.dataDir, bucket, (found) => {
      const decoded = found.map((object) => ({
        body: execFileSync('/usr/bin/gzip', ['-d', '-c'], { input: object.body }),
      }));
      return linesOf(decoded).length >= lines.length;
    });
    const decoded = objects.map((object) => ({
      body: execFileSync('/usr/bin/gzip', ['-d', '-c'], { input: object.body }),
    }));
    assert.deepEqual(linesOf(decoded), [...lines].sort());
    for (const object of objects) {
      assert.match(
        object.key,
        new RegExp(
          `^logs/year=(\\d{4})/at=\\1-\\d{2}-\\d{2}T\\d{2}/[A-Za-z0-9]{11}/gzipped-1-\\d{4}(-\\d{2}){5}-${uuidPattern}\\.gz$`,
        ),
      );
      assert.deepEqual([...object.body.subarray(0, 2)], [0x1f, 0x8b]);
    }
  });

  it('writes ZIP, Snappy and HADOOP_SNAPPY objects that unzip and python-snappy read back', async () => {
    const readers: Record<string, (body: Buffer) => Buffer> = {
      ZIP: (body) => withTempFile(body, (file) => execFileSync('/usr/bin/unzip', ['-p', file])),
      Snappy: (body) =>
        withTempFile(body, (file) =>
          execFileSync('/usr/bin/python3', ['-c', XERIAL_READER, file], { stdio: 'pipe' }),
        ),
      HADOOP_SNAPPY: (body) =>
        withTempFile(body, (file) =>
          execFileSync('/usr/bin/python3', ['-m', 'snappy', '-d', '-t', 'hadoop_snappy', file]),
        ),
    };
    for (const [format, read] of Object.entries(readers)) {
      const name = `codec-${format.toLowerCase().replace('_', '-')}`;
      const bucket = `${name}-bucket`;
      await create(name, {
        BucketARN: `arn:aws:s3:::${bucket}`,
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
        CompressionFormat: format,
        ProcessingConfiguration: delimiter,
      });
      const lines = Array.from(
        { length: 200 },
        (_, index) => `${format} line ${index} ${'xyz'.repeat(index % 5)}`,
      );
      await putLines(name, lines);
      const objects = await waitForBucket(
        server.dataDir,
        bucket,
        (found) => linesOf(found.map((object) => ({ body: read(object.body) }))).length >= lines.length,
      );
      assert.deepEqual(linesOf(objects.map((object) => ({ body: read(object.body) }))), [...lines].sort());
      const extension = format === 'ZIP' ? '.zip' : '.snappy';
      for (const object of objects) assert.ok(object.key.endsWith(extension), object.key);
    }
  });

  it('uses FileExtension instead of the compression extension, and CustomTimeZone for the times', async () => {
    const bucket = 'extension-bucket';
    await create('with-extension', {
      BucketARN: `arn:aws:s3:::${bucket}`,
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
      CompressionFormat: 'GZIP',
      FileExtension: '.log.gz',
      CustomTimeZone: 'Asia/Tokyo',
    });
    await putLines('with-extension', ['a', 'b', 'c']);
    const objects = await waitForBucket(server.dataDir, bucket, (found) => found.length > 0);
    for (const object of objects) {
      const match =
        /^(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/with-extension-1-(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-[0-9a-f-]{36}\.log\.gz$/.exec(
          object.key,
        );
      assert.ok(match !== null, object.key);
      const [, , , , hour, year, month, day, nameHour, minute, second] = match.map(Number);
      assert.equal(hour, nameHour);
      // Tokyo is UTC+9 all year: the wall-clock time in the key is 9 hours ahead of UTC.
      const wallClockMs = Date.UTC(year!, month! - 1, day!, nameHour!, minute!, second!);
      const aheadMs = wallClockMs - Date.now();
      assert.ok(Math.abs(aheadMs - 9 * 3_600_000) < 10 * 60_000, `${object.key} is not in Tokyo time`);
    }
    const text = objects
      .map((object) => execFileSync('/usr/bin/gzip', ['-d', '-c'], { input: object.body }).toString())
      .join('');
    // No delimiter processor: records are concatenated byte for byte.
    assert.deepEqual([...text].sort(), ['a', 'b', 'c']);
  });

  it('refuses batches over 4 MiB and records over 1,000 KiB as AWS does', async () => {
    await create('limits', { BucketARN: 'arn:aws:s3:::limits-bucket' });
    const big = Buffer.alloc(1_000_000, 'a');
    await assert.rejects(
      client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: 'limits',
          Records: Array.from({ length: 5 }, () => ({ Data: big })),
        }),
      ),
      (error: unknown) => {
        assert.ok(error instanceof InvalidArgumentException, String(error));
        assert.equal(error.message, 'Records size exceeds 4 MB limit');
        return true;
      },
    );
    await assert.rejects(
      client.send(
        new PutRecordCommand({ DeliveryStreamName: 'limits', Record: { Data: Buffer.alloc(1_024_001) } }),
      ),
      (error: unknown) => {
        assert.equal((error as Error).name, 'ValidationException');
        assert.equal(
          (error as Error).message,
          "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at " +
            "'record.data' failed to satisfy constraint: Member must have length less than or equal to 1024000",
        );
        return true;
      },
    );
    const empty = await client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: 'limits', Records: [{ Data: new Uint8Array(0) }] }),
    );
    assert.equal(empty.FailedPutCount, 0);
  });
});

/** Runs `use` on a temporary file holding `body`. */
function withTempFile(body: Buffer, use: (file: string) => Buffer): Buffer {
  const directory = mkdtempSync(path.join(tmpdir(), 'tributary-codec-'));
  try {
    const file = path.join(directory, 'object');
    writeFileSync(file, body);
    return use(file);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Seed 004 end to end with the AWS CLI v2 against a `tributary serve` process: stream
 * `test-kinesis` (2 shards) gets sensor readings; DiscoverInputSchema infers their schema;
 * application `test-analytics` runs the seed deck's sensor SQL (a 60-second tumbling window,
 * test/analytics/seeds/sensor-tumbling.sql) on the discovered schema and writes its rows to
 * delivery stream `test-firehose`, which delivers them to bucket `test-firehose01`; `error_stream`
 * goes, as CSV, to `test-firehose-errors` → `test-firehose-errors01`. Then the application is
 * stopped, more readings are put, and a LAST_STOPPED_POINT start processes exactly those.
 *
 * Every `aws` command this test runs must appear in docs/analytics.md (which walks a user through
 * the same steps), so the page cannot drift from what works.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { awsClientEnvironment, sleep } from '../../helpers/aws-environment.js';
import { requireCliV2, runCli } from '../../helpers/aws-cli.js';
import { linesOf, waitForBucket } from '../../helpers/firehose-client.js';
import {
  removeDataDir,
  repositoryRoot,
  startServer,
  type ServerProcess,
} from '../../helpers/server-process.js';

const roleArn = 'arn:aws:iam::000000000000:role/service-role/kinesis-analytics-test-analytics';
const sensors = [
  { sensor_id: 'sensor-1', sensor: 'temperature', station_id: 'station-a' },
  { sensor_id: 'sensor-2', sensor: 'humidity', station_id: 'station-a' },
  { sensor_id: 'sensor-3', sensor: 'temperature', station_id: 'station-b' },
];

interface Reading {
  sensor_id: string;
  sensor: string;
  station_id: string;
  sensor_value: number;
  sensor_value_smoothed: number;
}

interface WindowRow {
  sensor_id: string;
  sensor: string;
  station_id: string;
  sensor_avg_value: number;
  sensor_smooth_avg_value: number;
  '60sec_sum_of_sensor_value': number;
  '60sec_number_of_msg': number;
  record_timestamp: string;
}

function readings(batch: number, perSensor: number): Reading[] {
  const result: Reading[] = [];
  for (let i = 0; i < perSensor; i++) {
    for (const [index, sensor] of sensors.entries()) {
      const value = 20 + index * 10 + batch + i / 4;
      result.push({ ...sensor, sensor_value: value, sensor_value_smoothed: value - 0.5 });
    }
  }
  return result;
}

describe('seed 004 walkthrough with the AWS CLI: test-kinesis → test-analytics → test-firehose → test-firehose01', () => {
  let server: ServerProcess | undefined;
  let workDir = '';
  let env: NodeJS.ProcessEnv = {};
  const commands: string[] = [];
  const put: Reading[] = [];

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    assert.ok(server !== undefined, 'server not started');
    commands.push(['aws', ...args].join(' ').replaceAll(`${workDir}/`, ''));
    const full = ['--endpoint-url', server.endpoint, ...args, '--output', 'json'];
    const result = await runCli(full, env);
    assert.equal(
      result.code,
      0,
      `aws ${full.join(' ')} exited ${result.code}\nstderr: ${result.stderr}\nserver log:\n${server.stderr().slice(-4000)}`,
    );
    return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
  }

  async function file(name: string, content: unknown): Promise<string> {
    const target = path.join(workDir, name);
    await writeFile(target, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
    return target;
  }

  async function putReadings(records: readonly (Reading | string)[]): Promise<void> {
    const target = await file(
      'records.json',
      records.map((record, index) => ({
        Data: typeof record === 'string' ? record : JSON.stringify(record),
        PartitionKey: `reading-${index}`,
      })),
    );
    const result = (await aws(
      'kinesis',
      'put-records',
      '--stream-name',
      'test-kinesis',
      '--records',
      `file://${target}`,
      '--cli-binary-format',
      'raw-in-base64-out',
    )) as { FailedRecordCount?: number };
    assert.equal(result.FailedRecordCount ?? 0, 0);
    for (const record of records) if (typeof record !== 'string') put.push(record);
  }

  async function waitForApplication(status: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const described = (await aws(
        'kinesisanalytics',
        'describe-application',
        '--application-name',
        'test-analytics',
      )) as {
        ApplicationDetail: { ApplicationStatus: string };
      };
      if (described.ApplicationDetail.ApplicationStatus === status) return;
      await sleep(100);
    }
    assert.fail(`test-analytics did not become ${status}`);
  }

  async function waitForDeliveryStream(name: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const described = (await aws(
        'firehose',
        'describe-delivery-stream',
        '--delivery-stream-name',
        name,
      )) as {
        DeliveryStreamDescription: { DeliveryStreamStatus: string };
      };
      if (described.DeliveryStreamDescription.DeliveryStreamStatus === 'ACTIVE') return;
      await sleep(100);
    }
    assert.fail(`${name} did not become ACTIVE`);
  }

  /**
   * Waits (windows close once a minute) until the rows in the bucket count every reading put, then
   * checks per sensor that counts and sums add up and that no reading was counted twice.
   */
  async function checkBucket(): Promise<WindowRow[]> {
    assert.ok(server !== undefined);
    const rowsOf = (objects: readonly { body: Buffer }[]) =>
      linesOf(objects).map((line) => JSON.parse(line) as WindowRow);
    const objects = await waitForBucket(
      server.dataDir,
      'test-firehose01',
      (found) => rowsOf(found).reduce((sum, row) => sum + row['60sec_number_of_msg'], 0) >= put.length,
      150_000,
    );
    const rows = rowsOf(objects);
    for (const sensor of sensors) {
      const mine = rows.filter((row) => row.sensor_id === sensor.sensor_id);
      const expected = put.filter((reading) => reading.sensor_id === sensor.sensor_id);
      assert.equal(
        mine.reduce((sum, row) => sum + row['60sec_number_of_msg'], 0),
        expected.length,
        `${sensor.sensor_id}: readings counted`,
      );
      const sum = mine.reduce((total, row) => total + row['60sec_sum_of_sensor_value'], 0);
      const expectedSum = expected.reduce((total, reading) => total + reading.sensor_value, 0);
      assert.ok(
        Math.abs(sum - expectedSum) < 0.001 * expected.length,
        `${sensor.sensor_id}: ${sum} vs ${expectedSum}`,
      );
      for (const row of mine) {
        assert.equal(row.sensor, sensor.sensor);
        assert.equal(row.station_id, sensor.station_id);
        assert.ok(
          Math.abs(row.sensor_avg_value * row['60sec_number_of_msg'] - row['60sec_sum_of_sensor_value']) <
            0.01,
        );
        assert.match(row.record_timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
      }
    }
    for (const object of objects) assert.match(object.key, /^\d{4}\/\d{2}\/\d{2}\/\d{2}\/test-firehose-1-/);
    return rows;
  }

  before(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-analytics-walkthrough-'));
    env = awsClientEnvironment(workDir);
    await requireCliV2(env);
    server = await startServer({
      extraArgs: ['--firehose-buffer-interval-ms-max', '1000', '--transition-delay-ms', '200'],
    });
  });

  after(async () => {
    if (server !== undefined) {
      await server.stop();
      await removeDataDir(server.dataDir);
    }
    if (workDir !== '') await rm(workDir, { recursive: true, force: true });
  });

  it('creates test-kinesis, the delivery streams and the application from the discovered schema', async () => {
    await aws('kinesis', 'create-stream', '--stream-name', 'test-kinesis', '--shard-count', '2');
    await aws('kinesis', 'wait', 'stream-exists', '--stream-name', 'test-kinesis');
    for (const [name, bucket] of [
      ['test-firehose', 'test-firehose01'],
      ['test-firehose-errors', 'test-firehose-errors01'],
    ] as const) {
      await aws(
        'firehose',
        'create-delivery-stream',
        '--delivery-stream-name',
        name,
        '--delivery-stream-type',
        'DirectPut',
        '--extended-s3-destination-configuration',
        `RoleARN=${roleArn},BucketARN=arn:aws:s3:::${bucket},BufferingHints={SizeInMBs=5,IntervalInSeconds=60},` +
          'ProcessingConfiguration={Enabled=true,Processors=[{Type=AppendDelimiterToRecord}]}',
      );
      await waitForDeliveryStream(name);
    }
    await putReadings(readings(0, 10));

    const discovered = (await aws(
      'kinesisanalytics',
      'discover-input-schema',
      '--resource-arn',
      'arn:aws:kinesis:us-east-1:000000000000:stream/test-kinesis',
      '--role-arn',
      roleArn,
      '--input-starting-position-configuration',
      'InputStartingPosition=TRIM_HORIZON',
    )) as { InputSchema: { RecordColumns: { Name: string; Mapping: string; SqlType: string }[] } };
    assert.deepEqual(
      discovered.InputSchema.RecordColumns.map((column) => [column.Name, column.Mapping]),
      [
        ['sensor_id', '$.sensor_id'],
        ['sensor', '$.sensor'],
        ['station_id', '$.station_id'],
        ['sensor_value', '$.sensor_value'],
        ['sensor_value_smoothed', '$.sensor_value_smoothed'],
      ],
    );
    const inputs = await file('inputs.json', [
      {
        NamePrefix: 'SOURCE_SQL_STREAM',
        KinesisStreamsInput: {
          ResourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/test-kinesis',
          RoleARN: roleArn,
        },
        InputSchema: discovered.InputSchema,
      },
    ]);
    const outputs = await file('outputs.json', [
      {
        Name: 'DESTINATION_SQL_STREAM',
        KinesisFirehoseOutput: {
          ResourceARN: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/test-firehose',
          RoleARN: roleArn,
        },
        DestinationSchema: { RecordFormatType: 'JSON' },
      },
      {
        Name: 'error_stream',
        KinesisFirehoseOutput: {
          ResourceARN: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/test-firehose-errors',
          RoleARN: roleArn,
        },
        DestinationSchema: { RecordFormatType: 'CSV' },
      },
    ]);
    const sql = await file(
      'sensor.sql',
      await readFile(path.join(repositoryRoot, 'test', 'analytics', 'seeds', 'sensor-tumbling.sql'), 'utf8'),
    );
    await aws(
      'kinesisanalytics',
      'create-application',
      '--application-name',
      'test-analytics',
      '--application-code',
      `file://${sql}`,
      '--inputs',
      `file://${inputs}`,
      '--outputs',
      `file://${outputs}`,
    );
    await aws(
      'kinesisanalytics',
      'start-application',
      '--application-name',
      'test-analytics',
      '--input-configurations',
      'Id=1.1,InputStartingPositionConfiguration={InputStartingPosition=TRIM_HORIZON}',
    );
    await waitForApplication('RUNNING');
    const listed = (await aws('kinesisanalytics', 'list-applications')) as {
      ApplicationSummaries: { ApplicationName: string; ApplicationStatus: string }[];
    };
    assert.deepEqual(
      listed.ApplicationSummaries.map((summary) => [summary.ApplicationName, summary.ApplicationStatus]),
      [['test-analytics', 'RUNNING']],
    );
  });

  it('delivers the windowed rows to test-firehose01 and the error rows, as CSV, to test-firehose-errors01', async () => {
    await putReadings(readings(1, 5));
    await putReadings(['this is not a reading']);
    await checkBucket();
    assert.ok(server !== undefined);
    const errors = linesOf(
      await waitForBucket(server.dataDir, 'test-firehose-errors01', (found) => linesOf(found).length >= 1),
    );
    assert.equal(errors.length, 1);
    // ERROR_TIME,ERROR_LEVEL,ERROR_NAME,MESSAGE,DATA_ROWTIME,DATA_ROW,PUMP_NAME (NULL: empty).
    assert.match(errors[0]!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3},Error,\w+,/);
    assert.ok(
      errors[0]!.endsWith(`,${Buffer.from('this is not a reading').toString('hex')},`),
      `DATA_ROW is the record in hex: ${errors[0]}`,
    );
  });

  it('resumes from LAST_STOPPED_POINT after a stop, counting what was put meanwhile once', async () => {
    await aws('kinesisanalytics', 'stop-application', '--application-name', 'test-analytics');
    await waitForApplication('READY');
    await putReadings(readings(2, 4));
    await aws(
      'kinesisanalytics',
      'start-application',
      '--application-name',
      'test-analytics',
      '--input-configurations',
      'Id=1.1,InputStartingPositionConfiguration={InputStartingPosition=LAST_STOPPED_POINT}',
    );
    await waitForApplication('RUNNING');
    await checkBucket();
  });

  it('runs only commands that docs/analytics.md shows', async () => {
    const page = (await readFile(path.join(repositoryRoot, 'docs', 'analytics.md'), 'utf8'))
      .replace(/\\\n\s*/g, '')
      .replace(/aws --endpoint-url \S+ /g, 'aws ')
      .replace(/'/g, '');
    const missing = [...new Set(commands)].filter((command) => !page.includes(command.replace(/'/g, '')));
    assert.deepEqual(missing, [], 'commands missing from docs/analytics.md');
  });
});

/**
 * The last delivery errors of a delivery stream (`GET /_tributary/firehose/errors`) against a real
 * server, with deliveries that really fail: a Lambda processor from the function registry that
 * throws (records written under the ErrorOutputPrefix), an S3 write that fails until its bucket
 * directory can be made (retries as one entry), an HTTPS endpoint destination that answers
 * 500 (retries, then the S3 backup once RetryOptions run out), and a Parquet conversion whose Glue
 * table is missing. Also AWS's errors for an unsigned call, a missing name and an unknown or deleted
 * delivery stream, accounts kept apart, and the count in GET /metrics.
 */
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import {
  firehoseClient,
  readBucket,
  waitForBucket,
  waitForDeliveryStreamActive,
  putLines,
} from '../helpers/firehose-client.js';
import { getLastErrors, type LastErrorsReply } from '../helpers/firehose-errors-client.js';
import { lambdaProcessing, writeFunctionModules, type FunctionModules } from '../helpers/function-modules.js';
import { parsePrometheusText, samplesOf } from '../helpers/prometheus-text.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';
import {
  makeTestCertificate,
  startReceiver,
  trustEnvironment,
  type Receiver,
  type TestCertificate,
} from '../helpers/destination-receiver.js';

const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const explodeModule = `export async function handler() { throw new Error('the transform exploded'); }`;

describe('Firehose last errors endpoint', () => {
  let certificate: TestCertificate;
  let server: ServerProcess;
  let client: FirehoseClient;
  let functions: FunctionModules;
  let receiver: Receiver | undefined;

  before(async () => {
    certificate = makeTestCertificate();
    functions = writeFunctionModules({ explode: explodeModule });
    server = await startServer({
      extraArgs: ['--firehose-buffer-interval-ms-max', '300', ...functions.serverArgs],
      env: trustEnvironment(certificate),
    });
    client = firehoseClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    await receiver?.close();
    certificate?.remove();
    functions?.remove();
  });

  const put = (name: string, lines: readonly string[]): Promise<void> => putLines(client, name, lines);

  async function lastErrors(name: string): Promise<LastErrorsReply> {
    const reply = await getLastErrors(server.endpoint, { DeliveryStreamName: name });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body as LastErrorsReply;
  }

  /** Polls the endpoint until `done` holds (a delivery records its error just after its write). */
  async function waitForErrors(
    name: string,
    done: (reply: LastErrorsReply) => boolean,
    timeoutMs = 60_000,
  ): Promise<LastErrorsReply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = await lastErrors(name);
      if (done(reply)) return reply;
      if (Date.now() > deadline) throw new Error(`not as expected: ${JSON.stringify(reply)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function metricValue(name: string): Promise<number | undefined> {
    const text = await (await fetch(`${server.endpoint}/metrics`)).text();
    const found = samplesOf(parsePrometheusText(text), 'tributary_firehose_delivery_errors_total', {
      account: '000000000000',
      region: 'us-east-1',
      delivery_stream: name,
    });
    assert.ok(found.length <= 1, `${found.length} samples`);
    return found[0]?.value;
  }

  it('a Lambda processor that throws: one error, records sent to the error output prefix', async () => {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'exploding',
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: 'arn:aws:s3:::exploding',
          Prefix: 'out/',
          ErrorOutputPrefix: 'failed/!{firehose:error-output-type}/',
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          ProcessingConfiguration: lambdaProcessing('explode', 1),
        },
      }),
    );
    await waitForDeliveryStreamActive(client, 'exploding');
    assert.deepEqual((await lastErrors('exploding')).Errors, [], 'no error before any record');

    const beforeSeconds = Date.now() / 1000;
    await put('exploding', ['a', 'b', 'c']);
    const reply = await waitForErrors('exploding', (found) => found.Errors.length > 0);
    await waitForBucket(server.dataDir, 'exploding', (objects) =>
      objects.some((object) => object.key.startsWith('failed/processing-failed/')),
    );
    assert.equal(reply.DeliveryStreamName, 'exploding');
    assert.equal(reply.TotalErrorCount, 1);
    assert.equal(reply.Errors.length, 1);
    const [error] = reply.Errors;
    assert.ok(error !== undefined);
    assert.ok(
      error.Timestamp >= beforeSeconds - 1 && error.Timestamp <= Date.now() / 1000 + 1,
      String(error.Timestamp),
    );
    assert.deepEqual(
      { ...error, Timestamp: 0, ErrorMessage: '' },
      {
        Timestamp: 0,
        Destination: 'ExtendedS3',
        ErrorCode: 'Lambda.FunctionError',
        ErrorMessage: '',
        AttemptsMade: 2,
        RecordCount: 3,
        Outcome: 'ErrorOutputPrefix',
      },
    );
    assert.match(error.ErrorMessage, /the transform exploded/);
    assert.equal(
      (await readBucket(server.dataDir, 'exploding')).filter((o) => o.key.startsWith('out/')).length,
      0,
    );
    assert.equal(await metricValue('exploding'), 1);
  });

  it('an S3 write that fails: one Retrying entry whose attempts move on, and none once it is written', async () => {
    // A file where the bucket's directory should be: every write of the object fails.
    const blocker = path.join(server.dataDir, 'buckets', 'blocked');
    await mkdir(path.dirname(blocker), { recursive: true });
    await writeFile(blocker, 'not a directory');
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'blocked',
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: 'arn:aws:s3:::blocked',
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
        },
      }),
    );
    await waitForDeliveryStreamActive(client, 'blocked');
    await put('blocked', ['one', 'two']);
    const failing = await waitForErrors('blocked', (found) => (found.Errors[0]?.AttemptsMade ?? 0) >= 3);
    assert.equal(failing.Errors.length, 1, JSON.stringify(failing.Errors));
    const [error] = failing.Errors;
    assert.deepEqual(
      { ...error, Timestamp: 0, AttemptsMade: 0, ErrorMessage: '' },
      {
        Timestamp: 0,
        Destination: 'ExtendedS3',
        ErrorCode: 'InternalError',
        ErrorMessage: '',
        AttemptsMade: 0,
        RecordCount: 2,
        Outcome: 'Retrying',
      },
    );
    // The object key (with its time and uuid) is in the message.
    assert.match(error?.ErrorMessage ?? '', /^cannot write object \S+blocked-1-\S+ to bucket blocked$/);
    assert.ok(failing.TotalErrorCount >= (error?.AttemptsMade ?? 0), String(failing.TotalErrorCount));

    await rm(blocker);
    const objects = await waitForBucket(server.dataDir, 'blocked', (found) => found.length > 0);
    assert.deepEqual(
      objects.map((object) => object.body.toString('utf8')),
      ['onetwo'],
    );
    const after = await lastErrors('blocked');
    assert.equal(after.Errors.length, 1);
    assert.equal(after.Errors[0]?.Outcome, 'Retrying');
    assert.equal(after.TotalErrorCount, after.Errors[0]?.AttemptsMade);
  });

  it('an HTTP endpoint answering 500: retries coalesced into one entry, then the S3 backup', async () => {
    receiver = await startReceiver({
      certificate,
      handler: () => ({
        status: 500,
        headers: { 'Content-Type': 'text/plain' },
        body: 'down for maintenance',
      }),
    });
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'http-down',
        HttpEndpointDestinationConfiguration: {
          EndpointConfiguration: { Url: `${receiver.url}/ingest`, Name: 'down' },
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          RetryOptions: { DurationInSeconds: 2 },
          RoleARN: roleArn,
          S3Configuration: { RoleARN: roleArn, BucketARN: 'arn:aws:s3:::http-down-backup' },
        },
      }),
    );
    await waitForDeliveryStreamActive(client, 'http-down');
    await put('http-down', ['x', 'y']);
    const reply = await waitForErrors('http-down', (found) =>
      found.Errors.some((error) => error.Outcome === 'S3Backup'),
    );
    await waitForBucket(server.dataDir, 'http-down-backup', (objects) => objects.length > 0);
    const attempts = receiver.requests.length;
    assert.ok(attempts >= 2, `${attempts} attempts`);
    // Newest first: the records given up to the backup, then the one entry of the retries.
    assert.deepEqual(
      reply.Errors.map((error) => [
        error.Destination,
        error.ErrorCode,
        error.Outcome,
        error.RecordCount,
        error.AttemptsMade,
      ]),
      [
        ['HttpEndpoint', 'HttpEndpoint.DestinationException', 'S3Backup', 2, attempts],
        ['HttpEndpoint', 'HttpEndpoint.DestinationException', 'Retrying', 2, attempts - 1],
      ],
    );
    assert.ok(
      reply.Errors.every((error) => error.ErrorMessage.includes('500')),
      JSON.stringify(reply.Errors),
    );
    assert.equal(reply.TotalErrorCount, attempts);
    assert.equal(await metricValue('http-down'), attempts);
  });

  it('format conversion without its Glue table: every record to the error output, with the code', async () => {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'no-table',
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: 'arn:aws:s3:::no-table',
          BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
          DataFormatConversionConfiguration: {
            Enabled: true,
            SchemaConfiguration: { DatabaseName: 'nowhere', TableName: 'none', RoleARN: roleArn },
            InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
            OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
          },
        },
      }),
    );
    await waitForDeliveryStreamActive(client, 'no-table');
    await put('no-table', ['{"a":1}']);
    const reply = await waitForErrors('no-table', (found) => found.Errors.length > 0);
    assert.deepEqual(
      reply.Errors.map((error) => [error.Destination, error.ErrorCode, error.Outcome, error.RecordCount]),
      [['ExtendedS3', 'DataFormatConversion.EntityNotFound', 'ErrorOutputPrefix', 1]],
    );
  });

  it('answers AWS errors: unsigned, no name, unknown stream, another account, deleted stream', async () => {
    const unsigned = await getLastErrors(
      server.endpoint,
      { DeliveryStreamName: 'exploding' },
      { signed: false },
    );
    assert.deepEqual(unsigned, {
      status: 400,
      body: { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
    });
    const noName = await getLastErrors(server.endpoint, {});
    assert.deepEqual(noName, {
      status: 400,
      body: {
        __type: 'InvalidArgumentException',
        message: 'Query parameter DeliveryStreamName is required.',
      },
    });
    const unknown = await getLastErrors(server.endpoint, { DeliveryStreamName: 'nope' });
    assert.deepEqual(unknown, {
      status: 404,
      body: {
        __type: 'ResourceNotFoundException',
        message: 'Firehose nope under account 000000000000 not found.',
      },
    });
    const otherAccount = await getLastErrors(
      server.endpoint,
      { DeliveryStreamName: 'exploding' },
      { accessKeyId: '111122223333' },
    );
    assert.deepEqual(otherAccount, {
      status: 404,
      body: {
        __type: 'ResourceNotFoundException',
        message: 'Firehose exploding under account 111122223333 not found.',
      },
    });
    await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'exploding' }));
    const deadline = Date.now() + 30_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await getLastErrors(server.endpoint, { DeliveryStreamName: 'exploding' })).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(status, 404);
    assert.equal(await metricValue('exploding'), undefined);
  });
});

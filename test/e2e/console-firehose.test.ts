/**
 * The console's delivery stream pages and live metrics, in a real headless Chromium against a
 * real server: a data stream's Monitoring tab draws the records put into it; the five-step wizard
 * checks its fields inline and creates `test-firehose` from the data stream `test-kinesis` to the
 * bucket `test-firehose01` with GZIP; records put into the stream arrive in the bucket's directory
 * and decompress to the records; the list, the configuration and the monitoring tab show the
 * delivery stream; a refused create shows the server's error; delete removes a delivery stream.
 * What the console did is checked again through the JavaScript SDK, and the test fails on any
 * browser console error not expected. Each page and wizard step is saved as a screenshot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  DescribeDeliveryStreamCommand,
  ListTagsForDeliveryStreamCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { Page } from 'playwright-core';
import { openBrowser, screenshot, type BrowserSession } from '../helpers/browser.js';
import {
  choose,
  createDeliveryStreamInConsole,
  fillDeliveryStreamWizard,
  openDeliveryStreamWizard,
  signInToConsole,
} from '../helpers/console-firehose.js';
import { firehoseClient, linesOf, waitForBucket } from '../helpers/firehose-client.js';
import { kinesisClient, testCredentials, waitForActive } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

/** Generous: the machine is shared and Chromium is slow under load. */
const stepTimeoutMs = 30_000;
const streamName = 'test-kinesis';
const deliveryStreamName = 'test-firehose';
const bucket = 'test-firehose01';

describe('web console: delivery streams and metrics', { timeout: 400_000 }, () => {
  let server: ServerProcess;
  let kinesis: KinesisClient;
  let firehose: FirehoseClient;
  let glue: GlueClient;
  let browser: BrowserSession;
  let page: Page;

  before(async () => {
    server = await startServer();
    kinesis = kinesisClient(server.endpoint);
    firehose = firehoseClient(server.endpoint);
    glue = new GlueClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: testCredentials,
      maxAttempts: 1,
    });
    browser = await openBrowser();
    page = browser.page;
    page.setDefaultTimeout(stepTimeoutMs);
  });

  after(async () => {
    await browser?.close();
    kinesis?.destroy();
    firehose?.destroy();
    glue?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  it('signs in and shows the empty delivery streams list', async () => {
    await signInToConsole(page, server.endpoint, '/delivery-streams');
    await page.getByRole('heading', { name: 'No delivery streams yet' }).waitFor();
    await screenshot(page, 'console-delivery-streams-empty');
  });

  it("draws a data stream's incoming records and bytes live on its Monitoring tab", async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 2 }));
    await waitForActive(kinesis, streamName);
    await page.goto(`${server.endpoint}/streams/${streamName}/monitoring`);
    const incoming = page.getByTestId('chart-incoming-records');
    await incoming.waitFor();
    // Before any record: the chart draws zeros (a rate of 0), never a value above 0.
    await page.waitForFunction(
      `Number(document.querySelector('[data-testid="chart-incoming-records"]')?.getAttribute('data-points')) > 0`,
    );
    assert.equal(await incoming.getAttribute('data-max'), '0');
    // Put records until the chart shows them (a read of /metrics every 2 s turns counts into rates).
    const deadline = Date.now() + 60_000;
    let put = 0;
    while (Number(await incoming.getAttribute('data-max')) === 0) {
      assert.ok(Date.now() < deadline, 'the incoming records chart stayed at zero');
      const records = Array.from({ length: 20 }, (_unused, index) => ({
        PartitionKey: `key-${put + index}`,
        Data: Buffer.from(JSON.stringify({ sensor: `sensor-${index % 4}`, reading: put + index })),
      }));
      const result = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: records }));
      assert.equal(result.FailedRecordCount, 0);
      put += records.length;
      await page.waitForTimeout(500);
    }
    assert.ok(Number(await page.getByTestId('chart-incoming-bytes').getAttribute('data-max')) > 0);
    // uPlot draws into a canvas and writes its legend: each chart has its series named there.
    assert.equal(await incoming.locator('canvas').count(), 1);
    assert.match(await incoming.locator('.u-legend').innerText(), /IncomingRecords/);
    for (const id of ['iterator-age', 'throttled', 'fan-out-lag', 'outgoing-records']) {
      await page.getByTestId(`chart-${id}`).locator('canvas').waitFor();
    }
    assert.match(await page.getByTestId('chart-iterator-age').innerText(), /Iterator age.*\(age\)/);
    await screenshot(page, 'console-stream-monitoring');
  });

  it('checks each wizard step inline before going on', async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'shop' } }));
    await glue.send(
      new CreateTableCommand({
        DatabaseName: 'shop',
        TableInput: {
          Name: 'orders',
          StorageDescriptor: {
            Columns: [
              { Name: 'sensor', Type: 'string' },
              { Name: 'reading', Type: 'int' },
            ],
          },
        },
      }),
    );
    await page.goto(`${server.endpoint}/streams`);
    await openDeliveryStreamWizard(page);
    // Step 1: a missing name and a missing source stream, by keyboard (Enter submits the step).
    await page.getByLabel('Amazon Kinesis Data Streams', { exact: false }).check();
    await page.getByLabel('Delivery stream name', { exact: true }).press('Enter');
    await page.getByText('Enter a delivery stream name.').waitFor();
    await page.getByText('Choose the Kinesis data stream to read.').waitFor();
    assert.equal(
      await page.getByRole('alert').first().innerText(),
      '2 fields need attention before you go on.',
    );
    assert.equal(await page.evaluate<string | undefined>('document.activeElement?.id'), 'fh-name');
    assert.equal(
      await page.getByLabel('Delivery stream name', { exact: true }).getAttribute('aria-invalid'),
      'true',
    );
    await page.getByLabel('Delivery stream name', { exact: true }).fill('not valid!');
    await page.getByLabel('Kinesis data stream', { exact: true }).selectOption({ label: streamName });
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page
      .getByText(
        'Use 1–64 characters: uppercase and lowercase letters, numbers, underscores, hyphens and periods.',
      )
      .waitFor();
    await screenshot(page, 'console-firehose-wizard-errors');
    await page.getByLabel('Delivery stream name', { exact: true }).fill('draft');
    await page.getByRole('button', { name: 'Next', exact: true }).click();

    // Step 2: a Lambda ARN that is not one; conversion with the Glue pickers.
    await page.getByRole('heading', { name: 'Step 2: Process records' }).waitFor();
    await choose(page, 'Data transformation', 'Enabled');
    await page.getByLabel('Lambda function ARN', { exact: true }).fill('my-function');
    await choose(page, 'Record format conversion', 'Enabled');
    await page.getByLabel('AWS Glue database', { exact: true }).selectOption('shop');
    await page.getByLabel('AWS Glue table', { exact: true }).selectOption('orders');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByText('Enter a Lambda function ARN').waitFor();
    await screenshot(page, 'console-firehose-wizard-process');
    await choose(page, 'Data transformation', 'Disabled');
    await page.getByRole('button', { name: 'Next', exact: true }).click();

    // Step 3, then step 4: conversion needs 64–128 MiB and no S3 compression.
    await page.getByRole('heading', { name: 'Step 3: Choose a destination' }).waitFor();
    await page.getByLabel('S3 bucket ARN', { exact: true }).fill('s3://not-an-arn');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByText('Not an S3 bucket ARN: arn:aws:s3:::<bucket-name>.').waitFor();
    await page.getByLabel('S3 bucket ARN', { exact: true }).fill(`arn:aws:s3:::${bucket}`);
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByRole('heading', { name: 'Step 4: Configure settings' }).waitFor();
    assert.equal(await page.getByLabel('Buffer size (MiB)', { exact: true }).inputValue(), '128');
    await page.getByLabel('Buffer size (MiB)', { exact: true }).fill('5');
    await page.getByLabel('Buffer interval (seconds)', { exact: true }).fill('901');
    await choose(page, 'S3 compression', 'GZIP');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page
      .getByText('With record format conversion, enter a buffer size between 64 and 128 MiB.')
      .waitFor();
    await page.getByText('Enter a buffer interval between 0 and 900 seconds.').waitFor();
    await page.getByText('Record format conversion compresses inside the Parquet files').waitFor();
    await screenshot(page, 'console-firehose-wizard-settings-errors');
    // Back to step 2 through the step list, conversion off: the settings are valid again.
    await page
      .getByRole('navigation', { name: 'Wizard steps' })
      .getByRole('button', { name: 'Process records' })
      .click();
    await page.getByRole('heading', { name: 'Step 2: Process records' }).waitFor();
    await choose(page, 'Record format conversion', 'Disabled');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Delivery streams', exact: true }).waitFor();
  });

  it(`creates ${deliveryStreamName} with the wizard: from ${streamName} to ${bucket}, GZIP`, async () => {
    await createDeliveryStreamInConsole(page, {
      name: deliveryStreamName,
      sourceStreamName: streamName,
      bucket,
      compression: 'GZIP',
      bufferSizeMiB: 1,
      bufferIntervalSeconds: 0,
      screenshotPrefix: 'console-firehose-wizard',
    });
    await page.getByTestId('config-compression').waitFor();
    assert.equal(await page.getByTestId('delivery-source').innerText(), `Kinesis data stream ${streamName}`);
    assert.equal(await page.getByTestId('delivery-destination').innerText(), `Amazon S3 (${bucket})`);
    assert.equal(await page.getByTestId('config-compression').innerText(), 'GZIP');
    assert.equal(await page.getByTestId('config-buffer-interval').innerText(), '0 seconds');
    await screenshot(page, 'console-delivery-stream-configuration');

    const described = await firehose.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: deliveryStreamName }),
    );
    const description = described.DeliveryStreamDescription;
    assert.equal(description?.DeliveryStreamType, 'KinesisStreamAsSource');
    assert.match(
      description?.Source?.KinesisStreamSourceDescription?.KinesisStreamARN ?? '',
      /^arn:aws:kinesis:us-east-1:\d{12}:stream\/test-kinesis$/,
    );
    const s3 = description?.Destinations?.[0]?.ExtendedS3DestinationDescription;
    assert.equal(s3?.BucketARN, `arn:aws:s3:::${bucket}`);
    assert.equal(s3?.CompressionFormat, 'GZIP');
    assert.deepEqual(s3?.BufferingHints, { SizeInMBs: 1, IntervalInSeconds: 0 });
    assert.equal(s3?.ProcessingConfiguration?.Enabled, true);
    assert.deepEqual(
      s3?.ProcessingConfiguration?.Processors?.map((processor) => processor.Type),
      ['AppendDelimiterToRecord'],
    );
  });

  it('delivers the records put into the stream to the bucket, gzip-compressed', async () => {
    const records = Array.from({ length: 30 }, (_unused, index) =>
      JSON.stringify({ sensor: `sensor-${index % 3}`, reading: 1000 + index }),
    );
    const result = await kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: records.map((data, index) => ({ PartitionKey: `p-${index}`, Data: Buffer.from(data) })),
      }),
    );
    assert.equal(result.FailedRecordCount, 0);
    // The delivery stream reads the stream from its oldest record: the monitoring test's records too.
    const objects = await waitForBucket(
      server.dataDir,
      bucket,
      (found) => {
        const lines = linesOf(found.map((object) => ({ body: gunzipSync(object.body) })));
        return records.every((record) => lines.includes(record));
      },
      90_000,
    );
    assert.ok(objects.length > 0);
    for (const object of objects) {
      assert.match(
        object.key,
        /^\d{4}\/\d{2}\/\d{2}\/\d{2}\/test-firehose-1-\d{4}(-\d{2}){5}-[0-9a-f-]{36}\.gz$/,
      );
    }
    const lines = linesOf(objects.map((object) => ({ body: gunzipSync(object.body) })));
    for (const record of records) assert.equal(lines.filter((line) => line === record).length, 1, record);
  });

  it('lists the delivery stream with its status, source and destination', async () => {
    await page.getByRole('link', { name: 'Delivery streams', exact: true }).first().click();
    const row = page.getByRole('row', { name: new RegExp(deliveryStreamName) });
    await row.waitFor();
    const cells = await row.getByRole('cell').allInnerTexts();
    assert.deepEqual(cells.slice(0, 4), [
      deliveryStreamName,
      'ACTIVE',
      `Kinesis data stream ${streamName}`,
      `Amazon S3 (${bucket})`,
    ]);
    assert.match(cells[4] ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    await screenshot(page, 'console-delivery-streams-list');
  });

  it("shows the delivery stream's monitoring tab: the server's Firehose metrics, or that there are none", async () => {
    await page.getByRole('link', { name: deliveryStreamName }).click();
    await page
      .getByRole('navigation', { name: 'Delivery stream views' })
      .getByRole('link', { name: 'Monitoring' })
      .click();
    await page.getByRole('link', { name: streamName }).waitFor();
    const metricsText = await (await fetch(`${server.endpoint}/metrics`)).text();
    const served = new RegExp(`^tributary_firehose_\\w+\\{[^}]*"${deliveryStreamName}"`, 'm').test(
      metricsText,
    );
    if (served) {
      await page.locator('[data-testid^="chart-tributary-firehose-"] canvas').first().waitFor();
    } else {
      await page.getByRole('heading', { name: 'No delivery metrics' }).waitFor();
    }
    await screenshot(page, 'console-delivery-stream-monitoring');
  });

  it("shows the server's error when a create is refused, and deletes a delivery stream", async () => {
    await createDeliveryStreamInConsole(page, { name: 'clicks', bucket: 'lake', compression: 'Zip' });
    const tags = await firehose.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'clicks' }));
    assert.deepEqual(tags.Tags, []);

    const errorsBefore = browser.errors.length;
    await openDeliveryStreamWizard(page);
    await fillDeliveryStreamWizard(page, { name: 'clicks', bucket: 'lake' });
    await page.getByRole('button', { name: 'Create delivery stream' }).click();
    const banner = page.getByRole('alert').filter({ hasText: 'Could not create the delivery stream.' });
    await banner.waitFor();
    assert.match(
      await banner.innerText(),
      /^Could not create the delivery stream\. ResourceInUseException: .*clicks/,
    );
    await screenshot(page, 'console-firehose-wizard-refused');
    // The refused call is the only error the browser saw: its 400 response and Chromium's line.
    const deadline = Date.now() + 10_000;
    while (browser.errors.length < errorsBefore + 2 && Date.now() < deadline) await page.waitForTimeout(50);
    const refused = browser.errors.splice(errorsBefore);
    assert.equal(refused.length, 2, refused.join('\n'));
    assert.ok(
      refused.some((error) => /HTTP 400 .*CreateDeliveryStream.*ResourceInUseException/.test(error)),
      refused.join('\n'),
    );

    await page.goto(`${server.endpoint}/delivery-streams/clicks`);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete delivery stream' }).click();
    await page.getByRole('heading', { name: 'Delivery streams', exact: true }).waitFor();
    await page.getByRole('row', { name: new RegExp(deliveryStreamName) }).waitFor();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('row', { name: new RegExp(deliveryStreamName) }).waitFor();
    assert.equal(await page.getByRole('row', { name: /clicks/ }).count(), 0);
    // The list may have described `clicks` just as its deletion ended: that one call is refused
    // (ResourceNotFoundException), the list leaves the stream out, and Chromium logs the 400.
    const vanished = browser.errors.filter((error) =>
      /DescribeDeliveryStream.*ResourceNotFoundException.*Firehose clicks under account/.test(error),
    ).length;
    if (vanished > 0) {
      const failedLoads = browser.errors.filter((error) => /Failed to load resource: .* 400/.test(error));
      assert.equal(failedLoads.length, vanished, browser.errors.join('\n'));
      browser.errors.splice(
        0,
        browser.errors.length,
        ...browser.errors.filter(
          (error) =>
            !/Failed to load resource: .* 400/.test(error) && !/Firehose clicks under account/.test(error),
        ),
      );
    }
    const status = await firehose
      .send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'clicks' }))
      .then(
        (result) => result.DeliveryStreamDescription?.DeliveryStreamStatus,
        (error: Error) => error.name,
      );
    assert.ok(status === 'DELETING' || status === 'ResourceNotFoundException', String(status));
  });

  it('logged no browser console errors on any page', () => {
    assert.deepEqual(browser.errors, []);
  });
});

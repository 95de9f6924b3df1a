/**
 * Seed 004 in the browser: the whole walkthrough through the web console, in a real headless
 * Chromium against a real server. Create `test-kinesis` with 2 shards and put sensor readings
 * with the console's forms; create `test-firehose` (reading the stream into the bucket
 * `test-firehose01`) and `test-firehose-destination` (Direct PUT) with the delivery-stream wizard;
 * create `test-analytics`, connect `test-kinesis` with **Discover schema** (one column's type is
 * edited in the column table), write the SQL (a mistake is shown at its line and column first),
 * **Save and run SQL** and watch the results arrive in the page; then add a Firehose destination.
 * Finally the bucket holds the readings. What the console did is checked again with the
 * JavaScript SDKs, and the test fails on any browser console error. Screenshots of every page go
 * to test-artefacts/console/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeDeliveryStreamCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { DescribeApplicationCommand, type KinesisAnalyticsClient } from '@aws-sdk/client-kinesis-analytics';
import type { Page } from 'playwright-core';
import { analyticsClient } from '../helpers/analytics-client.js';
import { openBrowser, screenshot, type BrowserSession } from '../helpers/browser.js';
import { createDeliveryStreamInConsole } from '../helpers/console-firehose.js';
import { firehoseClient, type BucketObject, waitForBucket } from '../helpers/firehose-client.js';
import { kinesisClient } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const streamName = 'test-kinesis';
const deliveryStreamName = 'test-firehose';
/** The seed's second delivery stream, for the application's results (Direct PUT). */
const destinationName = 'test-firehose-destination';
const analyticsPrefix = 'analytics/';
const bucket = 'test-firehose01';
const applicationName = 'test-analytics';
/** Generous: the machine is shared and Chromium is slow under load. */
const stepTimeoutMs = 60_000;

interface Reading {
  readonly sensor_id: string;
  readonly temperature: number;
  readonly humidity: number;
  readonly status: string;
}

function reading(index: number): Reading {
  return {
    sensor_id: `sensor-${(index % 3) + 1}`,
    temperature: Math.round((18 + (index % 7) * 1.5 + (index % 3) * 0.25) * 10) / 10,
    humidity: 40 + (index % 11),
    status: index % 5 === 0 ? 'WARN' : 'OK',
  };
}

const firstReadings = Array.from({ length: 6 }, (_, index) => reading(index));

/** The seed's query, over sensor readings: per sensor, readings and average temperature every 2 s. */
const applicationCode = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
  sensor_id VARCHAR(16), reading_count INTEGER, avg_temperature DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM sensor_id, COUNT(*) AS reading_count, AVG(temperature) AS avg_temperature
FROM "SOURCE_SQL_STREAM_001"
GROUP BY sensor_id, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '2' SECOND);
`;
/** The same with a misspelt column on line 4 (`temprature`, column 50). */
const mistakenCode = applicationCode.replace('AVG(temperature)', 'AVG(temprature)');

describe('web console: the seed 004 walkthrough', { timeout: 600_000 }, () => {
  let server: ServerProcess;
  let kinesis: KinesisClient;
  let firehose: FirehoseClient;
  let analytics: KinesisAnalyticsClient;
  let browser: BrowserSession;
  let page: Page;
  let producing = true;
  let producer: Promise<void> | undefined;
  const sentReadings: Reading[] = [...firstReadings];

  before(async () => {
    server = await startServer({
      extraArgs: [
        '--transition-delay-ms',
        '100',
        '--firehose-buffer-interval-ms-max',
        '1000',
        '--limits',
        'off',
      ],
    });
    kinesis = kinesisClient(server.endpoint);
    firehose = firehoseClient(server.endpoint);
    analytics = analyticsClient(server.endpoint);
    browser = await openBrowser();
    page = browser.page;
    page.setDefaultTimeout(stepTimeoutMs);
  });

  after(async () => {
    producing = false;
    await producer;
    await browser?.close();
    kinesis?.destroy();
    firehose?.destroy();
    analytics?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  const tab = (name: string) =>
    page.getByRole('navigation', { name: 'Application views' }).getByRole('link', { name, exact: true });

  it('signs in and creates test-kinesis with 2 shards', async () => {
    await page.goto(`${server.endpoint}/streams/create`);
    await page.getByLabel('Access key ID', { exact: true }).fill('AKIAIOSFODNN7EXAMPLE');
    await page
      .getByLabel('Secret access key', { exact: true })
      .fill('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Create data stream' }).waitFor();
    await page.getByLabel('Data stream name', { exact: true }).fill(streamName);
    await page.getByLabel('Number of shards', { exact: true }).fill('2');
    await screenshot(page, 'console-walkthrough-create-stream');
    await page.getByRole('button', { name: 'Create data stream' }).click();
    await page.waitForURL(`**/streams/${streamName}`);
    await page.locator('h1 .badge', { hasText: 'ACTIVE' }).waitFor();
    assert.equal(await page.getByTestId('open-shards').innerText(), '2');
    await screenshot(page, 'console-walkthrough-stream');
  });

  it('puts sensor readings with the put-records form', async () => {
    await page
      .getByRole('navigation', { name: 'Stream views' })
      .getByRole('link', { name: 'Put records' })
      .click();
    for (let index = 1; index < firstReadings.length; index++) {
      await page.getByRole('button', { name: 'Add record' }).click();
    }
    for (const [index, record] of firstReadings.entries()) {
      const row = page.getByRole('group', { name: `Record ${index + 1}` });
      await row.getByLabel('Partition key', { exact: true }).fill(record.sensor_id);
      await row.getByLabel('Data', { exact: true }).fill(JSON.stringify(record));
    }
    await page.getByRole('button', { name: `Put ${firstReadings.length} records` }).click();
    await page
      .getByRole('heading', { name: `${firstReadings.length} of ${firstReadings.length} records put` })
      .waitFor();
    await screenshot(page, 'console-walkthrough-put-records');
  });

  it('creates test-firehose with the wizard: test-kinesis into the bucket test-firehose01', async () => {
    await createDeliveryStreamInConsole(page, {
      name: deliveryStreamName,
      sourceStreamName: streamName,
      bucket,
      bufferSizeMiB: 1,
      bufferIntervalSeconds: 60,
      screenshotPrefix: 'console-walkthrough-firehose',
    });
    await page.getByTestId('delivery-source').waitFor();
    assert.equal(await page.getByTestId('delivery-source').innerText(), `Kinesis data stream ${streamName}`);
    assert.equal(await page.getByTestId('delivery-destination').innerText(), `Amazon S3 (${bucket})`);
    await screenshot(page, 'console-walkthrough-firehose-configuration');
    const described = await firehose.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: deliveryStreamName }),
    );
    const description = described.DeliveryStreamDescription;
    assert.equal(description?.DeliveryStreamStatus, 'ACTIVE');
    assert.equal(description?.DeliveryStreamType, 'KinesisStreamAsSource');
    assert.match(
      description?.Source?.KinesisStreamSourceDescription?.KinesisStreamARN ?? '',
      new RegExp(`^arn:aws:kinesis:us-east-1:\\d{12}:stream/${streamName}$`),
    );
    const s3 = description?.Destinations?.[0]?.ExtendedS3DestinationDescription;
    assert.equal(s3?.BucketARN, `arn:aws:s3:::${bucket}`);
    assert.deepEqual(s3?.BufferingHints, { SizeInMBs: 1, IntervalInSeconds: 60 });
    assert.deepEqual(
      s3?.ProcessingConfiguration?.Processors?.map((processor) => processor.Type),
      ['AppendDelimiterToRecord'],
    );
  });

  it('creates test-firehose-destination (Direct PUT, prefix analytics/) with the wizard', async () => {
    // The application's results go to the same bucket, under their own prefix.
    await createDeliveryStreamInConsole(page, {
      name: destinationName,
      bucket,
      prefix: analyticsPrefix,
      newlineDelimiter: false,
      bufferSizeMiB: 1,
      bufferIntervalSeconds: 60,
      screenshotPrefix: 'console-walkthrough-destination',
    });
    await page.getByTestId('delivery-source').waitFor();
    assert.equal(await page.getByTestId('delivery-destination').innerText(), `Amazon S3 (${bucket})`);
    const described = await firehose.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: destinationName }),
    );
    const description = described.DeliveryStreamDescription;
    assert.equal(description?.DeliveryStreamStatus, 'ACTIVE');
    assert.equal(description?.DeliveryStreamType, 'DirectPut');
    const s3 = description?.Destinations?.[0]?.ExtendedS3DestinationDescription;
    assert.equal(s3?.BucketARN, `arn:aws:s3:::${bucket}`);
    assert.equal(s3?.Prefix, analyticsPrefix);
    assert.deepEqual(s3?.BufferingHints, { SizeInMBs: 1, IntervalInSeconds: 60 });
  });

  it('creates test-analytics from the empty applications list (keyboard submit)', async () => {
    await page
      .getByRole('navigation', { name: 'Services' })
      .getByRole('link', { name: 'Analytics applications' })
      .click();
    await page.getByRole('heading', { name: 'No applications yet' }).waitFor();
    await screenshot(page, 'console-analytics-empty');
    await page.getByRole('link', { name: 'Create application' }).first().click();
    await page.getByLabel('Application name', { exact: true }).fill(applicationName);
    await page.getByLabel('Description (optional)', { exact: true }).fill('Sensor readings per 2 seconds');
    await screenshot(page, 'console-analytics-create');
    // Keyboard only: Enter in the name field submits the form.
    await page.getByLabel('Application name', { exact: true }).press('Enter');
    await page.waitForURL(`**/analytics/${applicationName}`);
    await page.locator('h1 .badge', { hasText: 'READY' }).waitFor();
    await page.getByRole('heading', { name: 'Connect streaming data' }).waitFor();
  });

  it('connects test-kinesis, discovers its schema, edits a column type and saves the source', async () => {
    await page.getByLabel('Data stream', { exact: true }).selectOption({ label: `${streamName} (ACTIVE)` });
    assert.equal(
      await page.getByLabel('IAM role', { exact: true }).inputValue(),
      `arn:aws:iam::000000000000:role/service-role/kinesis-analytics-${applicationName}`,
    );
    await page.getByRole('button', { name: 'Discover schema' }).click();
    await page.getByRole('heading', { name: /^Columns \(JSON, 6 sample records\)$/ }).waitFor();

    const columns = page.getByTestId('schema-column');
    assert.equal(await columns.count(), 4);
    const discovered: string[][] = [];
    for (let index = 0; index < 4; index++) {
      discovered.push([
        await page.getByLabel(`Column ${index + 1} name`, { exact: true }).inputValue(),
        await page.getByLabel(`Column ${index + 1} SQL type`, { exact: true }).inputValue(),
        await page.getByLabel(`Column ${index + 1} mapping`, { exact: true }).inputValue(),
      ]);
    }
    assert.deepEqual(discovered, [
      ['sensor_id', 'VARCHAR(16)', '$.sensor_id'],
      ['temperature', 'REAL', '$.temperature'],
      ['humidity', 'TINYINT', '$.humidity'],
      ['status', 'VARCHAR(4)', '$.status'],
    ]);
    // The formatted samples read the raw records with the columns: every reading is there.
    const formatted = await page
      .getByTestId('formatted-samples')
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')),
      );
    assert.deepEqual(
      [...formatted].sort(),
      firstReadings.map((r) => [r.sensor_id, String(r.temperature), String(r.humidity), r.status]).sort(),
    );
    // Edit the schema: upper-case names (SQL folds unquoted names to upper case), temperature as
    // DOUBLE and humidity as INTEGER. The formatted samples follow the edited columns.
    await page.getByLabel('Column 1 name', { exact: true }).fill('SENSOR_ID');
    await page.getByLabel('Column 2 name', { exact: true }).fill('TEMPERATURE');
    await page.getByLabel('Column 2 SQL type', { exact: true }).fill('DOUBLE');
    await page.getByLabel('Column 3 name', { exact: true }).fill('HUMIDITY');
    await page.getByLabel('Column 3 SQL type', { exact: true }).fill('INTEGER');
    await page.getByRole('button', { name: 'Remove column 4' }).click();
    assert.deepEqual(await page.getByTestId('formatted-samples').locator('thead th').allInnerTexts(), [
      'SENSOR_ID',
      'TEMPERATURE',
      'HUMIDITY',
    ]);
    await screenshot(page, 'console-analytics-discover-schema');
    await page.getByText('Raw', { exact: true }).click();
    assert.equal(await page.getByTestId('raw-samples').locator('li').count(), firstReadings.length);
    await page.getByText('Formatted', { exact: true }).click();

    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.getByTestId('source-name').waitFor();
    assert.equal(await page.getByTestId('source-name').innerText(), streamName);
    const described = await analytics.send(
      new DescribeApplicationCommand({ ApplicationName: applicationName }),
    );
    const input = described.ApplicationDetail?.InputDescriptions?.[0];
    assert.deepEqual(input?.InAppStreamNames, ['SOURCE_SQL_STREAM_001']);
    assert.deepEqual(
      input?.InputSchema?.RecordColumns?.map((column) => [column.Name, column.SqlType, column.Mapping]),
      [
        ['SENSOR_ID', 'VARCHAR(16)', '$.sensor_id'],
        ['TEMPERATURE', 'DOUBLE', '$.temperature'],
        ['HUMIDITY', 'INTEGER', '$.humidity'],
      ],
    );
    await screenshot(page, 'console-analytics-source');
  });

  it('edits the saved schema with fresh samples (UpdateApplication)', async () => {
    await page.getByRole('button', { name: 'Edit schema' }).click();
    await page.getByRole('button', { name: 'Load sample records' }).click();
    await page.getByRole('heading', { name: /^Columns \(JSON, 6 sample records\)$/ }).waitFor();
    assert.equal(
      await page.getByTestId('formatted-samples').locator('tbody tr').count(),
      firstReadings.length,
    );
    await page.getByLabel('Column 3 SQL type', { exact: true }).fill('SMALLINT');
    await page.getByRole('button', { name: 'Save schema' }).click();
    await page.getByRole('button', { name: 'Edit schema' }).waitFor();
    await page.getByTestId('source-schema').getByRole('cell', { name: 'SMALLINT' }).waitFor();
    const described = await analytics.send(
      new DescribeApplicationCommand({ ApplicationName: applicationName }),
    );
    assert.equal(described.ApplicationDetail?.ApplicationVersionId, 3);
    assert.deepEqual(
      described.ApplicationDetail?.InputDescriptions?.[0]?.InputSchema?.RecordColumns?.map(
        (column) => column.SqlType,
      ),
      ['VARCHAR(16)', 'DOUBLE', 'SMALLINT'],
    );
  });

  it('shows a mistake in the SQL at its line and column, then saves and runs the seed SQL', async () => {
    await page.getByRole('link', { name: 'Go to SQL editor' }).click();
    await page.getByRole('heading', { name: 'SQL', exact: true }).waitFor();
    const editor = page.getByLabel('Application code', { exact: true });
    await editor.fill(mistakenCode);
    await page.getByRole('button', { name: 'Save and run SQL' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const message = await alert.innerText();
    assert.match(message, /^Error at line 4, column \d+\. CodeValidationException: .*line 4, column \d+/);
    const column = Number(/column (\d+)\./.exec(message)?.[1]);
    const line4 = mistakenCode.split('\n')[3] ?? '';
    assert.equal(column, line4.indexOf('temprature') + 1);
    assert.equal(await page.getByTestId('sql-error-mark').innerText(), 't');
    assert.equal(await page.locator('.sql-gutter-error').innerText(), '4');
    await screenshot(page, 'console-analytics-sql-error');
    // The refused call is the one expected browser error (Chromium logs it, and its response).
    await expectRefusedCall(browser, /CodeValidationException/);

    await editor.fill(applicationCode);
    await page.getByRole('button', { name: 'Save and run SQL' }).click();
    await page.locator('h1 .badge', { hasText: 'RUNNING' }).waitFor();
    const described = await analytics.send(
      new DescribeApplicationCommand({ ApplicationName: applicationName }),
    );
    assert.equal(described.ApplicationDetail?.ApplicationCode, applicationCode);
    assert.equal(described.ApplicationDetail?.ApplicationStatus, 'RUNNING');
  });

  it('shows the results arriving live, with pause and resume, and the source data', async () => {
    // A producer like the seed's: a reading every 200 ms while the page watches.
    producer = (async () => {
      while (producing) {
        const record = reading(sentReadings.length);
        sentReadings.push(record);
        await kinesis.send(
          new PutRecordsCommand({
            StreamName: streamName,
            Records: [{ PartitionKey: record.sensor_id, Data: Buffer.from(JSON.stringify(record)) }],
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    const rows = page.getByTestId('live-rows').locator('tbody tr');
    await rows.nth(2).waitFor();
    const header = await page.getByTestId('live-rows').locator('thead th').allInnerTexts();
    assert.deepEqual(header, ['ROWTIME', 'SENSOR_ID', 'READING_COUNT', 'AVG_TEMPERATURE']);
    const cells = await rows.first().getByRole('cell').allInnerTexts();
    assert.match(cells[1] ?? '', /^sensor-[123]$/);
    assert.ok(Number(cells[2]) >= 1, cells.join(' | '));
    await screenshot(page, 'console-analytics-live-results');

    await page.getByRole('button', { name: 'Pause' }).click();
    const frozen = await rows.count();
    await page.getByRole('button', { name: /^Resume \(\d+ new\)$/ }).waitFor();
    assert.equal(await rows.count(), frozen);
    await page.getByRole('button', { name: /^Resume/ }).click();
    const deadline = Date.now() + stepTimeoutMs;
    while ((await rows.count()) <= frozen && Date.now() < deadline) await page.waitForTimeout(100);
    assert.ok((await rows.count()) > frozen, 'rows that arrived while paused are shown after resume');

    await page.getByRole('tab', { name: 'Source data' }).click();
    await page.getByTestId('live-rows').locator('tbody tr').first().waitFor();
    const sourceHeader = await page.getByTestId('live-rows').locator('thead th').allInnerTexts();
    assert.deepEqual(sourceHeader.slice(0, 1), ['ROWTIME']);
    for (const column of ['SENSOR_ID', 'TEMPERATURE', 'HUMIDITY']) {
      assert.ok(sourceHeader.includes(column), sourceHeader.join(', '));
    }
    await screenshot(page, 'console-analytics-source-data');
  });

  it('adds the Firehose destination test-firehose-destination for DESTINATION_SQL_STREAM', async () => {
    await tab('Destinations').click();
    await page.getByText('No destination yet: the results stay inside the application.').waitFor();
    await page
      .getByLabel('Delivery stream', { exact: true })
      .selectOption({ label: `${destinationName} (ACTIVE)` });
    assert.equal(
      await page.getByLabel('In-application stream', { exact: true }).inputValue(),
      'DESTINATION_SQL_STREAM',
    );
    await page.getByLabel('JSON', { exact: true }).check();
    await page.getByRole('button', { name: 'Save destination' }).click();
    const row = page.getByTestId('destinations').getByRole('row', { name: /DESTINATION_SQL_STREAM/ });
    await row.waitFor();
    assert.deepEqual(await row.getByRole('cell').allInnerTexts(), [
      'DESTINATION_SQL_STREAM',
      destinationName,
      'Delivery stream',
      'JSON',
      'Remove',
    ]);
    // The change is applied as AWS does it: UPDATING, then RUNNING again.
    await page.locator('h1 .badge', { hasText: 'RUNNING' }).waitFor();
    await screenshot(page, 'console-analytics-destinations');
    const described = await analytics.send(
      new DescribeApplicationCommand({ ApplicationName: applicationName }),
    );
    const output = described.ApplicationDetail?.OutputDescriptions?.[0];
    assert.equal(output?.Name, 'DESTINATION_SQL_STREAM');
    assert.equal(
      output?.KinesisFirehoseOutputDescription?.ResourceARN,
      `arn:aws:firehose:us-east-1:000000000000:deliverystream/${destinationName}`,
    );
    assert.equal(output?.DestinationSchema?.RecordFormatType, 'JSON');
  });

  it('lists test-analytics RUNNING with its source and destination', async () => {
    await page
      .getByRole('navigation', { name: 'Services' })
      .getByRole('link', { name: 'Analytics applications' })
      .click();
    const row = page.getByRole('row', { name: new RegExp(applicationName) });
    await row.waitFor();
    assert.deepEqual(await row.getByRole('cell').allInnerTexts(), [
      applicationName,
      'RUNNING',
      '5',
      streamName,
      `DESTINATION_SQL_STREAM → ${destinationName}`,
    ]);
    await screenshot(page, 'console-analytics-list');
  });

  it('finds every reading, and the application results, in the bucket test-firehose01', async () => {
    producing = false;
    await producer;
    const readingLines = sentReadings.map((record) => JSON.stringify(record)).sort();
    const readingKey = new RegExp(`^\\d{4}/\\d{2}/\\d{2}/\\d{2}/${deliveryStreamName}-1-`);
    const resultKey = new RegExp(`^${analyticsPrefix}\\d{4}/\\d{2}/\\d{2}/\\d{2}/${destinationName}-1-`);
    const linesOf = (objects: BucketObject[], key: RegExp): string[] =>
      objects
        .filter((object) => key.test(object.key))
        .flatMap((object) => object.body.toString('utf8').split(/\n|(?<=\})(?=\{)/))
        .filter((line) => line !== '');
    const objects = await waitForBucket(
      server.dataDir,
      bucket,
      (found) =>
        linesOf(found, readingKey).length >= readingLines.length && linesOf(found, resultKey).length > 0,
      stepTimeoutMs,
    );
    for (const object of objects) {
      assert.ok(readingKey.test(object.key) || resultKey.test(object.key), object.key);
    }
    // test-firehose delivered each reading put into test-kinesis, once.
    assert.deepEqual(linesOf(objects, readingKey).sort(), readingLines);
    // test-firehose-destination holds the application's rows, as JSON.
    const temperatures = sentReadings.map((record) => record.temperature);
    for (const line of linesOf(objects, resultKey)) {
      const result = JSON.parse(line) as {
        SENSOR_ID: string;
        READING_COUNT: number;
        AVG_TEMPERATURE: number;
      };
      assert.deepEqual(Object.keys(result), ['SENSOR_ID', 'READING_COUNT', 'AVG_TEMPERATURE'], line);
      assert.match(result.SENSOR_ID, /^sensor-[123]$/, line);
      assert.ok(Number.isInteger(result.READING_COUNT) && result.READING_COUNT >= 1, line);
      assert.ok(result.AVG_TEMPERATURE >= Math.min(...temperatures) - 1e-9, line);
      assert.ok(result.AVG_TEMPERATURE <= Math.max(...temperatures) + 1e-9, line);
    }
  });

  it("shows AWS's error when the application name is taken", async () => {
    await page.getByRole('link', { name: 'Create application' }).first().click();
    await page.getByLabel('Application name', { exact: true }).fill(applicationName);
    await page.getByRole('button', { name: 'Create application' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(
      await alert.innerText(),
      new RegExp(`^Could not create the application\\. ResourceInUseException: .*${applicationName}`),
    );
    await expectRefusedCall(
      browser,
      /KinesisAnalytics_20150814\.CreateApplication: .*ResourceInUseException/,
    );
  });

  it('logged no browser console errors on any page', () => {
    assert.deepEqual(browser.errors, []);
  });
});

/** Waits for the two errors Chromium reports for one refused API call, checks and drops them. */
async function expectRefusedCall(session: BrowserSession, response: RegExp): Promise<void> {
  const deadline = Date.now() + stepTimeoutMs;
  const matching = (): string[] =>
    session.errors.filter((error) => /HTTP 400 for POST|status of 400 \(Bad Request\)/.test(error));
  while (matching().length < 2 && Date.now() < deadline) await session.page.waitForTimeout(50);
  const found = matching();
  assert.equal(found.length, 2, session.errors.join('\n'));
  assert.ok(
    found.some((error) => response.test(error)),
    found.join('\n'),
  );
  session.errors.splice(
    0,
    session.errors.length,
    ...session.errors.filter((error) => !found.includes(error)),
  );
}

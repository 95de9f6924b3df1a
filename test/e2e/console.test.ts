/**
 * The web console end to end, in a real headless Chromium against a real server: sign in, create
 * `test-kinesis` with 2 shards (the form's computed capacity checked), see it ACTIVE, put records,
 * read them back in the data viewer as text, JSON and hex, split a shard and see the map redrawn,
 * then tags and a consumer. What the console did is checked again through the JavaScript SDK, and
 * the test fails on any browser console error. Each page is saved as a screenshot artefact.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  ListStreamConsumersCommand,
  ListTagsForStreamCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { Page } from 'playwright-core';
import { openBrowser, screenshot, type BrowserSession } from '../helpers/browser.js';
import { kinesisClient } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const streamName = 'test-kinesis';
/** Generous: the machine is shared and Chromium is slow to start under load. */
const stepTimeoutMs = 30_000;
const records = [
  { key: 'sensor-1', data: '{"sensor":"sensor-1","temperature":21.5}' },
  { key: 'sensor-2', data: '{"sensor":"sensor-2","temperature":19.0}' },
  { key: 'sensor-3', data: '{"sensor":"sensor-3","temperature":23.25}' },
  { key: 'sensor-4', data: 'plain text, not JSON' },
];

describe('web console', { timeout: 300_000 }, () => {
  let server: ServerProcess;
  let client: KinesisClient;
  let browser: BrowserSession;
  let page: Page;

  before(async () => {
    server = await startServer();
    client = kinesisClient(server.endpoint);
    browser = await openBrowser();
    page = browser.page;
    page.setDefaultTimeout(stepTimeoutMs);
  });

  after(async () => {
    await browser?.close();
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  it('signs in with an access key and secret (keyboard only), and shows the empty streams list', async () => {
    await page.goto(`${server.endpoint}/streams`);
    await page.waitForURL(/\/signin\?next=%2Fstreams$/);
    await page.getByLabel('Access key ID', { exact: true }).fill('AKIAIOSFODNN7EXAMPLE');
    await page
      .getByLabel('Secret access key', { exact: true })
      .fill('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    assert.equal(await page.getByLabel('Region', { exact: true }).inputValue(), 'us-east-1');
    await screenshot(page, 'console-sign-in');
    // Keyboard only: Enter in the form submits it.
    await page.getByLabel('Secret access key', { exact: true }).press('Enter');

    await page.getByRole('heading', { name: 'Data streams', exact: true }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/streams');
    await page.getByRole('heading', { name: 'No data streams yet' }).waitFor();
    await screenshot(page, 'console-streams-empty');
  });

  it('creates test-kinesis with 2 shards, showing the capacity the shards give', async () => {
    await page.getByRole('link', { name: 'Create data stream' }).first().click();
    await page.getByRole('heading', { name: 'Create data stream' }).waitFor();
    await page.getByLabel('Data stream name', { exact: true }).fill(streamName);
    await page.getByLabel('Number of shards', { exact: true }).fill('2');
    assert.equal(
      await page.getByTestId('write-capacity').innerText(),
      '2 MiB/second and 2,000 records/second',
    );
    assert.equal(await page.getByTestId('read-capacity').innerText(), '4 MiB/second');
    await page.getByLabel('Number of shards', { exact: true }).fill('5');
    assert.equal(
      await page.getByTestId('write-capacity').innerText(),
      '5 MiB/second and 5,000 records/second',
    );
    await page.getByLabel('On-demand', { exact: false }).check();
    assert.equal(await page.getByLabel('Number of shards', { exact: true }).count(), 0);
    assert.equal(
      await page.getByTestId('write-capacity').innerText(),
      '4 MiB/second and 4,000 records/second',
    );
    assert.equal(await page.getByTestId('read-capacity').innerText(), '8 MiB/second');
    await page.getByLabel('Provisioned', { exact: false }).check();
    await page.getByLabel('Number of shards', { exact: true }).fill('2');
    await screenshot(page, 'console-create-stream');
    await page.getByRole('button', { name: 'Create data stream' }).click();

    await page.waitForURL(`**/streams/${streamName}`);
    await page.locator('h1 .badge', { hasText: 'ACTIVE' }).waitFor();
    assert.equal(await page.getByTestId('open-shards').innerText(), '2');
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    assert.equal(summary.StreamDescriptionSummary?.StreamStatus, 'ACTIVE');
    assert.equal(summary.StreamDescriptionSummary?.OpenShardCount, 2);
    assert.equal(summary.StreamDescriptionSummary?.StreamModeDetails?.StreamMode, 'PROVISIONED');
  });

  it('lists the stream as ACTIVE with its shards and retention', async () => {
    await page.getByRole('link', { name: 'Data streams' }).first().click();
    const row = page.getByRole('row', { name: new RegExp(streamName) });
    await row.waitFor();
    assert.deepEqual(await row.getByRole('cell').allInnerTexts(), [
      streamName,
      'ACTIVE',
      'Provisioned',
      '2',
      '24 hours',
      'None',
    ]);
    await screenshot(page, 'console-streams-list');
    await row.getByRole('link', { name: streamName }).click();
    await page.getByRole('heading', { name: streamName }).waitFor();
  });

  it('puts records with the put-records form', async () => {
    await page
      .getByRole('navigation', { name: 'Stream views' })
      .getByRole('link', { name: 'Put records' })
      .click();
    for (let index = 1; index < records.length; index++) {
      await page.getByRole('button', { name: 'Add record' }).click();
    }
    for (const [index, record] of records.entries()) {
      const row = page.getByRole('group', { name: `Record ${index + 1}` });
      await row.getByLabel('Partition key', { exact: true }).fill(record.key);
      await row.getByLabel('Data', { exact: true }).fill(record.data);
    }
    await page.getByRole('button', { name: `Put ${records.length} records` }).click();
    await page.getByRole('heading', { name: `${records.length} of ${records.length} records put` }).waitFor();
    await screenshot(page, 'console-put-records');

    const stored = await readAllRecords(client);
    assert.deepEqual(stored.map((record) => record.data).sort(), records.map((record) => record.data).sort());
  });

  it('shows the records in the data viewer as text, JSON and hex, shard by shard', async () => {
    await page
      .getByRole('navigation', { name: 'Stream views' })
      .getByRole('link', { name: 'Data viewer' })
      .click();
    const stored = await readAllRecords(client);
    const shardIds = [...new Set(stored.map((record) => record.shardId))];
    let shardWithJson: string | undefined;
    const seen: string[] = [];
    for (const shardId of ['shardId-000000000000', 'shardId-000000000001']) {
      await page.getByLabel('Shard', { exact: true }).selectOption(shardId);
      await page.getByLabel('Starting position', { exact: true }).selectOption('TRIM_HORIZON');
      await page.getByRole('button', { name: 'Get records' }).click();
      const expected = stored.filter((record) => record.shardId === shardId);
      await page
        .getByRole('heading', { name: new RegExp(`^${shardId}, page 1: ${expected.length} records?$`) })
        .waitFor();
      const rows = page.locator('.records-table tbody tr');
      assert.equal(await rows.count(), expected.length);
      for (let index = 0; index < expected.length; index++) {
        const cells = await rows.nth(index).getByRole('cell').allInnerTexts();
        assert.equal(cells[0], expected[index]?.sequenceNumber);
        assert.equal(cells[1], expected[index]?.partitionKey);
        assert.equal(cells[4], expected[index]?.data);
        seen.push(cells[4] ?? '');
      }
      if (expected.some((record) => record.data.startsWith('{'))) shardWithJson = shardId;
    }
    assert.deepEqual(seen.sort(), records.map((record) => record.data).sort());
    assert.ok(shardIds.length >= 1);
    assert.ok(shardWithJson !== undefined, 'some shard holds a JSON record');

    await page.getByLabel('Shard', { exact: true }).selectOption(shardWithJson);
    await page.getByRole('button', { name: 'Get records' }).click();
    await page.getByRole('heading', { name: new RegExp(`^${shardWithJson}, page 1: `) }).waitFor();
    await page.getByText('JSON', { exact: true }).click();
    const json = await page.locator('.record-data').first().innerText();
    const first = stored.find((record) => record.shardId === shardWithJson);
    assert.ok(first !== undefined);
    assert.equal(
      json,
      first.data.startsWith('{')
        ? JSON.stringify(JSON.parse(first.data), null, 2)
        : `(not JSON) ${first.data}`,
    );
    await screenshot(page, 'console-data-viewer');
    await page.getByText('Hex', { exact: true }).click();
    const hex = await page.locator('.record-data').first().innerText();
    const firstBytes = Buffer.from(first.data).subarray(0, 16);
    assert.ok(
      hex.startsWith(
        `00000000  ${[...firstBytes].map((byte) => byte.toString(16).padStart(2, '0')).join(' ')}`,
      ),
      hex,
    );
    await page.getByText('Text', { exact: true }).click();

    // The next page follows NextShardIterator: nothing more has been written.
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('heading', { name: `${shardWithJson}, page 2: 0 records` }).waitFor();
  });

  it('splits a shard from the shard map page and draws the new map', async () => {
    await page
      .getByRole('navigation', { name: 'Stream views' })
      .getByRole('link', { name: 'Shards' })
      .click();
    await page.locator('.shard-map svg').waitFor();
    assert.equal(await page.locator('.shard-map .shard-open').count(), 2);
    await screenshot(page, 'console-shards');

    await page.getByRole('button', { name: 'Split shardId-000000000000' }).click();
    const hashKey = await page.getByLabel('New starting hash key', { exact: true }).inputValue();
    assert.equal(hashKey, ((1n << 128n) / 4n).toString());
    await page.getByRole('button', { name: 'Split shard', exact: true }).click();

    await page.locator('.shard-map .shard-closed').waitFor();
    await page.locator('h1 .badge', { hasText: 'ACTIVE' }).waitFor();
    await page.locator('.shard-map .shard-open').nth(2).waitFor();
    assert.equal(await page.locator('.shard-map .shard-closed').count(), 1);
    assert.equal(await page.locator('.shard-map .lineage line').count(), 2);
    const closedRow = page.locator('tr[data-shard-id="shardId-000000000000"]');
    assert.equal(await closedRow.getByRole('cell').nth(1).innerText(), 'Closed');
    const childRow = page.locator('tr[data-shard-id="shardId-000000000002"]');
    assert.equal(await childRow.getByRole('cell').nth(3).innerText(), 'shardId-000000000000');
    assert.equal(await page.getByTestId('open-shards').innerText(), '3');
    await screenshot(page, 'console-shards-after-split');

    const listed = await client.send(new ListShardsCommand({ StreamName: streamName }));
    const children = (listed.Shards ?? []).filter((shard) => shard.ParentShardId === 'shardId-000000000000');
    assert.deepEqual(
      children.map((shard) => shard.HashKeyRange?.StartingHashKey),
      ['0', hashKey],
    );
  });

  it('merges the two children back, and the map shows the merge', async () => {
    await page.getByRole('button', { name: 'Merge shardId-000000000002 with shardId-000000000003' }).click();
    await page.locator('tr[data-shard-id="shardId-000000000004"]').waitFor();
    await page.locator('h1 .badge', { hasText: 'ACTIVE' }).waitFor();
    const merged = page.locator('tr[data-shard-id="shardId-000000000004"]');
    assert.equal(await merged.getByRole('cell').nth(1).innerText(), 'Open');
    assert.equal(
      await merged.getByRole('cell').nth(3).innerText(),
      'shardId-000000000002\nshardId-000000000003',
    );
    assert.equal(await merged.getByRole('cell').nth(2).innerText(), '0.00% – 50.00%');
    assert.equal(await page.locator('.shard-map .shard-open').count(), 2);
    assert.equal(await page.locator('.shard-map .shard-closed').count(), 3);
    // 0 → 2 and 3 (the split), then 2 and 3 → 4 (the merge).
    assert.equal(await page.locator('.shard-map .lineage line').count(), 4);
    await screenshot(page, 'console-shards-after-merge');
  });

  it('adds a tag and registers a consumer', async () => {
    await page
      .getByRole('navigation', { name: 'Stream views' })
      .getByRole('link', { name: 'Configuration' })
      .click();
    await page.getByLabel('Key', { exact: true }).fill('team');
    await page.getByLabel('Value (optional)', { exact: true }).fill('analytics');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('cell', { name: 'analytics' }).waitFor();
    await screenshot(page, 'console-configuration');
    const tags = await client.send(new ListTagsForStreamCommand({ StreamName: streamName }));
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'analytics' }]);

    await page
      .getByRole('navigation', { name: 'Stream views' })
      .getByRole('link', { name: 'Consumers' })
      .click();
    await page.getByText('No consumers are registered on this stream.').waitFor();
    await page.getByLabel('Consumer name', { exact: true }).fill('console-reader');
    await page.getByRole('button', { name: 'Register consumer' }).click();
    await page.getByRole('row', { name: /console-reader.*ACTIVE/ }).waitFor();
    await screenshot(page, 'console-consumers');
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    const consumers = await client.send(
      new ListStreamConsumersCommand({ StreamARN: summary.StreamDescriptionSummary?.StreamARN }),
    );
    assert.deepEqual(
      consumers.Consumers?.map((consumer) => consumer.ConsumerName),
      ['console-reader'],
    );
  });

  it("shows AWS's error when a stream name is taken, and a page for unknown addresses", async () => {
    const errorsBefore = browser.errors.length;
    await page
      .getByRole('navigation', { name: 'Services' })
      .getByRole('link', { name: 'Data streams' })
      .click();
    await page.getByRole('link', { name: 'Create data stream' }).first().click();
    await page.getByLabel('Data stream name', { exact: true }).fill(streamName);
    await page.getByRole('button', { name: 'Create data stream' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(
      await alert.innerText(),
      `Could not create the stream. ResourceInUseException: Stream ${streamName} under account 000000000000 already exists.`,
    );
    assert.equal(new URL(page.url()).pathname, '/streams/create');
    await screenshot(page, 'console-create-stream-error');
    // Chromium reports the refused call as a console error; this one was expected, and only it.
    const deadline = Date.now() + stepTimeoutMs;
    while (browser.errors.length < errorsBefore + 2 && Date.now() < deadline) await page.waitForTimeout(50);
    expectErrors(
      browser.errors.splice(errorsBefore),
      /Kinesis_20131202\.CreateStream: .*ResourceInUseException/,
    );

    await page.goto(`${server.endpoint}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  });

  it('logged no browser console errors on any page', () => {
    assert.deepEqual(browser.errors, []);
  });
});

/** The errors of one refused API call: Chromium's console line and the response itself. */
function expectErrors(errors: string[], response: RegExp): void {
  assert.equal(errors.length, 2, errors.join('\n'));
  assert.ok(
    errors.some((error) => /Failed to load resource: .* 400 \(Bad Request\)/.test(error)),
    errors.join('\n'),
  );
  assert.ok(
    errors.some((error) => response.test(error)),
    errors.join('\n'),
  );
}

interface StoredRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: string;
}

/** Every record of the stream's first two shards, through the SDK, in shard then sequence order. */
async function readAllRecords(client: KinesisClient): Promise<StoredRecord[]> {
  const found: StoredRecord[] = [];
  for (const shardId of ['shardId-000000000000', 'shardId-000000000001']) {
    const iterator = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const result = await client.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }));
    for (const record of result.Records ?? []) {
      found.push({
        shardId,
        sequenceNumber: record.SequenceNumber ?? '',
        partitionKey: record.PartitionKey ?? '',
        data: Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'),
      });
    }
  }
  return found;
}

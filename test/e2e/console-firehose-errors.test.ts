/**
 * The delivery stream page's Last errors tab in a real headless Chromium against a real server:
 * the empty state before anything failed, then a delivery that really fails (a Lambda processor
 * from the function registry that throws) appears in the table by itself (the tab reads the
 * server's `GET /_tributary/firehose/errors` every few seconds), with its code, message, outcome,
 * attempts and records, reached and refreshed from the keyboard. Fails on any browser console
 * error; saves screenshots of both states.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import type { Page } from 'playwright-core';
import { openBrowser, screenshot, type BrowserSession } from '../helpers/browser.js';
import { signInToConsole } from '../helpers/console-firehose.js';
import { lambdaProcessing, writeFunctionModules, type FunctionModules } from '../helpers/function-modules.js';
import {
  firehoseClient,
  putLines,
  waitForBucket,
  waitForDeliveryStreamActive,
} from '../helpers/firehose-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

/** Generous: the machine is shared and Chromium is slow under load. */
const stepTimeoutMs = 30_000;
const name = 'clickstream';
const roleArn = 'arn:aws:iam::000000000000:role/firehose';
const explodeModule = `export async function handler(event) {
  throw new Error('enrichment service unavailable for ' + event.records.length + ' records');
}`;

describe('web console: the last errors of a delivery stream', { timeout: 300_000 }, () => {
  let server: ServerProcess;
  let firehose: FirehoseClient;
  let browser: BrowserSession;
  let page: Page;
  let functions: FunctionModules;

  before(async () => {
    functions = writeFunctionModules({ enrich: explodeModule });
    server = await startServer({
      extraArgs: ['--firehose-buffer-interval-ms-max', '300', ...functions.serverArgs],
    });
    firehose = firehoseClient(server.endpoint);
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: {
          RoleARN: roleArn,
          BucketARN: 'arn:aws:s3:::clicks-lake',
          Prefix: 'clicks/',
          ErrorOutputPrefix: 'failed/!{firehose:error-output-type}/',
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          ProcessingConfiguration: lambdaProcessing('enrich', 1),
        },
      }),
    );
    await waitForDeliveryStreamActive(firehose, name);
    browser = await openBrowser();
    page = browser.page;
    page.setDefaultTimeout(stepTimeoutMs);
  });

  after(async () => {
    await browser?.close();
    firehose?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
    functions?.remove();
  });

  it('reaches the Last errors tab from the keyboard and shows the empty state', async () => {
    await signInToConsole(page, server.endpoint, `/delivery-streams/${name}`);
    await page.getByRole('heading', { name }).waitFor();
    const tab = page.getByRole('navigation', { name: 'Delivery stream views' }).getByRole('link', {
      name: 'Last errors',
    });
    await tab.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.endpoint}/delivery-streams/${name}/errors`);
    assert.equal(await tab.getAttribute('aria-current'), 'page');
    const panel = page.getByRole('region', { name: 'Last errors' });
    await panel.getByRole('heading', { name: 'No delivery errors' }).waitFor();
    assert.match(await panel.getByRole('status').innerText(), /0 errors since the server started/);
    await screenshot(page, 'console-delivery-stream-errors-empty');
  });

  it('shows a failed delivery in the table by itself, newest first, and refreshes on demand', async () => {
    const put = (lines: readonly string[]): Promise<void> => putLines(firehose, name, lines);
    await put(['{"page":"/"}', '{"page":"/cart"}', '{"page":"/checkout"}']);
    const table = page.getByTestId('delivery-errors');
    // No reload, no click: the tab reads the errors again by itself.
    await table.waitFor({ timeout: 60_000 });
    const rows = table.locator('tbody tr');
    assert.equal(await rows.count(), 1);
    const cells = await rows.first().locator('td').allInnerTexts();
    assert.equal(cells.length, 6);
    assert.deepEqual(cells.slice(1), [
      'Lambda.FunctionError',
      cells[2],
      'Written under the error output prefix',
      '2',
      '3',
    ]);
    assert.match(cells[2] as string, /enrichment service unavailable for 3 records/);
    assert.match(cells[0] as string, /\d/);
    // The records really are under the error output prefix.
    await waitForBucket(server.dataDir, 'clicks-lake', (objects) =>
      objects.some((object) => object.key.startsWith('failed/processing-failed/')),
    );

    await put(['{"page":"/help"}']);
    // Refresh now, from the keyboard: Tab from the tab link reaches the button first.
    await page
      .getByRole('navigation', { name: 'Delivery stream views' })
      .getByRole('link', { name: 'Last errors' })
      .focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<string>('document.activeElement?.textContent'), 'Refresh now');
    const deadline = Date.now() + 60_000;
    while ((await rows.count()) < 2) {
      assert.ok(Date.now() < deadline, 'the second error never appeared');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(500);
    }
    assert.match(await rows.first().locator('td').nth(2).innerText(), /unavailable for 1 records/);
    assert.match(await rows.nth(1).locator('td').nth(2).innerText(), /unavailable for 3 records/);
    assert.match(
      await page.getByRole('region', { name: 'Last errors' }).getByRole('status').innerText(),
      /2 errors since/,
    );
    await screenshot(page, 'console-delivery-stream-errors');
  });

  it('logged no browser console errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});

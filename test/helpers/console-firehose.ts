/**
 * Console steps shared by browser tests: sign in, and create a delivery stream with the five-step
 * wizard exactly as a person would (labels, radio choices, Next, then Create on the review). Each
 * step can be saved as a screenshot. Kept small and stable so that other walkthroughs (the seed-004
 * test) can call `createDeliveryStreamInConsole` once the console's pages are merged.
 */
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';

export interface ConsoleDeliveryStream {
  readonly name: string;
  /** A Kinesis data stream to read, by name; Direct PUT when absent. */
  readonly sourceStreamName?: string;
  /** The S3 bucket's name (the ARN is arn:aws:s3:::<bucket>). */
  readonly bucket: string;
  readonly prefix?: string;
  readonly errorOutputPrefix?: string;
  /** A newline between records (AppendDelimiterToRecord); default on. */
  readonly newlineDelimiter?: boolean;
  readonly compression?: 'Disabled' | 'GZIP' | 'Snappy' | 'Zip' | 'Hadoop-Compatible Snappy';
  readonly bufferSizeMiB?: number;
  readonly bufferIntervalSeconds?: number;
  /** When set, each wizard step is saved as `<prefix>-<n>-<step>` screenshot. */
  readonly screenshotPrefix?: string;
}

export async function signInToConsole(
  page: Page,
  endpoint: string,
  path = '/delivery-streams',
): Promise<void> {
  await page.goto(`${endpoint}${path}`);
  await page.getByLabel('Access key ID', { exact: true }).fill('AKIAIOSFODNN7EXAMPLE');
  await page
    .getByLabel('Secret access key', { exact: true })
    .fill('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  await page.getByLabel('Secret access key', { exact: true }).press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Opens the wizard from the side navigation (the page must be signed in). */
export async function openDeliveryStreamWizard(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Services' })
    .getByRole('link', { name: 'Delivery streams' })
    .click();
  await page.getByRole('heading', { name: 'Delivery streams', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Create delivery stream' }).first().click();
  await page.getByRole('heading', { name: 'Step 1: Name and source' }).waitFor();
}

/** Fills each step and presses Next; stops on the review step (not yet created). */
export async function fillDeliveryStreamWizard(page: Page, stream: ConsoleDeliveryStream): Promise<void> {
  const shot = async (step: string): Promise<void> => {
    if (stream.screenshotPrefix !== undefined) await screenshot(page, `${stream.screenshotPrefix}-${step}`);
  };
  await page.getByLabel('Delivery stream name', { exact: true }).fill(stream.name);
  if (stream.sourceStreamName !== undefined) {
    await page.getByLabel('Amazon Kinesis Data Streams', { exact: false }).check();
    await page
      .getByLabel('Kinesis data stream', { exact: true })
      .selectOption({ label: stream.sourceStreamName });
  } else {
    await page.getByLabel('Direct PUT', { exact: false }).check();
  }
  await shot('1-source');
  await next(page, 'Step 2: Process records');
  await shot('2-process');
  await next(page, 'Step 3: Choose a destination');
  await page.getByLabel('S3 bucket ARN', { exact: true }).fill(`arn:aws:s3:::${stream.bucket}`);
  await choose(page, 'New line delimiter', stream.newlineDelimiter === false ? 'Disabled' : 'Enabled');
  await page.getByLabel('S3 bucket prefix - optional', { exact: true }).fill(stream.prefix ?? '');
  await page
    .getByLabel('S3 bucket error output prefix - optional', { exact: true })
    .fill(stream.errorOutputPrefix ?? '');
  await shot('3-destination');
  await next(page, 'Step 4: Configure settings');
  if (stream.bufferSizeMiB !== undefined) {
    await page.getByLabel('Buffer size (MiB)', { exact: true }).fill(String(stream.bufferSizeMiB));
  }
  if (stream.bufferIntervalSeconds !== undefined) {
    await page
      .getByLabel('Buffer interval (seconds)', { exact: true })
      .fill(String(stream.bufferIntervalSeconds));
  }
  await choose(page, 'S3 compression', stream.compression ?? 'Disabled');
  await shot('4-settings');
  await next(page, 'Step 5: Review');
  await shot('5-review');
}

/** The whole wizard: fill, Create, and wait for the delivery stream's page to show it ACTIVE. */
export async function createDeliveryStreamInConsole(
  page: Page,
  stream: ConsoleDeliveryStream,
): Promise<void> {
  await openDeliveryStreamWizard(page);
  await fillDeliveryStreamWizard(page, stream);
  await page.getByRole('button', { name: 'Create delivery stream' }).click();
  await page.waitForURL(`**/delivery-streams/${encodeURIComponent(stream.name)}`);
  await page.locator('h1 .badge', { hasText: 'ACTIVE' }).waitFor();
}

async function next(page: Page, nextHeading: string): Promise<void> {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByRole('heading', { name: nextHeading }).waitFor();
}

/** Checks the radio `choice` of the fieldset whose legend is `legend`. */
export async function choose(page: Page, legend: string, choice: string): Promise<void> {
  await page.getByRole('group', { name: legend, exact: true }).getByLabel(choice, { exact: true }).check();
}

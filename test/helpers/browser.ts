/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core, as the machine allows it: no
 * browser download, no sandbox (tests run as root), and no background networking (the closed
 * network refuses Google's hosts). Playwright gives each launch a new empty profile. Every
 * console error and uncaught page error is collected, so a test can require there were none.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repositoryRoot } from './server-process.js';

export const chromiumPath = '/usr/bin/chromium';

const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors and uncaught exceptions seen so far, as text. */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function openBrowser(viewport = { width: 1280, height: 860 }): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
  });
  const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error')
      errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    // A page that closes its EventSource (a live view left) aborts that request on purpose.
    if (request.resourceType() === 'eventsource' && reason === 'net::ERR_ABORTED') return;
    errors.push(`request failed: ${request.method()} ${request.url()} ${reason}`);
  });
  // Chromium logs a failed response only as "Failed to load resource"; name the API call too.
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const request = response.request();
    const target = request.headers()['x-amz-target'] ?? '';
    void response.text().then(
      (body) =>
        errors.push(`HTTP ${response.status()} for ${request.method()} ${request.url()} ${target}: ${body}`),
      (error: unknown) =>
        errors.push(`HTTP ${response.status()} for ${request.url()} ${target} (${String(error)})`),
    );
  });
  return {
    browser,
    page,
    errors,
    close: () => browser.close(),
  };
}

/** Where screenshots go: the test artefacts directory, and docs/images when asked to refresh them. */
export const artefactsDirectory =
  process.env.TRIBUTARY_TEST_ARTEFACTS ?? path.join(repositoryRoot, 'test-artefacts');

/** Form controls a screen reader could not name: no <label>, aria-label or aria-labelledby. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  // A string, so this Node-side file needs no DOM types; it runs in the page.
  return page.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea, button')]
    .filter((element) => element.type !== 'hidden')
    .filter((element) => element.tagName === 'BUTTON'
      ? element.textContent.trim() === '' && !element.getAttribute('aria-label')
      : element.labels.length === 0 && !element.getAttribute('aria-label') && !element.getAttribute('aria-labelledby'))
    .map((element) => element.outerHTML)`);
}

/** Saves a full-page screenshot, after checking that every control on the page is labelled. */
export async function screenshot(page: Page, name: string): Promise<void> {
  assert.deepEqual(await unlabelledControls(page), [], `unlabelled controls on ${name}`);
  const directory = path.join(artefactsDirectory, 'console');
  await mkdir(directory, { recursive: true });
  await page.screenshot({ path: path.join(directory, `${name}.png`), fullPage: true });
  if (process.env.TRIBUTARY_UPDATE_DOC_IMAGES === '1') {
    await page.screenshot({
      path: path.join(repositoryRoot, 'docs', 'images', `${name}.png`),
      fullPage: true,
    });
  }
}

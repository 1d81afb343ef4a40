/**
 * Opening a report in Debian's chromium through playwright-core: a fresh profile directory,
 * no background networking, and every request and console message recorded, so a test can
 * assert that the page asked for nothing outside its own file and logged no error.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Why browser tests are skipped here, or null when they can run. */
export const SKIP_REASON = existsSync(CHROMIUM) ? null : `${CHROMIUM} not found (apt-get install -y chromium; CI installs it)`;

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A report opened in a browser page, with what the page did. */
export interface OpenedReport {
  page: Page;
  url: string;
  /** Requests to anything but the report file itself. */
  outside: string[];
  consoleErrors: string[];
  dialogs: string[];
  close(): Promise<void>;
}

/** Writes `html` to a temp file and opens it from file:// at 1280×800. */
export async function openReport(html: string): Promise<OpenedReport> {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const context: BrowserContext = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const outside: string[] = [];
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  context.on('request', (r) => {
    if (r.url() !== url) outside.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(
    () => (window as unknown as { __headroomReport?: { ready: boolean } }).__headroomReport?.ready === true,
    undefined,
    { timeout: 10_000 },
  );
  return {
    page,
    url,
    outside,
    consoleErrors,
    dialogs,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

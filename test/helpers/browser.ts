/**
 * A real browser for the dashboard tests: Debian's Chromium driven by playwright-core, headless, and
 * kept from the network beyond 127.0.0.1 (every other request is aborted and recorded).
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { waitFor } from './waitFor.ts';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The reason to skip browser tests, or false when Chromium is there. */
export const NO_BROWSER = existsSync(CHROMIUM)
  ? false
  : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium; .ci/run does it): the dashboard's browser tests are skipped`;

export interface BrowserSession extends AsyncDisposable {
  browser: Browser;
  /** Requests that tried to leave 127.0.0.1, and errors the page threw or logged. */
  offsite: string[];
  pageErrors: string[];
  newPage(options?: Parameters<Browser['newContext']>[0]): Promise<Page>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const offsite: string[] = [];
  const pageErrors: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    browser,
    offsite,
    pageErrors,
    async newPage(options) {
      const context = await browser.newContext(options);
      contexts.push(context);
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === '127.0.0.1') return route.continue();
        offsite.push(url.href);
        return route.abort();
      });
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      return page;
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(contexts.map((c) => c.close().catch(() => {})));
      await browser.close();
    },
  };
}

/** What the terminal shows now (the visible rows, as text). */
export async function terminalText(page: Page): Promise<string> {
  return page.locator('.xterm-rows').innerText();
}

export async function waitForTerminal(
  page: Page,
  pattern: RegExp | string,
  timeoutMs = 15_000,
): Promise<string> {
  const matches = (text: string) =>
    typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
  let last = '';
  try {
    return await waitFor(
      async () => {
        last = (await terminalText(page)).replace(/\u00a0/g, ' ');
        return matches(last) ? last : null;
      },
      timeoutMs,
      `the terminal to show ${String(pattern)}`,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- the terminal shows:\n${last}`);
  }
}

/** Types a command at the prompt and presses Enter. */
export async function runInTerminal(page: Page, command: string): Promise<void> {
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

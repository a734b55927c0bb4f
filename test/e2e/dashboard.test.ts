/**
 * The web dashboard in a real browser (issue 4): log in, run commands in the terminal against a main
 * node with two workers, watch the live view follow a worker's death, and leave screenshots at
 * desktop and phone sizes in test-artifacts/ for people to look at.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  launchBrowser,
  NO_BROWSER,
  runInTerminal,
  terminalText,
  waitForTerminal,
} from '../helpers/browser.ts';
import { MainProcess, ProcessGroup, ROOT, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const PROMPT = 'cluster@main:~$';

async function cardStatus(page: Page, deviceId: string): Promise<string> {
  const card = page.locator(`.device[data-device-id="${deviceId}"] .status`);
  return (await card.count()) ? card.innerText() : '';
}

test('the dashboard: log in, run commands, follow the cluster live', { skip: NO_BROWSER }, async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(new WorkerProcess({ main, deviceId: 'dash-w1', stateDir: join(dir.path, 'w1') }));
  const w2 = procs.add(new WorkerProcess({ main, deviceId: 'dash-w2', stateDir: join(dir.path, 'w2') }));
  await main.waitForDevice('dash-w1');
  await main.waitForDevice('dash-w2');
  mkdirSync(ARTIFACTS, { recursive: true });

  await using session = await launchBrowser();
  const page = await session.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });

  // A wrong token in the URL: told clearly, and the token leaves the address bar.
  await page.goto(`${main.url}/?token=not-the-token`);
  const dialog = page.locator('#login');
  await dialog.waitFor({ state: 'visible' });
  await waitFor(
    async () => /not accepted/.test(await page.locator('.login-error').innerText()),
    10_000,
    'the refusal',
  );
  assert.equal(new URL(page.url()).search, '', 'the token is removed from the URL');
  // Nothing is readable without the token.
  assert.equal((await main.api('GET', '/api/v1/devices', undefined, null)).status, 401);
  assert.equal((await fetch(`${main.url}/stream/devices`)).status, 401);

  // Another wrong token typed in the dialog, then the right one, keyboard only.
  await page.locator('#token').fill('still-wrong');
  await page.keyboard.press('Enter');
  await waitFor(
    async () => /Wrong token/.test(await page.locator('.login-error').innerText()),
    10_000,
    'wrong token',
  );
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard-login.png') });
  await page.locator('#token').fill(main.apiToken);
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  await waitForTerminal(page, PROMPT);
  await waitFor(
    async () => (await page.locator('#connection').innerText()) === 'live',
    10_000,
    'the live stream',
  );

  // The live view shows both devices.
  await waitFor(async () => (await cardStatus(page, 'dash-w1')) === 'online', 10_000, 'card dash-w1');
  await waitFor(async () => (await cardStatus(page, 'dash-w2')) === 'online', 10_000, 'card dash-w2');

  // Tab completion from the server, then `devices list`.
  await page.keyboard.type('devi');
  await page.keyboard.press('Tab');
  await waitForTerminal(page, `${PROMPT} devices `);
  await page.keyboard.type('li');
  await page.keyboard.press('Tab');
  await waitForTerminal(page, `${PROMPT} devices list`);
  await page.keyboard.press('Enter');
  const listed = await waitForTerminal(page, /dash-w1[\s\S]*dash-w2[\s\S]*2 devices, 2 online/);
  assert.match(listed, /DEVICE\s+STATUS/);

  // A task, waited for.
  await runInTerminal(page, 'clear');
  await runInTerminal(page, `tasks submit echo --payload='{"m":1}' --wait`);
  const outcome = await waitForTerminal(page, /success on dash-w\d/, 30_000);
  assert.match(outcome, /"m": 1/);
  await waitFor(
    async () => Number(await page.locator('.st-success dd').innerText()) >= 1,
    10_000,
    'the success counter',
  );

  // A pipe.
  await runInTerminal(page, 'clear');
  await runInTerminal(page, 'devices list | grep w2');
  await waitForTerminal(page, /dash-w2\s+online/);
  assert.doesNotMatch(await terminalText(page), /dash-w1/);

  // An unknown command: an error and a suggestion.
  await runInTerminal(page, 'devcies list');
  await waitForTerminal(page, /unknown command: devcies[\s\S]*did you mean: devices\?/);

  // History: ↑ brings the last command back.
  await page.keyboard.press('ArrowUp');
  await waitFor(
    async () => (await terminalText(page)).trimEnd().split('\n').at(-1)?.trim() === `${PROMPT} devcies list`,
    5000,
    'the recalled line at the prompt',
  );
  await page.keyboard.press('Control+U');

  // `monitor tasks` is live until Ctrl+C.
  await runInTerminal(page, 'clear');
  await runInTerminal(page, 'monitor tasks');
  await waitForTerminal(page, 'monitoring tasks live');
  const taskId = await main.submit({ task_type: 'echo', payload: 'from the api' });
  await waitForTerminal(page, new RegExp(`task\\.success\\s+task ${taskId}`), 15_000);
  await page.keyboard.press('Control+C');
  await waitForTerminal(page, new RegExp(`\\^C\\s+${PROMPT.replace(/[$]/g, '\\$')}`));

  // A worker dies: its card shows it within the timeout (its connection closes at once).
  await w2.kill('SIGKILL');
  await waitFor(
    async () => /disconnected|offline/.test(await cardStatus(page, 'dash-w2')),
    15_000,
    'the card of dash-w2 to go offline',
  );
  await waitFor(
    async () => (await page.locator('#live-events').innerText()).includes('device.disconnected'),
    5000,
    'the event',
  );
  assert.equal(await cardStatus(page, 'dash-w1'), 'online');

  await runInTerminal(page, 'devices list');
  await waitForTerminal(page, /dash-w2\s+(disconnected|offline)/);
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard-desktop.png') });
  assert.equal(
    await page.locator('#join-command').innerText(),
    `curl -fsSL ${main.url}/join.sh | sh -s -- --token <JOIN_TOKEN>`,
    'the dashboard shows the join one-liner',
  );

  // Keyboard only: Esc then Tab leaves the terminal for the live view's event log.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'live-events');
  await page.keyboard.press('Shift+Tab');
  assert.equal(
    await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea')),
    true,
  );

  // The light theme, from the terminal.
  await runInTerminal(page, 'theme light');
  await waitFor(
    async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === 'light',
    5000,
    'light',
  );
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard-desktop-light.png') });

  // A phone: the token is remembered by this browser context only, so log in through ?token= once.
  const phone = await session.newPage({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    colorScheme: 'dark',
  });
  await phone.goto(`${main.url}/?token=${encodeURIComponent(main.apiToken)}`);
  await waitForTerminal(phone, PROMPT);
  await waitFor(async () => (await cardStatus(phone, 'dash-w1')) === 'online', 10_000, 'phone card');
  await runInTerminal(phone, 'devices list');
  await waitForTerminal(phone, /dash-w1/);
  const layout = await phone.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    terminalBottom: document.querySelector('.terminal-pane')!.getBoundingClientRect().bottom,
    liveTop: document.querySelector('#live')!.getBoundingClientRect().top,
  }));
  assert.ok(layout.scrollWidth <= 390, `no sideways scrolling on a phone (${layout.scrollWidth}px wide)`);
  assert.ok(layout.liveTop >= layout.terminalBottom - 1, 'the live view is under the terminal');
  await phone.screenshot({ path: join(ARTIFACTS, 'dashboard-phone.png'), fullPage: true });

  assert.deepEqual(session.offsite, [], 'nothing was fetched from beyond 127.0.0.1');
  assert.deepEqual(
    session.pageErrors.filter((e) => !/401|Unauthorized/.test(e)),
    [],
    'the page raised no errors',
  );
});

test('with --no-auth the dashboard needs no token', { skip: NO_BROWSER }, async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main'), args: ['--no-auth'] }));
  await using session = await launchBrowser();
  const page = await session.newPage({ viewport: { width: 1024, height: 700 } });
  await page.goto(main.url);
  await waitForTerminal(page, PROMPT);
  assert.equal(await page.locator('#login').isVisible(), false);
  assert.equal(await page.locator('#logout').isVisible(), false);
  await runInTerminal(page, 'cluster status');
  await waitForTerminal(page, /0 total, 0 online/);
});

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Hono } from 'hono';
import { createApp } from '../../src/http/app.ts';
import { apiAuth } from '../../src/http/middleware/apiAuth.ts';
import { dashboardRoutes } from '../../src/http/routes/dashboard.ts';
import type { ClusterMetrics } from '../../src/main/metrics.ts';
import type { ClusterService } from '../../src/main/service.ts';
import { tempDir } from '../helpers/tempDir.ts';

const TOKEN = 'token-for-tests';
const auth = { authorization: `Bearer ${TOKEN}` };

/** `help` and completion of command names need no cluster: the service can be a stand-in. */
function app(): Hono {
  return createApp({
    service: {} as ClusterService,
    metrics: {} as ClusterMetrics,
    apiToken: () => TOKEN,
    auth: true,
    maxBodyBytes: 64 * 1024,
  });
}

function post(path: string, body: unknown, headers: Record<string, string> = auth) {
  return app().request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

test('POST /api/v1/command runs a line and answers {output, exit_code} in the envelope', async () => {
  const response = await post('/api/v1/command', { command: 'help | grep devices' });
  assert.equal(response.status, 200);
  const body = (await response.json()) as any;
  assert.equal(body.status, 'success');
  assert.equal(body.data.exit_code, 0);
  assert.match(body.data.output, /devices list\|show/);
  assert.ok(!body.data.output.includes('\x1b['), 'no colours unless asked');
  const coloured = (await (await post('/api/v1/command', { command: 'help', color: true })).json()) as any;
  assert.ok(coloured.data.output.includes('\x1b['));
  const unknown = (await (await post('/api/v1/command', { command: 'devcies' })).json()) as any;
  assert.equal(unknown.data.exit_code, 127, 'a failed command is still a 200 with its exit code');
  assert.match(unknown.data.output, /did you mean: devices\?/);
});

test('the terminal endpoints need the token and validate their bodies', async () => {
  assert.equal((await post('/api/v1/command', { command: 'help' }, {})).status, 401);
  assert.equal((await post('/api/v1/suggest', { line: '' }, { authorization: 'Bearer wrong' })).status, 401);
  const missing = await post('/api/v1/command', {});
  assert.equal(missing.status, 400);
  assert.match(((await missing.json()) as any).message, /command/);
  assert.equal(
    (await post('/api/v1/command', { command: 'help', colour: true })).status,
    400,
    'unknown field',
  );
  assert.equal((await post('/api/v1/command', 'not json')).status, 400);
  assert.equal((await post('/api/v1/suggest', { line: 'x', cursor: -1 })).status, 400);
});

test('POST /api/v1/suggest completes the word at the cursor', async () => {
  const body = (await (await post('/api/v1/suggest', { line: 'tasks s' })).json()) as any;
  assert.deepEqual(body.data, { suggestions: ['submit', 'show'], start: 6, end: 7 });
  const mid = (await (await post('/api/v1/suggest', { line: 'cl status', cursor: 2 })).json()) as any;
  assert.deepEqual(mid.data, { suggestions: ['clear', 'cluster'], start: 0, end: 2 });
});

function dashboard(webRoot: string, service: Partial<ClusterService> = {}): Hono {
  return new Hono().route(
    '/',
    dashboardRoutes({
      service: service as ClusterService,
      auth: apiAuth({ token: () => TOKEN, enabled: true }),
      webRoot,
    }),
  );
}

test('GET / and /assets/* serve the built page without a token, with caching and a tight CSP', async () => {
  using dir = tempDir();
  mkdirSync(join(dir.path, 'assets'));
  writeFileSync(join(dir.path, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir.path, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(dir.path, 'secret.txt'), 'no');
  const web = dashboard(dir.path);

  const page = await web.request('/');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type')!, /^text\/html/);
  assert.match(page.headers.get('content-security-policy')!, /script-src 'self'/);
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer', 'a ?token= never leaks in a Referer');
  const script = await web.request('/assets/app.js');
  assert.match(script.headers.get('content-type')!, /^text\/javascript/);
  const etag = script.headers.get('etag')!;
  assert.equal((await web.request('/assets/app.js', { headers: { 'if-none-match': etag } })).status, 304);

  for (const path of [
    '/assets/missing.js',
    '/assets/..%2Fsecret.txt',
    '/assets/%2e%2e%2fsecret.txt',
    '/assets/app',
  ]) {
    assert.equal((await web.request(path)).status, 404, path);
  }
  const unbuilt = await dashboard(join(dir.path, 'nowhere')).request('/');
  assert.equal(unbuilt.status, 404);
  assert.match(((await unbuilt.json()) as any).message, /npm run build/);
});

test('/stream/devices and /stream/logs need the token (header or ?token=) and filter the events', async () => {
  const events = new EventEmitter();
  const web = dashboard('/nonexistent', { events, eventsAfter: async () => [] } as unknown as ClusterService);
  assert.equal((await web.request('/stream/devices')).status, 401);
  assert.equal((await web.request('/stream/logs?token=wrong')).status, 401);

  // A short keep-alive, so the stream notices the cancel at once and leaves no timer behind.
  const response = await web.request(`/stream/devices?token=${TOKEN}&keepalive=0.1`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type')!, /text\/event-stream/);
  const reader = response.body!.getReader();
  let text = '';
  const read = async (until: RegExp) => {
    while (!until.test(text)) text += new TextDecoder().decode((await reader.read()).value);
  };
  await read(/connected/);
  events.emit('event', { id: 1, type: 'task.submitted', at: 1, task_id: 't1' });
  events.emit('event', { id: 2, type: 'device.offline', at: 2, device_id: 'pi' });
  await read(/device\.offline/);
  assert.doesNotMatch(text, /task\.submitted/, 'only device events');
  await reader.cancel();
});

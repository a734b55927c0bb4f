import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { API_ROUTES } from '../../src/http/apiCatalog.ts';
import { call } from '../helpers/http.ts';
import { MainProcess, ProcessGroup } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';

const DASHBOARD = 'http://dash.example:8443';

test('rate limit per key and per address: 429 RATE_LIMIT_EXCEEDED with Retry-After', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(
    await MainProcess.start({ dataDir: join(dir.path, 'main'), env: { RC_RATE_LIMIT_PER_MINUTE: '5' } }),
  );
  const remaining: string[] = [];
  for (let i = 0; i < 5; i++) {
    const response = await call(main, '/api/v1/cluster/status');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('ratelimit-limit'), '5');
    remaining.push(response.headers.get('ratelimit-remaining')!);
  }
  assert.deepEqual(remaining, ['4', '3', '2', '1', '0']);
  const refused = await call(main, '/api/v1/tasks', { method: 'POST', body: '{"task_type":"echo"}' });
  assert.equal(refused.status, 429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 12, String(retryAfter));
  const body = (await refused.json()) as any;
  assert.equal(body.error_code, 'RATE_LIMIT_EXCEEDED');
  assert.equal(typeof body.request_id, 'string');
  assert.equal(body.error_details.limit_per_minute, 5);

  // Without a valid token a request counts against its address, not the key: guessing is limited too.
  const guesses = [];
  for (let i = 0; i < 6; i++)
    guesses.push((await call(main, '/api/v1/devices', { token: `guess-${i}` })).status);
  assert.deepEqual(guesses, [401, 401, 401, 401, 401, 429]);
  assert.equal((await call(main, '/health', { token: null })).status, 200, '/health is never limited');
});

test('body limit 413, CORS for one origin only, 405 with Allow, JSON 404, 401 and 400', async (t) => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(
    await MainProcess.start({
      dataDir: join(dir.path, 'main'),
      args: ['--cors-origin', DASHBOARD],
      env: { RC_MAX_BODY_BYTES: '2048' },
    }),
  );

  await t.test('a body over the limit is 413 PAYLOAD_TOO_LARGE; one under it is accepted', async () => {
    const big = await main.api('POST', '/api/v1/tasks', { task_type: 'echo', payload: 'x'.repeat(4096) });
    assert.equal(big.status, 413);
    assert.equal(big.body.error_code, 'PAYLOAD_TOO_LARGE');
    assert.equal(typeof big.body.request_id, 'string');
    const small = await main.api('POST', '/api/v1/tasks', { task_type: 'echo', payload: 'x'.repeat(1024) });
    assert.equal(small.status, 201);
  });

  await t.test('CORS answers the configured origin, never another, and allows no credentials', async () => {
    const allowed = await call(main, '/api/v1/cluster/status', { headers: { origin: DASHBOARD } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), DASHBOARD);
    assert.equal(allowed.headers.get('access-control-allow-credentials'), null);
    assert.match(allowed.headers.get('access-control-expose-headers')!, /X-Request-Id/i);
    const other = await call(main, '/api/v1/cluster/status', { headers: { origin: 'http://evil.example' } });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('access-control-allow-origin'), null);

    const preflight = await call(main, '/api/v1/tasks', {
      method: 'OPTIONS',
      token: null,
      headers: {
        origin: DASHBOARD,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), DASHBOARD);
    assert.match(preflight.headers.get('access-control-allow-headers')!, /authorization/i);
    assert.match(preflight.headers.get('access-control-allow-methods')!, /POST/);
    const evilPreflight = await call(main, '/api/v1/tasks', {
      method: 'OPTIONS',
      token: null,
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(evilPreflight.headers.get('access-control-allow-origin'), null);
  });

  await t.test('a known path with a wrong method is 405 METHOD_NOT_ALLOWED with Allow', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/api/v1/tasks', ['GET', 'POST']],
      ['DELETE', '/api/v1/tasks/some-id', ['GET']],
      ['PATCH', '/api/v1/devices/some-id', ['DELETE', 'GET']],
      ['GET', '/api/v1/tasks/some-id/cancel', ['POST']],
      ['POST', '/api/v1/cluster/status', ['GET']],
    ] as const) {
      const response = await call(main, path, { method });
      assert.equal(response.status, 405, `${method} ${path}`);
      const allowed = response.headers.get('allow')!.split(/,\s*/);
      for (const m of allow) assert.ok(allowed.includes(m), `${method} ${path}: Allow has ${m}`);
      const body = (await response.json()) as any;
      assert.equal(body.error_code, 'METHOD_NOT_ALLOWED');
      assert.equal(typeof body.request_id, 'string');
    }
  });

  await t.test('every route but the public ones is 401 without a token, and with a wrong one', async () => {
    for (const route of API_ROUTES) {
      // The dashboard's assets are files: ask for one that `npm run build` makes.
      const path = route.path === '/assets/{file}' ? '/assets/app.js' : route.path.replace(/\{\w+\}/g, 'x');
      const method = route.method.toUpperCase();
      const missing = await call(main, path, { method, token: null });
      const wrong = await call(main, path, { method, token: 'not-the-token' });
      if (route.auth === false) {
        assert.equal(missing.status, 200, `${method} ${path} needs no token`);
        continue;
      }
      assert.equal(missing.status, 401, `${method} ${path}`);
      assert.equal(((await missing.json()) as any).error_code, 'MISSING_API_KEY');
      assert.equal(wrong.status, 401, `${method} ${path}`);
      assert.equal(((await wrong.json()) as any).error_code, 'INVALID_API_KEY');
    }
  });

  await t.test('unknown routes are JSON 404s; auth and validation errors carry request_id', async () => {
    for (const path of ['/api/v1/nothing-here', '/nothing-here', '/api/v2/tasks']) {
      const response = await call(main, path);
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type')!, /application\/json/);
      const body = (await response.json()) as any;
      assert.equal(body.error_code, 'NOT_FOUND');
      assert.equal(typeof body.request_id, 'string');
    }
    const given = await call(main, '/api/v1/tasks', { token: null, headers: { 'x-request-id': 'trace-42' } });
    assert.equal(given.status, 401);
    assert.equal(((await given.json()) as any).request_id, 'trace-42');
    const bad = await main.api('POST', '/api/v1/tasks', '[{"task_type":');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error_code, 'VALIDATION_ERROR');
    assert.equal(typeof bad.body.request_id, 'string');
  });
});

test('CORS is off by default: no origin is ever allowed', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const response = await call(main, '/api/v1/cluster/status', { headers: { origin: DASHBOARD } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('access-control-allow-origin'), null);
  const preflight = await call(main, '/api/v1/tasks', {
    method: 'OPTIONS',
    token: null,
    headers: { origin: DASHBOARD, 'access-control-request-method': 'POST' },
  });
  assert.equal(preflight.headers.get('access-control-allow-origin'), null);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { rateLimit } from '../../src/http/middleware/rateLimit.ts';
import { requestId } from '../../src/http/middleware/requestId.ts';

function appWith(perMinute: number, clock: { now: number }, maxKeys?: number): Hono {
  const app = new Hono();
  app.use('*', requestId());
  app.use(
    '*',
    rateLimit({ perMinute, key: (c) => c.req.header('x-who') ?? 'anon', now: () => clock.now, maxKeys }),
  );
  app.get('/', (c) => c.text('ok'));
  return app;
}

const get = (app: Hono, who = 'a') => app.request('/', { headers: { 'x-who': who } });

test('a burst up to the limit passes; the next gets 429 with Retry-After and a request_id', async () => {
  const clock = { now: 1_000_000 };
  const app = appWith(3, clock);
  for (let i = 0; i < 3; i++) assert.equal((await get(app)).status, 200);
  const refused = await get(app);
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('retry-after'), '20', 'one request comes back every 60/3 s');
  const body = (await refused.json()) as any;
  assert.equal(body.error_code, 'RATE_LIMIT_EXCEEDED');
  assert.equal(typeof body.request_id, 'string');
  assert.equal((await get(app, 'b')).status, 200, 'another key has its own budget');
  clock.now += 20_000;
  assert.equal((await get(app)).status, 200, 'refilled after Retry-After');
  assert.equal((await get(app)).status, 429);
});

test('0 turns the limit off; the number of keys remembered is bounded', async () => {
  const clock = { now: 0 };
  const off = appWith(0, clock);
  for (let i = 0; i < 50; i++) assert.equal((await get(off)).status, 200);

  const bounded = appWith(1, clock, 2);
  assert.equal((await get(bounded, 'a')).status, 200);
  assert.equal((await get(bounded, 'a')).status, 429);
  await get(bounded, 'b');
  await get(bounded, 'c'); // 'a' was seen least recently: forgotten
  assert.equal((await get(bounded, 'a')).status, 200);
});

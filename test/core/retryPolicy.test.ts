import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../../src/core/retryPolicy.ts';

const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

test('backoff doubles from the base delay, starting at retry 1', () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => retryDelayMs(policy, n)),
    [100, 200, 400, 800],
  );
});

test('backoff is capped, also for huge retry numbers', () => {
  assert.equal(retryDelayMs(policy, 5), 1000);
  assert.equal(retryDelayMs(policy, 10_000), 1000);
  assert.equal(retryDelayMs({ baseDelayMs: 1, maxDelayMs: Number.MAX_SAFE_INTEGER }, 10_000), 2 ** 30);
});

test('a retry number below 1 counts as the first retry', () => {
  assert.equal(retryDelayMs(policy, 0), 100);
  assert.equal(retryDelayMs(policy, -3), 100);
});

test('the default policy starts at one second and caps at a minute', () => {
  assert.equal(retryDelayMs(DEFAULT_RETRY_POLICY, 1), 1000);
  assert.equal(retryDelayMs(DEFAULT_RETRY_POLICY, 20), 60_000);
});

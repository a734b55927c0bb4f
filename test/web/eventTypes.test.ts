import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ALL_EVENT_TYPES } from '../../src/web/eventTypes.ts';

test('the page listens for every event type the core emits', () => {
  const source = readFileSync(new URL('../../src/core/cluster.ts', import.meta.url), 'utf8');
  const literals = [...source.matchAll(/'((?:task|device)\.[a-z_]+)'/g)].map((m) => m[1]!);
  assert.ok(literals.length > 10, 'found the event names');
  // `task.${status}` for a finished attempt.
  const finished = ['success', 'failed', 'cancelled', 'timeout'].map((s) => `task.${s}`);
  const missing = [...new Set([...literals, ...finished])].filter((type) => !ALL_EVENT_TYPES.includes(type));
  assert.deepEqual(missing, []);
});

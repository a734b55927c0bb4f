import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { collectStartupGarbage } from '../../src/worker/startupMemory.ts';

test('the start-up collection runs and leaves gc exposed nowhere', (t) => {
  if (typeof (globalThis as { gc?: unknown }).gc === 'function') {
    return t.skip('this process was started with --expose-gc');
  }
  assert.equal(collectStartupGarbage(), true);
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
  // Contexts made afterwards get no gc either: the flag was set back.
  assert.equal(runInNewContext('typeof gc'), 'undefined');
});

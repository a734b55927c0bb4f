import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateWindow, SampleWindow } from '../../src/main/metricWindows.ts';
import { summarize } from '../../src/main/percentiles.ts';

test('a rate window counts the last minute only, in constant memory', () => {
  const window = new RateWindow(60);
  window.add(1_000);
  window.add(1_500, 2);
  window.add(30_000);
  assert.equal(window.total(30_000), 4);
  assert.equal(window.total(60_999), 4, 'the second starting at 1 s is still inside (1..60]');
  assert.equal(window.total(61_000), 1, 'the first second has left the window');
  window.add(91_000); // reuses the slot of 31 s; the 30 s one is stale by then
  assert.equal(window.total(91_000), 1);
});

test('a sample window keeps the newest values; percentiles are nearest-rank', () => {
  const window = new SampleWindow(3);
  for (const v of [1, 2, 3, 4]) window.add(v);
  assert.deepEqual([...window.values()].sort(), [2, 3, 4]);
  const summary = summarize(Array.from({ length: 100 }, (_, i) => i + 1));
  assert.deepEqual(summary, { count: 100, avg: 51, p50: 50, p90: 90, p99: 99, max: 100 });
  assert.deepEqual(summarize([]), { count: 0, avg: null, p50: null, p90: null, p99: null, max: null });
});

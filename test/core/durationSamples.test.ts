import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DurationSamples } from '../../src/core/durationSamples.ts';

test('the median follows each new sample, per type, over the last 15', () => {
  const d = new DurationSamples();
  assert.equal(d.median('echo', 1), null, 'no samples yet');
  d.add('echo', 30);
  d.add('echo', 10);
  assert.equal(d.median('echo', 3), null, 'fewer than minSamples');
  assert.equal(d.median('echo', 2), 20, 'even count: the mean of the middle two');
  d.add('echo', 100);
  assert.equal(d.median('echo', 2), 30, 'a new sample changes a median asked for before');
  d.add('echo', Number.NaN);
  d.add('echo', -5);
  assert.equal(d.median('echo', 2), 30, 'invalid durations are ignored');
  assert.equal(d.median('sleep', 1), null, 'types are apart');
  for (let i = 0; i < 15; i++) d.add('echo', 1000 + i);
  assert.equal(d.median('echo', 1), 1007, 'only the last 15 count');
});

test('stragglerAfter is factor x median, at least minMs', () => {
  const d = new DurationSamples();
  const options = { factor: 3, minMs: 100, minSamples: 3 };
  for (const ms of [10, 20, 30]) d.add('echo', ms);
  assert.equal(d.stragglerAfter('echo', options), 100);
  for (const ms of [200, 200, 200, 200]) d.add('echo', ms);
  assert.equal(d.stragglerAfter('echo', options), 600);
  assert.equal(d.stragglerAfter('sleep', options), null);
});

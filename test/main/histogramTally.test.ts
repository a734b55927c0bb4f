import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { HistogramTally } from '../../src/main/histogramTally.ts';

const BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5];

/** The same histogram twice, each in its own registry: prom-client's own, and the tally. */
function pair<L extends string>(labelNames: readonly L[]) {
  const config = {
    name: 'rc_test_seconds',
    help: 'A test "histogram"\nwith a second line',
    buckets: BUCKETS,
  };
  const prom = new Registry();
  const ours = new Registry();
  const reference = new Histogram({ ...config, labelNames, registers: [prom] });
  const tally = new HistogramTally({ ...config, labelNames, registers: [ours] });
  return { prom, ours, reference, tally };
}

test('a histogram tally prints what prom-client prints for the same observations', async () => {
  const { prom, ours, reference, tally } = pair(['status', 'kind']);
  const observations: [Record<'status' | 'kind', string>, number][] = [
    [{ status: 'success', kind: 'echo' }, 0.003],
    [{ status: 'success', kind: 'echo' }, 0.01], // exactly on a bound: counts in that bucket
    [{ status: 'failed', kind: 'we"ird\\kind\nx' }, 0.7],
    [{ status: 'success', kind: 'echo' }, 4.999],
    [{ status: 'success', kind: 'echo' }, 120], // past the last bound: +Inf only
    [{ status: 'failed', kind: 'we"ird\\kind\nx' }, 0],
    [{ status: 'failed', kind: 'we"ird\\kind\nx' }, 0.1 + 0.2], // sums must add up the same way
  ];
  for (const [labels, value] of observations) {
    reference.observe(labels, value);
    tally.series(labels).observe(value);
  }
  const expected = await prom.metrics();
  assert.match(expected, /^rc_test_seconds_bucket\{le="\+Inf",status="success",kind="echo"\} 4$/m);
  assert.equal(await ours.metrics(), expected);
});

test('without labels, a histogram tally shows its zero series from the start, as prom-client does', async () => {
  const { prom, ours, reference, tally } = pair([]);
  assert.equal(await ours.metrics(), await prom.metrics());
  assert.match(await ours.metrics(), /^rc_test_seconds_count 0$/m);
  for (const value of [0.02, 0.02, 3, 9]) {
    reference.observe(value);
    tally.series({}).observe(value);
  }
  assert.equal(await ours.metrics(), await prom.metrics());
});

test('with labels, a histogram tally shows a series only once it exists, as prom-client does', async () => {
  const { prom, ours } = pair(['status']);
  const text = await ours.metrics();
  assert.equal(text, await prom.metrics());
  assert.doesNotMatch(text, /^rc_test_seconds_/m);
});

test('a series is one handle per label set; a non-finite value is dropped, not thrown', async () => {
  const { ours, tally } = pair(['status']);
  const success = tally.series({ status: 'success' });
  assert.equal(tally.series({ status: 'success' }), success);
  assert.notEqual(tally.series({ status: 'failed' }), success);
  success.observe(0.2);
  success.observe(Number.NaN);
  success.observe(Number.POSITIVE_INFINITY);
  const text = await ours.metrics();
  assert.match(text, /^rc_test_seconds_count\{status="success"\} 1$/m);
  assert.match(text, /^rc_test_seconds_sum\{status="success"\} 0.2$/m);
  assert.match(text, /^rc_test_seconds_count\{status="failed"\} 0$/m);
});

test('reset zeroes every series and keeps the handles live', async () => {
  const { ours, tally } = pair([]);
  const series = tally.series({});
  series.observe(0.3);
  ours.resetMetrics();
  assert.match(await ours.metrics(), /^rc_test_seconds_count 0$/m);
  series.observe(2);
  const text = await ours.metrics();
  assert.match(text, /^rc_test_seconds_bucket\{le="1"\} 0$/m);
  assert.match(text, /^rc_test_seconds_bucket\{le="5"\} 1$/m);
  assert.match(text, /^rc_test_seconds_sum 2$/m);
});

test('a histogram tally refuses buckets out of order and the reserved le label', () => {
  assert.throws(() => new HistogramTally({ name: 'a', help: 'a', buckets: [1, 0.5] }), /ascending/);
  assert.throws(() => new HistogramTally({ name: 'a', help: 'a', buckets: [1, 1] }), /ascending/);
  assert.throws(
    () => new HistogramTally({ name: 'a', help: 'a', buckets: [1], labelNames: ['le'] }),
    /reserved/,
  );
});

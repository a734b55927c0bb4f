import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureSpeedScore, speedSink } from '../../src/worker/profiler/speedScore.ts';

test('the speed score is iterations per ms against the reference, measured until the budget is spent', () => {
  // A fake clock: one chunk of 100,000 iterations "takes" 1 ms, the budget is 1 ms.
  const ticks = [0, 1];
  const score = measureSpeedScore(1, () => ticks.shift() ?? 1);
  assert.equal(score, Math.round((100_000 * 100) / 560_000));
  const before = speedSink();
  assert.ok(measureSpeedScore(5) >= 1, 'a real run scores at least 1');
  assert.notEqual(speedSink(), before, 'the loop really ran');
});

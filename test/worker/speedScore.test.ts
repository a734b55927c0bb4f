import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  measureSpeedScore,
  measureSpeedScoreInChild,
  measureSpeedScoreIsolated,
  speedChildEnv,
  speedProgram,
  speedSink,
} from '../../src/worker/profiler/speedScore.ts';
import { MetricsSampler } from '../../src/worker/profiler/metricsSampler.ts';
import { defaultProbeEnvironment } from '../../src/worker/profiler/probeEnvironment.ts';
import { tempDir } from '../helpers/tempDir.ts';

test('the speed score is iterations per ms against the reference, measured until the budget is spent', () => {
  // A fake clock: one chunk of 100,000 iterations "takes" 1 ms, the budget is 1 ms.
  const ticks = [0, 1];
  const score = measureSpeedScore(1, () => ticks.shift() ?? 1);
  assert.equal(score, Math.round((100_000 * 100) / 560_000));
  const before = speedSink();
  assert.ok(measureSpeedScore(5) >= 1, 'a real run scores at least 1');
  assert.notEqual(speedSink(), before, 'the loop really ran');
});

test('the worker measures the speed score in a child process on its own Node binary', async () => {
  const score = await measureSpeedScoreInChild({ budgetMs: 5 });
  assert.ok(typeof score === 'number' && score >= 1, `a child run scores at least 1, got ${score}`);
  // The program is self-contained JavaScript: the loop's own source plus one line of output.
  assert.match(speedProgram(5), /^process\.stdout\.write\(JSON\.stringify\(\(function speedLoop/);
});

test('the child gets neither the worker NODE_OPTIONS nor its secrets', async () => {
  const env = speedChildEnv({
    PATH: '/usr/bin',
    NODE_OPTIONS: '--inspect=9229',
    RC_JOIN_TOKEN: 'rcj1.x.y',
    RC_MAIN_HOST: 'main',
    GITHUB_TOKEN: 'ghp_x',
  });
  assert.deepEqual(env, { PATH: '/usr/bin' });
  const saved = process.env.NODE_OPTIONS;
  // An option Node refuses to start with: the child would die at once if it inherited it.
  process.env.NODE_OPTIONS = '--no-such-option-for-the-speed-child';
  try {
    assert.ok(((await measureSpeedScoreInChild({ budgetMs: 5 })) ?? 0) >= 1);
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
  }
});

test('without a child process the speed score is measured in-process', async () => {
  const missingNode = { budgetMs: 5, nodePath: '/nonexistent/node' };
  assert.equal(await measureSpeedScoreInChild(missingNode), null);
  const before = speedSink();
  assert.ok((await measureSpeedScoreIsolated(missingNode)) >= 1, 'measured here instead');
  assert.notEqual(speedSink(), before, 'the in-process loop ran');
});

test('samples taken while the benchmark runs share it; it runs again only after its interval', async () => {
  using dir = tempDir();
  let runs = 0;
  let release: (score: number) => void = () => {};
  const sampler = new MetricsSampler(defaultProbeEnvironment(dir.path), {
    measureSpeed: () => {
      runs++;
      return new Promise<number>((resolve) => (release = resolve));
    },
    speedIntervalMs: 60_000,
  });
  const first = sampler.sample(0);
  const second = sampler.sample(0);
  await new Promise((resolve) => setTimeout(resolve, 50));
  release(42);
  assert.deepEqual(
    (await Promise.all([first, second])).map((m) => m.speed_score),
    [42, 42],
  );
  assert.equal((await sampler.sample(0)).speed_score, 42);
  assert.equal(runs, 1, 'one benchmark for all three samples');
});

test('a benchmark that fails keeps the previous score', async () => {
  using dir = tempDir();
  const scores: (number | null | Error)[] = [7, null, new Error('no child')];
  const sampler = new MetricsSampler(defaultProbeEnvironment(dir.path), {
    measureSpeed: () => {
      const next = scores.shift() ?? null;
      if (next instanceof Error) throw next;
      return next;
    },
    speedIntervalMs: 0,
  });
  assert.equal(await sampler.speedScore(), 7);
  assert.equal(await sampler.speedScore(), 7);
  assert.equal(await sampler.speedScore(), 7);
});

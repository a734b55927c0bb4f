import assert from 'node:assert/strict';
import { test } from 'node:test';
import { echoHandler } from '../../src/worker/tasks/echo.ts';
import { sleepHandler } from '../../src/worker/tasks/sleep.ts';
import { systemInfoHandler } from '../../src/worker/tasks/systemInfo.ts';
import { taskContext } from './taskContext.ts';

test('echo returns its payload', async () => {
  using task = taskContext({ hello: ['world', 1] });
  assert.deepEqual(await echoHandler.run(task.context), {
    status: 'success',
    result_data: { echo: { hello: ['world', 1] } },
  });
});

test('sleep reports how long it slept', async () => {
  using task = taskContext({ duration: 0.05 });
  assert.deepEqual(await sleepHandler.run(task.context), {
    status: 'success',
    result_data: { slept_for: 0.05 },
  });
});

test('sleep refuses a bad duration, naming the field', async () => {
  for (const payload of [{}, { duration: -1 }, { duration: 'x' }, { duration: Infinity }, null, 'nope']) {
    using task = taskContext(payload);
    const outcome = await sleepHandler.run(task.context);
    assert.equal(outcome.status, 'failed', JSON.stringify(payload));
    assert.match(outcome.status === 'failed' ? outcome.error : '', /payload/);
  }
  using task = taskContext({ duration: 'x' });
  const outcome = await sleepHandler.run(task.context);
  assert.equal(
    outcome.status === 'failed' && outcome.error,
    'payload.duration must be a finite number of seconds >= 0',
  );
});

test('sleep stops at once when cancelled or timed out', async () => {
  for (const reason of ['cancelled', 'timeout'] as const) {
    using task = taskContext({ duration: 30 });
    const running = sleepHandler.run(task.context);
    const abortedAt = Date.now();
    task.controller.abort(reason);
    const outcome = await running;
    assert.equal(outcome.status, reason);
    assert.ok(Date.now() - abortedAt < 500);
  }
});

test('sleep that was cancelled before it started does not wait', async () => {
  using task = taskContext({ duration: 30 });
  task.controller.abort('cancelled');
  assert.equal((await sleepHandler.run(task.context)).status, 'cancelled');
});

test('system_info returns what the profiler reports', async () => {
  using task = taskContext(undefined, {
    systemInfo: async () => ({ cpu_count: 4, metrics: { cpu_percent: null } }),
  });
  assert.deepEqual(await systemInfoHandler.run(task.context), {
    status: 'success',
    result_data: { cpu_count: 4, metrics: { cpu_percent: null } },
  });
});

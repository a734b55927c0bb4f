import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

/**
 * An honest straggler: the `slow` worker is frozen with SIGSTOP (connected, but it answers nothing)
 * right before it gets a `sleep` task whose type usually takes a fraction of a second. Once that has
 * run 3× the median (at least 3 s) with the queue empty, the idle `fast` worker runs a copy and wins;
 * when `slow` thaws, its attempt is cancelled and whatever it reports is fenced off.
 */
test("a frozen worker's task is finished by a speculative copy on another worker", async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  // A long heartbeat timeout: the frozen worker must stay "online" until the copy has won.
  const main = procs.add(
    await MainProcess.start({ dataDir: join(dir.path, 'main'), args: ['--heartbeat-timeout', '60'] }),
  );
  const slow = procs.add(
    new WorkerProcess({
      main,
      deviceId: 'slow',
      stateDir: join(dir.path, 'slow'),
      args: ['--max-tasks', '1'],
    }),
  );
  procs.add(
    new WorkerProcess({
      main,
      deviceId: 'fast',
      stateDir: join(dir.path, 'fast'),
      args: ['--max-tasks', '1'],
    }),
  );
  await main.waitForDevice('slow');
  await main.waitForDevice('fast');

  // The type's median: a few quick runs.
  for (let i = 0; i < 4; i++) {
    const id = await main.submit({ task_type: 'sleep', payload: { duration: 0.05 } });
    assert.equal((await main.waitForTask(id)).status, 'success');
  }
  // `fast` busy for a while, so the next task can only go to `slow`.
  const blocker = await main.submit({
    task_type: 'sleep',
    payload: { duration: 1.5 },
    requirements: { device_id: 'fast' },
  });
  await main.waitForTask(blocker, (t) => t.status === 'running');
  slow.child.kill('SIGSTOP');
  try {
    const id = await main.submit({ task_type: 'sleep', payload: { duration: 0.05 } });
    const assigned = await main.waitForTask(id, (t) => t.status !== 'queued');
    assert.equal(assigned.assigned_device_id, 'slow');
    const done = await main.waitForTask(id, (t) => t.status === 'success', 20_000);
    assert.equal(done.result.device_id, 'fast');
    assert.equal(done.assigned_device_id, 'fast');
    assert.equal(done.attempt, 2);
    const { body } = await main.api('GET', `/api/v1/tasks/${id}/events`);
    const types = body.data.events.map((e: { type: string }) => e.type);
    assert.ok(types.includes('task.speculative'), types.join(', '));

    slow.child.kill('SIGCONT');
    // Thawed, `slow` gets the stale assignment and its cancellation; its slot comes back.
    await waitFor(
      async () => {
        const device = (await main.devices()).find((d) => d.device_id === 'slow');
        const events = (await main.api('GET', `/api/v1/tasks/${id}/events`)).body.data.events;
        return (
          device?.running_tasks.length === 0 &&
          events.some((e: { type: string }) => e.type === 'task.result_fenced')
        );
      },
      15_000,
      'the frozen attempt to be cancelled and fenced',
    );
    const final = await main.task(id);
    assert.equal(final.status, 'success');
    assert.equal(final.result.device_id, 'fast');
  } finally {
    slow.child.kill('SIGCONT');
  }
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { processGone } from '../helpers/pids.ts';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

async function cluster(dir: string, procs: ProcessGroup) {
  const main = procs.add(await MainProcess.start({ dataDir: join(dir, 'main') }));
  procs.add(
    new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir, 'w1'), args: ['--max-tasks', '1'] }),
  );
  await main.waitForDevice('w1');
  return main;
}

async function readPid(pidFile: string): Promise<number> {
  return waitFor(
    () => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8')),
    10_000,
    'pid file',
  ) as Promise<number>;
}

/** A command whose background child records its pid, so the test can see the whole group was killed. */
function sleeperCommand(pidFile: string): string {
  return `sleep 300 & echo $! > ${pidFile}; wait`;
}

test('a shell_command past its timeout is killed with its children and ends timeout', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = await cluster(dir.path, procs);
  const pidFile = join(dir.path, 'sleeper.pid');
  const id = await main.submit({
    task_type: 'shell_command',
    payload: { command: sleeperCommand(pidFile) },
    timeout_seconds: 1,
    max_retries: 0,
  });
  const pid = await readPid(pidFile);
  assert.equal(processGone(pid), false, 'the command runs');
  const task = await main.waitForTask(id);
  assert.equal(task.status, 'timeout');
  assert.equal(task.result.status, 'timeout');
  await waitFor(() => processGone(pid), 5000, 'the background sleep to be killed');
});

test('cancelling a running task kills it, ends it cancelled, and frees the slot', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = await cluster(dir.path, procs);
  const pidFile = join(dir.path, 'sleeper.pid');
  const id = await main.submit({ task_type: 'shell_command', payload: { command: sleeperCommand(pidFile) } });
  const pid = await readPid(pidFile);

  const cancelled = await main.api('POST', `/api/v1/tasks/${id}/cancel`);
  assert.equal(cancelled.status, 200);
  assert.equal(cancelled.body.data.task.status, 'cancelled');
  await waitFor(() => processGone(pid), 5000, 'the cancelled command to be killed');

  // Cancelling again is a conflict, not a silent success.
  const again = await main.api('POST', `/api/v1/tasks/${id}/cancel`);
  assert.equal(again.status, 409);
  assert.equal(again.body.error_code, 'INVALID_STATE');

  // The single slot is free again: the next task runs.
  const next = await main.submit({ task_type: 'echo', payload: 'after' });
  assert.equal((await main.waitForTask(next)).status, 'success');
  assert.equal((await main.task(id)).status, 'cancelled');
});

test('cancelling a running sleep stops it at once', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = await cluster(dir.path, procs);
  const id = await main.submit({ task_type: 'sleep', payload: { duration: 120 } });
  await main.waitForTask(id, (t) => t.status === 'running');
  await main.api('POST', `/api/v1/tasks/${id}/cancel`);
  // The worker confirms by freeing its slot: a task pinned to it runs now, not in two minutes.
  const next = await main.submit({ task_type: 'echo', requirements: { device_id: 'w1' } });
  const done = await main.waitForTask(next, undefined, 10_000);
  assert.equal(done.status, 'success');
  assert.equal((await main.task(id)).status, 'cancelled');
});

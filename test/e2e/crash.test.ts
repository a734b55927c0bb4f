import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort, isFinished, MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

test('a worker killed with SIGKILL mid-task: the task is retried on the other worker and succeeds', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const workers = new Map(
    ['w1', 'w2'].map((id) => [
      id,
      procs.add(new WorkerProcess({ main, deviceId: id, stateDir: join(dir.path, id) })),
    ]),
  );
  await main.waitForDevice('w1');
  await main.waitForDevice('w2');

  const id = await main.submit({ task_type: 'sleep', payload: { duration: 2 } });
  const running = await main.waitForTask(id, (t) => t.status === 'running');
  const victim = running.assigned_device_id as string;
  await workers.get(victim)!.kill('SIGKILL');

  const task = await main.waitForTask(id, isFinished, 30_000);
  assert.equal(task.status, 'success');
  assert.notEqual(task.assigned_device_id, victim);
  assert.equal(task.attempt, 2);
  assert.equal(task.error_history.length, 1);
  assert.equal(task.error_history[0].device_id, victim);
  assert.equal(task.error_history[0].status, 'lost');
});

test('the main node killed with SIGKILL loses no accepted task: after a restart all complete', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const dataDir = join(dir.path, 'main');
  const [port, httpPort] = [await freePort(), await freePort()];
  let main = procs.add(await MainProcess.start({ dataDir, port, httpPort }));
  procs.add(
    new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1'), args: ['--max-tasks', '2'] }),
  );
  await main.waitForDevice('w1');

  const ids: string[] = [];
  for (let i = 0; i < 10; i++)
    ids.push(await main.submit({ task_type: 'sleep', payload: { duration: 0.3 } }));
  for (let i = 0; i < 20; i++) ids.push(await main.submit({ task_type: 'echo', payload: { i } }));
  await waitFor(async () => (await main.task(ids[0]!)).status === 'running', 10_000, 'work in progress');
  await main.kill('SIGKILL');

  main = procs.add(await MainProcess.start({ dataDir, port, httpPort }));
  const tasks = await waitFor(
    async () => {
      const all = await Promise.all(ids.map((id) => main.task(id)));
      return all.every(isFinished) ? all : null;
    },
    60_000,
    'every accepted task to finish after the restart',
  );
  assert.equal(tasks.length, 30);
  for (const task of tasks) assert.equal(task.status, 'success', JSON.stringify(task));
  tasks.slice(10).forEach((task, i) => assert.deepEqual(task.result.result_data, { echo: { i } }));
});

test('a worker that stops answering without closing goes offline after the heartbeat timeout; its task moves on', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const frozen = procs.add(
    new WorkerProcess({ main, deviceId: 'frozen', stateDir: join(dir.path, 'frozen') }),
  );
  await main.waitForDevice('frozen');
  const id = await main.submit({ task_type: 'sleep', payload: { duration: 1 } });
  await main.waitForTask(id, (t) => t.status === 'running' && t.assigned_device_id === 'frozen');
  // SIGSTOP: the process stays, its socket stays open, but nothing is sent (like a dozing phone).
  frozen.child.kill('SIGSTOP');
  procs.add(new WorkerProcess({ main, deviceId: 'healthy', stateDir: join(dir.path, 'healthy') }));
  await main.waitForDevice('frozen', 'offline', 20_000);
  const task = await main.waitForTask(id, isFinished, 20_000);
  assert.equal(task.status, 'success');
  assert.equal(task.assigned_device_id, 'healthy');
  frozen.child.kill('SIGCONT');
  // Once it wakes up it rejoins cleanly.
  await main.waitForDevice('frozen', 'online', 20_000);
});

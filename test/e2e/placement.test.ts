import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';

test('tasks honour requirements; one no device can satisfy stays queued without blocking others', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(
    new WorkerProcess({
      main,
      deviceId: 'phone',
      stateDir: join(dir.path, 'phone'),
      args: ['--role', 'mobile', '--tags', 'battery,arm'],
    }),
  );
  procs.add(
    new WorkerProcess({
      main,
      deviceId: 'nas',
      stateDir: join(dir.path, 'nas'),
      args: ['--role', 'storage', '--tags', 'disk', '--deny', 'python_eval'],
    }),
  );
  await main.waitForDevice('phone');
  await main.waitForDevice('nas');

  // Submitted first, so that it would block everything behind it if the queue were strictly FIFO.
  const impossible = await main.submit({ task_type: 'echo', requirements: { required_platform: 'plan9' } });
  const cases = [
    { requirements: { required_role: 'mobile' }, expect: 'phone' },
    { requirements: { required_role: 'storage' }, expect: 'nas' },
    { requirements: { required_tags: ['battery', 'arm'] }, expect: 'phone' },
    { requirements: { required_tags: ['disk'] }, expect: 'nas' },
    { requirements: { device_id: 'nas' }, expect: 'nas' },
    { requirements: { device_id: 'phone' }, expect: 'phone' },
  ];
  for (const c of cases) {
    for (let i = 0; i < 3; i++) {
      const id = await main.submit({ task_type: 'echo', payload: c, requirements: c.requirements });
      const task = await main.waitForTask(id);
      assert.equal(task.status, 'success');
      assert.equal(task.assigned_device_id, c.expect, JSON.stringify(c.requirements));
    }
  }
  // The nas denies python_eval, so those always land on the phone.
  const py = await main.submit({ task_type: 'python_eval', payload: { expression: '6*7' } });
  const pyTask = await main.waitForTask(py);
  assert.equal(pyTask.assigned_device_id, 'phone');
  assert.equal(pyTask.result.result_data.result, 42);
  // A huge memory requirement fits nobody either.
  const tooBig = await main.submit({ task_type: 'echo', requirements: { min_memory_gb: 100_000 } });

  for (const id of [impossible, tooBig]) {
    const task = await main.task(id);
    assert.equal(task.status, 'queued');
    assert.equal(task.attempt, 0);
  }
});

test('higher priority runs first; equal priority runs oldest first', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const worker = procs.add(
    new WorkerProcess({
      main,
      deviceId: 'solo',
      stateDir: join(dir.path, 'solo'),
      args: ['--max-tasks', '1'],
    }),
  );
  await main.waitForDevice(worker.deviceId);

  // Hold the only slot while the queue fills up; the tasks then run one at a time and append to a file.
  const blocker = await main.submit({ task_type: 'sleep', payload: { duration: 60 } });
  await main.waitForTask(blocker, (t) => t.status === 'running');
  const log = join(dir.path, 'order.log');
  const order = ['low', 'normal', 'urgent', 'high', 'normal', 'urgent'] as const;
  const ids: string[] = [];
  for (const [i, priority] of order.entries()) {
    ids.push(
      await main.submit({
        task_type: 'shell_command',
        priority,
        payload: { command: `echo ${i} >> ${log}` },
      }),
    );
  }
  await main.api('POST', `/api/v1/tasks/${blocker}/cancel`);

  const tasks = await Promise.all(ids.map((id) => main.waitForTask(id)));
  assert.ok(tasks.every((t) => t.status === 'success'));
  const ran = readFileSync(log, 'utf8').trim().split('\n').map(Number);
  assert.deepEqual(ran, [2, 5, 3, 1, 4, 0], 'urgent, urgent, high, normal, normal, low');
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

test('200 echo tasks run on two workers and all return the right result', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  for (const id of ['alpha', 'beta']) {
    procs.add(
      new WorkerProcess({ main, deviceId: id, stateDir: join(dir.path, id), args: ['--max-tasks', '4'] }),
    );
  }
  await main.waitForDevice('alpha');
  await main.waitForDevice('beta');

  const batch = Array.from({ length: 200 }, (_, i) => ({ task_type: 'echo', payload: { n: i } }));
  const submitted = await main.api('POST', '/api/v1/tasks', batch);
  assert.equal(submitted.status, 201);
  const ids: string[] = submitted.body.data.tasks.map((t: { task_id: string }) => t.task_id);
  assert.equal(ids.length, 200);

  const tasks = await waitFor(
    async () => {
      const all = await Promise.all(ids.map((id) => main.task(id)));
      return all.every((t) => t.status === 'success') ? all : null;
    },
    60_000,
    'all 200 tasks to succeed',
  );
  tasks.forEach((task, i) => {
    assert.deepEqual(task.result.result_data, { echo: { n: i } });
    assert.equal(task.attempt, 1);
  });
  const perDevice = new Map<string, number>();
  for (const task of tasks)
    perDevice.set(task.assigned_device_id, (perDevice.get(task.assigned_device_id) ?? 0) + 1);
  assert.deepEqual([...perDevice.keys()].sort(), ['alpha', 'beta'], 'both workers ran tasks');
});

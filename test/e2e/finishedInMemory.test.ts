import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';

test('old finished tasks leave memory but not the API: found by id, listed, events, idempotency key still honoured', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(
    await MainProcess.start({
      dataDir: join(dir.path, 'main'),
      env: { RC_FINISHED_TASKS_IN_MEMORY: '3' },
    }),
  );
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');

  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const created = await main.api('POST', '/api/v1/tasks', {
      task_type: 'echo',
      payload: { n: i },
      idempotency_key: `job-${i}`,
    });
    assert.equal(created.status, 201);
    ids.push(created.body.data.task_id);
    await main.waitForTask(created.body.data.task_id);
  }

  const oldest = await main.api('GET', `/api/v1/tasks/${ids[0]}`);
  assert.equal(oldest.status, 200);
  assert.equal(oldest.body.data.task.status, 'success');
  assert.deepEqual(oldest.body.data.task.result.result_data, { echo: { n: 0 } });
  const events = await main.api('GET', `/api/v1/tasks/${ids[0]}/events`);
  assert.deepEqual(
    events.body.data.events.map((e: any) => e.type),
    ['task.submitted', 'task.assigned', 'task.started', 'task.success'],
  );
  const listed = await main.api('GET', '/api/v1/tasks?status=success&page_size=100');
  assert.equal(listed.body.data.pagination.total, 12);

  // The key of a task the main node no longer holds still names that task (the store keeps it
  // unique: creating a second one would make the commit fail).
  const again = await main.api('POST', '/api/v1/tasks', { task_type: 'echo', idempotency_key: 'job-0' });
  assert.equal(again.status, 200);
  assert.equal(again.body.data.created, false);
  assert.equal(again.body.data.task_id, ids[0]);
  const batch = await main.api('POST', '/api/v1/tasks', [
    { task_type: 'echo', idempotency_key: 'job-1' },
    { task_type: 'echo', idempotency_key: 'job-new' },
  ]);
  assert.equal(batch.status, 201);
  assert.equal(batch.body.data.tasks[0].task_id, ids[1]);
  assert.notEqual(batch.body.data.tasks[1].task_id, ids[1]);
  await main.waitForTask(batch.body.data.tasks[1].task_id);

  const health = await main.api('GET', '/api/v1/cluster/health');
  assert.equal(health.status, 200, 'the main node is still up');
});

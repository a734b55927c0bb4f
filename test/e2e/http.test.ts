import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';

test('the minimal HTTP API: envelope, validation naming the field, 404s, idempotency, devices, status', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(
    new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1'), args: ['--role', 'compute'] }),
  );
  await main.waitForDevice('w1');

  const created = await main.api('POST', '/api/v1/tasks', {
    task_type: 'echo',
    payload: { a: 1 },
    priority: 'high',
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.status, 'success');
  assert.equal(typeof created.body.timestamp, 'string');
  assert.equal(typeof created.body.request_id, 'string');
  assert.equal(created.body.data.task.task_id, created.body.data.task_id);
  assert.equal(created.body.data.task.priority, 'high');
  const done = await main.waitForTask(created.body.data.task_id);
  assert.equal(done.status, 'success');
  assert.equal(done.assigned_device_id, 'w1');
  assert.deepEqual(done.error_history, []);

  const invalid = await main.api('POST', '/api/v1/tasks', {
    task_type: 'echo',
    priority: 'asap',
    timeout_seconds: -1,
  });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.body.status, 'error');
  assert.equal(invalid.body.error_code, 'VALIDATION_ERROR');
  assert.match(invalid.body.message, /priority/);
  assert.match(invalid.body.message, /timeout_seconds/);

  const notJson = await main.api('POST', '/api/v1/tasks', '{"task_type":');
  assert.equal(notJson.status, 400);
  assert.match(notJson.body.message, /not valid JSON/);

  const missingType = await main.api('POST', '/api/v1/tasks', { payload: 1 });
  assert.equal(missingType.status, 400);
  assert.match(missingType.body.message, /task_type/);

  const unknownTask = await main.api('GET', '/api/v1/tasks/does-not-exist');
  assert.equal(unknownTask.status, 404);
  assert.equal(unknownTask.body.error_code, 'TASK_NOT_FOUND');
  const unknownRoute = await main.api('GET', '/api/v1/nothing-here');
  assert.equal(unknownRoute.status, 404);

  const first = await main.api('POST', '/api/v1/tasks', { task_type: 'echo', idempotency_key: 'once' });
  const second = await main.api('POST', '/api/v1/tasks', { task_type: 'echo', idempotency_key: 'once' });
  assert.equal(first.status, 201);
  assert.equal(second.status, 200);
  assert.equal(second.body.data.created, false);
  assert.equal(second.body.data.task_id, first.body.data.task_id);

  const alias = await main.api('POST', '/api/v1/tasks', {
    task_type: 'command',
    payload: { command: 'echo hi' },
  });
  assert.equal(alias.body.data.task.task_type, 'shell_command');
  assert.equal((await main.waitForTask(alias.body.data.task_id)).result.result_data.stdout, 'hi\n');

  const devices = await main.api('GET', '/api/v1/devices?role=compute');
  assert.equal(devices.body.data.devices.length, 1);
  const [device] = devices.body.data.devices;
  assert.equal(device.device_id, 'w1');
  assert.equal(device.status, 'online');
  assert.equal(device.role, 'compute');
  assert.equal(device.platform, process.platform);
  assert.ok(device.cpu_count >= 1);
  assert.equal('secret_hash' in device, false);
  assert.equal((await main.api('GET', '/api/v1/devices?role=storage')).body.data.devices.length, 0);

  const status = await main.api('GET', '/api/v1/cluster/status');
  assert.equal(status.body.data.cluster_stats.total_devices, 1);
  assert.equal(status.body.data.cluster_stats.online_devices, 1);
  assert.ok(status.body.data.tasks_by_status.success >= 3);
});

test('a task cancelled while queued never runs; a failed task can be retried', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const queued = await main.submit({ task_type: 'echo' });
  const cancelled = await main.api('POST', `/api/v1/tasks/${queued}/cancel`);
  assert.equal(cancelled.body.data.task.status, 'cancelled');

  const failing = await main.submit({
    task_type: 'shell_command',
    payload: { command: 'exit 4' },
    max_retries: 1,
  });
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  const failed = await main.waitForTask(failing);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.attempt, 2, 'one retry was spent');
  assert.equal(failed.error_history.length, 2);
  assert.equal(failed.result.result_data.return_code, 4);
  assert.equal((await main.task(queued)).attempt, 0, 'the cancelled task was never assigned');

  const retried = await main.api('POST', `/api/v1/tasks/${failing}/retry`);
  assert.equal(retried.status, 200);
  assert.ok(['queued', 'assigned', 'running'].includes(retried.body.data.task.status));
  assert.equal(retried.body.data.task.retry_count, 0, 'a manual retry gets a fresh budget');
  const again = await main.waitForTask(failing);
  assert.equal(again.status, 'failed');
  assert.equal(again.attempt, 4);
});

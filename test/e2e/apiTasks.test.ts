import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { RawDevice } from '../helpers/rawDevice.ts';
import { tempDir } from '../helpers/tempDir.ts';

test('the task API: batch submit, listing, status, result, events, cancel/retry, statistics, types', async (t) => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');
  const renderer = await RawDevice.register({
    port: main.tcpPort,
    joinToken: main.joinToken,
    deviceId: 'renderer',
    taskTypes: ['render.frames'],
  });
  t.after(() => renderer.close());

  const batch = await main.api('POST', '/api/v1/tasks', [
    { task_type: 'echo', payload: { n: 1 }, priority: 'high' },
    { task_type: 'echo', payload: { n: 2 }, priority: 'low' },
    { task_type: 'echo', payload: { n: 3 }, priority: 'high', metadata: { batch: 'b1' } },
  ]);
  const ids: string[] = batch.body.data.tasks.map((task: any) => task.task_id);
  const done = await Promise.all(ids.map((id) => main.waitForTask(id)));

  await t.test('a batch is created whole: 201 with data.tasks[]', () => {
    assert.equal(batch.status, 201);
    assert.equal(batch.body.data.count, 3);
    assert.equal(new Set(ids).size, 3);
    assert.deepEqual(
      done.map((task) => task.status),
      ['success', 'success', 'success'],
    );
  });

  await t.test('an invalid batch is refused whole, naming the bad element', async () => {
    const before = (await main.api('GET', '/api/v1/tasks')).body.data.pagination.total;
    const bad = await main.api('POST', '/api/v1/tasks', [
      { task_type: 'echo' },
      { task_type: 'echo', priority: 'asap' },
    ]);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error_code, 'VALIDATION_ERROR');
    assert.match(bad.body.message, /tasks\[1\]: priority/);
    assert.equal((await main.api('GET', '/api/v1/tasks')).body.data.pagination.total, before);
  });

  await t.test('result, status and events of a finished task', async () => {
    const result = await main.api('GET', `/api/v1/tasks/${ids[0]}/result`);
    assert.equal(result.status, 200);
    assert.equal(result.body.data.task_id, ids[0]);
    assert.equal(result.body.data.status, 'success');
    assert.deepEqual(result.body.data.result_data, { echo: { n: 1 } });
    assert.equal(result.body.data.device_id, 'w1');
    assert.equal(typeof result.body.data.completed_at, 'string');

    const status = await main.api('GET', `/api/v1/tasks/${ids[0]}/status`);
    assert.equal(status.body.data.status, 'success');
    assert.equal(status.body.data.is_terminal, true);
    assert.equal(status.body.data.can_retry, false, 'a success is not retried');
    assert.equal(status.body.data.attempt, 1);

    const events = await main.api('GET', `/api/v1/tasks/${ids[0]}/events`);
    assert.equal(events.status, 200);
    const types = events.body.data.events.map((e: any) => e.type);
    assert.equal(types[0], 'task.submitted');
    assert.ok(types.indexOf('task.assigned') > 0);
    assert.equal(types.at(-1), 'task.success');
    assert.equal(events.body.data.count, types.length);
    const eventIds = events.body.data.events.map((e: any) => e.id);
    assert.deepEqual(
      eventIds,
      [...eventIds].sort((a: number, b: number) => a - b),
      'oldest first',
    );
    for (const event of events.body.data.events) {
      assert.equal(event.task_id, ids[0]);
      assert.match(event.at, /^\d{4}-\d\d-\d\dT/);
    }
  });

  await t.test('no result until there is one; cancel once (then 409); retry only what failed', async () => {
    const stuck = await main.submit({ task_type: 'nobody.runs.this' });
    const noResult = await main.api('GET', `/api/v1/tasks/${stuck}/result`);
    assert.equal(noResult.status, 404);
    assert.equal(noResult.body.error_code, 'NO_TASK_RESULT');
    assert.equal(typeof noResult.body.request_id, 'string');
    const queued = await main.api('GET', `/api/v1/tasks/${stuck}/status`);
    assert.equal(queued.body.data.status, 'queued');
    assert.equal(queued.body.data.is_terminal, false);
    assert.equal(queued.body.data.can_retry, false);

    assert.equal((await main.api('POST', `/api/v1/tasks/${stuck}/cancel`)).status, 200);
    const again = await main.api('POST', `/api/v1/tasks/${stuck}/cancel`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error_code, 'INVALID_STATE');
    const cancelled = await main.api('GET', `/api/v1/tasks/${stuck}/status`);
    assert.equal(cancelled.body.data.is_terminal, true);
    assert.equal(cancelled.body.data.can_retry, true);
    assert.equal((await main.api('GET', `/api/v1/tasks/${stuck}/result`)).body.data.status, 'cancelled');

    const retrySuccess = await main.api('POST', `/api/v1/tasks/${ids[0]}/retry`);
    assert.equal(retrySuccess.status, 409);
    assert.equal(retrySuccess.body.error_code, 'INVALID_STATE');
    const retried = await main.api('POST', `/api/v1/tasks/${stuck}/retry`);
    assert.equal(retried.status, 200);
    assert.equal(retried.body.data.task.status, 'queued');
    await main.api('POST', `/api/v1/tasks/${stuck}/cancel`);
  });

  await t.test('the listing: newest first, filters, pagination, validation', async () => {
    const failing = await main.submit({
      task_type: 'shell_command',
      payload: { command: 'exit 3' },
      max_retries: 0,
    });
    await main.waitForTask(failing);
    const all = await main.api('GET', '/api/v1/tasks');
    assert.equal(all.status, 200);
    const listed = all.body.data.tasks.map((task: any) => task.task_id);
    assert.equal(listed[0], failing, 'newest first');
    assert.deepEqual(listed.slice(-3), [...ids].reverse());
    assert.equal(all.body.data.pagination.total, 5);
    assert.equal(all.body.data.count, 5);

    const success = await main.api('GET', '/api/v1/tasks?status=success');
    assert.deepEqual(success.body.data.tasks.map((task: any) => task.task_id).sort(), [...ids].sort());
    const high = await main.api('GET', '/api/v1/tasks?priority=high&task_type=echo');
    assert.deepEqual(
      high.body.data.tasks.map((task: any) => task.task_id),
      [ids[2], ids[0]],
    );
    const onW1 = await main.api('GET', '/api/v1/tasks?device_id=w1');
    assert.equal(onW1.body.data.pagination.total, 4);
    const failed = await main.api('GET', '/api/v1/tasks?status=failed&task_type=shell_command');
    assert.deepEqual(
      failed.body.data.tasks.map((task: any) => task.task_id),
      [failing],
    );
    const alias = await main.api('GET', '/api/v1/tasks?task_type=command');
    assert.equal(alias.body.data.pagination.total, 1, 'type aliases resolve as on submit');

    const page2 = await main.api('GET', '/api/v1/tasks?page=2&page_size=2');
    assert.deepEqual(
      page2.body.data.tasks.map((task: any) => task.task_id),
      listed.slice(2, 4),
    );
    assert.deepEqual(page2.body.data.pagination, {
      page: 2,
      page_size: 2,
      total: 5,
      total_pages: 3,
      has_next: true,
      has_prev: true,
    });
    const past = await main.api('GET', '/api/v1/tasks?page=9&page_size=2');
    assert.deepEqual(past.body.data.tasks, []);

    for (const query of ['status=done', 'priority=asap', 'page=0', 'page_size=101', 'page_size=x']) {
      const bad = await main.api('GET', `/api/v1/tasks?${query}`);
      assert.equal(bad.status, 400, query);
      assert.equal(bad.body.error_code, 'VALIDATION_ERROR');
    }
  });

  await t.test('statistics over the whole history', async () => {
    const stats = await main.api('GET', '/api/v1/tasks/statistics');
    assert.equal(stats.status, 200);
    const data = stats.body.data;
    assert.equal(data.total, 5);
    assert.equal(data.by_status.success, 3);
    assert.equal(data.by_status.failed, 1);
    assert.equal(data.by_status.cancelled, 1);
    assert.equal(data.success_rate, 75);
    assert.equal(data.recent.by_type.echo.success, 3);
    assert.equal(data.recent.by_priority.high, 2);
    assert.ok(data.recent.finished_last_minute >= 5);
    assert.ok(data.recent.duration_ms.count >= 3);
  });

  await t.test('types: the built-ins plus what online workers accept', async () => {
    const types = await main.api('GET', '/api/v1/tasks/types');
    assert.equal(types.status, 200);
    const byName = new Map(types.body.data.task_types.map((entry: any) => [entry.task_type, entry]));
    for (const builtin of ['echo', 'sleep', 'system_info', 'python_eval', 'shell_command', 'http_request'])
      assert.equal((byName.get(builtin) as any)?.builtin, true, builtin);
    assert.deepEqual(byName.get('echo'), { task_type: 'echo', builtin: true, devices: ['w1'] });
    assert.deepEqual(byName.get('render.frames'), {
      task_type: 'render.frames',
      builtin: false,
      devices: ['renderer'],
    });
    assert.equal(types.body.data.count, byName.size);
  });

  await t.test('unknown tasks are 404 TASK_NOT_FOUND on every task route', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/tasks/nope'],
      ['GET', '/api/v1/tasks/nope/status'],
      ['GET', '/api/v1/tasks/nope/result'],
      ['GET', '/api/v1/tasks/nope/events'],
      ['GET', '/api/v1/tasks/nope/wait?timeout=0'],
      ['POST', '/api/v1/tasks/nope/cancel'],
      ['POST', '/api/v1/tasks/nope/retry'],
    ] as const) {
      const response = await main.api(method, path);
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.body.error_code, 'TASK_NOT_FOUND');
    }
    const badWait = await main.api('GET', `/api/v1/tasks/${ids[0]}/wait?timeout=soon`);
    assert.equal(badWait.status, 400);
    const waited = await main.api('GET', `/api/v1/tasks/${ids[0]}/wait?timeout=5`);
    assert.equal(waited.body.data.is_terminal, true);
  });
});

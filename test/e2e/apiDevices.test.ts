import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { RawDevice } from '../helpers/rawDevice.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

const ids = (body: any): string[] => body.data.devices.map((d: any) => d.device_id);

test('the device API: filters, pagination, summary, detail, status, drain, undrain, delete', async (t) => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const worker = (id: string, role: string, tags: string) =>
    procs.add(
      new WorkerProcess({
        main,
        deviceId: id,
        stateDir: join(dir.path, id),
        args: ['--role', role, '--tags', tags],
      }),
    );
  worker('w1', 'compute', 'gpu,fast');
  worker('w2', 'storage', 'fast');
  worker('w3', 'compute', 'slow');
  await Promise.all(['w1', 'w2', 'w3'].map((id) => main.waitForDevice(id)));
  const ghost = await RawDevice.register({
    port: main.tcpPort,
    joinToken: main.joinToken,
    deviceId: 'ghost',
    taskTypes: ['sleep'],
  });
  t.after(() => ghost.close());

  await t.test('list: sorted by id, paged, with a pagination block', async () => {
    const all = await main.api('GET', '/api/v1/devices');
    assert.equal(all.status, 200);
    assert.deepEqual(ids(all.body), ['ghost', 'w1', 'w2', 'w3']);
    assert.deepEqual(all.body.data.pagination, {
      page: 1,
      page_size: 50,
      total: 4,
      total_pages: 1,
      has_next: false,
      has_prev: false,
    });
    const first = await main.api('GET', '/api/v1/devices?page_size=3');
    assert.deepEqual(ids(first.body), ['ghost', 'w1', 'w2']);
    assert.equal(first.body.data.pagination.has_next, true);
    const second = await main.api('GET', '/api/v1/devices?page_size=3&page=2');
    assert.deepEqual(ids(second.body), ['w3']);
    assert.equal(second.body.data.count, 1);
    assert.equal(second.body.data.pagination.has_prev, true);
    assert.equal(second.body.data.pagination.total_pages, 2);
  });

  await t.test('filters: status, role, platform, tags (all must match)', async () => {
    const get = async (query: string) => ids((await main.api('GET', `/api/v1/devices?${query}`)).body);
    assert.deepEqual(await get('role=compute'), ['w1', 'w3']);
    assert.deepEqual(await get('tags=fast'), ['w1', 'w2']);
    assert.deepEqual(await get('tags=fast,gpu'), ['w1']);
    assert.deepEqual(await get('tags=gpu,slow'), []);
    assert.deepEqual(await get('role=compute&tags=slow'), ['w3']);
    assert.deepEqual(await get('status=online'), ['ghost', 'w1', 'w2', 'w3']);
    assert.deepEqual(await get('status=offline'), []);
    assert.deepEqual(await get(`platform=${process.platform}&role=storage`), ['w2']);
    assert.deepEqual(await get('platform=android'), []);
    for (const query of ['status=sleepy', 'page=0', 'page_size=101', 'page_size=-1']) {
      const bad = await main.api('GET', `/api/v1/devices?${query}`);
      assert.equal(bad.status, 400, query);
      assert.equal(bad.body.error_code, 'VALIDATION_ERROR');
    }
  });

  await t.test('summary: counts, capacity and one row per device', async () => {
    const summary = (await main.api('GET', '/api/v1/devices/summary')).body.data;
    assert.equal(summary.total, 4);
    assert.equal(summary.online, 4);
    assert.equal(summary.by_status.online, 4);
    assert.deepEqual(summary.by_role, { worker: 1, compute: 2, storage: 1 });
    assert.equal(summary.capacity.slots_total, 7, 'three workers with 2 slots, one raw device with 1');
    assert.deepEqual(
      summary.devices.map((row: any) => row.device_id),
      ['ghost', 'w1', 'w2', 'w3'],
    );
  });

  await t.test('detail and status: profile, metrics, heartbeat history, running tasks', async () => {
    const detail = await waitFor(async () => {
      const { body } = await main.api('GET', '/api/v1/devices/w1');
      return body.data.heartbeats.length > 0 ? body.data : null;
    }, 15_000);
    assert.equal(detail.device.device_id, 'w1');
    assert.equal(detail.device.role, 'compute');
    assert.deepEqual(detail.device.tags, ['gpu', 'fast']);
    assert.equal('secret_hash' in detail.device, false);
    assert.ok(detail.latest_metrics);
    assert.match(detail.heartbeats[0].at, /^\d{4}-/);
    assert.ok('cpu_percent' in detail.heartbeats[0].metrics);

    const sleeping = await main.submit({
      task_type: 'sleep',
      payload: { duration: 1 },
      requirements: { device_id: 'w1' },
    });
    await main.waitForTask(sleeping, (task) => task.status === 'running');
    const busy = (await main.api('GET', '/api/v1/devices/w1')).body.data;
    assert.deepEqual(
      busy.running_tasks.map((task: any) => task.task_id),
      [sleeping],
    );
    const status = (await main.api('GET', '/api/v1/devices/w1/status')).body.data;
    assert.equal(status.status, 'online');
    assert.equal(status.online, true);
    assert.equal(status.running_tasks, 1);
    assert.equal(status.free_slots, 1);
    assert.equal(typeof status.seconds_since_last_seen, 'number');
    assert.equal((await main.waitForTask(sleeping)).status, 'success');
  });

  await t.test('drain: running tasks finish, nothing new is placed; undrain takes it back', async () => {
    const running = await main.submit({
      task_type: 'sleep',
      payload: { duration: 1 },
      requirements: { device_id: 'w2' },
    });
    await main.waitForTask(running, (task) => task.status === 'running');
    const drained = await main.api('POST', '/api/v1/devices/w2/drain');
    assert.equal(drained.status, 200);
    assert.equal(drained.body.data.device.status, 'draining');
    assert.equal(drained.body.data.device.draining, true);
    const pinned = await main.submit({ task_type: 'echo', requirements: { device_id: 'w2' } });
    // Submitted later, placed in the same kind of pass: once it ran, the pinned one had its chance.
    const later = await main.submit({ task_type: 'echo', requirements: { device_id: 'w3' } });
    assert.equal((await main.waitForTask(later)).status, 'success');
    assert.equal((await main.waitForTask(running)).status, 'success', 'what was running finishes');
    assert.equal((await main.task(pinned)).status, 'queued', 'a draining device gets nothing new');
    const status = (await main.api('GET', '/api/v1/devices/w2/status')).body.data;
    assert.equal(status.status, 'draining');
    assert.equal(status.online, true);
    assert.deepEqual(ids((await main.api('GET', '/api/v1/devices?status=draining')).body), ['w2']);

    const undrained = await main.api('POST', '/api/v1/devices/w2/undrain');
    assert.equal(undrained.body.data.device.status, 'online');
    const done = await main.waitForTask(pinned);
    assert.equal(done.status, 'success');
    assert.equal(done.assigned_device_id, 'w2');
  });

  await t.test('delete: the device is forgotten and the tasks it held go back to the queue', async () => {
    const held = await main.submit({
      task_type: 'sleep',
      payload: { duration: 30 },
      requirements: { device_id: 'ghost' },
    });
    await ghost.waitFor((m) => m.message_type === 'task_assign' && m.data.task.task_id === held);
    const removed = await main.api('DELETE', '/api/v1/devices/ghost');
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body.data, { device_id: 'ghost', removed: true, requeued_tasks: [held] });
    const task = await main.task(held);
    assert.equal(task.status, 'queued');
    assert.equal(task.retry_count, 0, 'a removal spends no retry');
    await waitFor(() => ghost.closed, 5000, 'the removed device to be disconnected');
    const gone = await main.api('GET', '/api/v1/devices/ghost');
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error_code, 'DEVICE_NOT_FOUND');
    await main.api('POST', `/api/v1/tasks/${held}/cancel`);
  });

  await t.test('unknown devices are 404 DEVICE_NOT_FOUND on every device route', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/devices/nope'],
      ['GET', '/api/v1/devices/nope/status'],
      ['POST', '/api/v1/devices/nope/drain'],
      ['POST', '/api/v1/devices/nope/undrain'],
      ['DELETE', '/api/v1/devices/nope'],
    ] as const) {
      const response = await main.api(method, path);
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.body.error_code, 'DEVICE_NOT_FOUND');
      assert.equal(typeof response.body.request_id, 'string');
    }
  });
});

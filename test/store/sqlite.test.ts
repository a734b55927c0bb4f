import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import type { ClusterEvent } from '../../src/core/cluster.ts';
import type { Device } from '../../src/core/device.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { batch, heartbeat, makeDevice, makeFinishedTask, makeTask } from './fixtures/sample.ts';

/** What load() must give back: the same device, minus the slots it holds (rebuilt from tasks). */
function asLoaded(device: Device): Device {
  return { ...structuredClone(device), running: new Map() };
}

test('commit then load round-trips tasks and devices exactly', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  const tasks = [
    makeTask(1),
    makeTask(2, {
      status: 'assigned',
      attempt: 1,
      assigned_device_id: 'dev-a',
      assigned_at: 'x',
      not_before: 17,
    }),
    makeTask(3, { idempotency_key: 'key-3', priority: 'urgent', payload: 'plain string' }),
    makeFinishedTask(4, 'success'),
    makeFinishedTask(5, 'failed'),
  ];
  const devices = [
    makeDevice('dev-a'),
    makeDevice('dev-b', { state: 'offline', draining: true, metrics: null, disconnected_at: 9 }),
  ];
  {
    await using store = SqliteStore.open(path);
    await store.commit(batch({ tasks, devices }));
    const snapshot = await store.load({ recentFinished: 10 });
    assert.deepEqual(snapshot.tasks, tasks);
    assert.deepEqual(snapshot.devices, devices.map(asLoaded));
    assert.deepEqual(await store.getTask('task-000003'), tasks[2]);
    assert.equal(await store.getTask('nope'), null);
  }
  // And after a reopen, with later versions of the same rows replacing the earlier ones.
  {
    await using store = SqliteStore.open(path);
    const done = makeFinishedTask(1, 'cancelled');
    const drained = makeDevice('dev-a', { draining: true, state: 'disconnected', disconnected_at: 42 });
    await store.commit(batch({ tasks: [done], devices: [drained] }));
    const snapshot = await store.load({ recentFinished: 10 });
    assert.deepEqual(snapshot.tasks, [done, ...tasks.slice(1)]);
    assert.deepEqual(snapshot.devices, [asLoaded(drained), asLoaded(devices[1]!)]);
  }
});

test('commit copies the batch before it returns', async () => {
  using dir = tempDir();
  await using store = SqliteStore.open(join(dir.path, 'rc.db'));
  const task = makeTask(1);
  const pending = store.commit(batch({ tasks: [task] }));
  task.status = 'running';
  task.payload = 'changed after commit returned';
  await pending;
  assert.deepEqual(await store.getTask(task.task_id), makeTask(1));
});

test('load returns every unfinished task and only the most recent finished ones', async () => {
  using dir = tempDir();
  await using store = SqliteStore.open(join(dir.path, 'rc.db'));
  const finished = ['success', 'failed', 'cancelled', 'timeout'] as const;
  const tasks = [];
  for (let seq = 1; seq <= 20; seq++) {
    if (seq % 2 === 0) tasks.push(makeFinishedTask(seq, finished[seq % 4]!));
    else
      tasks.push(
        makeTask(seq, { status: (['pending', 'queued', 'assigned', 'running'] as const)[seq % 4]! }),
      );
  }
  await store.commit(batch({ tasks }));
  const seqs = async (recentFinished: number) =>
    (await store.load({ recentFinished })).tasks.map((task) => task.seq);
  const odd = [1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  assert.deepEqual(await seqs(0), odd);
  assert.deepEqual(
    await seqs(3),
    [...odd, 16, 18, 20].sort((a, b) => a - b),
  );
  assert.deepEqual(
    await seqs(1000),
    tasks.map((task) => task.seq),
  );
  assert.deepEqual(
    await seqs(Infinity),
    tasks.map((task) => task.seq),
  );
});

test('task events come back oldest first, and eventsAfter pages through every event', async () => {
  using dir = tempDir();
  await using store = SqliteStore.open(join(dir.path, 'rc.db'));
  const events: ClusterEvent[] = [
    {
      id: 1,
      type: 'task.submitted',
      at: 1,
      task_id: 'task-000001',
      data: { task_type: 'echo', priority: 'normal' },
    },
    { id: 2, type: 'device.online', at: 2, device_id: 'dev-a' },
    { id: 3, type: 'task.assigned', at: 3, task_id: 'task-000001', device_id: 'dev-a', data: { attempt: 1 } },
  ];
  const more: ClusterEvent[] = [
    { id: 4, type: 'task.submitted', at: 4, task_id: 'task-000002' },
    { id: 5, type: 'task.success', at: 5, task_id: 'task-000001', device_id: 'dev-a' },
  ];
  await store.commit(batch({ events }));
  await store.commit(batch({ events: more }));

  const all = await store.eventsAfter(0, 100);
  assert.deepEqual(all, [...events, ...more], 'stored with the ids the cluster gave them');
  const ids = all.map((event) => event.id);
  assert.equal((await store.load({ recentFinished: 0 })).lastEventId, 5);

  assert.deepEqual(await store.eventsAfter(ids[1]!, 2), all.slice(2, 4));
  assert.deepEqual(await store.eventsAfter(ids[4]!, 10), []);
  assert.deepEqual(
    (await store.taskEvents('task-000001')).map((event) => event.type),
    ['task.submitted', 'task.assigned', 'task.success'],
  );
  assert.deepEqual(await store.taskEvents('unknown'), []);
});

test("a task's events are found whether they came with its row, without it, or before it", async () => {
  using dir = tempDir();
  await using store = SqliteStore.open(join(dir.path, 'rc.db'));
  const ev = (id: number, type: string, taskId: string): ClusterEvent => ({
    id,
    type,
    at: id,
    task_id: taskId,
  });
  // Before its row: stored as an event of an unknown task.
  await store.commit(batch({ events: [ev(1, 'task.note', 'task-000001')] }));
  // With its row, twice (the same batch as the insert, then as an update).
  await store.commit(batch({ tasks: [makeTask(1)], events: [ev(2, 'task.submitted', 'task-000001')] }));
  await store.commit(
    batch({
      tasks: [makeTask(1, { status: 'assigned' }), makeTask(2)],
      events: [
        ev(3, 'task.assigned', 'task-000001'),
        ev(4, 'task.submitted', 'task-000002'),
        ev(5, 'task.started', 'task-000001'),
      ],
    }),
  );
  // Without its row (a fenced result, say).
  await store.commit(batch({ events: [ev(6, 'task.result_fenced', 'task-000001')] }));
  await store.commit(
    batch({ tasks: [makeTask(1, { status: 'success' })], events: [ev(7, 'task.success', 'task-000001')] }),
  );

  assert.deepEqual(
    (await store.taskEvents('task-000001')).map((event) => [event.id, event.type]),
    [
      [1, 'task.note'],
      [2, 'task.submitted'],
      [3, 'task.assigned'],
      [5, 'task.started'],
      [6, 'task.result_fenced'],
      [7, 'task.success'],
    ],
  );
  assert.deepEqual(
    (await store.taskEvents('task-000002')).map((event) => event.id),
    [4],
  );
  await store.close();
  // And after a restart, from the file.
  await using again = SqliteStore.open(join(dir.path, 'rc.db'));
  assert.equal((await again.taskEvents('task-000001')).length, 6);
});

test('heartbeat history keeps the newest samples per device, newest first', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  await using store = SqliteStore.open(path, { heartbeatHistory: 5 });
  await store.commit(batch({ devices: [makeDevice('dev-a'), makeDevice('dev-b')] }));
  await store.commit(batch({ heartbeats: [heartbeat('dev-b', 1), heartbeat('dev-b', 2)] }));
  let at = 100;
  for (let round = 0; round < 3; round++) {
    const samples = [1, 2, 3, 4].map(() => heartbeat('dev-a', at++));
    await store.commit(batch({ heartbeats: samples }));
  }
  assert.deepEqual(
    await store.heartbeats('dev-a', 100),
    [111, 110, 109, 108, 107].map((t) => heartbeat('dev-a', t)),
  );
  assert.deepEqual(await store.heartbeats('dev-a', 2), [heartbeat('dev-a', 111), heartbeat('dev-a', 110)]);
  assert.deepEqual(await store.heartbeats('dev-b', 100), [heartbeat('dev-b', 2), heartbeat('dev-b', 1)]);

  // Pruned for real, not only hidden by the limit.
  const db = new DatabaseSync(path, { readOnly: true });
  assert.equal(db.prepare("SELECT count(*) AS n FROM heartbeats WHERE device_id = 'dev-a'").get()!.n, 5);
  db.close();
});

test('removed devices are deleted with their heartbeats', async () => {
  using dir = tempDir();
  await using store = SqliteStore.open(join(dir.path, 'rc.db'));
  await store.commit(
    batch({
      devices: [makeDevice('dev-a'), makeDevice('dev-b'), makeDevice('dev-c')],
      heartbeats: [heartbeat('dev-a', 1), heartbeat('dev-b', 1), heartbeat('dev-c', 1)],
    }),
  );
  // dev-c is removed and joins again within one batch: only its new self remains.
  const rejoined = makeDevice('dev-c', { secret_hash: 'cd'.repeat(32) });
  await store.commit(
    batch({
      removedDevices: ['dev-a', 'dev-c'],
      devices: [rejoined],
      // A sample taken before the removal in the same batch must not outlive the device.
      heartbeats: [heartbeat('dev-a', 2), heartbeat('dev-c', 2)],
    }),
  );
  const { devices } = await store.load({ recentFinished: 0 });
  assert.deepEqual(devices, [asLoaded(makeDevice('dev-b')), asLoaded(rejoined)]);
  assert.deepEqual(await store.heartbeats('dev-a', 10), []);
  assert.deepEqual(await store.heartbeats('dev-b', 10), [heartbeat('dev-b', 1)]);
  assert.deepEqual(await store.heartbeats('dev-c', 10), [heartbeat('dev-c', 2)]);
});

test('a failing commit rolls back the whole batch and the store stays usable', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  await using store = SqliteStore.open(path);
  const first = makeTask(1, { idempotency_key: 'same-key' });
  await store.commit(
    batch({ tasks: [first], events: [{ id: 1, type: 'task.submitted', at: 1, task_id: first.task_id }] }),
  );
  const before = await store.load({ recentFinished: 100 });

  const bad = batch({
    devices: [makeDevice('dev-a')],
    tasks: [makeTask(2), makeTask(3, { idempotency_key: 'same-key' }), makeTask(4)],
    heartbeats: [heartbeat('dev-a', 1)],
    events: [{ id: 2, type: 'task.submitted', at: 2, task_id: 'task-000002' }],
  });
  await assert.rejects(store.commit(bad), (error: Error) => {
    assert.equal(error.name, 'StoreError');
    assert.match(error.message, new RegExp(`cannot write to store ${path}: .*UNIQUE constraint failed`));
    assert.ok(error.cause instanceof Error);
    return true;
  });
  assert.deepEqual(await store.load({ recentFinished: 100 }), before);
  assert.equal((await store.eventsAfter(0, 100)).length, 1);
  assert.deepEqual(await store.heartbeats('dev-a', 10), []);

  await store.commit(batch({ tasks: [makeTask(2)] }));
  assert.deepEqual(await store.getTask('task-000002'), makeTask(2));
});

test('listTasks filters, pages newest first and counts every match', async () => {
  using dir = tempDir();
  await using store = SqliteStore.open(join(dir.path, 'rc.db'));
  const tasks = [];
  for (let seq = 1; seq <= 30; seq++) {
    tasks.push(
      makeTask(seq, {
        status: seq % 3 === 0 ? 'running' : 'queued',
        task_type: seq % 2 === 0 ? 'sleep' : 'echo',
        priority: seq <= 10 ? 'high' : 'normal',
        assigned_device_id: seq % 3 === 0 ? `dev-${seq % 2}` : null,
      }),
    );
  }
  await store.commit(batch({ tasks }));
  const seqs = async (query: Parameters<SqliteStore['listTasks']>[0]) => {
    const page = await store.listTasks(query);
    return { total: page.total, seqs: page.tasks.map((task) => task.seq) };
  };
  assert.deepEqual(await seqs({ limit: 3, offset: 0 }), { total: 30, seqs: [30, 29, 28] });
  assert.deepEqual(await seqs({ limit: 3, offset: 28 }), { total: 30, seqs: [2, 1] });
  assert.deepEqual(await seqs({ status: 'running', limit: 100, offset: 0 }), {
    total: 10,
    seqs: [30, 27, 24, 21, 18, 15, 12, 9, 6, 3],
  });
  assert.deepEqual(await seqs({ status: 'running', task_type: 'sleep', limit: 2, offset: 1 }), {
    total: 5,
    seqs: [24, 18],
  });
  assert.deepEqual(await seqs({ priority: 'high', task_type: 'echo', limit: 10, offset: 0 }), {
    total: 5,
    seqs: [9, 7, 5, 3, 1],
  });
  assert.deepEqual(await seqs({ device_id: 'dev-1', limit: 10, offset: 0 }), {
    total: 5,
    seqs: [27, 21, 15, 9, 3],
  });
  assert.deepEqual(await seqs({ status: 'failed', limit: 10, offset: 0 }), { total: 0, seqs: [] });
  assert.deepEqual((await store.listTasks({ limit: 1, offset: 0 })).tasks, [tasks[29]]);
});

test('a closed store refuses further use with a clear error', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  const store = SqliteStore.open(path);
  await store.close();
  await store.close();
  await assert.rejects(store.commit(batch()), new RegExp(`cannot use store ${path}: it is closed`));
  await assert.rejects(store.load({ recentFinished: 1 }), /closed/);
});

test('a batch of 10k tasks commits in one fast transaction', async (t) => {
  using dir = tempDir();
  await using store = SqliteStore.open(join(dir.path, 'rc.db'));
  const rates: number[] = [];
  for (let round = 0; round < 3; round++) {
    const tasks = Array.from({ length: 10_000 }, (_, i) => makeTask(round * 10_000 + i + 1));
    const started = performance.now();
    await store.commit(batch({ tasks }));
    rates.push(Math.round(10_000 / ((performance.now() - started) / 1000)));
  }
  t.diagnostic(`task upserts/s per 10k-task batch: ${rates.join(', ')}`);
  // A loose floor, so a loaded machine does not fail it; the target is well above 50k/s.
  assert.ok(Math.max(...rates) > 5_000, `only ${Math.max(...rates)} tasks/s`);
  assert.equal((await store.listTasks({ limit: 0, offset: 0 })).total, 30_000);
});

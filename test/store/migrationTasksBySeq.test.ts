import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { applyMigrations, readMigrations } from '../../src/store/migrations.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { batch, makeFinishedTask, makeTask } from './fixtures/sample.ts';

test('0003 re-keys tasks and events by seq without losing a row, and the store works on them', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  // A store as the previous version left it: tasks keyed by id, events with an AUTOINCREMENT id.
  const old = new DatabaseSync(path);
  applyMigrations(
    old,
    readMigrations().filter((m) => m.version < 3),
  );
  const tasks = [makeTask(1), makeFinishedTask(2, 'success'), makeTask(3, { status: 'running' })];
  const insertTask = old.prepare(`INSERT INTO tasks (task_id, seq, status, priority, task_type,
    assigned_device_id, idempotency_key, created_at, completed_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const t of tasks) {
    insertTask.run(
      t.task_id,
      t.seq,
      t.status,
      t.priority,
      t.task_type,
      t.assigned_device_id,
      t.idempotency_key,
      t.created_at,
      t.completed_at,
      JSON.stringify(t),
    );
  }
  const insertEvent = old.prepare(
    'INSERT INTO task_events (task_id, device_id, type, at, data) VALUES (?, ?, ?, ?, ?)',
  );
  insertEvent.run('task-000002', null, 'task.submitted', 1, null);
  insertEvent.run(null, 'dev-a', 'device.online', 2, null);
  insertEvent.run('task-000002', 'dev-a', 'task.success', 3, '{"x":1}');
  insertEvent.run('gone-task', null, 'task.submitted', 4, null);
  old.close();

  await using store = SqliteStore.open(path);
  const snapshot = await store.load({ recentFinished: 10 });
  assert.deepEqual(snapshot.tasks, tasks);
  assert.equal(snapshot.lastEventId, 4);
  assert.deepEqual(
    (await store.taskEvents('task-000002')).map((e) => [e.id, e.type, e.data]),
    [
      [1, 'task.submitted', undefined],
      [3, 'task.success', { x: 1 }],
    ],
  );
  assert.deepEqual(
    (await store.taskEvents('gone-task')).map((e) => e.id),
    [4],
  );
  assert.deepEqual(await store.getTask('task-000003'), tasks[2]);

  // Updates of migrated rows and inserts of new ones both land.
  const done = makeFinishedTask(3, 'failed');
  await store.commit(
    batch({
      tasks: [done, makeTask(4)],
      events: [{ id: 5, type: 'task.failed', at: 5, task_id: 'task-000003' }],
    }),
  );
  assert.deepEqual(await store.getTask('task-000003'), done);
  assert.equal((await store.listTasks({ status: 'queued', limit: 10, offset: 0 })).total, 2);
  assert.deepEqual(
    (await store.taskEvents('task-000003')).map((e) => e.type),
    ['task.failed'],
  );
});

test('a task committed again updates its row; one whose seq belongs to another task is refused', async () => {
  using dir = tempDir();
  await using store = SqliteStore.open(join(dir.path, 'rc.db'));
  await store.commit(batch({ tasks: [makeTask(2), makeTask(1)] }));
  await store.commit(
    batch({ tasks: [makeTask(1, { status: 'running' }), makeTask(1, { status: 'success' })] }),
  );
  assert.equal((await store.getTask('task-000001'))!.status, 'success');
  assert.equal((await store.listTasks({ limit: 10, offset: 0 })).total, 2);
  await assert.rejects(store.commit(batch({ tasks: [makeTask(2, { task_id: 'someone-else' })] })), {
    name: 'StoreError',
  });
  assert.equal((await store.getTask('task-000002'))!.task_id, 'task-000002');
});

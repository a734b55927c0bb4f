import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import type { Task } from '../../src/core/task.ts';
import { applyMigrations, readMigrations } from '../../src/store/migrations.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { batch, makeFinishedTask, makeTask } from './fixtures/sample.ts';

/** Every field a task can have, the optional ones included, in the order the cluster makes them. */
function fullTask(seq: number): Task {
  return {
    ...makeFinishedTask(seq, 'success'),
    idempotency_key: `key-${seq}`,
    not_before: 1234,
    speculative: true,
    speculative_copy: { device_id: 'dev-b', attempt: 3 },
    last_attempt: 3,
  };
}

test('a stored task holds in data only what its columns do not, and reads back equal, fields in order', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  const tasks = [fullTask(1), makeTask(2), makeTask(3, { status: 'running', assigned_device_id: 'dev-a' })];
  {
    await using store = SqliteStore.open(path);
    await store.commit(batch({ tasks }));
    for (const task of tasks) {
      const back = (await store.getTask(task.task_id))!;
      assert.deepEqual(back, task);
      assert.deepEqual(Object.keys(back), Object.keys(task), 'same field order as in memory');
    }
    const listed = await store.listTasks({ limit: 10, offset: 0 });
    assert.deepEqual(listed.tasks, [...tasks].reverse());
    assert.deepEqual(await store.getTaskByIdempotencyKey('key-1'), tasks[0]);
  }
  const db = new DatabaseSync(path, { readOnly: true });
  const data = JSON.parse(String(db.prepare('SELECT data FROM tasks WHERE seq = 1').get()!.data)) as object;
  db.close();
  for (const column of [
    'task_id',
    'status',
    'priority',
    'task_type',
    'assigned_device_id',
    'created_at',
    'seq',
  ]) {
    assert.ok(!(column in data), `${column} is a column, not in data`);
  }
  assert.deepEqual((data as { payload: unknown }).payload, tasks[0]!.payload);

  await using reopened = SqliteStore.open(path);
  const snapshot = await reopened.load({ recentFinished: 10 });
  assert.deepEqual(snapshot.tasks, tasks);
});

test('rows written whole by the version before 0004 read the same, and the columns win', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  const old = new DatabaseSync(path);
  applyMigrations(
    old,
    readMigrations().filter((m) => m.version < 4),
  );
  const task = fullTask(1);
  old
    .prepare(
      `INSERT INTO tasks (seq, task_id, status, priority, task_type, assigned_device_id, idempotency_key,
        created_at, completed_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      1,
      task.task_id,
      'failed',
      task.priority,
      task.task_type,
      task.assigned_device_id,
      task.idempotency_key,
      task.created_at,
      task.completed_at,
      JSON.stringify(task),
    );
  old.close();

  await using store = SqliteStore.open(path);
  const back = (await store.getTask(task.task_id))!;
  assert.deepEqual(back, { ...task, status: 'failed' });
  assert.deepEqual(Object.keys(back), Object.keys(task));
});

test('an event of a stored task keeps only its seq, and every reader gives its task id back', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  const task = makeTask(1);
  await using store = SqliteStore.open(path);
  await store.commit(
    batch({
      tasks: [task],
      events: [
        { id: 1, type: 'task.submitted', at: 10, task_id: task.task_id },
        {
          id: 2,
          type: 'task.assigned',
          at: 11,
          task_id: task.task_id,
          device_id: 'dev-a',
          data: { attempt: 1 },
        },
        { id: 3, type: 'task.result_fenced', at: 12, task_id: 'not-stored' },
        { id: 4, type: 'device.online', at: 13, device_id: 'dev-a' },
      ],
    }),
  );
  const db = new DatabaseSync(path, { readOnly: true });
  const rows = db.prepare('SELECT id, task_id, task_seq FROM task_events ORDER BY id').all();
  db.close();
  assert.deepEqual(
    rows.map((r) => [r.id, r.task_id, r.task_seq]),
    [
      [1, null, 1],
      [2, null, 1],
      [3, 'not-stored', null],
      [4, null, null],
    ],
  );
  const expected = [
    { id: 1, type: 'task.submitted', at: 10, task_id: task.task_id },
    { id: 2, type: 'task.assigned', at: 11, task_id: task.task_id, device_id: 'dev-a', data: { attempt: 1 } },
    { id: 3, type: 'task.result_fenced', at: 12, task_id: 'not-stored' },
    { id: 4, type: 'device.online', at: 13, device_id: 'dev-a' },
  ];
  assert.deepEqual(await store.eventsAfter(0, 10), expected);
  assert.deepEqual(await store.recentEvents(3), expected.slice(1));
  assert.deepEqual(await store.taskEvents(task.task_id), expected.slice(0, 2));
  assert.deepEqual(await store.taskEvents('not-stored'), [expected[2]]);
});

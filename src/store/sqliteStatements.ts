/** The SQL the SQLite store runs, prepared once per connection and reused for every call. */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { TASK_COLUMNS } from './sqliteRows.ts';

/** Spelled as the statuses themselves, so SQLite walks `tasks_status` instead of the whole table. */
const UNFINISHED = `status IN ('pending', 'queued', 'assigned', 'running')`;
/**
 * An event of a task the store holds records the task's seq, not its id (a third of the row): the
 * id comes back through the seq. Events written before, and those of a task the store did not hold,
 * keep the id.
 */
const EVENT_COLUMNS = 'e.id, COALESCE(e.task_id, t.task_id) AS task_id, e.device_id, e.type, e.at, e.data';
const EVENTS = 'task_events e LEFT JOIN tasks t ON t.seq = e.task_seq';

export interface Statements {
  insertTask: StatementSync;
  updateTask: StatementSync;
  taskSeq: StatementSync;
  maxTaskSeq: StatementSync;
  upsertDevice: StatementSync;
  deleteDevice: StatementSync;
  revokeDevice: StatementSync;
  revokedDevices: StatementSync;
  deleteHeartbeats: StatementSync;
  insertHeartbeat: StatementSync;
  pruneHeartbeats: StatementSync;
  insertEvent: StatementSync;
  allDevices: StatementSync;
  unfinishedTasks: StatementSync;
  recentFinishedTasks: StatementSync;
  getTask: StatementSync;
  getTaskByIdempotencyKey: StatementSync;
  taskEvents: StatementSync;
  eventsAfter: StatementSync;
  recentEvents: StatementSync;
  lastEventId: StatementSync;
  heartbeats: StatementSync;
}

export function prepareStatements(db: DatabaseSync): Statements {
  const statements: Statements = {
    // Both take taskParams(): ?1 seq, ?2 task_id, ?3 status, ?4 priority, ?5 task_type,
    // ?6 assigned_device_id, ?7 idempotency_key, ?8 created_at, ?9 completed_at, ?10 data.
    insertTask: db.prepare(`
      INSERT INTO tasks (seq, task_id, status, priority, task_type, assigned_device_id, idempotency_key,
        created_at, completed_at, data)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`),
    // Only what changes after submission: SQLite rewrites an index entry for every indexed column
    // named in SET, changed or not. A task's id, type, priority, creation time and idempotency key
    // are set once (by the insert); matching the id too makes a seq reused by another task an error.
    updateTask: db.prepare(`
      UPDATE tasks SET status = ?3, assigned_device_id = ?6, completed_at = ?9, data = ?10
      WHERE seq = ?1 AND task_id = ?2`),
    taskSeq: db.prepare('SELECT seq FROM tasks WHERE task_id = ?'),
    maxTaskSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM tasks'),
    upsertDevice: db.prepare(`
      INSERT INTO devices (device_id, profile, state, draining, secret_hash, registered_at, last_seen,
        disconnected_at, metrics)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (device_id) DO UPDATE SET
        profile = excluded.profile, state = excluded.state, draining = excluded.draining,
        secret_hash = excluded.secret_hash, registered_at = excluded.registered_at,
        last_seen = excluded.last_seen, disconnected_at = excluded.disconnected_at,
        metrics = excluded.metrics`),
    deleteDevice: db.prepare('DELETE FROM devices WHERE device_id = ?'),
    revokeDevice: db.prepare('INSERT OR REPLACE INTO revoked_devices (device_id, revoked_at) VALUES (?, ?)'),
    revokedDevices: db.prepare('SELECT device_id FROM revoked_devices ORDER BY device_id'),
    deleteHeartbeats: db.prepare('DELETE FROM heartbeats WHERE device_id = ?'),
    insertHeartbeat: db.prepare('INSERT INTO heartbeats (device_id, at, metrics) VALUES (?, ?, ?)'),
    // Walks the device's newest rows backwards through the index and drops what lies past the limit.
    pruneHeartbeats: db.prepare(`
      DELETE FROM heartbeats WHERE id IN (
        SELECT id FROM heartbeats WHERE device_id = ?1 ORDER BY at DESC, id DESC LIMIT -1 OFFSET ?2)`),
    insertEvent: db.prepare(
      'INSERT INTO task_events (id, task_id, task_seq, device_id, type, at, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    allDevices: db.prepare('SELECT * FROM devices ORDER BY device_id'),
    unfinishedTasks: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks WHERE ${UNFINISHED} ORDER BY seq`),
    // `+status` keeps SQLite off the status index here: walking seq backwards stops after `limit`
    // rows, where the status index would make it sort the whole finished history first.
    recentFinishedTasks: db.prepare(`
      SELECT * FROM (
        SELECT ${TASK_COLUMNS} FROM tasks WHERE +status IN ('success', 'failed', 'cancelled', 'timeout')
        ORDER BY seq DESC LIMIT ?)
      ORDER BY seq`),
    getTask: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks WHERE task_id = ?`),
    getTaskByIdempotencyKey: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks WHERE idempotency_key = ?`),
    // Events of a task the store did not hold when they were written carry no seq: found by id.
    taskEvents: db.prepare(`
      SELECT e.id, ?1 AS task_id, e.device_id, e.type, e.at, e.data
      FROM task_events e WHERE e.task_seq = (SELECT seq FROM tasks WHERE task_id = ?1)
      UNION ALL
      SELECT e.id, e.task_id, e.device_id, e.type, e.at, e.data
      FROM task_events e WHERE e.task_seq IS NULL AND e.task_id = ?1
      ORDER BY id`),
    eventsAfter: db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENTS} WHERE e.id > ? ORDER BY e.id LIMIT ?`),
    recentEvents: db.prepare(
      `SELECT * FROM (SELECT ${EVENT_COLUMNS} FROM ${EVENTS} ORDER BY e.id DESC LIMIT ?) ORDER BY id`,
    ),
    lastEventId: db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM task_events'),
    heartbeats: db.prepare(
      'SELECT device_id, at, metrics FROM heartbeats WHERE device_id = ? ORDER BY at DESC, id DESC LIMIT ?',
    ),
  };
  for (const reader of [
    statements.unfinishedTasks,
    statements.recentFinishedTasks,
    statements.getTask,
    statements.getTaskByIdempotencyKey,
  ])
    reader.setReturnArrays(true);
  return statements;
}

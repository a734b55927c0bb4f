/** The SQL the SQLite store runs, prepared once per connection and reused for every call. */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** Must match the partial index `tasks_unfinished` word for word, or SQLite will not use it. */
const UNFINISHED = `status NOT IN ('success', 'failed', 'cancelled', 'timeout')`;

export interface Statements {
  upsertTask: StatementSync;
  upsertDevice: StatementSync;
  deleteDevice: StatementSync;
  deleteHeartbeats: StatementSync;
  insertHeartbeat: StatementSync;
  pruneHeartbeats: StatementSync;
  insertEvent: StatementSync;
  allDevices: StatementSync;
  unfinishedTasks: StatementSync;
  recentFinishedTasks: StatementSync;
  getTask: StatementSync;
  taskEvents: StatementSync;
  eventsAfter: StatementSync;
  recentEvents: StatementSync;
  lastEventId: StatementSync;
  heartbeats: StatementSync;
}

export function prepareStatements(db: DatabaseSync): Statements {
  return {
    upsertTask: db.prepare(`
      INSERT INTO tasks (task_id, seq, status, priority, task_type, assigned_device_id, idempotency_key,
        created_at, completed_at, data)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (task_id) DO UPDATE SET
        seq = excluded.seq, status = excluded.status, priority = excluded.priority,
        task_type = excluded.task_type, assigned_device_id = excluded.assigned_device_id,
        idempotency_key = excluded.idempotency_key, created_at = excluded.created_at,
        completed_at = excluded.completed_at, data = excluded.data`),
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
    deleteHeartbeats: db.prepare('DELETE FROM heartbeats WHERE device_id = ?'),
    insertHeartbeat: db.prepare('INSERT INTO heartbeats (device_id, at, metrics) VALUES (?, ?, ?)'),
    // Walks the device's newest rows backwards through the index and drops what lies past the limit.
    pruneHeartbeats: db.prepare(`
      DELETE FROM heartbeats WHERE id IN (
        SELECT id FROM heartbeats WHERE device_id = ?1 ORDER BY at DESC, id DESC LIMIT -1 OFFSET ?2)`),
    insertEvent: db.prepare(
      'INSERT INTO task_events (id, task_id, device_id, type, at, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    allDevices: db.prepare('SELECT * FROM devices ORDER BY device_id'),
    unfinishedTasks: db.prepare(`SELECT data FROM tasks WHERE ${UNFINISHED} ORDER BY seq`),
    // `+status` keeps SQLite off the status index here: walking seq backwards stops after `limit`
    // rows, where the status index would make it sort the whole finished history first.
    recentFinishedTasks: db.prepare(`
      SELECT data FROM (
        SELECT data, seq FROM tasks WHERE +status IN ('success', 'failed', 'cancelled', 'timeout')
        ORDER BY seq DESC LIMIT ?)
      ORDER BY seq`),
    getTask: db.prepare('SELECT data FROM tasks WHERE task_id = ?'),
    taskEvents: db.prepare('SELECT * FROM task_events WHERE task_id = ? ORDER BY id'),
    eventsAfter: db.prepare('SELECT * FROM task_events WHERE id > ? ORDER BY id LIMIT ?'),
    recentEvents: db.prepare(
      'SELECT * FROM (SELECT * FROM task_events ORDER BY id DESC LIMIT ?) ORDER BY id',
    ),
    lastEventId: db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM task_events'),
    heartbeats: db.prepare(
      'SELECT device_id, at, metrics FROM heartbeats WHERE device_id = ? ORDER BY at DESC, id DESC LIMIT ?',
    ),
  };
}

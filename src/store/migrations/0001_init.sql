-- Initial schema. Times the core keeps as numbers are INTEGER ms since the epoch; the ISO strings it
-- keeps stay TEXT. JSON columns hold what the store never queries by. No foreign keys: the journal
-- records state the main node has already accepted in memory, so a constraint between rows of
-- different tables (a heartbeat of a device removed in the same batch, an event of a task the
-- history no longer holds) must never fail a whole batch.

CREATE TABLE devices (
  device_id TEXT PRIMARY KEY,
  profile TEXT NOT NULL,
  state TEXT NOT NULL,
  draining INTEGER NOT NULL DEFAULT 0,
  secret_hash TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  last_seen INTEGER NOT NULL,
  disconnected_at INTEGER,
  metrics TEXT
) STRICT;

-- `data` is the whole task record, so load() restores it exactly; the other columns are copies of
-- its fields kept for filtering and ordering.
CREATE TABLE tasks (
  task_id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  status TEXT NOT NULL,
  priority TEXT NOT NULL,
  task_type TEXT NOT NULL,
  assigned_device_id TEXT,
  idempotency_key TEXT,
  created_at TEXT NOT NULL,
  completed_at TEXT,
  data TEXT NOT NULL
) STRICT;

CREATE INDEX tasks_seq ON tasks (seq);
CREATE INDEX tasks_status_seq ON tasks (status, seq);
CREATE INDEX tasks_type_seq ON tasks (task_type, seq);
CREATE INDEX tasks_device_seq ON tasks (assigned_device_id, seq);
CREATE UNIQUE INDEX tasks_idempotency_key ON tasks (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- Start-up reads every unfinished task; this stays small however long the finished history grows.
-- The WHERE clause must match the one in the load query word for word for SQLite to use it.
CREATE INDEX tasks_unfinished ON tasks (seq) WHERE status NOT IN ('success', 'failed', 'cancelled', 'timeout');

-- Task and device history (the name is kept from the design; device events have no task_id).
CREATE TABLE task_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id TEXT,
  device_id TEXT,
  type TEXT NOT NULL,
  at INTEGER NOT NULL,
  data TEXT
) STRICT;

CREATE INDEX task_events_task ON task_events (task_id, id) WHERE task_id IS NOT NULL;

-- Bounded per device: each commit that adds samples prunes that device's oldest ones.
CREATE TABLE heartbeats (
  id INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  metrics TEXT NOT NULL
) STRICT;

CREATE INDEX heartbeats_device_at ON heartbeats (device_id, at, id);

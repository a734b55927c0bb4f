/**
 * The embedded store: one SQLite file on `node:sqlite`, in WAL mode with `synchronous=NORMAL`
 * (a commit survives the process being killed; only a power loss can take the last few back).
 *
 * Every call runs synchronously on the one connection and returns a settled promise: the interface
 * is asynchronous only so that a networked store can implement it too. `commit` has therefore
 * written and serialised everything before it returns, as the Store contract asks. The WAL is
 * checkpointed from a background thread (walCheckpointer.ts).
 *
 * (Committing on a writer thread of its own was tried and measured: on two cores the copying and the
 * round trip cost more than the parallelism gave, at every worker count — see bench/README.md.)
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import type { HeartbeatSample } from '../core/cluster.ts';
import type { Task } from '../core/task.ts';
import { applyMigrations } from './migrations.ts';
import { encodeBatch, maxSeqAfter } from './sqliteBatch.ts';
import { BatchWriter } from './sqliteBatchWriter.ts';
import {
  type DeviceRow,
  type EventRow,
  type HeartbeatRow,
  rowToTask,
  type TaskRow,
  rowToDevice,
  rowToEvent,
  rowToHeartbeat,
} from './sqliteRows.ts';
import { type Statements, prepareStatements } from './sqliteStatements.ts';
import { TaskLister } from './sqliteTaskList.ts';
import type { Batch, Store, StoredEvent, StoreSnapshot, TaskListQuery, TaskPage } from './store.ts';
import { StoreError } from './storeError.ts';
import { CHECKPOINT_DEFAULTS, WalCheckpointer } from './walCheckpointer.ts';

export interface SqliteStoreOptions {
  /** Heartbeat samples kept per device; older ones are pruned by the commit that adds a newer one. */
  heartbeatHistory?: number;
  /** How long a write waits for a lock held by another connection (a backup tool, say). */
  busyTimeoutMs?: number;
  /** Checkpoint the WAL from a background thread (see walCheckpointer.ts); default true for files. */
  checkpointThread?: boolean;
}

export const SQLITE_DEFAULTS = { heartbeatHistory: 100, busyTimeoutMs: 5_000 } as const;

export class SqliteStore implements Store {
  readonly path: string;
  #db: DatabaseSync;
  #sql: Statements;
  #lister: TaskLister;
  /** The highest task seq stored: a task above it is new and is inserted without a lookup first. */
  #maxSeq: number;
  #closed = false;
  #backups = new Set<Promise<unknown>>();
  #checkpointer: WalCheckpointer | null;
  #writer: BatchWriter;

  private constructor(
    path: string,
    db: DatabaseSync,
    heartbeatHistory: number,
    checkpointer: WalCheckpointer | null,
  ) {
    this.path = path;
    this.#db = db;
    this.#checkpointer = checkpointer;
    this.#sql = prepareStatements(db);
    this.#lister = new TaskLister(db);
    this.#writer = new BatchWriter(db, this.#sql, heartbeatHistory);
    this.#maxSeq = Number((this.#sql.maxTaskSeq.get() as { seq: number | bigint }).seq);
  }

  /** Opens (creating if needed) the data file and brings its schema up to date. */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    const heartbeatHistory = options.heartbeatHistory ?? SQLITE_DEFAULTS.heartbeatHistory;
    if (!Number.isInteger(heartbeatHistory) || heartbeatHistory < 1) {
      throw new RangeError(`heartbeatHistory must be a positive integer, got ${heartbeatHistory}`);
    }
    let db: DatabaseSync | undefined;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new DatabaseSync(path, { timeout: options.busyTimeoutMs ?? SQLITE_DEFAULTS.busyTimeoutMs });
      const mode = db.prepare('PRAGMA journal_mode = WAL').get()?.journal_mode;
      if (mode !== 'wal' && path !== ':memory:') throw new Error(`journal_mode is ${String(mode)}, not wal`);
      db.exec('PRAGMA synchronous = NORMAL');
      applyMigrations(db);
      // SQLite opens a file it may not write read-only without a word; find out now, not at the
      // first commit of a running main node.
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
      const checkpointThread = (options.checkpointThread ?? true) && path !== ':memory:';
      if (checkpointThread)
        db.exec(`PRAGMA wal_autocheckpoint = ${CHECKPOINT_DEFAULTS.writerAutocheckpointPages}`);
      const checkpointer = checkpointThread ? new WalCheckpointer(path) : null;
      return new SqliteStore(path, db, heartbeatHistory, checkpointer);
    } catch (error) {
      if (db?.isOpen) db.close();
      throw new StoreError(path, `cannot open store ${path}`, error);
    }
  }

  async load(options: { recentFinished: number }): Promise<StoreSnapshot> {
    const sql = this.#live().#sql;
    const devices = (sql.allDevices.all() as unknown as DeviceRow[]).map(rowToDevice);
    const unfinished = sql.unfinishedTasks.all() as unknown as TaskRow[];
    // A negative LIMIT is no limit in SQLite: that is what an infinite request means.
    const limit = Number.isFinite(options.recentFinished)
      ? Math.max(0, Math.floor(options.recentFinished))
      : -1;
    const finished = sql.recentFinishedTasks.all(limit) as unknown as TaskRow[];
    const tasks = [...unfinished, ...finished].map(rowToTask);
    tasks.sort((a, b) => a.seq - b.seq);
    const lastEventId = Number((sql.lastEventId.get() as { id: number | bigint }).id);
    const revokedDevices = (sql.revokedDevices.all() as { device_id: string }[]).map((row) => row.device_id);
    return { devices, tasks, lastEventId, revokedDevices };
  }

  async commit(batch: Batch): Promise<void> {
    this.#live();
    const encoded = encodeBatch(batch, this.#maxSeq);
    try {
      this.#writer.commit(encoded);
    } catch (error) {
      throw new StoreError(this.path, `cannot write to store ${this.path}`, error);
    }
    this.#maxSeq = maxSeqAfter(encoded);
  }

  async getTask(taskId: string): Promise<Task | null> {
    const row = this.#live().#sql.getTask.get(taskId) as TaskRow | undefined;
    return row ? rowToTask(row) : null;
  }

  async getTaskByIdempotencyKey(key: string): Promise<Task | null> {
    const row = this.#live().#sql.getTaskByIdempotencyKey.get(key) as TaskRow | undefined;
    return row ? rowToTask(row) : null;
  }

  async listTasks(query: TaskListQuery): Promise<TaskPage> {
    return this.#live().#lister.list(query);
  }

  async taskEvents(taskId: string): Promise<StoredEvent[]> {
    return (this.#live().#sql.taskEvents.all(taskId) as unknown as EventRow[]).map(rowToEvent);
  }

  async eventsAfter(afterId: number, limit: number): Promise<StoredEvent[]> {
    return (this.#live().#sql.eventsAfter.all(afterId, limit) as unknown as EventRow[]).map(rowToEvent);
  }

  async recentEvents(limit: number): Promise<StoredEvent[]> {
    return (this.#live().#sql.recentEvents.all(limit) as unknown as EventRow[]).map(rowToEvent);
  }

  async heartbeats(deviceId: string, limit: number): Promise<HeartbeatSample[]> {
    return (this.#live().#sql.heartbeats.all(deviceId, limit) as unknown as HeartbeatRow[]).map(
      rowToHeartbeat,
    );
  }

  /**
   * Copies the database page by page off the main thread; commits made meanwhile on this connection
   * are folded into the copy, so it is consistent as of the moment it finishes.
   */
  async backup(destinationPath: string): Promise<void> {
    const db = this.#live().#db;
    if (resolve(destinationPath) === resolve(this.path)) {
      throw new StoreError(
        this.path,
        `cannot back up store ${this.path}`,
        new Error('the destination is the store itself'),
      );
    }
    const copy = (async () => {
      mkdirSync(dirname(destinationPath), { recursive: true });
      await backup(db, destinationPath);
    })();
    this.#backups.add(copy);
    try {
      await copy;
    } catch (error) {
      throw new StoreError(this.path, `cannot back up store ${this.path} to ${destinationPath}`, error);
    } finally {
      this.#backups.delete(copy);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // A backup still copying needs the connection; let it finish (or fail) first.
    await Promise.allSettled(this.#backups);
    // The checkpointer's connection closes first, so this one is the last and leaves no WAL behind.
    await this.#checkpointer?.close();
    try {
      this.#db.exec('PRAGMA optimize');
    } finally {
      this.#db.close();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #live(): this {
    if (this.#closed)
      throw new StoreError(this.path, `cannot use store ${this.path}`, new Error('it is closed'));
    return this;
  }
}

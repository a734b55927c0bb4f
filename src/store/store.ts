/**
 * Glossary
 * - store: the main node's journal. While a main node runs, its in-memory state is authoritative;
 *   the store is rebuilt from at start and written behind in batches.
 * - batch: every change made in one event-loop turn, committed in one transaction (group commit);
 *   nothing in a batch is acknowledged before `commit` resolves.
 *
 * The interface speaks in domain terms, never SQL, so a PostgreSQL store can implement it later.
 * `commit` must copy what it needs from the objects it is given before it returns (they keep changing).
 */
import type { Changes, ClusterEvent, HeartbeatSample } from '../core/cluster.ts';
import type { Device } from '../core/device.ts';
import type { Task } from '../core/task.ts';

export type Batch = Omit<Changes, 'effects' | 'notices'>;

export interface StoreSnapshot {
  devices: Device[];
  /** Every unfinished task, and the most recent finished ones (up to the limit asked for). */
  tasks: Task[];
  /** Events are numbered by the cluster; numbering continues after this one. */
  lastEventId: number;
  /** Ids removed by an administrator: they may not join again. */
  revokedDevices: string[];
}

export interface StoredEvent extends ClusterEvent {
  id: number;
}

/** Filters are ANDed; `device_id` matches the device a task is (or was last) assigned to. */
export interface TaskListQuery {
  status?: Task['status'];
  task_type?: string;
  priority?: Task['priority'];
  device_id?: string;
  limit: number;
  offset: number;
}

export interface TaskPage {
  /** Newest first (by submission order). */
  tasks: Task[];
  /** How many tasks match the filters, regardless of limit and offset. */
  total: number;
}

export interface Store {
  load(options: { recentFinished: number }): Promise<StoreSnapshot>;
  commit(batch: Batch): Promise<void>;
  getTask(taskId: string): Promise<Task | null>;
  /** The task submitted with this idempotency key, if any. */
  getTaskByIdempotencyKey(key: string): Promise<Task | null>;
  /** Every stored task, past what the main node keeps in memory. */
  listTasks(query: TaskListQuery): Promise<TaskPage>;
  taskEvents(taskId: string): Promise<StoredEvent[]>;
  /** Events with id greater than `afterId`, oldest first (for resuming live streams). */
  eventsAfter(afterId: number, limit: number): Promise<StoredEvent[]>;
  /** The last `limit` events, oldest first (for logs). */
  recentEvents(limit: number): Promise<StoredEvent[]>;
  heartbeats(deviceId: string, limit: number): Promise<HeartbeatSample[]>;
  /** A consistent copy of the store taken while it runs. */
  backup(destinationPath: string): Promise<void>;
  close(): Promise<void>;
}

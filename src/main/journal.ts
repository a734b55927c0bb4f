/**
 * Group commit: every change the cluster makes during one event-loop turn is written in one store
 * transaction; callers await `commit()` before acknowledging anything, and the effects of the batch
 * (messages to workers) go out only once it is durable. The journal also keeps one timer armed for
 * the cluster's next deadline, so nothing polls.
 */
import type { Clock } from '../core/clock.ts';
import type { Changes, Cluster } from '../core/cluster.ts';
import type { Store } from '../store/store.ts';
import type { Logger } from './logger.ts';

export interface JournalOptions {
  cluster: Cluster;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Called with each durable batch, in order. */
  onCommitted(changes: Changes): void;
  /** The store failed: memory and disk disagree from here on, so the node must stop. */
  onFatal(error: Error): void;
}

interface PendingBatch {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

export class Journal {
  #options: JournalOptions;
  #pending: PendingBatch | null = null;
  #flushing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #timerAt = Infinity;
  #closed = false;

  constructor(options: JournalOptions) {
    this.#options = options;
  }

  /** Resolves once every change made so far is durable. */
  commit(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the main node is shutting down'));
    if (!this.#pending) {
      let resolve!: () => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#pending = { promise, resolve, reject };
      setImmediate(() => {
        this.#flushing = this.#flushing.then(() => this.#flush());
      });
    }
    return this.#pending.promise;
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = null;
    if (!batch) return;
    const { cluster, store, clock } = this.#options;
    const now = clock.now();
    cluster.tick(now);
    cluster.schedule(now);
    const changes = cluster.takeChanges();
    try {
      if (!isEmpty(changes)) await store.commit(changes);
    } catch (error) {
      const failure = new Error(`store commit failed: ${(error as Error).message}`, { cause: error });
      batch.reject(failure);
      this.#options.onFatal(failure);
      return;
    }
    batch.resolve();
    this.#options.onCommitted(changes);
    this.#arm();
  }

  /** Keeps one timer for the earliest deadline; a later deadline never delays an earlier one. */
  #arm(): void {
    const next = this.#options.cluster.nextDeadline();
    if (this.#closed || next === null) return;
    if (this.#timer && this.#timerAt <= next) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = next;
    const delay = Math.max(0, Math.min(next - this.#options.clock.now(), 2 ** 31 - 1));
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#timerAt = Infinity;
      this.commit().catch(() => {});
    }, delay);
    this.#timer.unref();
  }

  /** Writes what is left, then refuses further commits. */
  async close(): Promise<void> {
    if (this.#pending) await this.commit().catch(() => {});
    await this.#flushing;
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
  }
}

function isEmpty(changes: Changes): boolean {
  return (
    changes.tasks.length === 0 &&
    changes.devices.length === 0 &&
    changes.events.length === 0 &&
    changes.heartbeats.length === 0 &&
    changes.removedDevices.length === 0
  );
}

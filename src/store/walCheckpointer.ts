/**
 * Moves the store's write-ahead log into the database file from a background thread.
 *
 * Why: SQLite checkpoints automatically inside the commit that crosses `wal_autocheckpoint`, on the
 * committing connection; with `synchronous=NORMAL` that checkpoint also fsyncs. On the main node
 * that connection lives on the event loop, so every thousand pages one commit stalled it for as long
 * as the disk took — while every worker waited for its acks. A PASSIVE checkpoint from a connection
 * of its own never blocks the writer, and the fsync happens off the event loop.
 *
 * The writer keeps a far larger `wal_autocheckpoint` as a safety net, should this thread stop.
 * Durability is unchanged: a commit is in the WAL before it returns, checkpoint or not.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** `.ts` in a checkout, `.js` in the published package (lib/). */
const THREAD = new URL(`./walCheckpointerThread${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export const CHECKPOINT_DEFAULTS = { intervalMs: 250, writerAutocheckpointPages: 100_000 } as const;

export class WalCheckpointer {
  #worker: Worker;
  #exited: Promise<void>;

  constructor(path: string, intervalMs: number = CHECKPOINT_DEFAULTS.intervalMs) {
    this.#worker = new Worker(THREAD, { workerData: { path, intervalMs } });
    // Never what keeps a process alive: the store's owner decides when to close it.
    this.#worker.unref();
    // A checkpointer that failed costs only disk space (the writer's safety net takes over).
    this.#worker.on('error', () => {});
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
  }

  /** Stops the thread and closes its connection (before the writer's, so the writer closes last). */
  async close(): Promise<void> {
    // Referenced again, or a process with nothing else to do would quit before the thread did.
    this.#worker.ref();
    this.#worker.postMessage('close');
    await this.#exited;
  }
}

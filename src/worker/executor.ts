/**
 * Glossary
 * - slot: room for one running task; a worker has `maxConcurrent` of them.
 * - run: one attempt of one task; identified by task id + attempt, so a cancel for an old attempt
 *   never stops the current one.
 * - abandon grace: how long a handler gets to report after its signal fired before the executor
 *   reports for it, so a handler that ignores its signal cannot hold a slot forever.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from './fsAsync.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskRef, TaskResultData, TaskSpec } from '../protocol/messages.ts';
import { isoAtMs } from '../protocol/isoTime.ts';
import { childEnv } from './tasks/childEnv.ts';
import { errorMessage, failed, type StopReason, stopped } from './tasks/outcome.ts';
import type { TaskHandler, TaskOutcome } from './tasks/taskHandler.ts';
import { resolveTaskType } from './tasks/taskType.ts';

export interface ExecutorOptions {
  handlers: ReadonlyMap<string, TaskHandler>;
  /** Canonical type names this worker runs (see selectTaskTypes). */
  acceptedTypes: readonly string[];
  maxConcurrent: number;
  /** Cap per output stream; default 1 MiB. */
  maxOutputBytes?: number;
  /** Environment for task processes; default: process.env without secrets and RC_* variables. */
  env?: NodeJS.ProcessEnv;
  systemInfo: () => Promise<unknown>;
  /** `http_request` may reach link-local addresses (cloud metadata); default false. */
  allowLinkLocal?: boolean;
  /** Default 5 s; see the glossary. */
  abandonGraceMs?: number;
  /** Problems that do not change a task's result (a temp dir that could not be removed). */
  onWarning?: (message: string, error: unknown) => void;
}

export type Acceptance = { ok: true } | { ok: false; reason: string };

interface RunningTask {
  ref: TaskRef;
  stop: Stop;
  done: Promise<TaskResultData>;
}

/**
 * How one attempt is stopped (timeout, cancel). The AbortSignal a handler sees is made the first
 * time the handler asks for it: most tasks finish before anything could stop them, and an
 * AbortController with its listeners costs more than an echo.
 */
class Stop {
  #controller: AbortController | null = null;
  #reason: StopReason | null = null;
  #onStop: (() => void) | null = null;

  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.#reason !== null) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get reason(): StopReason | null {
    return this.#reason;
  }

  stop(reason: StopReason): void {
    if (this.#reason !== null) return;
    this.#reason = reason;
    this.#controller?.abort(reason);
    this.#onStop?.();
  }

  /** Runs `callback` once stopped (at once if it already is). */
  onStop(callback: () => void): void {
    this.#onStop = callback;
    if (this.#reason !== null) callback();
  }
}

const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_SECONDS = 300;
const DEFAULT_ABANDON_GRACE_MS = 5_000;
const MAX_TIMER_MS = 2_147_483_647;
const STATUSES = new Set(['success', 'failed', 'timeout', 'cancelled']);

/** Runs task specs with their handlers, within the worker's slots, each in its own temp dir. */
export class Executor {
  readonly #options: ExecutorOptions;
  readonly #env: NodeJS.ProcessEnv;
  readonly #maxOutputBytes: number;
  readonly #running = new Map<string, RunningTask>();
  #closing = false;

  constructor(options: ExecutorOptions) {
    if (!Number.isInteger(options.maxConcurrent) || options.maxConcurrent < 1) {
      throw new RangeError(`maxConcurrent must be an integer >= 1, got ${options.maxConcurrent}`);
    }
    this.#maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    if (!Number.isInteger(this.#maxOutputBytes) || this.#maxOutputBytes < 1) {
      throw new RangeError(`maxOutputBytes must be an integer >= 1, got ${options.maxOutputBytes}`);
    }
    this.#options = options;
    this.#env = options.env ?? childEnv(process.env);
  }

  get size(): number {
    return this.#running.size;
  }

  running(): TaskRef[] {
    return [...this.#running.values()].map((task) => ({ ...task.ref }));
  }

  canAccept(spec: TaskSpec): Acceptance {
    if (this.#closing) return { ok: false, reason: 'the worker is shutting down' };
    const type = resolveTaskType(spec.task_type);
    if (!this.#options.acceptedTypes.includes(type) || !this.#options.handlers.has(type)) {
      return { ok: false, reason: `task type "${spec.task_type}" is not accepted by this worker` };
    }
    const current = this.#running.get(spec.task_id);
    if (current !== undefined) {
      return {
        ok: false,
        reason: `task ${spec.task_id} is already running (attempt ${current.ref.attempt})`,
      };
    }
    if (this.#running.size >= this.#options.maxConcurrent) {
      return {
        ok: false,
        reason: `no free slot (${this.#running.size} of ${this.#options.maxConcurrent} busy)`,
      };
    }
    return { ok: true };
  }

  /** Runs one task to its end. Never rejects: every problem becomes a result. */
  run(spec: TaskSpec): Promise<TaskResultData> {
    const startedAt = new Date();
    const acceptance = this.canAccept(spec);
    if (!acceptance.ok) {
      return Promise.resolve(resultOf(spec, failed(`rejected: ${acceptance.reason}`), startedAt));
    }
    const stop = new Stop();
    const done = this.#execute(spec, stop, startedAt).finally(() => this.#running.delete(spec.task_id));
    // Registered synchronously, so the slot is taken the moment run() returns.
    this.#running.set(spec.task_id, {
      ref: { task_id: spec.task_id, attempt: spec.attempt },
      stop,
      done,
    });
    return done;
  }

  /** Stops a running attempt; false if that attempt is not running here. */
  cancel(taskId: string, attempt: number): boolean {
    const task = this.#running.get(taskId);
    if (task === undefined || task.ref.attempt !== attempt) return false;
    task.stop.stop('cancelled');
    return true;
  }

  /** Cancels everything and waits until every task has reported. */
  async close(): Promise<void> {
    this.#closing = true;
    const tasks = [...this.#running.values()];
    for (const task of tasks) task.stop.stop('cancelled');
    await Promise.all(tasks.map((task) => task.done));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #execute(spec: TaskSpec, stop: Stop, startedAt: Date): Promise<TaskResultData> {
    const timeoutMs = timeoutOf(spec) * 1000;
    const timer = setTimeout(() => stop.stop('timeout'), Math.min(timeoutMs, MAX_TIMER_MS));
    let workDir: string | undefined;
    let outcome: TaskOutcome;
    try {
      const handler = this.#options.handlers.get(resolveTaskType(spec.task_type)) as TaskHandler;
      const work = handler.run({
        payload: spec.payload,
        get signal() {
          return stop.signal;
        },
        timeoutMs,
        maxOutputBytes: this.#maxOutputBytes,
        env: this.#env,
        allowLinkLocal: this.#options.allowLinkLocal ?? false,
        // Made on first use: most tasks (echo, sleep, http_request) never touch it, and creating and
        // removing a directory per task would cost them more than the task itself.
        get workDir() {
          return (workDir ??= mkdtempSync(join(tmpdir(), 'rc-task-')));
        },
        systemInfo: this.#options.systemInfo,
      });
      outcome = checkedOutcome(await this.#untilAbandoned(work, stop), handler.type);
    } catch (error) {
      outcome = failed(errorMessage(error));
    } finally {
      clearTimeout(timer);
    }
    if (workDir !== undefined) await this.#removeWorkDir(workDir);
    return resultOf(spec, outcome, startedAt);
  }

  /** The handler's outcome, or the executor's own once the handler overstays the abandon grace. */
  #untilAbandoned(work: Promise<TaskOutcome>, stop: Stop): Promise<TaskOutcome> {
    const graceMs = this.#options.abandonGraceMs ?? DEFAULT_ABANDON_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    return new Promise<TaskOutcome>((resolve, reject) => {
      stop.onStop(() => {
        timer = setTimeout(() => {
          const reason = stop.reason ?? 'cancelled';
          resolve(
            stopped(
              reason,
              `task ${reason === 'timeout' ? 'timed out' : 'was cancelled'}; its handler did not stop`,
            ),
          );
        }, graceMs);
      });
      work.then(
        (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  async #removeWorkDir(workDir: string): Promise<void> {
    try {
      await rm(workDir, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      this.#options.onWarning?.(`could not remove the task directory ${workDir}`, error);
    }
  }
}

/** The spec's timeout, or the default when it is missing or not a positive number. */
function timeoutOf(spec: TaskSpec): number {
  const seconds = spec.timeout_seconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? seconds
    : DEFAULT_TIMEOUT_SECONDS;
}

/** A handler outside this repo could return anything; the wire needs a valid terminal status. */
function checkedOutcome(outcome: unknown, type: string): TaskOutcome {
  const candidate = outcome as Partial<{ status: unknown; error: unknown }> | null;
  const valid =
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.status === 'string' &&
    STATUSES.has(candidate.status) &&
    (candidate.status === 'success' || typeof candidate.error === 'string');
  return valid ? (outcome as TaskOutcome) : failed(`the ${type} handler returned an invalid outcome`);
}

function resultOf(spec: TaskSpec, outcome: TaskOutcome, startedAt: Date): TaskResultData {
  const completedAt = new Date();
  const result: TaskResultData = { task_id: spec.task_id, attempt: spec.attempt, status: outcome.status };
  if (outcome.result_data !== undefined) result.result_data = outcome.result_data;
  if (outcome.status !== 'success') result.error = outcome.error;
  result.started_at = isoAtMs(startedAt.getTime());
  result.completed_at = isoAtMs(completedAt.getTime());
  result.duration_ms = completedAt.getTime() - startedAt.getTime();
  return result;
}

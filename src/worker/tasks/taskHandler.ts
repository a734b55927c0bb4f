/**
 * Glossary
 * - task handler: runs one task type on the worker. It must honour `signal` (stop promptly, killing
 *   any child process group) and never block the worker's event loop.
 * - outcome: what the handler reports; the executor adds the task id, attempt and timings.
 */
export interface TaskContext {
  payload: unknown;
  /** Aborted with reason 'timeout' or 'cancelled'. */
  signal: AbortSignal;
  timeoutMs: number;
  /** Cap per output stream (stdout, stderr, body); longer output is cut and flagged as truncated. */
  maxOutputBytes: number;
  /** Environment for child processes: the worker's own secrets are already removed. */
  env: NodeJS.ProcessEnv;
  /** Working directory for child processes (a per-task temp dir). */
  workDir: string;
  /** `http_request` may reach link-local addresses (cloud metadata, router pages): off by default. */
  allowLinkLocal: boolean;
  /** The device profile and current metrics, for `system_info`. */
  systemInfo(): Promise<unknown>;
}

export type TaskOutcome =
  | { status: 'success'; result_data: unknown }
  | { status: 'failed' | 'timeout' | 'cancelled'; error: string; result_data?: unknown };

export interface TaskHandler {
  readonly type: string;
  run(context: TaskContext): Promise<TaskOutcome>;
}

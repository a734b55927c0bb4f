import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskContext } from '../../src/worker/tasks/taskHandler.ts';

/** A context for calling a handler directly, with its own work dir and abort controller. */
export function taskContext(
  payload: unknown,
  overrides: Partial<TaskContext> = {},
): { context: TaskContext; controller: AbortController; [Symbol.dispose](): void } {
  const controller = new AbortController();
  const workDir = mkdtempSync(join(tmpdir(), 'rc-task-test-'));
  const context: TaskContext = {
    payload,
    signal: controller.signal,
    timeoutMs: 30_000,
    maxOutputBytes: 1024 * 1024,
    env: { ...process.env },
    workDir,
    allowLinkLocal: false,
    systemInfo: async () => ({ device_id: 'test-device' }),
    ...overrides,
  };
  return { context, controller, [Symbol.dispose]: () => rmSync(workDir, { recursive: true, force: true }) };
}

/**
 * Waiting for a task inside a tool call. The wait is a loop of short long-polls rather than one long
 * one, so that between polls the client gets a progress notification (when it sent a progress
 * token) — which also lets clients that reset their request timeout on progress wait longer — and a
 * cancelled request stops at once (the poll itself carries the request's abort signal).
 */
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { TaskView } from '../main/views.ts';
import type { ClusterApi } from './clusterClient.ts';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Between progress notifications. */
const PROGRESS_POLL_SECONDS = 2;
/** Without progress, one poll may be longer, but stays well under fetch's 300 s header timeout. */
const QUIET_POLL_SECONDS = 30;

export async function waitForTask(
  api: ClusterApi,
  taskId: string,
  waitSeconds: number,
  extra: ToolExtra,
): Promise<TaskView> {
  const progressToken = extra._meta?.progressToken;
  const started = Date.now();
  const deadline = started + waitSeconds * 1000;
  for (;;) {
    const remaining = Math.max(0, deadline - Date.now()) / 1000;
    const slice = Math.min(
      remaining,
      progressToken === undefined ? QUIET_POLL_SECONDS : PROGRESS_POLL_SECONDS,
    );
    const { task, is_terminal } = await api.wait(taskId, slice, extra.signal);
    extra.signal.throwIfAborted();
    if (is_terminal || Date.now() >= deadline) return task;
    if (progressToken !== undefined) {
      await extra.sendNotification({
        method: 'notifications/progress',
        params: {
          progressToken,
          progress: (Date.now() - started) / 1000,
          total: waitSeconds,
          message: describeProgress(task),
        },
      });
    }
  }
}

function describeProgress(task: TaskView): string {
  const where = task.assigned_device_id ? ` on ${task.assigned_device_id}` : '';
  return `task ${task.task_id} is ${task.status}${where} (attempt ${task.attempt})`;
}

/**
 * Waiting for a task to finish (`submit --wait`, `tasks wait`): long-polls the API, shows a live
 * spinner on a terminal, and on Ctrl+C stops waiting without touching the task.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { TaskView } from '../main/views.ts';
import { isTerminal } from '../protocol/messages.ts';
import { ApiError, type ApiClient } from './client.ts';
import { InterruptedError } from './errors.ts';
import { interruptible } from './interrupt.ts';
import { Spinner } from './spinner.ts';

export interface FollowOptions {
  /** Show the spinner (only when stderr is a terminal and output is for people). */
  spinner: boolean;
  /** Stop waiting after this many seconds and return the task as it is; unset waits for ever. */
  timeoutSeconds?: number;
  /** A Ctrl+C caught before the wait began. */
  interrupted?: AbortSignal;
}

export async function followTask(
  client: ApiClient,
  taskId: string,
  options: FollowOptions,
): Promise<TaskView> {
  const spinner = options.spinner ? new Spinner(`${taskId} waiting`) : null;
  const deadline =
    options.timeoutSeconds === undefined ? Infinity : Date.now() + options.timeoutSeconds * 1000;
  // On a terminal short polls keep the spinner's status current; scripts need only the end.
  const pollSeconds = spinner ? 1 : 30;
  const path = `/api/v1/tasks/${encodeURIComponent(taskId)}`;
  let longPoll = true;
  try {
    return await interruptible(async (signal) => {
      for (;;) {
        const wait = Math.min(pollSeconds, Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
        let task: TaskView;
        try {
          task = longPoll
            ? (await client.get<{ task: TaskView }>(`${path}/wait?timeout=${wait}`, signal)).task
            : await pollOnce(client, path, wait, signal);
        } catch (error) {
          if (signal.aborted) throw interrupted(taskId);
          // A standalone API server (`retire-cluster api`) has no /wait route: poll instead.
          if (longPoll && error instanceof ApiError && error.status === 404 && error.code === 'NOT_FOUND') {
            longPoll = false;
            continue;
          }
          throw error;
        }
        spinner?.update(describeProgress(task));
        if (isTerminal(task.status) || Date.now() >= deadline) return task;
        if (signal.aborted) throw interrupted(taskId);
      }
    }, options.interrupted);
  } finally {
    spinner?.stop();
  }
}

async function pollOnce(
  client: ApiClient,
  path: string,
  waitSeconds: number,
  signal: AbortSignal,
): Promise<TaskView> {
  const { task } = await client.get<{ task: TaskView }>(path, signal);
  if (!isTerminal(task.status) && waitSeconds > 0)
    await delay(Math.min(1000, waitSeconds * 1000), undefined, { signal });
  return task;
}

function describeProgress(task: TaskView): string {
  const where = task.assigned_device_id ? ` on ${task.assigned_device_id}` : '';
  const attempt = task.attempt > 1 ? ` (attempt ${task.attempt})` : '';
  return `${task.task_id} ${task.status}${where}${attempt}`;
}

function interrupted(taskId: string): InterruptedError {
  return new InterruptedError(
    `stopped waiting; task ${taskId} keeps running on the cluster.\n` +
      `Follow it with: retire-cluster tasks wait ${taskId}   (or: retire-cluster tasks show ${taskId})`,
  );
}

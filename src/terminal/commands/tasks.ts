/** `tasks list|submit|show|cancel|retry`. */
import type { TaskPageView } from '../../main/taskQueries.ts';
import type { TaskView } from '../../main/views.ts';
import { statusColour } from '../ansi.ts';
import { flagOn, flagValue, type Invocation, UsageError } from '../parse.ts';
import { describeTask, taskOutcome, taskTable } from '../render/tasks.ts';
import { enc, type Handler, query } from './context.ts';
import { tasksAsTable } from './lists.ts';

const DEFAULT_LIMIT = 20;
/** The API's cap on one wait. */
const WAIT_SECONDS = 300;

export const taskHandlers: Record<string, Handler> = {
  'tasks list': async (invocation, { client, paint, width }) => {
    const limit = Math.min(100, Number(flagValue(invocation, 'limit') ?? DEFAULT_LIMIT));
    const data = await client.json<TaskPageView>(
      'GET',
      `/api/v1/tasks${query({
        status: flagValue(invocation, 'status'),
        task_type: flagValue(invocation, 'type'),
        priority: flagValue(invocation, 'priority'),
        device_id: flagValue(invocation, 'device'),
        page_size: limit,
      })}`,
    );
    const format = flagValue(invocation, 'format') ?? 'table';
    if (format === 'json') return JSON.stringify(data.tasks, null, 2);
    if (format === 'csv' || format === 'tsv') return tasksAsTable(data.tasks, format);
    const total = data.pagination.total;
    const footer =
      total > data.tasks.length
        ? `${data.tasks.length} of ${total} tasks, newest first (--limit=N for more, export tasks for all)`
        : `${total} task${total === 1 ? '' : 's'}`;
    return `${taskTable(data.tasks, paint, width)}\n${paint.dim(footer)}`;
  },

  'tasks submit': async (invocation, { client, paint }) => {
    const { task_id: taskId, task } = await client.json<{ task_id: string; task: TaskView }>(
      'POST',
      '/api/v1/tasks',
      submission(invocation),
    );
    const created = `submitted ${taskId}  ${task.task_type} (${task.priority})`;
    if (!flagOn(invocation, 'wait'))
      return `${created}\n${paint.dim(`follow it with: tasks show ${taskId}`)}`;
    const { task: done, is_terminal: finished } = await client.json<{ task: TaskView; is_terminal: boolean }>(
      'GET',
      `/api/v1/tasks/${enc(taskId)}/wait${query({ timeout: WAIT_SECONDS })}`,
    );
    if (!finished) {
      return {
        output: `${created}\nstill ${paint[statusColour(done.status)](done.status)} after ${WAIT_SECONDS}s: tasks show ${taskId}`,
        exitCode: 1,
      };
    }
    return { output: taskOutcome(done, paint), exitCode: done.status === 'success' ? 0 : 1 };
  },

  'tasks show': async ({ args }, { client, paint }) => {
    const { task } = await client.json<{ task: TaskView }>('GET', `/api/v1/tasks/${enc(args[0]!)}`);
    return describeTask(task, paint);
  },

  'tasks cancel': async ({ args }, { client, paint }) => {
    const { task } = await client.json<{ task: TaskView }>(
      'POST',
      `/api/v1/tasks/${enc(args[0]!)}/cancel`,
      {},
    );
    return `${task.task_id}  ${paint[statusColour(task.status)](task.status)}`;
  },

  'tasks retry': async ({ args }, { client, paint }) => {
    const { task } = await client.json<{ task: TaskView }>(
      'POST',
      `/api/v1/tasks/${enc(args[0]!)}/retry`,
      {},
    );
    return `${task.task_id}  ${paint[statusColour(task.status)](task.status)}: it runs again`;
  },
};

/** The REST body for `tasks submit`; the API validates the rest and names any bad field. */
export function submission(invocation: Invocation): Record<string, unknown> {
  const body: Record<string, unknown> = { task_type: invocation.args[0] };
  const payload = flagValue(invocation, 'payload');
  if (payload !== undefined) body.payload = parsePayload(payload);
  const priority = flagValue(invocation, 'priority');
  if (priority) body.priority = priority;
  const timeout = flagValue(invocation, 'timeout');
  if (timeout) body.timeout_seconds = Number(timeout);
  const retries = flagValue(invocation, 'retries');
  if (retries) body.max_retries = Number(retries);
  const device = flagValue(invocation, 'device');
  if (device) body.requirements = { device_id: device };
  return body;
}

/** JSON when it looks like JSON (and then it must be valid); any other text is a string payload. */
export function parsePayload(text: string): unknown {
  const trimmed = text.trim();
  const looksLikeJson = /^[{["]/.test(trimmed) || /^(-?\d[\d.eE+-]*|true|false|null)$/.test(trimmed);
  if (!looksLikeJson) return text;
  try {
    return JSON.parse(trimmed);
  } catch (error) {
    if (!/^[{["]/.test(trimmed)) return text;
    throw new UsageError(`--payload is not valid JSON: ${(error as Error).message}`, [
      `quote it whole: --payload='{"key": "value"}'`,
    ]);
  }
}

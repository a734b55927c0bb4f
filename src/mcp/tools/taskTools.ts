/** Tools about tasks: submit_task, get_task, list_tasks, cancel_task, retry_task, wait_for_task. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { isTerminal } from '../../protocol/messages.ts';
import { MAX_WAIT_SECONDS, taskInputSchema, taskListQuerySchema } from '../../main/schemas.ts';
import type { TaskView } from '../../main/views.ts';
import type { ClusterApi } from '../clusterClient.ts';
import { taskSummary } from '../summaries.ts';
import { guarded, toolOk } from '../toolResult.ts';
import { waitForTask } from '../waitForTask.ts';

export const taskIdSchema = z.string().min(1).max(128).describe('the task id returned by submit_task');

export function waitSecondsSchema(byDefault: number): z.ZodDefault<z.ZodNumber> {
  return z
    .number()
    .min(0)
    .max(MAX_WAIT_SECONDS)
    .default(byDefault)
    .describe(
      `seconds to wait for the task to finish (0-${MAX_WAIT_SECONDS}); many MCP clients give up on a ` +
        'request after 60 s, so wait longer with repeated wait_for_task calls',
    );
}

const taskRef = z.object({ task_id: taskIdSchema });

export function registerTaskTools(server: McpServer, api: ClusterApi): void {
  server.registerTool(
    'submit_task',
    {
      title: 'Submit a task',
      description:
        'Queue a task on the cluster. Built-in types: echo (any payload), sleep {duration}, system_info, ' +
        'python_eval {expression | code}, shell_command {command, cwd?, env?, timeout?}, ' +
        'http_request {url, method?, headers?, body?, timeout?}. requirements pick the device ' +
        '(min_cpu_cores, min_memory_gb, required_platform, required_tags, device_id ...). With ' +
        'wait_seconds > 0 the call returns once the task finishes (or the wait ends) with its result.',
      inputSchema: taskInputSchema.extend({
        // The REST schemas, described for agents (describe() adds metadata, not validation).
        task_type: taskInputSchema.shape.task_type.describe('e.g. echo, sleep, shell_command, python_eval'),
        payload: taskInputSchema.shape.payload.describe(
          "the task type's input, e.g. {command} for shell_command",
        ),
        requirements: taskInputSchema.shape.requirements.describe(
          'what the device must offer; all must hold',
        ),
        timeout_seconds: taskInputSchema.shape.timeout_seconds.describe('per attempt (default 300)'),
        max_retries: taskInputSchema.shape.max_retries.describe(
          'retries after a failure or timeout (default 3)',
        ),
        idempotency_key: taskInputSchema.shape.idempotency_key.describe(
          'submitting again with the same key returns the first task instead of a new one',
        ),
        wait_seconds: waitSecondsSchema(0),
      }),
    },
    guarded(async ({ wait_seconds, ...input }, extra) => {
      const submitted = await api.submit(input, extra.signal);
      const task =
        wait_seconds > 0 && !isTerminal(submitted.task.status)
          ? await waitForTask(api, submitted.task_id, wait_seconds, extra)
          : submitted.task;
      const summary =
        (submitted.created ? '' : 'already submitted (same idempotency_key): ') + waitSummary(task);
      return toolOk(summary, { task_id: task.task_id, created: submitted.created, ...finished(task) });
    }),
  );

  server.registerTool(
    'get_task',
    {
      title: 'Get a task',
      description: 'A task with its status, attempt, assigned device, result and error history.',
      inputSchema: taskRef,
      annotations: { readOnlyHint: true },
    },
    guarded(async ({ task_id }, extra) => {
      const task = await api.task(task_id, extra.signal);
      return toolOk(taskSummary(task), finished(task));
    }),
  );

  server.registerTool(
    'list_tasks',
    {
      title: 'List tasks',
      description: 'Tasks, newest first, filtered by status, type, priority or device; paginated.',
      inputSchema: taskListQuerySchema,
      annotations: { readOnlyHint: true },
    },
    guarded(async (query, extra) => {
      const page = await api.tasks(query, extra.signal);
      const head = `${page.pagination.total} task(s)` + (page.pagination.has_next ? ' (more pages)' : '');
      return toolOk([head, ...page.tasks.map(taskSummary)].join('\n'), { ...page });
    }),
  );

  server.registerTool(
    'cancel_task',
    {
      title: 'Cancel a task',
      description: 'Cancel a task that has not finished; a running one is stopped on its device.',
      inputSchema: taskRef,
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    guarded(async ({ task_id }, extra) => {
      const task = await api.cancel(task_id, extra.signal);
      return toolOk(taskSummary(task), { task });
    }),
  );

  server.registerTool(
    'retry_task',
    {
      title: 'Retry a task',
      description: 'Queue a failed, timed-out or cancelled task again, as a new attempt.',
      inputSchema: taskRef,
    },
    guarded(async ({ task_id }, extra) => {
      const task = await api.retry(task_id, extra.signal);
      return toolOk(taskSummary(task), { task });
    }),
  );

  server.registerTool(
    'wait_for_task',
    {
      title: 'Wait for a task',
      description:
        'Wait until a task finishes or wait_seconds pass, then return it. Sends progress notifications ' +
        'while waiting when the request carries a progress token.',
      inputSchema: taskRef.extend({ wait_seconds: waitSecondsSchema(30) }),
      annotations: { readOnlyHint: true },
    },
    guarded(async ({ task_id, wait_seconds }, extra) => {
      const task = await waitForTask(api, task_id, wait_seconds, extra);
      return toolOk(waitSummary(task), finished(task));
    }),
  );
}

/** The task and whether it is done, so an agent need not know the list of terminal states. */
function finished(task: TaskView): { task: TaskView; is_terminal: boolean } {
  return { task, is_terminal: isTerminal(task.status) };
}

function waitSummary(task: TaskView): string {
  const more = isTerminal(task.status) ? '' : ' — not finished yet; call wait_for_task to keep waiting';
  return taskSummary(task) + more;
}

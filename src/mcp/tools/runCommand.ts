/**
 * run_command: the shortcut an agent reaches for most — run a shell command on a device picked by
 * requirements (or by name) and get its output back in the same call.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { deviceIdSchema, prioritySchema, requirementsSchema, taskInputSchema } from '../../main/schemas.ts';
import type { TaskView } from '../../main/views.ts';
import { isTerminal } from '../../protocol/messages.ts';
import type { ClusterApi } from '../clusterClient.ts';
import { clip } from '../summaries.ts';
import { guarded, toolOk } from '../toolResult.ts';
import { waitForTask } from '../waitForTask.ts';
import { waitSecondsSchema } from './taskTools.ts';

const runCommandInput = z
  .object({
    command: z.string().min(1).describe('shell command line (/bin/sh -c on Unix, cmd.exe on Windows)'),
    device_id: deviceIdSchema.optional().describe('run on this device (overrides requirements.device_id)'),
    requirements: requirementsSchema.optional().describe('pick any device that meets these'),
    cwd: z.string().optional().describe("working directory, relative to the task's work dir"),
    env: z.record(z.string(), z.string()).optional().describe('extra environment variables'),
    timeout_seconds: taskInputSchema.shape.timeout_seconds,
    priority: prioritySchema.optional(),
    wait_seconds: waitSecondsSchema(30),
  })
  .strict();

interface ShellResult {
  return_code?: number | null;
  stdout?: string;
  stderr?: string;
  truncated?: boolean;
}

export function registerRunCommand(server: McpServer, api: ClusterApi): void {
  server.registerTool(
    'run_command',
    {
      title: 'Run a shell command',
      description:
        'Run a shell command on a device that meets the requirements (or the named device) and return ' +
        'its exit code, stdout and stderr. Not retried on failure: the exit code is the answer. If it ' +
        'has not finished within wait_seconds, the task id comes back; use wait_for_task.',
      inputSchema: runCommandInput,
      annotations: { destructiveHint: true, openWorldHint: true },
    },
    guarded(async (input, extra) => {
      const requirements = { ...input.requirements };
      if (input.device_id) requirements.device_id = input.device_id;
      const payload: Record<string, unknown> = { command: input.command };
      if (input.cwd !== undefined) payload.cwd = input.cwd;
      if (input.env !== undefined) payload.env = input.env;
      const submitted = await api.submit(
        {
          task_type: 'shell_command',
          payload,
          requirements,
          max_retries: 0,
          ...(input.priority ? { priority: input.priority } : {}),
          ...(input.timeout_seconds ? { timeout_seconds: input.timeout_seconds } : {}),
        },
        extra.signal,
      );
      const task = isTerminal(submitted.task.status)
        ? submitted.task
        : await waitForTask(api, submitted.task_id, input.wait_seconds, extra);
      const outcome = commandOutcome(task);
      return toolOk(commandSummary(task, outcome), { ...outcome });
    }),
  );
}

function commandOutcome(task: TaskView) {
  const data = (task.result?.result_data ?? {}) as ShellResult;
  return {
    task_id: task.task_id,
    status: task.status,
    is_terminal: isTerminal(task.status),
    device_id: task.result?.device_id ?? task.assigned_device_id,
    exit_code: data.return_code ?? null,
    stdout: data.stdout ?? '',
    stderr: data.stderr ?? '',
    truncated: data.truncated === true,
    error: task.result?.error ?? null,
  };
}

function commandSummary(task: TaskView, outcome: ReturnType<typeof commandOutcome>): string {
  if (!outcome.is_terminal) {
    const where = outcome.device_id ? ` on ${outcome.device_id}` : '';
    return `task ${task.task_id} is ${task.status}${where} — not finished yet; call wait_for_task`;
  }
  const lines = [
    `${outcome.status}: exit code ${outcome.exit_code ?? 'none'} on ${outcome.device_id ?? 'no device'} (task ${task.task_id})`,
  ];
  if (outcome.error) lines.push(`error: ${outcome.error}`);
  if (outcome.stdout) lines.push(`stdout:\n${clip(outcome.stdout)}`);
  if (outcome.stderr) lines.push(`stderr:\n${clip(outcome.stderr)}`);
  return lines.join('\n');
}

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { TaskView } from '../../main/views.ts';
import { isTerminal } from '../../protocol/messages.ts';
import { ApiClient } from '../client.ts';
import { addClientOptions, type ClientFlags, clientOptions } from '../clientFlags.ts';
import { parseRequirements } from '../requirements.ts';

interface SubmitFlags extends ClientFlags {
  payload?: string;
  payloadFile?: string;
  priority?: string;
  require: string[];
  timeout?: string;
  retries?: string;
  idempotencyKey?: string;
  wait?: boolean;
  json?: boolean;
}

export const SUBMIT_EXIT_CODES = `Exit codes: 0 submitted (with --wait: the task succeeded); 1 the task failed, timed out or was
cancelled, or the request failed; 2 bad arguments.`;

export function registerSubmit(program: Command): void {
  addClientOptions(
    program
      .command('submit')
      .argument(
        '<type>',
        'task type: echo, sleep, system_info, python_eval, shell_command, http_request, ...',
      )
      .description('submit a task to the cluster')
      .option('--payload <json>', 'task payload as JSON', '{}')
      .option('--payload-file <file>', 'read the payload from a JSON file')
      .option('--priority <p>', 'low | normal | high | urgent')
      .option(
        '--require <k=v>',
        'requirement, repeatable: cores=4 memory=2 platform=linux role=compute tag=x device=ID',
        collect,
        [],
      )
      .option('--timeout <seconds>', 'task timeout in seconds (default 300)')
      .option('--retries <n>', 'max retries (default 3)')
      .option('--idempotency-key <key>', 'submitting the same key again returns the first task')
      .option('--wait', 'wait for the result; exit non-zero unless it succeeds')
      .option('--json', 'print JSON')
      .addHelpText('after', '\n' + SUBMIT_EXIT_CODES),
  ).action(async (type: string, flags: SubmitFlags) => {
    const body = buildBody(type, flags);
    const client = new ApiClient(clientOptions(flags));
    const { task } = await client.post<{ task: TaskView }>('/api/v1/tasks', body);
    if (!flags.wait) {
      console.log(flags.json ? JSON.stringify(task, null, 2) : `${task.task_id}  ${task.status}`);
      return;
    }
    const done = await waitForTask(client, task.task_id, !flags.json && process.stderr.isTTY);
    if (flags.json) console.log(JSON.stringify(done, null, 2));
    else printResult(done);
    if (done.status !== 'success') process.exitCode = 1;
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function buildBody(type: string, flags: SubmitFlags): Record<string, unknown> {
  const body: Record<string, unknown> = { task_type: type, payload: parsePayload(flags) };
  if (flags.priority) body.priority = flags.priority;
  if (flags.require.length > 0) body.requirements = parseRequirements(flags.require);
  if (flags.timeout !== undefined) body.timeout_seconds = Number(flags.timeout);
  if (flags.retries !== undefined) body.max_retries = Number(flags.retries);
  if (flags.idempotencyKey) body.idempotency_key = flags.idempotencyKey;
  return body;
}

function parsePayload(flags: SubmitFlags): unknown {
  const [source, text] = flags.payloadFile
    ? [flags.payloadFile, readFileSync(flags.payloadFile, 'utf8')]
    : ['--payload', flags.payload ?? '{}'];
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}

async function waitForTask(client: ApiClient, taskId: string, spinner: boolean): Promise<TaskView> {
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  let status = 'queued';
  const started = Date.now();
  const timer = spinner
    ? setInterval(() => {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        process.stderr.write(`\r${frames[frame++ % frames.length]} ${taskId} ${status} ${seconds}s `);
      }, 100)
    : null;
  try {
    for (;;) {
      const { task } = await client.get<{ task: TaskView }>(`/api/v1/tasks/${taskId}/wait?timeout=30`);
      status = task.status;
      if (isTerminal(task.status)) return task;
    }
  } finally {
    if (timer) {
      clearInterval(timer);
      process.stderr.write('\r\x1b[K');
    }
  }
}

function printResult(task: TaskView): void {
  const where = task.result?.device_id ? ` on ${task.result.device_id}` : '';
  const attempts = task.attempt > 1 ? ` after ${task.attempt} attempts` : '';
  console.log(`${task.task_id}  ${task.status}${where}${attempts}`);
  if (task.result?.result_data !== undefined && task.result.result_data !== null) {
    console.log(JSON.stringify(task.result.result_data, null, 2));
  }
  if (task.result?.error) console.error(`error: ${task.result.error}`);
}

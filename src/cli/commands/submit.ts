import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { TaskView } from '../../main/views.ts';
import { ApiClient } from '../client.ts';
import { addClientOptions, type ClientFlags, clientOptions } from '../clientFlags.ts';
import { UsageError } from '../errors.ts';
import { exitCodesHelp } from '../exitCodes.ts';
import { printJson } from '../format.ts';
import { followTask } from '../followTask.ts';
import { catchInterrupt } from '../interrupt.ts';
import { collect, parseJsonFlag, parseNumberFlag } from '../parseFlags.ts';
import { parseRequirements } from '../requirements.ts';
import { printOutcome } from '../taskFormat.ts';

interface SubmitFlags extends ClientFlags {
  payload?: string;
  payloadFile?: string;
  priority?: string;
  require?: string[];
  timeout?: string;
  retries?: string;
  idempotencyKey?: string;
  metadata?: string;
  wait?: boolean;
  json?: boolean;
}

const EXAMPLES = `
Examples:
  retire-cluster submit echo --payload '{"hello":"world"}' --wait
  retire-cluster submit shell_command --payload '{"command":"uname -a"}' --require platform=linux --wait
  retire-cluster submit python_eval --payload-file job.json --priority high --json`;

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
      .addOption(
        new Option('--payload-file <file>', 'read the payload from a JSON file (- for stdin)').conflicts(
          'payload',
        ),
      )
      .addOption(new Option('--priority <p>', 'task priority').choices(['low', 'normal', 'high', 'urgent']))
      .option(
        '--require <k=v>',
        'requirement, repeatable: cores=4 memory=2 platform=linux role=compute tag=x device=ID',
        collect,
      )
      .option('--timeout <seconds>', 'task timeout in seconds (default 300)')
      .option('--retries <n>', 'max retries (default 3)')
      .option('--idempotency-key <key>', 'submitting the same key again returns the first task')
      .option('--metadata <json>', 'free-form JSON object stored with the task')
      .option('--wait', 'wait for the result (a spinner on a terminal); exit 1 unless it succeeds')
      .option('--json', 'print the task as JSON')
      .addHelpText(
        'after',
        EXAMPLES +
          '\n' +
          exitCodesHelp('the request failed, or (with --wait) the task failed, timed out or was cancelled') +
          '\n\nCtrl+C during --wait stops waiting (exit 130); the task keeps running.',
      ),
  ).action(async (type: string, flags: SubmitFlags) => {
    const body = buildBody(type, flags);
    const client = new ApiClient(clientOptions(flags));
    // With --wait, Ctrl+C from the moment of submitting stops the waiting, not the whole process.
    const early = flags.wait ? catchInterrupt() : null;
    let done: TaskView;
    try {
      const { task } = await client.post<{ task: TaskView }>('/api/v1/tasks', body);
      if (!flags.wait) {
        if (flags.json) printJson(task);
        else console.log(`${task.task_id}  ${task.status}`);
        return;
      }
      const spinner = !flags.json && process.stderr.isTTY === true;
      done = await followTask(client, task.task_id, { spinner, interrupted: early!.signal });
    } finally {
      early?.release();
    }
    if (flags.json) printJson(done);
    else printOutcome(done);
    if (done.status !== 'success') process.exitCode = 1;
  });
}

function buildBody(type: string, flags: SubmitFlags): Record<string, unknown> {
  const body: Record<string, unknown> = { task_type: type, payload: parsePayload(flags) };
  if (flags.priority) body.priority = flags.priority;
  if (flags.require?.length) {
    try {
      body.requirements = parseRequirements(flags.require);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (flags.timeout !== undefined)
    body.timeout_seconds = parseNumberFlag('--timeout', flags.timeout, { min: 1 });
  if (flags.retries !== undefined)
    body.max_retries = parseNumberFlag('--retries', flags.retries, { integer: true });
  if (flags.idempotencyKey) body.idempotency_key = flags.idempotencyKey;
  if (flags.metadata !== undefined) {
    const metadata = parseJsonFlag('--metadata', flags.metadata);
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
      throw new UsageError('--metadata must be a JSON object');
    body.metadata = metadata;
  }
  return body;
}

function parsePayload(flags: SubmitFlags): unknown {
  if (!flags.payloadFile) return parseJsonFlag('--payload', flags.payload ?? '{}');
  let text: string;
  try {
    text = readFileSync(flags.payloadFile === '-' ? 0 : flags.payloadFile, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --payload-file ${flags.payloadFile}: ${(error as Error).message}`);
  }
  return parseJsonFlag(`--payload-file ${flags.payloadFile}`, text);
}

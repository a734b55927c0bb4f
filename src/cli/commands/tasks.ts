import { Argument, type Command } from 'commander';
import type { TaskView } from '../../main/views.ts';
import { isTerminal } from '../../protocol/messages.ts';
import { ApiClient } from '../client.ts';
import { addClientOptions, type ClientFlags, clientOptions } from '../clientFlags.ts';
import { UsageError } from '../errors.ts';
import { exitCodesHelp } from '../exitCodes.ts';
import { printJson } from '../format.ts';
import { followTask } from '../followTask.ts';
import { pageFooter, type PageFlags, type Pagination, pageQuery, queryString } from '../pagination.ts';
import { parseNumberFlag } from '../parseFlags.ts';
import { describeTask, printOutcome, taskTable } from '../taskFormat.ts';

interface TasksFlags extends ClientFlags, PageFlags {
  status?: string;
  type?: string;
  priority?: string;
  device?: string;
  timeout?: string;
  json?: boolean;
}

const ACTIONS = ['list', 'show', 'cancel', 'retry', 'wait'];

const HELP = `
Actions:
  list           recent tasks, newest first (default), filtered by --status, --type, --priority, --device
  show ID        one task in detail: payload, attempts, errors, result
  cancel ID      cancel a queued or running task (the worker stops it)
  retry ID       run a finished task again
  wait ID        wait until the task finishes (--timeout S to give up); exit 0 only if it succeeded

Examples:
  retire-cluster tasks --status failed
  retire-cluster tasks show 5f0c...
  retire-cluster tasks wait 5f0c... --timeout 60 --json`;

export function registerTasks(program: Command): void {
  addClientOptions(
    program
      .command('tasks')
      .description('list, inspect, cancel, retry and wait for tasks')
      .addArgument(new Argument('[action]', 'what to do').choices(ACTIONS).default('list'))
      .argument('[id]', 'task id (show, cancel, retry, wait)')
      .option(
        '--status <status>',
        'only tasks in this state: queued, assigned, running, success, failed, cancelled, timeout',
      )
      .option('--type <type>', 'only tasks of this type')
      .option('--priority <p>', 'only tasks of this priority')
      .option('--device <id>', 'only tasks placed on this device')
      .option('--page <n>', 'page number (with --limit)')
      .option('--limit <n>', 'tasks per page')
      .option('--timeout <seconds>', 'wait: give up after this long (exit 1; the task keeps running)')
      .option('--json', 'print JSON')
      .addHelpText(
        'after',
        HELP +
          '\n' +
          exitCodesHelp('the request failed; for wait: the task did not succeed (or --timeout ran out)'),
      ),
  ).action(async (action: string, id: string | undefined, flags: TasksFlags) => {
    const client = new ApiClient(clientOptions(flags));
    if (action === 'list') {
      if (id !== undefined) throw new UsageError(`tasks list takes no task id (got "${id}")`);
      return list(client, flags);
    }
    if (!id) throw new UsageError(`tasks ${action} needs a task id`);
    const path = `/api/v1/tasks/${encodeURIComponent(id)}`;
    if (action === 'wait') return wait(client, id, flags);
    const { task } =
      action === 'show'
        ? await client.get<{ task: TaskView }>(path)
        : await client.post<{ task: TaskView }>(`${path}/${action}`);
    if (flags.json) printJson(task);
    else if (action === 'show') console.log(describeTask(task));
    else console.log(`${task.task_id}  ${task.status}`);
  });
}

async function list(client: ApiClient, flags: TasksFlags): Promise<void> {
  const query = new URLSearchParams();
  if (flags.status) query.set('status', flags.status);
  if (flags.type) query.set('task_type', flags.type);
  if (flags.priority) query.set('priority', flags.priority);
  if (flags.device) query.set('device_id', flags.device);
  pageQuery(flags, query);
  const data = await client.get<{ tasks: TaskView[]; pagination?: Pagination }>(
    `/api/v1/tasks${queryString(query)}`,
  );
  if (flags.json) {
    printJson(data);
    return;
  }
  console.log(taskTable(data.tasks));
  const footer = pageFooter(data.pagination, data.tasks.length);
  if (footer) console.log(footer);
}

async function wait(client: ApiClient, id: string, flags: TasksFlags): Promise<void> {
  const options: { spinner: boolean; timeoutSeconds?: number } = {
    spinner: !flags.json && process.stderr.isTTY === true,
  };
  if (flags.timeout !== undefined) options.timeoutSeconds = parseNumberFlag('--timeout', flags.timeout);
  const task = await followTask(client, id, options);
  if (flags.json) printJson(task);
  else if (isTerminal(task.status)) printOutcome(task);
  else console.log(`${task.task_id}  still ${task.status} after ${flags.timeout}s`);
  if (task.status !== 'success') process.exitCode = 1;
}

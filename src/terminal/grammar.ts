/**
 * The dashboard terminal's command table: every command, its arguments and flags. Parsing, help,
 * usage errors and Tab completion are all derived from it, so they cannot disagree. Pure data: the
 * browser bundles it too.
 */

import { TASK_STATUS_VALUES } from '../protocol/messages.ts';

export { TASK_STATUS_VALUES };
export const DEVICE_STATUS_VALUES = ['online', 'disconnected', 'offline', 'draining'] as const;
export const PRIORITY_VALUES = ['low', 'normal', 'high', 'urgent'] as const;
export const LIST_FORMATS = ['table', 'json', 'csv', 'tsv'] as const;
export const EXPORT_FORMATS = ['csv', 'json', 'tsv'] as const;

/** What a value is, for validation and for completion (`device` completes the server's device ids). */
export type ValueKind =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'number'; min?: number }
  | { type: 'device' }
  | { type: 'task' }
  | { type: 'task_type' }
  | { type: 'topic' }
  | { type: 'choice'; choices: readonly string[] };

export interface FlagSpec {
  name: string;
  /** Absent for a switch (`--wait`). */
  value?: ValueKind;
  placeholder?: string;
  description: string;
}

export interface ArgSpec {
  name: string;
  kind: ValueKind;
  required: boolean;
}

export interface CommandSpec {
  /** The words that name it: `['devices', 'list']`. */
  path: readonly string[];
  summary: string;
  args: readonly ArgSpec[];
  flags: readonly FlagSpec[];
  /** Run by the dashboard page itself (`clear`, `theme`, a live `monitor`). */
  browser?: boolean;
  examples?: readonly string[];
}

export interface GroupSpec {
  name: string;
  summary: string;
  /** The subcommand a bare `devices` runs. */
  defaultSub?: string;
}

const text = { type: 'text' } as const;
const choice = (choices: readonly string[]): ValueKind => ({ type: 'choice', choices });
const deviceArg: ArgSpec = { name: 'ID', kind: { type: 'device' }, required: true };
const taskArg: ArgSpec = { name: 'ID', kind: { type: 'task' }, required: true };

const formatFlag = (formats: readonly string[]): FlagSpec => ({
  name: 'format',
  value: choice(formats),
  placeholder: formats.join('|'),
  description: 'output format',
});

const taskStatusFlag: FlagSpec = {
  name: 'status',
  value: choice(TASK_STATUS_VALUES),
  placeholder: 'STATUS',
  description: 'only tasks in this state',
};

export const GROUPS: readonly GroupSpec[] = [
  { name: 'cluster', summary: 'the cluster as a whole', defaultSub: 'status' },
  { name: 'devices', summary: 'the devices that joined', defaultSub: 'list' },
  { name: 'tasks', summary: 'submit and follow work', defaultSub: 'list' },
  { name: 'monitor', summary: 'live views (until Ctrl+C)' },
  { name: 'export', summary: 'everything, for a spreadsheet or a script' },
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    path: ['help'],
    summary: 'list the commands, or explain one',
    args: [{ name: 'COMMAND', kind: { type: 'topic' }, required: false }],
    flags: [],
    examples: ['help', 'help tasks submit'],
  },
  { path: ['clear'], summary: 'clear the screen (also Ctrl+L)', args: [], flags: [], browser: true },
  {
    path: ['theme'],
    summary: 'switch the colour theme',
    args: [{ name: 'THEME', kind: choice(['dark', 'light']), required: false }],
    flags: [],
    browser: true,
  },
  { path: ['cluster', 'status'], summary: 'devices, resources and task counts', args: [], flags: [] },
  { path: ['cluster', 'health'], summary: 'health of each component', args: [], flags: [] },
  {
    path: ['cluster', 'metrics'],
    summary: 'utilisation, throughput, queue and latency',
    args: [],
    flags: [],
  },
  {
    path: ['devices', 'list'],
    summary: 'the devices, filtered',
    args: [],
    flags: [
      {
        name: 'status',
        value: choice(DEVICE_STATUS_VALUES),
        placeholder: DEVICE_STATUS_VALUES.join('|'),
        description: 'only devices in this state',
      },
      { name: 'role', value: text, placeholder: 'ROLE', description: 'only devices with this role' },
      { name: 'platform', value: text, placeholder: 'PLATFORM', description: 'only this platform' },
      { name: 'tags', value: text, placeholder: 'A,B', description: 'only devices with all these tags' },
      formatFlag(LIST_FORMATS),
    ],
    examples: ['devices list --status=online', 'devices list --format=csv | grep android'],
  },
  { path: ['devices', 'show'], summary: 'one device in detail', args: [deviceArg], flags: [] },
  { path: ['devices', 'drain'], summary: 'give a device no new tasks', args: [deviceArg], flags: [] },
  { path: ['devices', 'undrain'], summary: 'take a device back into service', args: [deviceArg], flags: [] },
  {
    path: ['devices', 'remove'],
    summary: 'forget a device (its tasks are requeued)',
    args: [deviceArg],
    flags: [],
  },
  {
    path: ['tasks', 'list'],
    summary: 'recent tasks, newest first',
    args: [],
    flags: [
      taskStatusFlag,
      { name: 'type', value: { type: 'task_type' }, placeholder: 'TYPE', description: 'only this task type' },
      {
        name: 'priority',
        value: choice(PRIORITY_VALUES),
        placeholder: PRIORITY_VALUES.join('|'),
        description: 'only this priority',
      },
      {
        name: 'device',
        value: { type: 'device' },
        placeholder: 'ID',
        description: 'only tasks placed on this device',
      },
      {
        name: 'limit',
        value: { type: 'number', min: 1 },
        placeholder: 'N',
        description: 'how many (default 20, at most 100)',
      },
      formatFlag(LIST_FORMATS),
    ],
    examples: ['tasks list --status=failed', 'tasks list | grep echo'],
  },
  {
    path: ['tasks', 'submit'],
    summary: 'submit a task',
    args: [{ name: 'TYPE', kind: { type: 'task_type' }, required: true }],
    flags: [
      {
        name: 'payload',
        value: { type: 'json' },
        placeholder: 'JSON',
        description: 'the payload (JSON; a bare word is a string)',
      },
      {
        name: 'priority',
        value: choice(PRIORITY_VALUES),
        placeholder: PRIORITY_VALUES.join('|'),
        description: 'default normal',
      },
      { name: 'device', value: { type: 'device' }, placeholder: 'ID', description: 'run it on this device' },
      {
        name: 'timeout',
        value: { type: 'number', min: 1 },
        placeholder: 'S',
        description: 'seconds the task may run',
      },
      {
        name: 'retries',
        value: { type: 'number', min: 0 },
        placeholder: 'N',
        description: 'retries after a failure',
      },
      { name: 'wait', description: 'wait for the result (up to 5 minutes)' },
    ],
    examples: [
      `tasks submit echo --payload='{"m":1}' --wait`,
      `tasks submit shell_command --payload='{"command":"uptime"}' --wait`,
      'tasks submit sleep --payload=\'{"duration":5}\' --priority=high',
    ],
  },
  { path: ['tasks', 'show'], summary: 'one task: payload, attempts, result', args: [taskArg], flags: [] },
  { path: ['tasks', 'cancel'], summary: 'cancel a queued or running task', args: [taskArg], flags: [] },
  { path: ['tasks', 'retry'], summary: 'run a finished task again', args: [taskArg], flags: [] },
  {
    path: ['monitor', 'devices'],
    summary: 'device events and metrics as they happen',
    args: [],
    flags: [],
    browser: true,
  },
  { path: ['monitor', 'tasks'], summary: 'task events as they happen', args: [], flags: [], browser: true },
  {
    path: ['monitor', 'logs'],
    summary: 'every cluster event as it happens',
    args: [],
    flags: [],
    browser: true,
  },
  {
    path: ['export', 'devices'],
    summary: 'every device',
    args: [],
    flags: [formatFlag(EXPORT_FORMATS)],
    examples: ['export devices --format=json'],
  },
  {
    path: ['export', 'tasks'],
    summary: 'every task (newest first, up to 10000)',
    args: [],
    flags: [formatFlag(EXPORT_FORMATS), taskStatusFlag],
  },
];

/** Every first word a line may start with. */
export function topLevelNames(): string[] {
  const names = new Set<string>();
  for (const command of COMMANDS) names.add(command.path[0]!);
  return [...names];
}

export function findGroup(name: string): GroupSpec | undefined {
  return GROUPS.find((g) => g.name === name);
}

export function subcommands(group: string): CommandSpec[] {
  return COMMANDS.filter((c) => c.path.length === 2 && c.path[0] === group);
}

export function findCommand(path: readonly string[]): CommandSpec | undefined {
  return COMMANDS.find((c) => c.path.length === path.length && c.path.every((w, i) => w === path[i]));
}

/** `tasks submit TYPE [--payload=JSON] [--wait]` */
export function usage(command: CommandSpec): string {
  const args = command.args.map((a) => (a.required ? a.name : `[${a.name}]`));
  const flags = command.flags.map((f) =>
    f.value ? `[--${f.name}=${f.placeholder ?? 'VALUE'}]` : `[--${f.name}]`,
  );
  return [...command.path, ...args, ...flags].join(' ');
}

/**
 * Every HTTP route the main node serves, described once: the OpenAPI document, the docs page and
 * `GET /api/v1` are generated from this list, and a test fails if the app serves a route missing
 * here. Query schemas are the zod schemas the handlers validate with.
 */
import { z } from 'zod';
import {
  deviceFilterQuerySchema,
  deviceListQuerySchema,
  logQuerySchema,
  taskListQuerySchema,
  waitQuerySchema,
} from '../main/schemas.ts';

export type HttpMethod = 'get' | 'post' | 'delete';

export interface RouteDoc {
  method: HttpMethod;
  /** OpenAPI form: `/api/v1/tasks/{id}`. */
  path: string;
  tag: 'Meta' | 'Cluster' | 'Devices' | 'Tasks' | 'Events' | 'Text' | 'Monitoring' | 'Dashboard';
  summary: string;
  description?: string;
  /** Needs the API token (unless the node runs with --no-auth). Default true. */
  auth?: boolean;
  query?: z.ZodObject;
  /** Name of a schema in the document's components. */
  body?: string;
  success: {
    status: number;
    description: string;
    /** Media types of a non-JSON answer; JSON answers are wrapped in the envelope. */
    media?: string[];
  };
  /** Error statuses besides the ones every route may give (401 and 429 with auth, 400 with input). */
  errors?: number[];
}

/** `GET /api/v1/events` is parsed by its own route; this documents the same parameters. */
const eventStreamQuerySchema = z.object({
  types: z.string().optional().describe('comma-separated type prefixes, e.g. task.,device.offline'),
  task_id: z.string().optional().describe("only this task's events"),
  device_id: z.string().optional().describe("only this device's events"),
  metrics: z.enum(['1', 'true']).optional().describe('also send device.metrics notices (heartbeats)'),
  keepalive: z.coerce.number().optional().describe('seconds between keep-alive comments (default 15)'),
  last_event_id: z.coerce
    .number()
    .optional()
    .describe('replay stored events after this id first (or send the Last-Event-ID header)'),
});

export const API_ROUTES: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/health',
    tag: 'Meta',
    auth: false,
    summary: 'Liveness',
    description: 'For load balancers and Docker: never needs a token.',
    success: { status: 200, description: '`healthy`, `version`, `uptime_seconds`, `online_devices`' },
  },
  {
    method: 'get',
    path: '/api/v1',
    tag: 'Meta',
    summary: 'API index',
    success: { status: 200, description: '`version`, `features`, `endpoints` (method, path, summary)' },
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'Meta',
    auth: false,
    summary: 'This document (OpenAPI 3.1)',
    success: { status: 200, description: 'the OpenAPI document', media: ['application/json'] },
  },
  {
    method: 'get',
    path: '/docs',
    tag: 'Meta',
    auth: false,
    summary: 'API documentation for people',
    success: { status: 200, description: 'an HTML page generated from this document', media: ['text/html'] },
  },
  {
    method: 'get',
    path: '/worker.cjs',
    tag: 'Meta',
    auth: false,
    summary: 'The single-file worker',
    description: 'Runs with plain `node` >= 18 and nothing else installed.',
    success: { status: 200, description: 'dist/worker.cjs', media: ['application/javascript'] },
    errors: [404],
  },
  {
    method: 'get',
    path: '/join.sh',
    tag: 'Meta',
    auth: false,
    summary: 'Join script',
    description:
      '`curl -fsSL http://HOST:8081/join.sh | sh -s -- --token <JOIN_TOKEN>` downloads the worker and starts it.',
    success: { status: 200, description: 'a POSIX shell script', media: ['text/x-shellscript'] },
  },
  {
    method: 'get',
    path: '/join',
    tag: 'Meta',
    auth: false,
    summary: 'How to join a device',
    success: { status: 200, description: 'an HTML page with the one-liners', media: ['text/html'] },
  },
  {
    method: 'get',
    path: '/api/v1/cluster/status',
    tag: 'Cluster',
    summary: 'Cluster status',
    success: {
      status: 200,
      description:
        '`cluster_stats` (`total_devices`, `online_devices`, `offline_devices`, `health_percentage`, `total_resources`, `by_role`, `by_platform`, `by_status`), `tasks_by_status`, `queue_depth`, `task_types`',
    },
  },
  {
    method: 'get',
    path: '/api/v1/cluster/health',
    tag: 'Cluster',
    summary: 'Health per component',
    description:
      'Components `store`, `devices`, `queue`, each with `status` (ok, degraded, down) and a message. 503 when any is not ok: the report is then in `error_details`.',
    success: { status: 200, description: '`healthy`, `status`, `components`' },
    errors: [503],
  },
  {
    method: 'get',
    path: '/api/v1/cluster/metrics',
    tag: 'Cluster',
    summary: 'Utilisation, throughput, queue and latency',
    success: {
      status: 200,
      description:
        '`utilisation` (slots, cpu, memory), `throughput` (last minute), `queue`, `latency` (`dispatch_ms`, `run_ms` percentiles), `heartbeats`, `totals`',
    },
  },
  {
    method: 'get',
    path: '/api/v1/devices',
    tag: 'Devices',
    summary: 'List devices',
    description: 'Sorted by id. `tags` lists tags that must all be present.',
    query: deviceListQuerySchema,
    success: { status: 200, description: '`devices`, `count`, `pagination`' },
  },
  {
    method: 'get',
    path: '/api/v1/devices/summary',
    tag: 'Devices',
    summary: 'Fleet summary',
    success: {
      status: 200,
      description:
        '`total`, `online`, `by_status`, `by_role`, `by_platform`, `capacity`, `devices` (one line each)',
    },
  },
  {
    method: 'get',
    path: '/api/v1/devices/{id}',
    tag: 'Devices',
    summary: 'One device',
    success: {
      status: 200,
      description:
        '`device` (profile and state), `latest_metrics`, `heartbeats` (newest first), `running_tasks`',
    },
  },
  {
    method: 'delete',
    path: '/api/v1/devices/{id}',
    tag: 'Devices',
    summary: 'Forget a device',
    description: 'It is disconnected and removed; the tasks it held go back to the queue.',
    success: { status: 200, description: '`device_id`, `removed`, `requeued_tasks`' },
  },
  {
    method: 'get',
    path: '/api/v1/devices/{id}/status',
    tag: 'Devices',
    summary: "A device's state",
    success: {
      status: 200,
      description:
        '`status`, `online`, `draining`, `last_seen`, `seconds_since_last_seen`, `running_tasks`, `free_slots`, `metrics`',
    },
  },
  {
    method: 'post',
    path: '/api/v1/devices/{id}/drain',
    tag: 'Devices',
    summary: 'Drain a device',
    description: 'It gets no new tasks; what it runs finishes.',
    success: { status: 200, description: '`device`' },
  },
  {
    method: 'post',
    path: '/api/v1/devices/{id}/undrain',
    tag: 'Devices',
    summary: 'Take a device back into service',
    success: { status: 200, description: '`device`' },
  },
  {
    method: 'post',
    path: '/api/v1/tasks',
    tag: 'Tasks',
    summary: 'Submit a task (or an array of tasks)',
    description:
      'A task is durable before the answer. An array is accepted whole or not at all. A repeated `idempotency_key` answers 200 with the existing task and `created: false`.',
    body: 'TaskSubmission',
    success: {
      status: 201,
      description: 'one task: `task_id`, `task`, `created`; an array: `tasks`, `count`',
    },
    errors: [413],
  },
  {
    method: 'get',
    path: '/api/v1/tasks',
    tag: 'Tasks',
    summary: 'List tasks, newest first',
    description: 'Covers the whole stored history.',
    query: taskListQuerySchema,
    success: { status: 200, description: '`tasks`, `count`, `pagination`' },
  },
  {
    method: 'get',
    path: '/api/v1/tasks/statistics',
    tag: 'Tasks',
    summary: 'Task statistics',
    success: {
      status: 200,
      description:
        '`total`, `by_status`, `success_rate` (whole history); `recent` (by type, by priority, durations, finished in the last minute and hour)',
    },
  },
  {
    method: 'get',
    path: '/api/v1/tasks/types',
    tag: 'Tasks',
    summary: 'Task types',
    description: 'The built-in types plus those online workers accept, with the devices that accept each.',
    success: { status: 200, description: '`task_types` (`task_type`, `builtin`, `devices`), `count`' },
  },
  {
    method: 'get',
    path: '/api/v1/tasks/{id}',
    tag: 'Tasks',
    summary: 'One task',
    success: { status: 200, description: '`task`' },
  },
  {
    method: 'get',
    path: '/api/v1/tasks/{id}/status',
    tag: 'Tasks',
    summary: "A task's state",
    success: {
      status: 200,
      description: '`status`, `attempt`, `retry_count`, times, `last_error`, `is_terminal`, `can_retry`',
    },
  },
  {
    method: 'get',
    path: '/api/v1/tasks/{id}/result',
    tag: 'Tasks',
    summary: "A task's result",
    description: '404 `NO_TASK_RESULT` until the task has finished.',
    success: {
      status: 200,
      description: '`task_id`, `status`, `result_data`, `error`, `device_id`, `attempt`, `duration_ms`',
    },
  },
  {
    method: 'get',
    path: '/api/v1/tasks/{id}/events',
    tag: 'Tasks',
    summary: "A task's history",
    success: { status: 200, description: '`task_id`, `events` (oldest first), `count`' },
  },
  {
    method: 'get',
    path: '/api/v1/tasks/{id}/wait',
    tag: 'Tasks',
    summary: 'Wait for a task to finish',
    description:
      'Answers as soon as the task is finished, or with its current state when the timeout runs out.',
    query: waitQuerySchema,
    success: { status: 200, description: '`task`, `is_terminal`' },
  },
  {
    method: 'post',
    path: '/api/v1/tasks/{id}/cancel',
    tag: 'Tasks',
    summary: 'Cancel a task',
    description: '409 `INVALID_STATE` if it has already finished.',
    success: { status: 200, description: '`task`' },
    errors: [409],
  },
  {
    method: 'post',
    path: '/api/v1/tasks/{id}/retry',
    tag: 'Tasks',
    summary: 'Retry a failed, timed-out or cancelled task',
    description:
      'With a fresh retry budget. 409 `INVALID_STATE` for a task that succeeded or has not finished.',
    success: { status: 200, description: '`task`' },
    errors: [409],
  },
  {
    method: 'get',
    path: '/api/v1/events',
    tag: 'Events',
    summary: 'Live cluster events (Server-Sent Events)',
    description:
      'Each event has an `id`; reconnect with `Last-Event-ID` to get what was missed, then the live stream.',
    query: eventStreamQuerySchema,
    success: { status: 200, description: 'an event stream', media: ['text/event-stream'] },
  },
  {
    method: 'get',
    path: '/',
    tag: 'Dashboard',
    auth: false,
    summary: 'The web dashboard',
    description:
      'A terminal and a live view of the cluster. The page holds no cluster data: it asks for the API token and sends it with every call.',
    success: { status: 200, description: 'the page', media: ['text/html'] },
    errors: [404],
  },
  {
    method: 'get',
    path: '/assets/{file}',
    tag: 'Dashboard',
    auth: false,
    summary: "The dashboard's script, styles and icon",
    success: {
      status: 200,
      description: 'a built file (served from this node, never a CDN)',
      media: ['text/javascript', 'text/css', 'image/svg+xml'],
    },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/command',
    tag: 'Dashboard',
    summary: 'Run a terminal command',
    description:
      "The dashboard terminal's language, for scripts too: `cluster status`, `devices list --status=online`, `tasks submit echo --payload='{\"m\":1}' --wait`, `export tasks --format=csv`, `... | grep TEXT`; `help` lists them. A command that fails still answers 200, with its message in `output` and a non-zero `exit_code` (2 usage, 127 unknown command).",
    body: 'TerminalCommand',
    success: { status: 200, description: '`output` (text; ANSI colours with `color: true`), `exit_code`' },
    errors: [413],
  },
  {
    method: 'post',
    path: '/api/v1/suggest',
    tag: 'Dashboard',
    summary: 'Complete a terminal command (Tab)',
    description:
      'Commands, subcommands, flags, flag values, and the device ids, task ids and task types the server knows.',
    body: 'TerminalSuggest',
    success: {
      status: 200,
      description: '`suggestions` (whole words), `start` and `end`: the part of `line` they replace',
    },
  },
  {
    method: 'get',
    path: '/stream/devices',
    tag: 'Events',
    summary: 'Device events (Server-Sent Events)',
    description: "`/api/v1/events` limited to `device.*`; `metrics=1` adds the heartbeats' metrics.",
    query: eventStreamQuerySchema,
    success: { status: 200, description: 'an event stream', media: ['text/event-stream'] },
  },
  {
    method: 'get',
    path: '/stream/logs',
    tag: 'Events',
    summary: 'Every cluster event (Server-Sent Events)',
    description: 'The same stream and filters as `/api/v1/events`.',
    query: eventStreamQuerySchema,
    success: { status: 200, description: 'an event stream', media: ['text/event-stream'] },
  },
  {
    method: 'get',
    path: '/text/devices',
    tag: 'Text',
    summary: 'Devices as a table',
    description:
      'Pipe-separated by default; CSV with `Accept: text/csv`, TSV with `Accept: text/tab-separated-values`. The first line names the columns.',
    query: deviceFilterQuerySchema,
    success: {
      status: 200,
      description: 'one line per device',
      media: ['text/plain', 'text/csv', 'text/tab-separated-values'],
    },
  },
  {
    method: 'get',
    path: '/text/status',
    tag: 'Text',
    summary: 'Cluster status as `key: value` lines',
    success: { status: 200, description: 'one line per figure', media: ['text/plain'] },
  },
  {
    method: 'get',
    path: '/text/logs',
    tag: 'Text',
    summary: 'Recent cluster events as log lines',
    query: logQuerySchema,
    success: { status: 200, description: 'one line per event, oldest first', media: ['text/plain'] },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'Monitoring',
    summary: 'Prometheus metrics',
    description:
      'Devices by status, tasks by status and type, queue depth, dispatch and run latency histograms, heartbeats, process metrics.',
    success: { status: 200, description: 'Prometheus text exposition', media: ['text/plain'] },
  },
];

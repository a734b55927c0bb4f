/**
 * One zod schema per shape the main node accepts, shared by the TCP protocol, the REST API and the
 * MCP server (and turned into OpenAPI). Worker-side code never imports this (it stays dependency-free).
 */
import { z } from 'zod';
import { BUILTIN_TASK_TYPES, TASK_TYPE_ALIASES, TASK_STATUS_VALUES } from '../protocol/messages.ts';

const name = z.string().min(1).max(128);

export const prioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);

export const requirementsSchema = z
  .object({
    min_cpu_cores: z.number().int().min(1).optional(),
    min_memory_gb: z.number().min(0).optional(),
    min_storage_gb: z.number().min(0).optional(),
    required_platform: name.optional(),
    required_role: name.optional(),
    required_tags: z.array(name).max(64).optional(),
    gpu_required: z.boolean().optional(),
    device_id: name.optional(),
    cpu_heavy: z.boolean().optional(),
  })
  .strict();

/** Task types are open (a worker may offer its own); built-in aliases resolve to their canonical name. */
export const taskTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'must be lowercase letters, digits, _ . - (e.g. echo, shell_command)')
  .transform((type) => TASK_TYPE_ALIASES[type] ?? type);

export const taskInputSchema = z
  .object({
    task_type: taskTypeSchema,
    payload: z.unknown().optional(),
    priority: prioritySchema.optional(),
    requirements: requirementsSchema.optional(),
    timeout_seconds: z
      .number()
      .positive()
      .max(7 * 24 * 3600)
      .optional(),
    max_retries: z.number().int().min(0).max(100).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    idempotency_key: z.string().min(1).max(256).nullable().optional(),
    speculative: z.boolean().optional(),
  })
  .strict();

export type TaskInputBody = z.output<typeof taskInputSchema>;

export const deviceMetricsSchema = z.object({
  cpu_percent: z.number().nullable().catch(null),
  memory_percent: z.number().nullable().catch(null),
  memory_available_gb: z.number().nullable().catch(null),
  storage_free_gb: z.number().nullable().catch(null),
  load_avg: z.array(z.number()).nullable().catch(null),
  battery_percent: z.number().nullable().catch(null),
  battery_charging: z.boolean().nullable().catch(null),
  temperature_c: z.number().nullable().catch(null),
  running_tasks: z.number().int().min(0).catch(0),
  speed_score: z.number().positive().nullable().optional().catch(null),
  cpu_throttled: z.boolean().nullable().optional().catch(null),
});

const pausedSchema = z
  .object({ reason: z.string().min(1).max(512) })
  .nullable()
  .optional()
  .catch(null);

const taskRefSchema = z.object({ task_id: z.string().min(1).max(128), attempt: z.number().int().min(0) });

export const deviceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/, 'must be 1-128 letters, digits, _ . : @ - (starting alnum)');

export const registerDataSchema = z.object({
  protocol_version: z.number().int().min(1).default(1),
  auth: z.object({ join_token: z.string().optional(), device_secret: z.string().optional() }).default({}),
  device_id: deviceIdSchema,
  role: name.default('worker'),
  platform: name.default('unknown'),
  arch: z.string().max(64).default('unknown'),
  hostname: z.string().max(256).default('unknown'),
  cpu_count: z.number().int().min(1).default(1),
  cpu_model: z.string().max(256).nullable().default(null),
  memory_total_gb: z.number().min(0).default(0),
  storage_total_gb: z.number().min(0).nullable().default(null),
  gpu: z.string().max(256).nullable().default(null),
  node_version: z.string().max(64).default('unknown'),
  python_version: z.string().max(64).nullable().default(null),
  is_termux: z.boolean().default(false),
  tags: z.array(name).max(64).default([]),
  capabilities: z.record(z.string(), z.unknown()).default({}),
  task_types: z
    .array(taskTypeSchema)
    .max(256)
    .default([...BUILTIN_TASK_TYPES]),
  max_concurrent_tasks: z.number().int().min(1).max(1024).default(2),
  running_tasks: z.array(taskRefSchema).max(1024).default([]),
  metrics: deviceMetricsSchema.optional(),
  paused: pausedSchema,
});

export const heartbeatDataSchema = z.object({
  metrics: deviceMetricsSchema,
  running_tasks: z.array(z.string()).max(1024).default([]),
  paused: pausedSchema,
});

export const taskResultDataSchema = taskRefSchema.extend({
  status: z.enum(['success', 'failed', 'cancelled', 'timeout']),
  result_data: z.unknown().optional(),
  error: z.string().max(1_000_000).optional(),
  started_at: z.string().optional(),
  completed_at: z.string().optional(),
  duration_ms: z.number().min(0).optional(),
});

export const taskProgressDataSchema = taskRefSchema.extend({
  status: z.literal('running'),
  progress: z.number().min(0).max(100).optional(),
  message: z.string().max(4096).optional(),
});

export { taskRefSchema };

/** Query strings arrive as text: numbers are coerced, lists are comma-separated. */
const commaList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .describe('comma-separated; every one must match');

export const MAX_PAGE_SIZE = 100;

export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('1-based page number'),
  page_size: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(50)
    .describe(`items per page (at most ${MAX_PAGE_SIZE})`),
});

export const deviceStatusSchema = z.enum(['online', 'disconnected', 'offline', 'draining']);

export const deviceFilterQuerySchema = z.object({
  status: deviceStatusSchema.optional(),
  role: name.optional(),
  platform: name.optional(),
  tags: commaList.optional(),
});

export const deviceListQuerySchema = pageQuerySchema.extend(deviceFilterQuerySchema.shape);

export const taskStatusSchema = z.enum(TASK_STATUS_VALUES);

export const taskListQuerySchema = pageQuerySchema.extend({
  status: taskStatusSchema.optional(),
  task_type: taskTypeSchema.optional(),
  priority: prioritySchema.optional(),
  device_id: name.optional().describe('the device a task is (or was last) assigned to'),
});

export const MAX_WAIT_SECONDS = 300;

export const waitQuerySchema = z.object({
  timeout: z.coerce
    .number()
    .min(0)
    .default(30)
    .transform((seconds) => Math.min(seconds, MAX_WAIT_SECONDS))
    .describe(`seconds to wait for the task to finish (capped at ${MAX_WAIT_SECONDS})`),
});

export const logQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('how many recent events'),
});

/** "field: problem; field: problem" — the shape of every validation message we return. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`).join('; ');
}

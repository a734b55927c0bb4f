/**
 * The standalone API server's HTTP app (`retire-cluster api`): the main node's REST envelope and auth,
 * answered by forwarding each request as a TCP management message to a main node elsewhere. Only the
 * routes those messages cover exist here; everything else says where to find it.
 */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { pageSlice, pagination } from '../../main/pagination.ts';
import { ClusterError, ErrorCode } from '../../protocol/errorCodes.ts';
import { fail, ok } from '../envelope.ts';
import { apiAuth } from '../middleware/apiAuth.ts';
import { requestId } from '../middleware/requestId.ts';
import { readJsonBody } from '../readJsonBody.ts';
import { type ManagementClient, UpstreamError } from './managementClient.ts';

export interface StandaloneAppOptions {
  client: ManagementClient;
  /** Require `apiKey` from HTTP clients (Authorization: Bearer / X-API-Key). */
  auth: boolean;
  apiKey: string | null;
  maxBodyBytes: number;
  onError?: (error: unknown) => void;
}

interface StatusResult {
  version: string;
  uptime_seconds: number;
  queue_depth: number;
  cluster_stats: { online_devices: number };
}

interface DeviceLike {
  tags?: string[];
}

export function createStandaloneApp(options: StandaloneAppOptions): Hono {
  const { client } = options;
  const app = new Hono();
  app.use('*', requestId());

  app.get('/health', async (c) => {
    const status = await client.request<StatusResult>('status');
    return ok(c, {
      healthy: true,
      mode: 'standalone',
      main_node: client.address,
      version: status.version,
      uptime_seconds: status.uptime_seconds,
      online_devices: status.cluster_stats.online_devices,
      queue_depth: status.queue_depth,
    });
  });

  const api = new Hono();
  api.use('*', apiAuth({ token: () => options.apiKey ?? '', enabled: options.auth }));
  api.use(
    '*',
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: (c) =>
        fail(c, ErrorCode.PayloadTooLarge, `the request body exceeds ${options.maxBodyBytes} bytes`),
    }),
  );
  api.get('/cluster/status', async (c) => ok(c, await client.request('status')));
  api.get('/devices', async (c) => ok(c, await listDevices(client, c)));
  api.get('/devices/:id', async (c) =>
    ok(c, await client.request('device_info', { device_id: c.req.param('id') })),
  );
  api.post('/tasks', async (c) => {
    const body = await readJsonBody(c);
    if (Array.isArray(body)) {
      const result = await client.request<{ tasks: unknown[] }>('task_submit', { tasks: body });
      return ok(c, { tasks: result.tasks, count: result.tasks.length }, 201);
    }
    const result = await client.request<{ created: boolean }>('task_submit', { task: body });
    return ok(c, result, result.created ? 201 : 200);
  });
  api.get('/tasks/:id', async (c) =>
    ok(c, await client.request('task_status', { task_id: c.req.param('id') })),
  );
  api.post('/tasks/:id/cancel', async (c) =>
    ok(c, await client.request('task_cancel', { task_id: c.req.param('id') })),
  );
  app.route('/api/v1', api);

  app.notFound((c) =>
    fail(
      c,
      ErrorCode.NotFound,
      `no route for ${c.req.method} ${c.req.path} on this standalone API server (it forwards ` +
        `TCP management messages to ${client.address}: /health, /api/v1/cluster/status, /api/v1/devices[/ID], ` +
        `POST /api/v1/tasks, /api/v1/tasks/ID, POST /api/v1/tasks/ID/cancel); the main node's own HTTP API has the rest`,
    ),
  );
  app.onError((error, c) => {
    if (error instanceof UpstreamError)
      return fail(c, error.code, error.message, undefined, error.httpStatus);
    if (error instanceof ClusterError) return fail(c, error.code, error.message, error.details);
    options.onError?.(error);
    return fail(c, ErrorCode.Internal, 'internal error', undefined, 500);
  });
  return app;
}

/** status/role/platform go to the main node; tags and pages are applied here (list_devices has neither). */
async function listDevices(client: ManagementClient, c: Context): Promise<Record<string, unknown>> {
  const query: Record<string, string> = {};
  for (const key of ['status', 'role', 'platform']) {
    const value = c.req.query(key);
    if (value) query[key] = value;
  }
  const { devices } = await client.request<{ devices: DeviceLike[] }>('list_devices', query);
  const tags = (c.req.query('tags') ?? '').split(',').filter(Boolean);
  const matching = tags.length ? devices.filter((d) => tags.every((t) => d.tags?.includes(t))) : devices;
  const page = positiveInt(c.req.query('page'), 'page') ?? 1;
  const pageSize = positiveInt(c.req.query('page_size'), 'page_size') ?? Math.max(1, matching.length);
  const shown = pageSlice(matching, page, pageSize);
  return { devices: shown, count: shown.length, pagination: pagination(page, pageSize, matching.length) };
}

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new ClusterError(ErrorCode.ValidationError, `${name} must be a positive integer`);
  return n;
}

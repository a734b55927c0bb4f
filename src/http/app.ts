/** The HTTP API (DESIGN §7): one Hono app, one route file per resource, middleware as factories. */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ClusterMetrics } from '../main/metrics.ts';
import { secretsEqual } from '../main/secrets.ts';
import type { ClusterService } from '../main/service.ts';
import { VERSION } from '../main/version.ts';
import { mcpRoutes } from '../mcp/httpRoutes.ts';
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';
import { clientAddress } from './clientAddress.ts';
import { fail } from './envelope.ts';
import { apiAuth, presentedToken } from './middleware/apiAuth.ts';
import { corsFor } from './middleware/cors.ts';
import { jsonMethodNotAllowed } from './middleware/methodNotAllowed.ts';
import { rateLimit } from './middleware/rateLimit.ts';
import { requestId } from './middleware/requestId.ts';
import { apiIndexRoutes } from './routes/apiIndex.ts';
import { clusterRoutes } from './routes/cluster.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { deviceRoutes } from './routes/devices.ts';
import { docsRoutes } from './routes/docs.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { type JoinOptions, joinRoutes } from './routes/join.ts';
import { prometheusRoutes } from './routes/prometheus.ts';
import { taskRoutes } from './routes/tasks.ts';
import { terminalRoutes } from './routes/terminal.ts';
import { textRoutes } from './routes/text.ts';

export interface AppOptions {
  service: ClusterService;
  metrics: ClusterMetrics;
  apiToken: () => string;
  auth: boolean;
  maxBodyBytes: number;
  /** The one browser origin allowed (CORS); none when unset. */
  corsOrigin?: string;
  /** Requests per minute per API key (or client address without a valid one); 0 = no limit. */
  rateLimitPerMinute?: number;
  /** Serves the worker bundle and the join script when given. */
  join?: JoinOptions;
  onError?: (error: unknown) => void;
}

export function createApp(options: AppOptions): Hono {
  const { service, metrics } = options;
  const app = new Hono();
  app.use('*', requestId());
  app.use('*', corsFor(options.corsOrigin));
  app.use('*', jsonMethodNotAllowed(app));
  app.use(
    '*',
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: (c) =>
        fail(c, ErrorCode.PayloadTooLarge, `the request body exceeds ${options.maxBodyBytes} bytes`),
    }),
  );
  // Before the rate limit: a load balancer probing often must never be refused.
  app.route('/', healthRoutes(service));
  app.use('*', rateLimit({ perMinute: options.rateLimitPerMinute ?? 0, key: rateKey(options) }));
  app.route('/', docsRoutes(VERSION));
  if (options.join) app.route('/', joinRoutes(options.join));

  const auth = apiAuth({ token: options.apiToken, enabled: options.auth });
  app.use('/text/*', auth);
  app.use('/metrics', auth);
  app.route('/text', textRoutes(service));
  app.route('/', prometheusRoutes(metrics));
  app.route('/', dashboardRoutes({ service, auth }));

  const api = new Hono();
  api.use('*', auth);
  api.route('/', apiIndexRoutes(VERSION));
  api.route('/tasks', taskRoutes(service));
  api.route('/devices', deviceRoutes(service));
  api.route('/cluster', clusterRoutes(service, metrics));
  api.route('/events', eventRoutes(service));
  api.route('/', terminalRoutes({ api: app }));
  app.route('/api/v1', api);
  app.route('/', mcpRoutes({ api: app, apiToken: options.apiToken, auth: options.auth }));

  app.notFound((c) => fail(c, ErrorCode.NotFound, `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof ClusterError) return fail(c, error.code, error.message, error.details);
    options.onError?.(error);
    return fail(c, ErrorCode.Internal, 'internal error', undefined, 500);
  });
  return app;
}

/**
 * Holders of the API token share one budget; any other request (no token, a wrong one) is counted
 * against its address, so guessing tokens does not earn fresh budgets.
 */
function rateKey(options: AppOptions): (c: Context) => string {
  return (c) => {
    const token = presentedToken(c);
    if (options.auth && token !== undefined && secretsEqual(token, options.apiToken())) return 'key';
    return `ip:${clientAddress(c)}`;
  };
}

/** The HTTP API (DESIGN §7): one Hono app, one route file per resource, middleware as factories. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ClusterService } from '../main/service.ts';
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';
import { fail } from './envelope.ts';
import { apiAuth } from './middleware/apiAuth.ts';
import { requestId } from './middleware/requestId.ts';
import { clusterRoutes } from './routes/cluster.ts';
import { deviceRoutes } from './routes/devices.ts';
import { healthRoutes } from './routes/health.ts';
import { taskRoutes } from './routes/tasks.ts';

export interface AppOptions {
  service: ClusterService;
  apiToken: () => string;
  auth: boolean;
  maxBodyBytes: number;
  onError?: (error: unknown) => void;
}

export function createApp(options: AppOptions): Hono {
  const { service } = options;
  const app = new Hono();
  app.use('*', requestId());
  app.route('/', healthRoutes(service));

  const api = new Hono();
  api.use('*', apiAuth({ token: options.apiToken, enabled: options.auth }));
  api.use(
    '*',
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: (c) =>
        fail(c, ErrorCode.PayloadTooLarge, `the request body exceeds ${options.maxBodyBytes} bytes`),
    }),
  );
  api.route('/tasks', taskRoutes(service));
  api.route('/devices', deviceRoutes(service));
  api.route('/cluster', clusterRoutes(service));
  app.route('/api/v1', api);

  app.notFound((c) => fail(c, ErrorCode.NotFound, `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof ClusterError) return fail(c, error.code, error.message, error.details);
    options.onError?.(error);
    return fail(c, ErrorCode.Internal, 'internal error', undefined, 500);
  });
  return app;
}

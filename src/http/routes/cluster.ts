import { Hono } from 'hono';
import type { ClusterMetrics } from '../../main/metrics.ts';
import type { ClusterService } from '../../main/service.ts';
import { ErrorCode } from '../../protocol/errorCodes.ts';
import { fail, ok } from '../envelope.ts';

export function clusterRoutes(service: ClusterService, metrics: ClusterMetrics): Hono {
  return new Hono()
    .get('/status', (c) => ok(c, service.clusterStatus()))
    .get('/health', async (c) => {
      const health = await service.clusterHealth();
      if (health.healthy) return ok(c, health);
      const problems = Object.entries(health.components)
        .filter(([, component]) => component.status !== 'ok')
        .map(([name, component]) => `${name}: ${component.message}`);
      return fail(c, ErrorCode.Unavailable, `the cluster is degraded (${problems.join('; ')})`, health);
    })
    .get('/metrics', (c) => ok(c, metrics.view()));
}

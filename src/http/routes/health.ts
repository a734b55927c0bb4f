import { Hono } from 'hono';
import type { ClusterService } from '../../main/service.ts';
import { ok } from '../envelope.ts';

/** Liveness for load balancers and Docker's HEALTHCHECK: never needs a token. */
export function healthRoutes(service: ClusterService): Hono {
  return new Hono().get('/health', (c) => {
    const status = service.clusterStatus();
    return ok(c, {
      healthy: true,
      version: status.version,
      uptime_seconds: status.uptime_seconds,
      online_devices: status.cluster_stats.online_devices,
      queue_depth: status.queue_depth,
    });
  });
}

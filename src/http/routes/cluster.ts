import { Hono } from 'hono';
import type { ClusterService } from '../../main/service.ts';
import { ok } from '../envelope.ts';

export function clusterRoutes(service: ClusterService): Hono {
  return new Hono().get('/status', (c) => ok(c, service.clusterStatus()));
}

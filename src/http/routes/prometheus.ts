import { Hono } from 'hono';
import type { ClusterMetrics } from '../../main/metrics.ts';

/** `GET /metrics` for Prometheus (scrape it with the API token as a bearer credential). */
export function prometheusRoutes(metrics: ClusterMetrics): Hono {
  return new Hono().get('/metrics', async (c) =>
    c.body(await metrics.exposition(), 200, { 'Content-Type': metrics.contentType }),
  );
}

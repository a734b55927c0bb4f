import { Hono } from 'hono';
import { ok } from '../envelope.ts';
import { API_ROUTES } from '../apiCatalog.ts';

export const API_FEATURES = [
  'tasks',
  'batch-submit',
  'idempotency-keys',
  'retries',
  'devices',
  'drain',
  'events-sse',
  'text-endpoints',
  'prometheus-metrics',
  'openapi',
  'rate-limit',
] as const;

/** `GET /api/v1`: what this server offers, for a client finding its way. */
export function apiIndexRoutes(version: string): Hono {
  const endpoints = API_ROUTES.map((route) => ({
    method: route.method.toUpperCase(),
    path: route.path,
    summary: route.summary,
    auth: route.auth !== false,
  }));
  return new Hono().get('/', (c) =>
    ok(c, {
      name: 'Retire-Cluster',
      version,
      api_version: 'v1',
      features: API_FEATURES,
      docs: '/docs',
      openapi: '/openapi.json',
      endpoints,
    }),
  );
}

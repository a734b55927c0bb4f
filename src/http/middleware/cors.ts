import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/**
 * CORS for exactly one configured origin, or none at all. The origin is compared, never reflected,
 * and no credentials are allowed: the API is called with a token header, not cookies.
 */
export function corsFor(origin: string | undefined): MiddlewareHandler {
  if (!origin) return (_c, next) => next();
  return cors({
    origin,
    allowMethods: ['GET', 'POST', 'DELETE'],
    allowHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'X-Request-Id', 'Last-Event-ID'],
    exposeHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining'],
    maxAge: 600,
  });
}

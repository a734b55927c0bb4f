import type { Context, MiddlewareHandler } from 'hono';
import { ErrorCode } from '../../protocol/errorCodes.ts';
import { fail } from '../envelope.ts';

export interface RateLimitOptions {
  /** Requests per minute per key; 0 turns the limit off. */
  perMinute: number;
  /** Who a request counts against (an API key, or the client's address). */
  key: (c: Context) => string;
  /** Keys remembered at most; the least recently seen is forgotten first (memory stays bounded). */
  maxKeys?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key: bursts up to the per-minute limit, refilled evenly over the minute.
 * A refused request gets 429 RATE_LIMIT_EXCEEDED with `Retry-After` (seconds until one is allowed).
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { perMinute } = options;
  if (perMinute <= 0) return (_c, next) => next();
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const refillPerMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();

  return async (c, next) => {
    const key = options.key(c);
    const at = now();
    const previous = buckets.get(key);
    const bucket: Bucket = previous
      ? { tokens: Math.min(perMinute, previous.tokens + (at - previous.at) * refillPerMs), at }
      : { tokens: perMinute, at };
    // Re-inserting keeps the map in least-recently-seen order, so eviction takes the oldest.
    buckets.delete(key);
    buckets.set(key, bucket);
    if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);

    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
      const response = fail(
        c,
        ErrorCode.RateLimitExceeded,
        `too many requests: at most ${perMinute} per minute; retry in ${retryAfter} s`,
        { limit_per_minute: perMinute, retry_after_seconds: retryAfter },
      );
      response.headers.set('Retry-After', String(retryAfter));
      return response;
    }
    bucket.tokens -= 1;
    c.header('RateLimit-Limit', String(perMinute));
    c.header('RateLimit-Remaining', String(Math.floor(bucket.tokens)));
    await next();
  };
}

import type { Context, MiddlewareHandler } from 'hono';
import { secretsEqual } from '../../main/secrets.ts';
import { ErrorCode } from '../../protocol/errorCodes.ts';
import { fail } from '../envelope.ts';

export interface ApiAuthOptions {
  /** Read on each request, so a rotated token takes effect at once. */
  token: () => string;
  enabled: boolean;
}

/** `Authorization: Bearer <token>` or `X-API-Key: <token>`, compared in constant time. */
export function apiAuth(options: ApiAuthOptions): MiddlewareHandler {
  return async (c, next) => {
    if (!options.enabled) return next();
    const given = presentedToken(c);
    if (!given) {
      return fail(
        c,
        ErrorCode.MissingApiKey,
        'an API token is required: send "Authorization: Bearer <token>" or "X-API-Key: <token>"',
      );
    }
    if (!secretsEqual(given, options.token()))
      return fail(c, ErrorCode.InvalidApiKey, 'the API token is not valid');
    return next();
  };
}

/** The token a request presents, if any (`?token=` is for EventSource, which cannot set headers). */
export function presentedToken(c: Context): string | undefined {
  const bearer = c.req
    .header('authorization')
    ?.match(/^Bearer\s+(.+)$/i)?.[1]
    ?.trim();
  return bearer ?? c.req.header('x-api-key') ?? c.req.query('token');
}

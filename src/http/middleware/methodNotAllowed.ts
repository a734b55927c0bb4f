import type { Hono, MiddlewareHandler } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { ErrorCode } from '../../protocol/errorCodes.ts';
import { fail } from '../envelope.ts';

/** A known path with the wrong method: JSON 405 METHOD_NOT_ALLOWED with `Allow`, not a 404. */
export function jsonMethodNotAllowed(app: Hono): MiddlewareHandler {
  return methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) => {
      const allow = methods.join(', ');
      const response = fail(
        c,
        ErrorCode.MethodNotAllowed,
        `${c.req.method} is not allowed here; use ${allow}`,
        {
          allowed_methods: methods,
        },
      );
      response.headers.set('Allow', allow);
      return response;
    },
  });
}

/** The JSON envelope of every API response (DESIGN §7), and the mapping of error codes to statuses. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ErrorCode } from '../protocol/errorCodes.ts';

export const HTTP_STATUS_BY_CODE: Readonly<Record<string, ContentfulStatusCode>> = {
  [ErrorCode.ValidationError]: 400,
  [ErrorCode.BadMessage]: 400,
  [ErrorCode.MissingApiKey]: 401,
  [ErrorCode.InvalidApiKey]: 401,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.TaskNotFound]: 404,
  [ErrorCode.DeviceNotFound]: 404,
  [ErrorCode.NoTaskResult]: 404,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.MethodNotAllowed]: 405,
  [ErrorCode.InvalidState]: 409,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.RateLimitExceeded]: 429,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.QueueFull]: 503,
};

export function ok(c: Context, data: unknown, status: ContentfulStatusCode = 200): Response {
  return c.json(
    { status: 'success', timestamp: new Date().toISOString(), data, request_id: c.get('requestId') },
    status,
  );
}

export function fail(
  c: Context,
  code: string,
  message: string,
  details?: unknown,
  status?: ContentfulStatusCode,
): Response {
  const body: Record<string, unknown> = {
    status: 'error',
    message,
    error_code: code,
    request_id: c.get('requestId'),
  };
  if (details !== undefined) body.error_details = details;
  return c.json(body, status ?? HTTP_STATUS_BY_CODE[code] ?? 500);
}

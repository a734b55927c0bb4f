import type { Context } from 'hono';
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';

export async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw new ClusterError(ErrorCode.ValidationError, 'the request body must be JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ClusterError(
      ErrorCode.ValidationError,
      `the request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/**
 * Tool results: data as `structuredContent` plus a short text summary; failures as tool errors
 * (`isError: true`) whose text starts with the cluster's error code, so an agent can react to
 * `TASK_NOT_FOUND` or `VALIDATION_ERROR` and a failure never takes the server down.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApiError } from '../cli/client.ts';
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';

export function toolOk(summary: string, data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: summary }], structuredContent: data };
}

export function toolError(error: unknown): CallToolResult {
  const { code, message } = describeError(error);
  return {
    content: [{ type: 'text', text: `${code}: ${message}` }],
    structuredContent: { error_code: code, message },
    isError: true,
  };
}

export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof ApiError || error instanceof ClusterError) {
    return { code: error.code, message: error.message };
  }
  return { code: ErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
}

/** Runs a tool body and turns anything it throws into a tool error. */
export function guarded<A extends unknown[]>(
  body: (...args: A) => Promise<CallToolResult>,
): (...args: A) => Promise<CallToolResult> {
  return async (...args) => {
    try {
      return await body(...args);
    } catch (error) {
      return toolError(error);
    }
  };
}

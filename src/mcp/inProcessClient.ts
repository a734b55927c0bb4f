/**
 * A ClusterClient that calls the main node's own Hono app in-process (`app.request`): the `/mcp`
 * endpoint reaches the REST API with no network hop, through the same middleware, validation and
 * error mapping as any other caller.
 */
import { ApiError } from '../cli/client.ts';
import type { ClusterClient } from './clusterClient.ts';

/** The one thing needed of the app (a Hono instance satisfies it). */
export interface FetchableApp {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

interface Envelope {
  status?: string;
  data?: unknown;
  message?: string;
  error_code?: string;
}

/** `apiToken` is read on every call, so a rotated token takes effect at once. */
export function inProcessClient(app: FetchableApp, apiToken: () => string): ClusterClient {
  return {
    async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization: `Bearer ${apiToken()}`,
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await app.request(path, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
      });
      let parsed: Envelope;
      try {
        parsed = (await response.json()) as Envelope;
      } catch (error) {
        throw new ApiError(response.status, 'BAD_RESPONSE', `unexpected response from ${path}`, {
          cause: error,
        });
      }
      if (!response.ok || parsed.status !== 'success') {
        throw new ApiError(
          response.status,
          parsed.error_code ?? 'ERROR',
          parsed.message ?? `HTTP ${response.status}`,
        );
      }
      return parsed.data as T;
    },
  };
}

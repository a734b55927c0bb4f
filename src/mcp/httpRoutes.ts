/**
 * `/mcp` on the main node: the MCP server over Streamable HTTP, behind the API token (the same
 * `Authorization: Bearer` / `X-API-Key` check and 401 envelope as `/api/*`). The tools call the
 * REST API of `api` — the main node's own app — in-process.
 */
import { Hono } from 'hono';
import { apiAuth } from '../http/middleware/apiAuth.ts';
import { type FetchableApp, inProcessClient } from './inProcessClient.ts';
import { createMcpServer } from './server.ts';
import { McpSessions, type SessionOptions } from './sessions.ts';

export interface McpRoutesOptions extends SessionOptions {
  /** The app whose REST API (`/api/v1`) the tools call. */
  api: FetchableApp;
  apiToken: () => string;
  /** False when the main node runs with --no-auth. */
  auth: boolean;
}

export function mcpRoutes(options: McpRoutesOptions): Hono {
  const client = inProcessClient(options.api, options.apiToken);
  const sessions = new McpSessions(() => createMcpServer(client), options);
  return new Hono()
    .use('/mcp', apiAuth({ token: options.apiToken, enabled: options.auth }))
    .all('/mcp', (c) => sessions.handle(c.req.raw));
}

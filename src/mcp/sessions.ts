/**
 * Streamable HTTP sessions. Sessions (rather than a stateless server per request) are what let a
 * client cancel a long wait: its `notifications/cancelled` arrives in a later POST, which must reach
 * the server instance running the request. Memory stays bounded: at most `maxSessions`, the least
 * recently used closed first, and sessions idle for `idleMs` are closed when a new one starts.
 */
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';

interface Session {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  lastUsed: number;
}

export interface SessionOptions {
  maxSessions?: number;
  idleMs?: number;
  now?: () => number;
}

const SESSION_HEADER = 'mcp-session-id';

export class McpSessions {
  /** In least-recently-used order (a used session is moved to the end). */
  readonly #sessions = new Map<string, Session>();
  readonly #createServer: () => McpServer;
  readonly #maxSessions: number;
  readonly #idleMs: number;
  readonly #now: () => number;

  constructor(createServer: () => McpServer, options: SessionOptions = {}) {
    this.#createServer = createServer;
    this.#maxSessions = options.maxSessions ?? 100;
    this.#idleMs = options.idleMs ?? 60 * 60 * 1000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#sessions.size;
  }

  async handle(request: Request): Promise<Response> {
    const id = request.headers.get(SESSION_HEADER);
    if (id !== null) {
      const session = this.#sessions.get(id);
      // The spec's answer to an unknown session: 404, and the client starts a new one.
      if (!session) return jsonRpcError(404, -32001, 'Session not found: initialize a new session');
      this.#touch(id, session);
      return session.transport.handleRequest(request);
    }
    return this.#start(request);
  }

  /** A request without a session id: only `initialize` may open one; the transport refuses the rest. */
  async #start(request: Request): Promise<Response> {
    this.#makeRoom();
    const server = this.#createServer();
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.#sessions.set(id, { server, transport, lastUsed: this.#now() });
      },
    });
    server.server.onclose = () => {
      if (transport.sessionId !== undefined) this.#sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    try {
      const response = await transport.handleRequest(request);
      if (transport.sessionId === undefined) await server.close();
      return response;
    } catch (error) {
      await server.close();
      throw error;
    }
  }

  #touch(id: string, session: Session): void {
    session.lastUsed = this.#now();
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
  }

  #makeRoom(): void {
    const idleSince = this.#now() - this.#idleMs;
    for (const [id, session] of this.#sessions) {
      if (session.lastUsed > idleSince && this.#sessions.size < this.#maxSessions) break;
      this.#sessions.delete(id);
      void session.server.close();
    }
  }
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });
}

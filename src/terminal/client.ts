/**
 * How terminal commands reach the cluster: its REST API, and nothing else. The main node runs them
 * against its own Hono app in-process (`app.request`) with the caller's credentials, so a command
 * can do exactly what its caller could do with curl — same auth, validation and error codes.
 */

export interface TerminalClient {
  /** A JSON API call; resolves with the envelope's `data`. */
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** A `/text/*` endpoint's body. */
  text(path: string, accept?: string): Promise<string>;
}

export class ApiCallError extends Error {
  override name = 'ApiCallError';
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The one thing needed of the app (a Hono instance satisfies it). */
export interface FetchableApp {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

interface Envelope {
  status?: string;
  data?: unknown;
  message?: string;
  error_code?: string;
  error_details?: unknown;
}

export interface InProcessOptions {
  /** The caller's token, passed on as a bearer credential (none under --no-auth). */
  token?: string | undefined;
  /** Aborted when the caller goes away (Ctrl+C in the page closes the request). */
  signal?: AbortSignal | undefined;
}

export function inProcessClient(app: FetchableApp, options: InProcessOptions = {}): TerminalClient {
  const call = (method: string, path: string, accept: string, body?: unknown) => {
    const headers: Record<string, string> = { accept };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return app.request(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: options.signal ?? null,
    });
  };
  return {
    async json<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await call(method, path, 'application/json', body);
      const parsed = await readEnvelope(response, path);
      if (!response.ok || parsed.status !== 'success') throw errorOf(response, parsed);
      return parsed.data as T;
    },
    async text(path: string, accept = 'text/plain'): Promise<string> {
      const response = await call('GET', path, accept);
      if (!response.ok) throw errorOf(response, await readEnvelope(response, path));
      return response.text();
    },
  };
}

async function readEnvelope(response: Response, path: string): Promise<Envelope> {
  try {
    return (await response.json()) as Envelope;
  } catch {
    throw new ApiCallError(response.status, 'BAD_RESPONSE', `unexpected response from ${path}`);
  }
}

function errorOf(response: Response, envelope: Envelope): ApiCallError {
  return new ApiCallError(
    response.status,
    envelope.error_code ?? 'ERROR',
    envelope.message ?? `HTTP ${response.status}`,
    envelope.error_details,
  );
}

/**
 * The CLI's HTTP client. Where to connect: --url / RC_URL (default http://127.0.0.1:8081); the token:
 * --token / RC_API_TOKEN, else the API token stored in the data dir (on the main node's own machine).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { API_TOKEN_FILE, readStoredSecret } from '../main/secrets.ts';
import { DEFAULT_HTTP_PORT } from '../protocol/version.ts';

export interface ClientOptions {
  url?: string;
  token?: string;
  dataDir?: string;
  /** Gives up on a request after this long (the original status CLI's --timeout). */
  timeoutMs?: number;
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.code = code;
  }
}

interface ResponseEnvelope<T> {
  status?: string;
  data?: T;
  message?: string;
  error_code?: string;
}

export class ApiClient {
  readonly baseUrl: string;
  readonly #token: string | null;

  /** The API token in use (status falls back to the TCP management messages with it). */
  get token(): string | null {
    return this.#token;
  }

  readonly #timeoutMs: number | undefined;

  constructor(options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env) {
    this.baseUrl = (options.url ?? env.RC_URL ?? `http://127.0.0.1:${DEFAULT_HTTP_PORT}`).replace(/\/+$/, '');
    const dataDir = options.dataDir ?? env.RC_DATA_DIR ?? join(homedir(), '.retire-cluster');
    this.#token = options.token ?? env.RC_API_TOKEN ?? readStoredSecret(dataDir, API_TOKEN_FILE);
    this.#timeoutMs = options.timeoutMs;
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.#fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: this.#signal(signal),
    });
    const text = await response.text();
    let parsed: ResponseEnvelope<T> = {};
    try {
      parsed = JSON.parse(text) as ResponseEnvelope<T>;
    } catch {
      throw new ApiError(
        response.status,
        'BAD_RESPONSE',
        `unexpected response from ${this.baseUrl}${path}: ${text.slice(0, 200)}`,
      );
    }
    if (!response.ok || parsed.status !== 'success') throw errorFrom(response, parsed);
    return parsed.data as T;
  }

  /** A streaming response (Server-Sent Events), checked for success but not read. */
  async open(path: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const response = await this.#fetch(path, { headers, signal: signal ?? null });
    if (response.ok) return response;
    let parsed: ResponseEnvelope<unknown> = {};
    try {
      parsed = JSON.parse(await response.text()) as ResponseEnvelope<unknown>;
    } catch {
      // Not our envelope: the HTTP status alone says what went wrong.
    }
    throw errorFrom(response, parsed);
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, undefined, signal);
  }

  post<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>('POST', path, body ?? {}, signal);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  async #fetch(
    path: string,
    init: Omit<RequestInit, 'headers'> & { headers: Record<string, string> },
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    try {
      return await fetch(this.baseUrl + path, { ...init, headers });
    } catch (error) {
      if (init.signal?.aborted) {
        const reason: unknown = init.signal.reason;
        // A timeout is a failed request; any other abort (Ctrl+C) is the caller's to report.
        if (reason instanceof DOMException && reason.name === 'TimeoutError') {
          throw new ApiError(0, 'TIMEOUT', `no answer from ${this.baseUrl} within ${this.#timeoutMs} ms`);
        }
        throw error;
      }
      const cause = (error as { cause?: { code?: string; name?: string } }).cause;
      // Something answered, but not in HTTP: typically the main node's TCP worker port.
      if (cause?.name === 'HTTPParserError') {
        throw new ApiError(0, 'NOT_HTTP', `${this.baseUrl} answered, but not in HTTP`, { cause: error });
      }
      const reason = cause?.code ?? (error as Error).message;
      throw new ApiError(0, 'UNREACHABLE', `cannot reach the main node at ${this.baseUrl} (${reason})`, {
        cause: error,
      });
    }
  }

  #signal(signal: AbortSignal | undefined): AbortSignal | null {
    const timeout = this.#timeoutMs === undefined ? undefined : AbortSignal.timeout(this.#timeoutMs);
    if (signal && timeout) return AbortSignal.any([signal, timeout]);
    return signal ?? timeout ?? null;
  }
}

function errorFrom(response: Response, parsed: ResponseEnvelope<unknown>): ApiError {
  return new ApiError(
    response.status,
    parsed.error_code ?? 'ERROR',
    parsed.message ?? `HTTP ${response.status} ${response.statusText}`.trim(),
  );
}

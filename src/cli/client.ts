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
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class ApiClient {
  readonly baseUrl: string;
  readonly #token: string | null;

  constructor(options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env) {
    this.baseUrl = (options.url ?? env.RC_URL ?? `http://127.0.0.1:${DEFAULT_HTTP_PORT}`).replace(/\/+$/, '');
    const dataDir = options.dataDir ?? env.RC_DATA_DIR ?? join(homedir(), '.retire-cluster');
    this.#token = options.token ?? env.RC_API_TOKEN ?? readStoredSecret(dataDir, API_TOKEN_FILE);
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new ApiError(0, 'UNREACHABLE', `cannot reach the main node at ${this.baseUrl} (${cause})`);
    }
    const text = await response.text();
    let parsed: { status?: string; data?: T; message?: string; error_code?: string } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new ApiError(
        response.status,
        'BAD_RESPONSE',
        `unexpected response from ${this.baseUrl}${path}: ${text.slice(0, 200)}`,
      );
    }
    if (!response.ok || parsed.status !== 'success') {
      throw new ApiError(
        response.status,
        parsed.error_code ?? 'ERROR',
        parsed.message ?? `HTTP ${response.status}`,
      );
    }
    return parsed.data as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body ?? {});
  }
}

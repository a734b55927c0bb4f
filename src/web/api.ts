/** The page's calls to the main node: the REST envelope, the token, and what a 401 means. */

const TOKEN_KEY = 'retire-cluster.api-token';

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

export class Api {
  #token: string | null;
  /** Called when the server refuses the token, so the page can ask for another one. */
  onUnauthorized: (error: ApiError) => void = () => {};

  constructor(token: string | null) {
    this.#token = token;
  }

  get token(): string | null {
    return this.#token;
  }

  set token(token: string | null) {
    this.#token = token;
    try {
      if (token) localStorage.setItem(TOKEN_KEY, token);
      else localStorage.removeItem(TOKEN_KEY);
    } catch {
      // Private browsing without storage: the token lasts as long as the page.
    }
  }

  static storedToken(): string | null {
    try {
      return localStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, undefined, signal);
  }

  async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>('POST', path, body, signal);
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.#fetch(method, path, body, signal);
    let envelope: { status?: string; data?: unknown; message?: string; error_code?: string };
    try {
      envelope = (await response.json()) as typeof envelope;
    } catch {
      throw new ApiError(
        response.status,
        'BAD_RESPONSE',
        `unexpected answer from ${path} (HTTP ${response.status})`,
      );
    }
    if (!response.ok || envelope.status !== 'success') {
      const error = new ApiError(
        response.status,
        envelope.error_code ?? 'ERROR',
        envelope.message ?? `HTTP ${response.status}`,
      );
      if (response.status === 401) this.onUnauthorized(error);
      throw error;
    }
    return envelope.data as T;
  }

  async text(path: string, signal?: AbortSignal): Promise<string> {
    const response = await this.#fetch('GET', path, undefined, signal);
    if (response.status === 401) {
      const error = new ApiError(401, 'UNAUTHORIZED', 'the API token was not accepted');
      this.onUnauthorized(error);
      throw error;
    }
    if (!response.ok) throw new ApiError(response.status, 'ERROR', `HTTP ${response.status} from ${path}`);
    return response.text();
  }

  /** For EventSource, which cannot send headers: the token rides in the query (the server accepts it). */
  streamUrl(path: string, params: Record<string, string> = {}): string {
    const query = new URLSearchParams(params);
    if (this.#token) query.set('token', this.#token);
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  }

  #fetch(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
      cache: 'no-store',
    });
  }
}

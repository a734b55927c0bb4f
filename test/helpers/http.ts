/** Raw HTTP calls for tests that look at headers, status lines and non-JSON bodies. */
export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The API token to send as a bearer credential; null sends none. */
  token?: string | null;
}

export async function call(
  target: { url: string; apiToken: string },
  path: string,
  options: CallOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? target.apiToken : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return fetch(target.url + path, { method: options.method ?? 'GET', headers, body: options.body ?? null });
}

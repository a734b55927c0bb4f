import { CappedOutput } from './cappedOutput.ts';
import { refusedDestination } from './destinationGuard.ts';
import { errorMessage, failed, stopped, succeeded } from './outcome.ts';
import {
  optionalSeconds,
  optionalString,
  optionalStringRecord,
  PayloadError,
  payloadObject,
  requiredString,
  validate,
} from './payload.ts';
import type { TaskContext, TaskHandler, TaskOutcome } from './taskHandler.ts';

interface HttpPayload {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  timeout: number | undefined;
}

const METHOD = /^[A-Za-z]+$/;
const BODYLESS_METHODS = new Set(['GET', 'HEAD']);

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PayloadError(`payload.url is not a valid URL: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PayloadError(`payload.url must use http or https, not ${url.protocol}`);
  }
  return url;
}

/** A string body is sent as is; any other JSON value is sent as JSON. */
function encodeBody(body: unknown, headers: Record<string, string>): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  return JSON.stringify(body);
}

function parseHttpPayload(payload: unknown): HttpPayload {
  const fields = payloadObject(payload);
  const url = parseUrl(requiredString(fields, 'url'));
  const method = optionalString(fields, 'method') ?? 'GET';
  if (!METHOD.test(method)) throw new PayloadError(`payload.method is not an HTTP method: ${method}`);
  const headers = { ...optionalStringRecord(fields, 'headers') };
  const body = encodeBody(fields.body, headers);
  if (body !== undefined && BODYLESS_METHODS.has(method.toUpperCase())) {
    throw new PayloadError(`payload.body is not allowed with ${method.toUpperCase()}`);
  }
  return { url, method: method.toUpperCase(), headers, body, timeout: optionalSeconds(fields, 'timeout') };
}

/** Reads at most `maxBytes` of the body, then stops the download. */
async function readCapped(response: Response, maxBytes: number): Promise<CappedOutput> {
  const body = new CappedOutput(maxBytes);
  if (response.body === null) return body;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    body.push(Buffer.from(value));
    if (body.truncated) {
      await reader.cancel();
      break;
    }
  }
  return body;
}

/** fetch says only "fetch failed"; the cause holds the useful part (ECONNREFUSED, ENOTFOUND ...). */
function networkError(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? errorMessage(error) : errorMessage(cause);
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** fetch, following redirects by hand so each hop's destination is checked; a string is a refusal. */
async function fetchGuarded(
  request: HttpPayload,
  signal: AbortSignal,
  allowLinkLocal: boolean,
): Promise<Response | string> {
  let url = request.url;
  let method = request.method;
  let body = request.body;
  for (let hop = 0; ; hop++) {
    if (!allowLinkLocal) {
      const refused = await refusedDestination(url);
      if (refused) return refused;
    }
    const response = await fetch(url, { method, headers: request.headers, body, signal, redirect: 'manual' });
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null || hop >= MAX_REDIRECTS) return response;
    await response.body?.cancel();
    url = new URL(location, url);
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = undefined;
    }
  }
}

/** An AbortController that follows the task's signal and fires on its own after `timeoutMs`. */
function requestController(signal: AbortSignal, timeoutMs: number) {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort('timeout'), timeoutMs);
  const dispose = () => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  };
  return { signal: controller.signal, dispose };
}

async function run(context: TaskContext): Promise<TaskOutcome> {
  const parsed = validate(parseHttpPayload, context.payload);
  if (!parsed.ok) return parsed.outcome;
  const request = parsed.value;
  const timeoutMs = Math.min(context.timeoutMs, (request.timeout ?? Infinity) * 1000, 2_147_483_647);
  const { signal, dispose } = requestController(context.signal, timeoutMs);
  const what = `${request.method} ${request.url.href}`;
  try {
    const response = await fetchGuarded(request, signal, context.allowLinkLocal);
    if (typeof response === 'string')
      return failed(`${what} refused: ${response}; start the worker with --allow-link-local to allow it`);
    const body = await readCapped(response, context.maxOutputBytes);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    return succeeded({
      status_code: response.status,
      headers,
      body: body.text(),
      ...(body.truncated ? { truncated: true } : {}),
    });
  } catch (error) {
    if (signal.aborted) {
      return signal.reason === 'timeout'
        ? stopped('timeout', `${what} timed out after ${timeoutMs / 1000} s`)
        : stopped('cancelled', `${what} was cancelled`);
    }
    return failed(`${what} failed: ${networkError(error)}`);
  } finally {
    dispose();
  }
}

/** Makes one HTTP(S) request with fetch; any HTTP status is a result, only no response is a failure. */
export const httpRequestHandler: TaskHandler = { type: 'http_request', run };

/**
 * A Server-Sent Events reader for `GET /api/v1/events` that survives drops: it reconnects with
 * `Last-Event-ID`, so the main node replays what was missed (no gap, no duplicate), and treats a
 * stream that stays silent longer than three keep-alive periods as dropped (a half-open TCP connection
 * never errors by itself).
 */
import type { ApiClient } from './client.ts';
import { ApiError } from './client.ts';

export interface StreamEvent {
  id: number | null;
  event: string;
  data: Record<string, unknown>;
}

export interface EventStreamOptions {
  /** Query string for the events endpoint (types, task_id, device_id, metrics). */
  query: URLSearchParams;
  signal: AbortSignal;
  onEvent(event: StreamEvent): void;
  /** The stream dropped and is being reopened after `delayMs`. */
  onReconnect(reason: string, delayMs: number): void;
  /** Connected (again); the first call means the stream is live. */
  onOpen?(): void;
  keepAliveSeconds?: number;
}

const MAX_BACKOFF_MS = 5000;

/**
 * Runs until the signal aborts. Rejects if the first connection fails (wrong URL, main node down) or
 * the API refuses the request (auth, bad query); after that, drops are retried with backoff.
 */
export async function followEvents(client: ApiClient, options: EventStreamOptions): Promise<void> {
  const keepAlive = options.keepAliveSeconds ?? 15;
  options.query.set('keepalive', String(keepAlive));
  let lastId: number | null = null;
  let failures = 0;
  let opened = false;
  while (!options.signal.aborted) {
    try {
      await readOnce(
        client,
        options,
        keepAlive * 3000,
        lastId,
        () => {
          opened = true;
          options.onOpen?.();
        },
        (event) => {
          failures = 0;
          if (event.id !== null) lastId = event.id;
          options.onEvent(event);
        },
      );
      if (options.signal.aborted) return;
      throw new Error('the main node closed the stream');
    } catch (error) {
      if (options.signal.aborted) return;
      // The API answered and said no (auth, bad query), or was never there: retrying will not help.
      if (error instanceof ApiError && isRefusal(error.status)) throw error;
      if (!opened) throw error;
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** failures++);
      options.onReconnect((error as Error).message, delay);
      await sleep(delay, options.signal);
    }
  }
}

async function readOnce(
  client: ApiClient,
  options: EventStreamOptions,
  idleMs: number,
  lastId: number | null,
  onOpen: () => void,
  emit: (event: StreamEvent) => void,
): Promise<void> {
  const attempt = new AbortController();
  const abort = () => attempt.abort();
  options.signal.addEventListener('abort', abort);
  let idle = setTimeout(abort, idleMs);
  let silent = false;
  try {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastId !== null) headers['last-event-id'] = String(lastId);
    const query = options.query.toString();
    const response = await client.open(`/api/v1/events${query ? `?${query}` : ''}`, headers, attempt.signal);
    onOpen();
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser(emit);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      clearTimeout(idle);
      idle = setTimeout(() => {
        silent = true;
        abort();
      }, idleMs);
      parser.push(value);
    }
  } catch (error) {
    if (silent) throw new Error(`no data for ${idleMs / 1000}s`, { cause: error });
    throw error;
  } finally {
    clearTimeout(idle);
    options.signal.removeEventListener('abort', abort);
  }
}

/** The SSE wire format: blocks separated by a blank line; `:` lines are comments (keep-alives). */
export class SseParser {
  #buffer = '';
  #emit: (event: StreamEvent) => void;

  constructor(emit: (event: StreamEvent) => void) {
    this.#emit = emit;
  }

  push(text: string): void {
    this.#buffer += text.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = this.#buffer.indexOf('\n\n')) !== -1) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      this.#block(block);
    }
  }

  #block(block: string): void {
    let id: number | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id' && /^\d+$/.test(value)) id = Number(value);
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch {
      parsed = { text: data.join('\n') };
    }
    const record =
      typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : { value: parsed };
    this.#emit({ id, event, data: record });
  }
}

/** A 4xx other than "too many requests" or "request timeout" will be the same next time. */
function isRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * A steady submitter for reliability tests: a bounded number of tasks, one after another with a
 * small pacing pause, through the HTTP API. Only a `201` counts as accepted: a submit that failed
 * because the main node was down (or answered anything else) was never promised to anyone.
 */
import { setTimeout as pause } from 'node:timers/promises';
import { waitFor } from './waitFor.ts';

export interface AcceptedTask {
  index: number;
  task_id: string;
  body: Record<string, unknown>;
}

export interface SteadyLoad {
  /** Grows while the load runs. */
  readonly accepted: AcceptedTask[];
  /** Submits that were not accepted (connection refused, reset, or a non-201 answer). */
  readonly refused: { index: number; reason: string }[];
  readonly done: Promise<void>;
}

export interface SteadyLoadOptions {
  url: string;
  token: string;
  count: number;
  pauseMs: number;
  task(index: number): Record<string, unknown>;
}

export function submitSteadily(options: SteadyLoadOptions): SteadyLoad {
  const accepted: AcceptedTask[] = [];
  const refused: { index: number; reason: string }[] = [];
  const run = async () => {
    for (let index = 0; index < options.count; index++) {
      const body = options.task(index);
      try {
        const response = await fetch(`${options.url}/api/v1/tasks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5000),
        });
        const text = await response.text();
        if (response.status === 201) {
          accepted.push({
            index,
            task_id: (JSON.parse(text) as { data: { task_id: string } }).data.task_id,
            body,
          });
        } else {
          refused.push({ index, reason: `${response.status} ${text.slice(0, 200)}` });
        }
      } catch (error) {
        refused.push({ index, reason: String((error as Error).cause ?? error) });
      }
      await pause(options.pauseMs);
    }
  };
  return { accepted, refused, done: run() };
}

/** GET with the API token; throws on a non-2xx answer. */
export async function apiGet<T = any>(url: string, token: string, path: string): Promise<T> {
  const response = await fetch(url + path, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000),
  });
  const body = (await response.json()) as { data: T };
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body.data;
}

const UNFINISHED = ['pending', 'queued', 'assigned', 'running'];

/** Waits until the store holds no unfinished task; returns the per-status counts. */
export async function waitForQuiet(
  url: string,
  token: string,
  timeoutMs: number,
): Promise<Record<string, number>> {
  return waitFor(
    async () => {
      const stats = await apiGet<{ by_status: Record<string, number> }>(
        url,
        token,
        '/api/v1/tasks/statistics',
      );
      return UNFINISHED.every((s) => (stats.by_status[s] ?? 0) === 0) ? stats.by_status : null;
    },
    timeoutMs,
    'every task to finish',
  );
}

/** Fetches many tasks (or other paths), a few requests at a time. */
export async function fetchAll<T>(
  items: readonly string[],
  get: (item: string) => Promise<T>,
  parallel = 8,
): Promise<T[]> {
  const out: T[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await get(items[i]!);
      }
    }),
  );
  return out;
}

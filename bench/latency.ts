/**
 * `latency`: one worker, one task at a time. For each task, from the moment the bench sends the
 * submit to the moment it reads the `task.started` / `task.success` event from the live stream.
 * Events are emitted only after their commit, so "result" means "result durable".
 */
import { join } from 'node:path';
import { BenchMain, startWorkers, stopAll } from './lib/processes.ts';
import { SseStream } from './lib/sse.ts';
import { percentile, round } from './lib/stats.ts';
import type { SubmitPath } from './lib/submit.ts';
import { WireClient } from './lib/wire.ts';

export interface LatencyOptions {
  dir: string;
  samples: number;
  warmup: number;
  tls: boolean;
}

export interface LatencySummary {
  samples: number;
  start_p50_ms: number;
  start_p99_ms: number;
  result_p50_ms: number;
  result_p99_ms: number;
}

export type LatencyResult = Record<SubmitPath, LatencySummary>;

interface Seen {
  started?: number;
  success?: number;
  wake?: () => void;
}

export async function runLatency(options: LatencyOptions): Promise<LatencyResult> {
  const dir = join(options.dir, 'latency');
  const main = await BenchMain.start({ dir, tls: options.tls });
  let workers: Awaited<ReturnType<typeof startWorkers>> = [];
  const seen = new Map<string, Seen>();
  const stream = new SseStream(
    `${main.url}/api/v1/events?types=task.started,task.success`,
    { authorization: `Bearer ${main.apiToken}` },
    (event) => {
      const id = event.data.task_id as string;
      const entry = seen.get(id) ?? {};
      if (event.event === 'task.started') entry.started = event.at;
      else if (event.event === 'task.success') entry.success = event.at;
      seen.set(id, entry);
      if (entry.success !== undefined) entry.wake?.();
    },
  );
  const client = await WireClient.connect({ port: main.tcpPort, tls: main.tls });
  try {
    workers = await startWorkers(main, dir, 1);
    await stream.connected;
    const auth = { api_token: main.apiToken };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${main.apiToken}` };
    const submit: Record<SubmitPath, () => Promise<string>> = {
      tcp: async () => {
        const ack = await client.request('task_submit', { auth, task: { task_type: 'echo', payload: {} } });
        return ack.data.result.task_id as string;
      },
      http: async () => {
        const response = await fetch(`${main.url}/api/v1/tasks`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ task_type: 'echo', payload: {} }),
        });
        const body = (await response.json()) as any;
        return body.data.task_id as string;
      },
    };
    const result = {} as LatencyResult;
    for (const path of ['tcp', 'http'] as const) {
      const starts: number[] = [];
      const results: number[] = [];
      for (let i = 0; i < options.warmup + options.samples; i++) {
        const t0 = performance.now();
        const taskId = await submit[path]();
        const entry = seen.get(taskId) ?? {};
        seen.set(taskId, entry);
        if (entry.success === undefined) await new Promise<void>((resolve) => (entry.wake = resolve));
        seen.delete(taskId);
        if (i < options.warmup) continue;
        starts.push(entry.started! - t0);
        results.push(entry.success! - t0);
      }
      result[path] = {
        samples: options.samples,
        start_p50_ms: round(percentile(starts, 50), 3),
        start_p99_ms: round(percentile(starts, 99), 3),
        result_p50_ms: round(percentile(results, 50), 3),
        result_p99_ms: round(percentile(results, 99), 3),
      };
    }
    return result;
  } finally {
    client.close();
    stream.close();
    await stopAll([...workers, main]);
  }
}

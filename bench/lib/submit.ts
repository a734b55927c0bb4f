/**
 * Submitting many tasks the way a busy client would: batches, several in flight, over the TCP
 * management path (`task_submit` with `data.tasks`) or the HTTP API (`POST /api/v1/tasks` with an
 * array). Each batch counts only once the main node acknowledged it, i.e. once it is durable.
 */
import type { BenchMain } from './processes.ts';
import { WireClient } from './wire.ts';

export type SubmitPath = 'tcp' | 'http';

export interface SubmitOptions {
  main: BenchMain;
  path: SubmitPath;
  total: number;
  batchSize: number;
  /** Batches in flight at once. */
  window: number;
  task?: Record<string, unknown>;
}

export interface Submitter {
  submitBatch(tasks: unknown[]): Promise<void>;
  close(): void;
}

export async function openSubmitter(main: BenchMain, path: SubmitPath): Promise<Submitter> {
  if (path === 'http') {
    const url = `${main.url}/api/v1/tasks`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${main.apiToken}` };
    return {
      async submitBatch(tasks) {
        const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(tasks) });
        const text = await response.text();
        if (response.status !== 201) throw new Error(`HTTP submit failed: ${response.status} ${text}`);
      },
      close() {},
    };
  }
  const client = await WireClient.connect({ port: main.tcpPort, tls: main.tls });
  const auth = { api_token: main.apiToken };
  return {
    async submitBatch(tasks) {
      const ack = await client.request('task_submit', { auth, tasks });
      if (!Array.isArray(ack.data.result?.tasks)) throw new Error('task_submit ack without tasks');
    },
    close: () => client.close(),
  };
}

/** Submits `total` tasks; resolves once the last batch is acknowledged. */
export async function submitAll(options: SubmitOptions): Promise<void> {
  const submitter = await openSubmitter(options.main, options.path);
  const task = options.task ?? { task_type: 'echo', payload: { n: 0 } };
  let sent = 0;
  const lane = async () => {
    while (sent < options.total) {
      const size = Math.min(options.batchSize, options.total - sent);
      sent += size;
      await submitter.submitBatch(Array.from({ length: size }, () => task));
    }
  };
  try {
    await Promise.all(Array.from({ length: options.window }, lane));
  } finally {
    submitter.close();
  }
}

/**
 * `recovery`: restart a main node whose store holds N queued tasks (seeded through the API, so they
 * are exactly what a busy node leaves behind) and measure, from the restart, until it accepts a
 * device again and until that device receives its first task. The same restart with an empty store
 * is the reference: what process start-up alone costs on this machine.
 */
import { join } from 'node:path';
import { parseJoinToken } from '../src/protocol/joinToken.ts';
import { BenchMain, freePort, stopAll } from './lib/processes.ts';
import { round } from './lib/stats.ts';
import { submitAll } from './lib/submit.ts';
import { sleep } from './lib/wait.ts';
import { WireClient } from './lib/wire.ts';

export interface RecoveryOptions {
  dir: string;
  tasks: number;
  tls: boolean;
}

export interface RecoveryResult {
  tasks: number;
  seed_seconds: number;
  /** From spawning the process to a device's registration being acknowledged. */
  accept_s: number;
  /** From spawning the process to that device receiving its first task. */
  dispatch_s: number;
  /** The same restart with an empty store: start-up alone. */
  empty_accept_s: number;
}

export async function runRecovery(options: RecoveryOptions): Promise<RecoveryResult> {
  const empty = await restart(join(options.dir, 'recovery-empty'), 0, options.tls);
  const full = await restart(join(options.dir, 'recovery'), options.tasks, options.tls);
  return {
    tasks: options.tasks,
    seed_seconds: full.seedSeconds,
    accept_s: full.acceptS,
    dispatch_s: full.dispatchS,
    empty_accept_s: empty.acceptS,
  };
}

async function restart(dir: string, tasks: number, tls: boolean) {
  const port = await freePort();
  const httpPort = await freePort();
  const first = await BenchMain.start({ dir, tls, port, httpPort });
  const seedStart = performance.now();
  let joinToken: string;
  try {
    if (tasks > 0) {
      await submitAll({ main: first, path: 'tcp', total: tasks, batchSize: 1000, window: 4 });
      const queued = await first.tasksWithStatus('queued');
      if (queued !== tasks) throw new Error(`seeded ${tasks} tasks but the store has ${queued} queued`);
    }
    joinToken = first.joinToken;
  } finally {
    await stopAll([first]);
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const t0 = performance.now();
  const second = BenchMain.spawn({ dir, tls, port, httpPort });
  try {
    const device = await dialUntilAccepted(port, tls, second);
    let firstTask!: () => void;
    const assigned = new Promise<void>((resolve) => (firstTask = resolve));
    device.onMessage = (message) => {
      if (message.message_type === 'task_assign') firstTask();
    };
    await device.request('register', {
      protocol_version: 1,
      auth: { join_token: parseJoinToken(joinToken).secret },
      device_id: 'recovery-device',
      cpu_count: 2,
      memory_total_gb: 2,
      task_types: ['echo'],
      max_concurrent_tasks: 16,
    });
    const acceptS = (performance.now() - t0) / 1000;
    if (tasks > 0) await assigned;
    const dispatchS = (performance.now() - t0) / 1000;
    device.close();
    return { seedSeconds: round(seedSeconds, 2), acceptS: round(acceptS, 3), dispatchS: round(dispatchS, 3) };
  } finally {
    await stopAll([second]);
  }
}

/** Dials every few milliseconds until the restarted node's port answers. */
async function dialUntilAccepted(port: number, tls: boolean, main: BenchMain): Promise<WireClient> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    try {
      return await WireClient.connect({ port, tls, senderId: 'recovery-device' });
    } catch (error) {
      if (!main.running) throw new Error(`main node exited:\n${main.log()}`, { cause: error });
      if (performance.now() > deadline) throw error;
      await sleep(5);
    }
  }
}

/**
 * Workers are killed with SIGKILL and restarted again and again while tasks keep arriving. Each
 * task is a shell command that logs when it starts and ends, on which device, in which process, to
 * one file shared by all workers: from that log the test checks that every task completed, that a
 * task ran on two devices at once only after its first attempt was given up as lost, and that the
 * result the API reports is the last attempt's.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fetchAll, submitSteadily, waitForQuiet, apiGet } from '../helpers/load.ts';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

const TASKS = 90;
const KILLS = 5;
const DEVICES = ['w1', 'w2', 'w3'];

interface Execution {
  tag: string;
  device: string;
  pid: string;
  start: bigint;
  end: bigint | null;
}

function command(log: string, tag: string, index: number): string {
  // Every eighth run outlives the reconnect grace: killed mid-way, it overlaps its own retry.
  const seconds = index % 8 === 0 ? '1.5' : (0.1 + (index % 4) * 0.1).toFixed(1);
  // $$ is this shell's pid: it tells two runs of the same task on the same device apart.
  return (
    `echo "start ${tag} $CHURN_DEVICE $$ $(date +%s%N)" >> ${log}; sleep ${seconds}; ` +
    `echo "end ${tag} $CHURN_DEVICE $$ $(date +%s%N)" >> ${log}; echo "${tag} $CHURN_DEVICE $$"`
  );
}

function readExecutions(log: string): Map<string, Execution[]> {
  const runs = new Map<string, Execution>();
  const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
  for (const line of text.split('\n')) {
    const [kind, tag, device, pid, at] = line.split(' ');
    if (!kind || !tag || !device || !pid || !at) continue;
    const key = `${tag} ${device} ${pid}`;
    if (kind === 'start') runs.set(key, { tag, device, pid, start: BigInt(at), end: null });
    else if (kind === 'end') runs.get(key)!.end = BigInt(at);
  }
  const byTag = new Map<string, Execution[]>();
  for (const run of runs.values()) byTag.set(run.tag, [...(byTag.get(run.tag) ?? []), run]);
  for (const list of byTag.values()) list.sort((a, b) => (a.start < b.start ? -1 : 1));
  return byTag;
}

test('workers killed and restarted under load: all tasks complete, no unexplained concurrent runs', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const log = join(dir.path, 'executions.log');
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const startWorker = (id: string) =>
    procs.add(
      new WorkerProcess({
        main,
        deviceId: id,
        stateDir: join(dir.path, id),
        args: ['--max-tasks', '2'],
        env: { CHURN_DEVICE: id },
      }),
    );
  const workers = new Map(DEVICES.map((id) => [id, startWorker(id)]));
  for (const id of DEVICES) await main.waitForDevice(id);

  const load = submitSteadily({
    url: main.url,
    token: main.apiToken,
    count: TASKS,
    pauseMs: 40,
    task: (index) => ({
      task_type: 'shell_command',
      payload: { command: command(log, `job${index}`, index) },
      max_retries: 20,
      metadata: { tag: `job${index}` },
    }),
  });

  // Kill a worker while it holds work, start it again at once (same id, same state dir), next one.
  let killed = 0;
  for (let round = 0; round < KILLS; round++) {
    const victim = DEVICES[round % DEVICES.length]!;
    const busy = await waitFor(
      async () =>
        (await main.devices()).some(
          (d) => d.device_id === victim && d.status === 'online' && d.running_tasks.length > 0,
        ),
      15_000,
      `${victim} to be running something`,
    ).catch(() => false);
    if (!busy) continue; // The load may have ended: nothing left to interrupt.
    await workers.get(victim)!.kill('SIGKILL');
    killed++;
    workers.set(victim, startWorker(victim));
    await main.waitForDevice(victim);
  }
  await load.done;
  assert.equal(load.refused.length, 0, JSON.stringify(load.refused));
  assert.ok(killed >= 3, `only ${killed} kills hit a busy worker`);

  await waitForQuiet(main.url, main.apiToken, 60_000);
  const tasks = await fetchAll(
    load.accepted.map((a) => a.task_id),
    async (id) => (await apiGet(main.url, main.apiToken, `/api/v1/tasks/${id}`)).task,
  );
  // Processes of a killed worker live on (their own process group) until their sleep ends.
  const executions = await waitFor(
    () => {
      const byTag = readExecutions(log);
      return [...byTag.values()].every((runs) => runs.every((r) => r.end !== null)) ? byTag : null;
    },
    10_000,
    'every started run to end',
  );

  let overlaps = 0;
  let extraRuns = 0;
  for (const task of tasks) {
    const tag = task.metadata.tag as string;
    const runs = executions.get(tag) ?? [];
    const where = `${tag}: ${JSON.stringify(task)}\nruns: ${JSON.stringify(runs, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`;
    assert.equal(task.status, 'success', where);
    assert.equal(task.attempt, task.error_history.length + 1, where);
    // No run without an assignment behind it.
    assert.ok(runs.length >= 1 && runs.length <= task.attempt, where);
    // The reported result is the last run's: it printed its tag, device and pid.
    const [outTag, outDevice, outPid] = String(task.result.result_data.stdout).trim().split(' ');
    const last = runs.at(-1)!;
    assert.deepEqual([outTag, outDevice, outPid], [tag, last.device, last.pid], where);
    assert.equal(task.result.device_id, last.device, where);
    // Every other run is an attempt the main node gave up on, on that device.
    const given = (device: string) =>
      task.error_history.filter(
        (e: { device_id: string; status: string }) =>
          e.device_id === device && ['lost', 'timeout', 'failed'].includes(e.status),
      ).length;
    for (const device of DEVICES) {
      const earlier = runs.slice(0, -1).filter((r) => r.device === device).length;
      assert.ok(earlier <= given(device), `${device} ran it ${earlier} extra times: ${where}`);
    }
    extraRuns += runs.length - 1;
    // Two runs at once only when the earlier one had been given up (checked above) — count them.
    for (let i = 0; i < runs.length; i++) {
      for (let j = i + 1; j < runs.length; j++) {
        if (runs[i]!.end! <= runs[j]!.start) continue;
        overlaps++;
        assert.ok(given(runs[i]!.device) > 0, `overlapping runs without a lost attempt: ${where}`);
      }
    }
  }
  console.log(
    `${tasks.length} tasks, ${killed} worker kills, ${extraRuns} extra runs, ${overlaps} overlapping pairs (all after a lost attempt)`,
  );
});

/**
 * The main node is killed with SIGKILL twice while tasks keep arriving, and restarted on the same
 * ports and data dir. Every task it accepted (a 201) must end `success` exactly once, with its own
 * result, and its attempts must account for what the crashes cost.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { apiGet, fetchAll, submitSteadily, waitForQuiet } from '../helpers/load.ts';
import { freePort, MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

const TASKS = 300;

/** Echo and short sleeps in turn (the sleeps keep work in flight when the node dies). */
function taskFor(index: number): Record<string, unknown> {
  return index % 2 === 0
    ? { task_type: 'sleep', payload: { duration: 0.1 * (1 + (index % 3)) }, max_retries: 10 }
    : { task_type: 'echo', payload: { index, text: `task ${index} — ✓` }, max_retries: 10 };
}

test('kill -9 of the main node twice under load: every accepted task succeeds exactly once, attempts accounted', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const dataDir = join(dir.path, 'main');
  const [port, httpPort] = [await freePort(), await freePort()];
  let main = procs.add(await MainProcess.start({ dataDir, port, httpPort }));
  const { url, apiToken: token } = main;
  for (const id of ['w1', 'w2']) {
    procs.add(
      new WorkerProcess({ main, deviceId: id, stateDir: join(dir.path, id), args: ['--max-tasks', '4'] }),
    );
  }
  await main.waitForDevice('w1');
  await main.waitForDevice('w2');

  const load = submitSteadily({ url, token, count: TASKS, pauseMs: 15, task: taskFor });
  const inFlightAtKill: number[] = [];
  for (const threshold of [80, 170]) {
    await waitFor(() => load.accepted.length >= threshold, 30_000, `${threshold} accepted tasks`);
    // Kill it while tasks are on the workers, not in a quiet moment.
    const busy = await waitFor(
      async () => {
        const stats = await apiGet(url, token, '/api/v1/tasks/statistics');
        const n = stats.by_status.assigned + stats.by_status.running;
        return n > 0 ? n : null;
      },
      10_000,
      'tasks in flight',
    );
    inFlightAtKill.push(busy);
    await main.kill('SIGKILL');
    main = procs.add(await MainProcess.start({ dataDir, port, httpPort }));
  }
  await load.done;
  assert.ok(load.accepted.length >= 200, `only ${load.accepted.length} of ${TASKS} accepted`);

  const byStatus = await waitForQuiet(url, token, 60_000);
  const tasks = await fetchAll(
    load.accepted.map((a) => a.task_id),
    async (id) => (await apiGet(url, token, `/api/v1/tasks/${id}`)).task,
  );
  const events = await fetchAll(
    load.accepted.map((a) => a.task_id),
    async (id) => (await apiGet(url, token, `/api/v1/tasks/${id}/events`)).events as { type: string }[],
  );

  let lostAttempts = 0;
  load.accepted.forEach(({ body, task_id }, i) => {
    const task = tasks[i];
    const where = `${task_id} (${JSON.stringify(body)}): ${JSON.stringify(task)}`;
    assert.equal(task.status, 'success', where);
    // Its own result, not another task's.
    const payload = body.payload as Record<string, unknown>;
    const expected = body.task_type === 'echo' ? { echo: payload } : { slept_for: payload.duration };
    assert.deepEqual(task.result.result_data, expected, where);
    assert.equal(task.result.attempt, task.attempt, where);
    // Every attempt but the last is in the history, with why it did not count.
    assert.equal(task.attempt, task.error_history.length + 1, where);
    for (const entry of task.error_history) assert.ok(['lost', 'rejected'].includes(entry.status), where);
    const spent = task.error_history.filter((e: { status: string }) => e.status !== 'rejected').length;
    assert.equal(task.retry_count, spent, where);
    lostAttempts += spent;
    // Exactly once as the journal tells it: one success, one assignment per attempt.
    const count = (type: string) => events[i]!.filter((e) => e.type === type).length;
    assert.equal(count('task.success'), 1, where);
    assert.equal(count('task.assigned'), task.attempt, where);
    assert.equal(count('task.retrying'), task.retry_count, where);
  });

  // Nothing else is stuck either (a submit cut off by the crash may have been stored unanswered).
  assert.equal(byStatus.failed ?? 0, 0);
  assert.ok((byStatus.success ?? 0) >= load.accepted.length);
  assert.equal(inFlightAtKill.length, 2);
  console.log(
    `accepted ${load.accepted.length}/${TASKS}, refused while down ${load.refused.length}, ` +
      `in flight at the kills ${inFlightAtKill.join(' and ')}, attempts lost to the crashes ${lostAttempts}`,
  );
});

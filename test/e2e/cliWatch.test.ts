import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { jsonLines, spawnCli } from '../helpers/cli.ts';
import { freePort, MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

const TASK_LIFECYCLE = ['task.submitted', 'task.assigned', 'task.started', 'task.success'];

function typesFor(events: any[], taskId: string): string[] {
  return events.filter((e) => e.task_id === taskId).map((e) => e.type);
}

test("watch shows a submitted task's events, as lines for people and as JSON lines", async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');
  const env = { RC_URL: main.url, RC_API_TOKEN: main.apiToken };

  const json = procs.add(spawnCli(['watch', '--json', '--types', 'task.'], env));
  const human = procs.add(spawnCli(['watch'], env));
  await waitFor(
    () => /watching/.test(json.stderr) && /watching/.test(human.stderr),
    15_000,
    'watch to connect',
  );

  const taskId = await main.submit({ task_type: 'echo', payload: { hi: 1 } });
  const events = await waitFor(
    () => {
      const all = jsonLines(json.stdout);
      return typesFor(all, taskId).includes('task.success') ? all : null;
    },
    15_000,
    'the task events in watch --json',
  );
  assert.deepEqual(typesFor(events, taskId), TASK_LIFECYCLE);
  assert.ok(
    events.every((e) => e.type.startsWith('task.')),
    'the --types filter holds',
  );
  const success = events.find((e) => e.task_id === taskId && e.type === 'task.success');
  assert.equal(success.device_id, 'w1');
  assert.equal(typeof success.id, 'number');
  assert.equal(typeof success.at, 'number');

  await waitFor(
    () => new RegExp(`task\\.success\\s+task ${taskId}\\s+on w1`).test(human.stdout),
    15_000,
    'the human line',
  );
  assert.match(
    human.stdout,
    new RegExp(
      `^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\s+task\\.submitted\\s+task ${taskId}\\s+echo \\(normal\\)$`,
      'm',
    ),
  );

  human.child.kill('SIGINT');
  assert.equal((await human.exited).code, 130);
});

test('watch reconnects with Last-Event-ID after the main node restarts: nothing missed, nothing twice', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const dataDir = join(dir.path, 'main');
  const [port, httpPort] = [await freePort(), await freePort()];
  let main = procs.add(await MainProcess.start({ dataDir, port, httpPort }));
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');
  const env = { RC_URL: main.url, RC_API_TOKEN: main.apiToken };

  const watch = procs.add(spawnCli(['watch', '--json', '--types', 'task.'], env));
  await waitFor(() => /watching/.test(watch.stderr), 15_000, 'watch to connect');
  const before = await main.submit({ task_type: 'echo', payload: 1 });
  await waitFor(
    () => typesFor(jsonLines(watch.stdout), before).includes('task.success'),
    15_000,
    'first task',
  );

  await main.kill('SIGTERM');
  await waitFor(() => /stream dropped/.test(watch.stderr), 15_000, 'watch to notice the drop');
  main = procs.add(await MainProcess.start({ dataDir, port, httpPort }));
  // Submitted right away: watch is probably still backing off, so these come from the replay.
  const after = await main.submit({ task_type: 'echo', payload: 2 });
  await waitFor(() => /reconnected/.test(watch.stderr), 15_000, 'watch to reconnect');
  const events = await waitFor(
    () => {
      const all = jsonLines(watch.stdout);
      return typesFor(all, after).includes('task.success') ? all : null;
    },
    30_000,
    'the second task in watch',
  );
  assert.deepEqual(typesFor(events, before), TASK_LIFECYCLE);
  assert.deepEqual(typesFor(events, after), TASK_LIFECYCLE);
  const ids = events.map((e) => e.id);
  assert.deepEqual(
    ids,
    [...new Set(ids)].sort((a, b) => a - b),
    'ids increase without duplicates',
  );
});

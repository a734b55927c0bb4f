import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, spawnCli } from '../helpers/cli.ts';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

test('submit --wait: result and exit 0 on success, exit 1 on failure; --payload-file; bad arguments exit 2', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');
  const env = { RC_URL: main.url, RC_API_TOKEN: main.apiToken };

  const file = join(dir.path, 'payload.json');
  writeFileSync(file, JSON.stringify({ expression: '6*7' }));
  const ok = await cli(['submit', 'python_eval', '--payload-file', file, '--wait'], env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /success on w1/);
  assert.match(ok.stdout, /"result": 42/);

  const json = await cli(
    ['submit', 'echo', '--payload', '[1,2]', '--priority', 'high', '--wait', '--json'],
    env,
  );
  assert.equal(json.code, 0, json.stderr);
  const task = JSON.parse(json.stdout);
  assert.equal(task.status, 'success');
  assert.equal(task.priority, 'high');
  assert.deepEqual(task.result.result_data, { echo: [1, 2] });

  const failing = await cli(
    ['submit', 'shell_command', '--payload', '{"command":"exit 4"}', '--retries', '0', '--wait'],
    env,
  );
  assert.equal(failing.code, 1);
  assert.match(failing.stdout, /failed on w1/);
  assert.match(failing.stderr, /error: .*code 4/);

  const failingJson = await cli(
    ['submit', 'shell_command', '--payload', '{"command":"exit 5"}', '--retries', '0', '--wait', '--json'],
    env,
  );
  assert.equal(failingJson.code, 1);
  assert.equal(JSON.parse(failingJson.stdout).status, 'failed');

  const noWait = await cli(['submit', 'echo', '--json'], env);
  assert.equal(noWait.code, 0, noWait.stderr);
  assert.ok(JSON.parse(noWait.stdout).task_id);

  const usage: [string[], RegExp][] = [
    [['submit', 'echo', '--payload', '{not json'], /--payload is not valid JSON/],
    [['submit', 'echo', '--payload-file', join(dir.path, 'missing.json')], /cannot read --payload-file/],
    [['submit', 'echo', '--priority', 'asap'], /'asap' is invalid/],
    [['submit', 'echo', '--timeout', 'soon'], /--timeout needs a number/],
    [['submit', 'echo', '--retries', '1.5'], /--retries needs an integer/],
    [['submit', 'echo', '--require', 'colour=blue'], /unknown requirement "colour"/],
    [['submit'], /missing required argument 'type'/],
    [['tasks', 'show'], /tasks show needs a task id/],
  ];
  for (const [args, message] of usage) {
    const result = await cli(args, env);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
});

test('tasks: list, show, cancel, retry, wait; Ctrl+C during --wait exits 130 and leaves the task running', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');
  const env = { RC_URL: main.url, RC_API_TOKEN: main.apiToken };

  const echoId = await main.submit({ task_type: 'echo', payload: { n: 1 } });
  const waited = await cli(['tasks', 'wait', echoId], env);
  assert.equal(waited.code, 0, waited.stderr);
  assert.match(waited.stdout, new RegExp(`${echoId}\\s+success on w1`));

  const sleepId = await main.submit({ task_type: 'sleep', payload: { duration: 60 }, max_retries: 0 });
  await main.waitForTask(sleepId, (t) => t.status === 'running');

  const list = await cli(['tasks'], env);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^TASK\s+TYPE\s+STATUS\s+PRIORITY\s+DEVICE/m);
  // Newest first.
  assert.ok(list.stdout.indexOf(sleepId) < list.stdout.indexOf(echoId), list.stdout);
  assert.match(list.stdout, new RegExp(`${sleepId}\\s+sleep\\s+running\\s+normal\\s+w1`));

  const running = await cli(['tasks', 'list', '--status', 'running', '--json'], env);
  assert.equal(running.code, 0, running.stderr);
  assert.deepEqual(
    JSON.parse(running.stdout).tasks.map((t: any) => t.task_id),
    [sleepId],
  );

  const show = await cli(['tasks', 'show', sleepId], env);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /type sleep, priority normal/);
  assert.match(show.stdout, /payload: \{"duration":60\}/);
  assert.match(show.stdout, /device: w1/);

  const gaveUp = await cli(['tasks', 'wait', sleepId, '--timeout', '1'], env);
  assert.equal(gaveUp.code, 1);
  assert.match(gaveUp.stdout, /still running after 1s/);

  // Ctrl+C while waiting stops the CLI only: exit 130, the task keeps running, and it says how to follow it.
  const waiting = procs.add(spawnCli(['submit', 'sleep', '--payload', '{"duration":60}', '--wait'], env));
  const interruptedId = await waitFor(
    async () => {
      const { body } = await main.api('GET', '/api/v1/tasks?status=running');
      return body.data.tasks.find((t: any) => t.task_id !== sleepId)?.task_id as string | undefined;
    },
    15_000,
    'the --wait task to run',
  );
  waiting.child.kill('SIGINT');
  const { code } = await waiting.exited;
  assert.equal(code, 130, waiting.stderr);
  assert.match(waiting.stderr, new RegExp(`retire-cluster tasks wait ${interruptedId}`));
  assert.equal((await main.task(interruptedId)).status, 'running');

  const cancel = await cli(['tasks', 'cancel', sleepId], env);
  assert.equal(cancel.code, 0, cancel.stderr);
  assert.match(cancel.stdout, new RegExp(`${sleepId}\\s+cancelled`));
  const cancelledWait = await cli(['tasks', 'wait', sleepId, '--json'], env);
  assert.equal(cancelledWait.code, 1);
  assert.equal(JSON.parse(cancelledWait.stdout).status, 'cancelled');

  const again = await cli(['tasks', 'cancel', sleepId], env);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /INVALID_STATE/);

  const retry = await cli(['tasks', 'retry', sleepId, '--json'], env);
  assert.equal(retry.code, 0, retry.stderr);
  assert.notEqual(JSON.parse(retry.stdout).status, 'cancelled');
  await main.waitForTask(sleepId, (t) => t.status === 'running');
  await cli(['tasks', 'cancel', sleepId], env);
  await cli(['tasks', 'cancel', interruptedId], env);

  const missing = await cli(['tasks', 'show', 'no-such-task'], env);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /TASK_NOT_FOUND/);
});

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, test } from 'node:test';
import type { TaskSpec } from '../../src/protocol/messages.ts';
import { Executor, type ExecutorOptions } from '../../src/worker/executor.ts';
import { BUILTIN_HANDLERS, selectTaskTypes } from '../../src/worker/tasks/registry.ts';
import type { TaskHandler } from '../../src/worker/tasks/taskHandler.ts';

let nextId = 0;
function spec(task_type: string, payload: unknown, extra: Partial<TaskSpec> = {}): TaskSpec {
  nextId += 1;
  return {
    task_id: `t${nextId}`,
    task_type,
    payload,
    priority: 'normal',
    timeout_seconds: 30,
    attempt: 1,
    metadata: {},
    ...extra,
  };
}

const executors: Executor[] = [];
afterEach(async () => {
  await Promise.all(executors.splice(0).map((executor) => executor.close()));
});

function executor(options: Partial<ExecutorOptions> = {}): Executor {
  const created = new Executor({
    handlers: BUILTIN_HANDLERS,
    acceptedTypes: selectTaskTypes(),
    maxConcurrent: 2,
    systemInfo: async () => ({ device_id: 'd1' }),
    ...options,
  });
  executors.push(created);
  return created;
}

function handler(type: string, run: TaskHandler['run']): ReadonlyMap<string, TaskHandler> {
  return new Map([[type, { type, run }]]);
}

test('run reports the outcome with task id, attempt and timings', async () => {
  const result = await executor().run(spec('echo', { a: 1 }, { attempt: 2 }));
  assert.equal(result.status, 'success');
  assert.deepEqual(result.result_data, { echo: { a: 1 } });
  assert.equal(result.attempt, 2);
  assert.equal(result.error, undefined);
  assert.ok(result.started_at && result.completed_at && result.started_at <= result.completed_at);
  assert.equal(typeof result.duration_ms, 'number');
});

test('a full executor refuses more work until a slot frees', async () => {
  const worker = executor({ maxConcurrent: 1 });
  const first = spec('sleep', { duration: 30 });
  const running = worker.run(first);
  assert.equal(worker.size, 1);
  assert.deepEqual(worker.running(), [{ task_id: first.task_id, attempt: 1 }]);
  const next = spec('echo', {});
  const refusal = worker.canAccept(next);
  assert.equal(refusal.ok, false);
  assert.match(refusal.ok ? '' : refusal.reason, /no free slot \(1 of 1 busy\)/);
  assert.match((await worker.run(next)).error ?? '', /^rejected: no free slot/);

  assert.equal(worker.cancel(first.task_id, 2), false, 'another attempt is not cancelled');
  assert.equal(worker.cancel(first.task_id, 1), true);
  assert.equal((await running).status, 'cancelled');
  assert.equal(worker.size, 0);
  assert.deepEqual(worker.canAccept(next), { ok: true });
});

test('the same task is not run twice at once', async () => {
  const worker = executor();
  const task = spec('sleep', { duration: 30 });
  void worker.run(task);
  const again = worker.canAccept({ ...task, attempt: 2 });
  assert.match(again.ok ? '' : again.reason, /already running \(attempt 1\)/);
});

test('unknown and not-accepted types are refused; aliases are accepted', async () => {
  const worker = executor({ acceptedTypes: selectTaskTypes({ deny: ['python_eval'] }) });
  assert.match(
    JSON.stringify(worker.canAccept(spec('teleport', {}))),
    /task type \\"teleport\\" is not accepted/,
  );
  assert.equal(worker.canAccept(spec('python_eval', { expression: '1' })).ok, false);
  const result = await worker.run(spec('command', { command: 'echo via alias' }));
  assert.equal(result.status, 'success');
  assert.equal((result.result_data as { stdout: string }).stdout, 'via alias\n');
});

test('a handler that throws becomes a failed result', async () => {
  const worker = executor({
    handlers: handler('boom', async () => {
      throw new Error('handler exploded');
    }),
    acceptedTypes: ['boom'],
  });
  const result = await worker.run(spec('boom', {}));
  assert.equal(result.status, 'failed');
  assert.equal(result.error, 'handler exploded');
});

test('a handler that returns garbage becomes a failed result', async () => {
  const worker = executor({
    handlers: handler('odd', async () => ({ status: 'weird' }) as never),
    acceptedTypes: ['odd'],
  });
  assert.equal((await worker.run(spec('odd', {}))).error, 'the odd handler returned an invalid outcome');
});

test('timeout_seconds aborts the task with status timeout', async () => {
  const started = Date.now();
  const result = await executor().run(
    spec('shell_command', { command: 'sleep 30' }, { timeout_seconds: 0.2 }),
  );
  assert.equal(result.status, 'timeout');
  assert.ok(Date.now() - started < 3_000);
});

test('a handler that looks at its signal only after it was stopped sees it aborted, with the reason', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const worker = executor({
    handlers: handler('late', async (context) => {
      await gate;
      const { signal } = context;
      return signal.aborted
        ? { status: 'cancelled', error: `saw ${String(signal.reason)}` }
        : { status: 'success', result_data: 'not stopped' };
    }),
    acceptedTypes: ['late'],
  });
  const task = spec('late', {});
  const running = worker.run(task);
  assert.equal(worker.cancel(task.task_id, task.attempt), true);
  release();
  const result = await running;
  assert.equal(result.status, 'cancelled');
  assert.equal(result.error, 'saw cancelled');
});

test('a handler that ignores its signal is reported after the abandon grace', async () => {
  const worker = executor({
    handlers: handler('stuck', () => new Promise(() => undefined)),
    acceptedTypes: ['stuck'],
    abandonGraceMs: 50,
  });
  const task = spec('stuck', {});
  const running = worker.run(task);
  worker.cancel(task.task_id, task.attempt);
  const result = await running;
  assert.equal(result.status, 'cancelled');
  assert.match(result.error ?? '', /did not stop/);
});

test('child processes do not see the worker secrets or RC_* settings', async () => {
  const planted = {
    RC_JOIN_TOKEN: 'planted-join-token',
    RC_MAIN: 'planted-main-address',
    MY_API_KEY: 'planted-api-key',
    DB_PASSWORD: 'planted-password',
    GITHUB_TOKEN: 'planted-github-token',
  };
  Object.assign(process.env, planted, { PLAIN_SETTING: 'visible' });
  try {
    const result = await executor().run(spec('shell_command', { command: 'env' }));
    const env = (result.result_data as { stdout: string }).stdout;
    assert.doesNotMatch(env, /planted-/);
    assert.match(env, /^PLAIN_SETTING=visible$/m);
    assert.match(env, /^PATH=/m);
  } finally {
    for (const name of [...Object.keys(planted), 'PLAIN_SETTING']) delete process.env[name];
  }
});

test('each task runs in its own temp dir, removed afterwards', async () => {
  const worker = executor();
  const result = await worker.run(spec('shell_command', { command: 'pwd; echo data > file.txt' }));
  const workDir = (result.result_data as { stdout: string }).stdout.trim();
  assert.ok(workDir.startsWith(tmpdir()), workDir);
  assert.equal(existsSync(workDir), false);
});

test('close cancels what runs, waits for it and refuses new work', async () => {
  const worker = executor();
  const a = worker.run(spec('sleep', { duration: 30 }));
  const b = worker.run(spec('shell_command', { command: 'sleep 30' }));
  await worker.close();
  assert.deepEqual(
    (await Promise.all([a, b])).map((result) => result.status),
    ['cancelled', 'cancelled'],
  );
  assert.equal(worker.size, 0);
  assert.equal(worker.canAccept(spec('echo', {})).ok, false);
});

test('system_info gets the systemInfo function', async () => {
  const result = await executor({ systemInfo: async () => ({ cpu_count: 8 }) }).run(
    spec('system_info', null),
  );
  assert.deepEqual(result.result_data, { cpu_count: 8 });
});

test('invalid construction is refused', () => {
  assert.throws(() => executor({ maxConcurrent: 0 }), /maxConcurrent/);
  assert.throws(() => executor({ maxOutputBytes: -1 }), /maxOutputBytes/);
});

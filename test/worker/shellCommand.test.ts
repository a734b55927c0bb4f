import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { shellCommandHandler } from '../../src/worker/tasks/shellCommand.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { processGone } from './processGone.ts';
import { taskContext } from './taskContext.ts';

// The shell records its background job's pid, then waits for it: a grandchild of the worker.
const SPAWN_GRANDCHILD = 'sleep 30 & echo $! > grandchild.pid; wait';

function resultData(outcome: { result_data?: unknown }) {
  return outcome.result_data as {
    return_code: number | null;
    stdout: string;
    stderr: string;
    truncated?: true;
  };
}

test('shell_command returns the exit code and both streams', async () => {
  using task = taskContext({ command: 'echo out; echo err >&2' });
  const outcome = await shellCommandHandler.run(task.context);
  assert.deepEqual(outcome, {
    status: 'success',
    result_data: { return_code: 0, stdout: 'out\n', stderr: 'err\n' },
  });
});

test('shell_command with a non-zero exit fails but keeps its output', async () => {
  using task = taskContext({ command: 'echo partial; exit 3' });
  const outcome = await shellCommandHandler.run(task.context);
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.status === 'failed' && outcome.error, 'command exited with code 3');
  assert.deepEqual(resultData(outcome), { return_code: 3, stdout: 'partial\n', stderr: '' });
});

test('shell_command runs in the work dir, or in payload.cwd relative to it, with payload.env', async () => {
  using task = taskContext({ command: 'pwd; echo "$GREETING"', cwd: 'sub', env: { GREETING: 'hi' } });
  mkdirSync(join(task.context.workDir, 'sub'));
  const outcome = await shellCommandHandler.run(task.context);
  assert.equal(resultData(outcome).stdout, `${join(task.context.workDir, 'sub')}\nhi\n`);
});

test('shell_command refuses bad payloads and a missing cwd with clear messages', async () => {
  const cases: [unknown, string][] = [
    [{}, 'payload.command must be a non-empty string'],
    [{ command: '' }, 'payload.command must be a non-empty string'],
    [{ command: 'true', env: { A: 1 } }, 'payload.env.A must be a string'],
    [{ command: 'true', timeout: 0 }, 'payload.timeout must be a finite number of seconds > 0'],
    [{ command: 'true', cwd: 'missing' }, 'payload.cwd does not exist'],
    ['ls', 'payload must be an object'],
  ];
  for (const [payload, message] of cases) {
    using task = taskContext(payload);
    const outcome = await shellCommandHandler.run(task.context);
    assert.equal(outcome.status, 'failed');
    assert.ok(
      outcome.status === 'failed' && outcome.error.startsWith(message),
      `${outcome.status === 'failed' && outcome.error}`,
    );
  }
});

test('shell_command caps each stream and flags the truncation', async () => {
  using task = taskContext(
    { command: 'head -c 5000 /dev/zero | tr "\\0" a; echo small >&2' },
    { maxOutputBytes: 1000 },
  );
  const outcome = await shellCommandHandler.run(task.context);
  assert.equal(outcome.status, 'success');
  const data = resultData(outcome);
  assert.equal(data.stdout, 'a'.repeat(1000));
  assert.equal(data.stderr, 'small\n');
  assert.equal(data.truncated, true);
});

test('shell_command timeout kills the whole process group', async () => {
  using task = taskContext({ command: SPAWN_GRANDCHILD, timeout: 0.5 });
  const started = Date.now();
  const outcome = await shellCommandHandler.run(task.context);
  assert.equal(outcome.status, 'timeout');
  assert.match(outcome.status === 'timeout' ? outcome.error : '', /timed out after 0.5 s/);
  assert.ok(Date.now() - started < 5_000);
  const grandchild = Number(readFileSync(join(task.context.workDir, 'grandchild.pid'), 'utf8'));
  assert.ok(grandchild > 0);
  await waitFor(() => processGone(grandchild), 3_000, `grandchild ${grandchild} to be gone`);
});

test('shell_command cancel ends promptly and kills the process group', async () => {
  using task = taskContext({ command: SPAWN_GRANDCHILD });
  const running = shellCommandHandler.run(task.context);
  const pidFile = join(task.context.workDir, 'grandchild.pid');
  await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim(), 5_000, 'the pid file');
  const grandchild = Number(readFileSync(pidFile, 'utf8'));
  const cancelledAt = Date.now();
  task.controller.abort('cancelled');
  const outcome = await running;
  assert.equal(outcome.status, 'cancelled');
  assert.ok(Date.now() - cancelledAt < 1_000);
  await waitFor(() => processGone(grandchild), 3_000, `grandchild ${grandchild} to be gone`);
});

test('shell_command aborted with reason timeout reports timeout', async () => {
  using task = taskContext({ command: 'sleep 30' });
  const running = shellCommandHandler.run(task.context);
  setImmediate(() => task.controller.abort('timeout'));
  assert.equal((await running).status, 'timeout');
});

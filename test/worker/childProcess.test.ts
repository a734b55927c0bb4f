import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CappedOutput } from '../../src/worker/tasks/cappedOutput.ts';
import { runChild, SpawnError } from '../../src/worker/tasks/childProcess.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { processGone } from './processGone.ts';

function options(dir: string, script: string, signal = new AbortController().signal) {
  return {
    command: '/bin/sh',
    args: ['-c', script],
    cwd: dir,
    env: process.env,
    signal,
    maxOutputBytes: 1024,
  };
}

test('runChild passes input on stdin', async () => {
  using dir = tempDir();
  const result = await runChild({ ...options(dir.path, 'cat'), input: 'from stdin' });
  assert.equal(result.stdout, 'from stdin');
  assert.equal(result.exitCode, 0);
});

test('runChild rejects with a SpawnError when the program does not exist', async () => {
  using dir = tempDir();
  await assert.rejects(
    runChild({ ...options(dir.path, ''), command: 'rc-no-such-program' }),
    (error: Error) => error instanceof SpawnError && /rc-no-such-program/.test(error.message),
  );
});

test('runChild SIGKILLs a group that ignores SIGTERM after the grace period', async () => {
  using dir = tempDir();
  const controller = new AbortController();
  // Both the shell and its background job inherit the ignored SIGTERM.
  const script = 'trap "" TERM; sleep 30 & echo $! > job.pid; wait';
  const running = runChild({ ...options(dir.path, script, controller.signal), killGraceMs: 100 });
  const pidFile = join(dir.path, 'job.pid');
  await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim(), 5_000, 'the pid file');
  controller.abort('cancelled');
  const result = await running;
  assert.equal(result.stoppedBy, 'cancelled');
  assert.equal(result.exitSignal, 'SIGKILL');
  const job = Number(readFileSync(pidFile, 'utf8'));
  await waitFor(() => processGone(job), 3_000, `job ${job} to be gone`);
});

test('CappedOutput keeps the first bytes and never splits a character', () => {
  const output = new CappedOutput(5);
  output.push(Buffer.from('abcd'));
  output.push(Buffer.from('éf')); // é is two bytes: only its first byte fits
  assert.equal(output.text(), 'abcd');
  assert.equal(output.truncated, true);
});

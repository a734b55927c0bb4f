import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  DataDirLockedError,
  lockDataDir,
  lockHolder,
  PID_FILE,
  startTime,
} from '../../src/main/dataDirLock.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** A live process that is not this one, as another main node would be. */
async function otherProcess(): Promise<{ pid: number; [Symbol.asyncDispose](): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  return {
    pid: child.pid!,
    [Symbol.asyncDispose]: async () => {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

test('the lock file names this process and, where the system tells, when it started', () => {
  using dir = tempDir();
  const lock = lockDataDir(dir.path);
  const fields = readFileSync(join(dir.path, PID_FILE), 'utf8').trim().split(' ');
  assert.equal(Number(fields[0]), process.pid);
  if (process.platform === 'linux') assert.equal(fields[1], startTime(process.pid));
  lock.release();
});

test('a live holder keeps the lock; a dead one, or a pid reused by another program, does not', async () => {
  using dir = tempDir();
  const file = join(dir.path, PID_FILE);
  await using other = await otherProcess();

  writeFileSync(file, `${other.pid}\n`); // the format before start times: the pid alone
  assert.equal(lockHolder(dir.path), other.pid);
  assert.throws(() => lockDataDir(dir.path), DataDirLockedError);

  const started = startTime(other.pid);
  if (started !== null) {
    writeFileSync(file, `${other.pid} ${started}\n`);
    assert.equal(lockHolder(dir.path), other.pid, 'same pid, same start: the holder');
    writeFileSync(file, `${other.pid} ${Number(started) - 1}\n`);
    assert.equal(lockHolder(dir.path), null, 'same pid, another start: a reused pid, so stale');
    lockDataDir(dir.path).release();
  }

  writeFileSync(file, `${2 ** 22 - 1}\n`);
  assert.equal(lockHolder(dir.path), null, 'no such process');
});

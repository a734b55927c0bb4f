import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findExecutable } from '../../../src/worker/profiler/findExecutable.ts';
import { runCommand } from '../../../src/worker/profiler/runCommand.ts';
import { tempDir } from '../../helpers/tempDir.ts';
import { writeCommand, writeTree } from './fakeSystem.ts';

describe(
  'runCommand',
  { skip: process.platform === 'win32' ? 'fake commands are shell scripts' : false },
  () => {
    it('captures output and exit code', async () => {
      using dir = tempDir();
      writeCommand(`${dir.path}/bin`, 'hello', 'echo out; echo err >&2; exit 3');
      const output = await runCommand('hello', [], { env: { PATH: `${dir.path}/bin` }, timeoutMs: 5000 });
      assert.deepEqual(output, { exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    });

    it('is null for a missing command', async () => {
      using dir = tempDir();
      assert.equal(await runCommand('nope', [], { env: { PATH: `${dir.path}/bin` }, timeoutMs: 5000 }), null);
    });

    it('is null, promptly, when the command outlives its timeout', async () => {
      using dir = tempDir();
      writeCommand(`${dir.path}/bin`, 'slow', 'sleep 28');
      const started = Date.now();
      const env = { PATH: `${dir.path}/bin:${process.env.PATH ?? ''}` };
      assert.equal(await runCommand('slow', [], { env, timeoutMs: 100 }), null);
      assert.ok(Date.now() - started < 2000);
    });

    it('finds only executable files on PATH', async () => {
      using dir = tempDir();
      writeCommand(`${dir.path}/bin`, 'tool', 'true');
      writeTree(dir.path, { 'bin/plain': 'not executable' });
      const env = { PATH: `${dir.path}/missing:${dir.path}/bin` };
      assert.equal(await findExecutable('tool', env, 'linux'), `${dir.path}/bin/tool`);
      assert.equal(await findExecutable('plain', env, 'linux'), null);
      assert.equal(await findExecutable('tool', {}, 'linux'), null);
    });
  },
);

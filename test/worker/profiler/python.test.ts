import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePythonVersion, probePythonVersion } from '../../../src/worker/profiler/python.ts';
import { tempDir } from '../../helpers/tempDir.ts';
import { fakeEnvironment, writeCommand } from './fakeSystem.ts';

const posixOnly = process.platform === 'win32' ? 'fake commands are shell scripts' : false;

describe('python', () => {
  it('parses the version line', () => {
    assert.equal(parsePythonVersion('Python 3.11.7\n'), '3.11.7');
    assert.equal(parsePythonVersion('Python 3.13.0rc1\n'), '3.13.0rc1');
    assert.equal(parsePythonVersion('Python was not found; run without arguments to install'), null);
  });

  it('runs python3 --version from PATH', { skip: posixOnly }, async () => {
    using dir = tempDir();
    writeCommand(`${dir.path}/bin`, 'python3', 'echo "Python 3.12.1"');
    assert.equal(await probePythonVersion(fakeEnvironment(dir.path)), '3.12.1');
  });

  it('is null without python3', async () => {
    using dir = tempDir();
    assert.equal(await probePythonVersion(fakeEnvironment(dir.path)), null);
  });

  it('is null when python3 fails', { skip: posixOnly }, async () => {
    using dir = tempDir();
    writeCommand(`${dir.path}/bin`, 'python3', 'echo "Python 3.12.1"; exit 1');
    assert.equal(await probePythonVersion(fakeEnvironment(dir.path)), null);
  });
});

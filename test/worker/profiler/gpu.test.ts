import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probeGpu } from '../../../src/worker/profiler/gpu.ts';
import { tempDir } from '../../helpers/tempDir.ts';
import { fakeEnvironment, writeTree } from './fakeSystem.ts';

describe('gpu', () => {
  it('is null when nothing says there is one', async () => {
    using dir = tempDir();
    assert.equal(await probeGpu(fakeEnvironment(dir.path), `${dir.path}/dev`), null);
  });

  it('names the GPUs the NVIDIA driver lists', async () => {
    using dir = tempDir();
    writeTree(dir.path, {
      'proc/driver/nvidia/version': 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14\n',
      'proc/driver/nvidia/gpus/0000:01:00.0/information': 'Model: \t\t NVIDIA GeForce RTX 3080\nIRQ: 130\n',
    });
    assert.equal(await probeGpu(fakeEnvironment(dir.path), `${dir.path}/dev`), 'NVIDIA GeForce RTX 3080');
  });

  it('reports an unnamed NVIDIA GPU from its device node', async () => {
    using dir = tempDir();
    writeTree(dir.path, { 'dev/nvidia0': '' });
    assert.equal(await probeGpu(fakeEnvironment(dir.path), `${dir.path}/dev`), 'NVIDIA GPU');
  });
});

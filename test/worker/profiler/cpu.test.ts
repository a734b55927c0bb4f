import assert from 'node:assert/strict';
import type { CpuInfo } from 'node:os';
import { describe, it } from 'node:test';
import {
  CpuSampler,
  parseCpuinfoModel,
  probeCpuCount,
  probeCpuModel,
} from '../../../src/worker/profiler/cpu.ts';
import { tempDir } from '../../helpers/tempDir.ts';
import { fakeEnvironment, writeTree } from './fakeSystem.ts';

function cpu(busy: number, idle: number, model = 'Test CPU'): CpuInfo {
  return { model, speed: 1000, times: { user: busy, nice: 0, sys: 0, idle, irq: 0 } };
}

/** A reader that returns the given samples in turn (the constructor takes the first). */
function samples(...sequence: CpuInfo[][]): () => CpuInfo[] {
  let index = 0;
  return () => sequence[Math.min(index++, sequence.length - 1)] ?? [];
}

describe('cpu', () => {
  it('reports usage since the previous sample', () => {
    const sampler = new CpuSampler(
      samples([cpu(100, 100), cpu(100, 100)], [cpu(150, 150), cpu(200, 100)], [cpu(150, 250), cpu(200, 200)]),
    );
    assert.equal(sampler.sample(), 75);
    assert.equal(sampler.sample(), 0);
  });

  it('is null when no time has passed, then covers the whole interval', () => {
    const sampler = new CpuSampler(samples([cpu(100, 100)], [cpu(100, 100)], [cpu(130, 110)]));
    assert.equal(sampler.sample(), null);
    assert.equal(sampler.sample(), 75);
  });

  it('is null where the CPU times are hidden (Android 8+)', () => {
    const sampler = new CpuSampler(() => []);
    assert.equal(sampler.sample(), null);
  });

  it('ignores a core that went offline', () => {
    const sampler = new CpuSampler(samples([cpu(100, 100), cpu(500, 500)], [cpu(110, 110)]));
    assert.equal(sampler.sample(), 50);
  });

  it('counts at least one CPU', () => {
    assert.ok(probeCpuCount(() => []) >= 1);
  });

  it('reads the model from os.cpus, else from /proc/cpuinfo', async () => {
    using dir = tempDir();
    const environment = fakeEnvironment(dir.path);
    assert.equal(await probeCpuModel(environment, () => [cpu(1, 1, ' Intel Xeon ')]), 'Intel Xeon');
    assert.equal(await probeCpuModel(environment, () => []), null);
    writeTree(dir.path, {
      'proc/cpuinfo': 'processor\t: 0\nBogoMIPS\t: 38.40\nHardware\t: Qualcomm SDM670\n',
    });
    assert.equal(await probeCpuModel(environment, () => [cpu(1, 1, 'unknown')]), 'Qualcomm SDM670');
  });

  it('never takes a processor index for a model', () => {
    assert.equal(parseCpuinfoModel('processor\t: 0\nprocessor\t: 1\n'), null);
    assert.equal(
      parseCpuinfoModel('Processor\t: ARMv7 Processor rev 4 (v7l)\n'),
      'ARMv7 Processor rev 4 (v7l)',
    );
  });
});

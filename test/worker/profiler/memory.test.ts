import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMeminfo, probeMemory } from '../../../src/worker/profiler/memory.ts';
import { tempDir } from '../../helpers/tempDir.ts';
import { fakeEnvironment, writeTree } from './fakeSystem.ts';

const MEMINFO = `MemTotal:        8388608 kB
MemFree:          524288 kB
MemAvailable:    2097152 kB
Buffers:          102400 kB
Cached:          1048576 kB
`;

describe('memory', () => {
  it('parses MemTotal and MemAvailable', () => {
    assert.deepEqual(parseMeminfo(MEMINFO), { totalBytes: 8 * 1024 ** 3, availableBytes: 2 * 1024 ** 3 });
  });

  it('prefers MemAvailable from /proc/meminfo on Linux', async () => {
    using dir = tempDir();
    writeTree(dir.path, { 'proc/meminfo': MEMINFO });
    assert.deepEqual(await probeMemory(fakeEnvironment(dir.path)), {
      total_gb: 8,
      available_gb: 2,
      percent: 75,
    });
  });

  it('uses free + buffers + cache on kernels without MemAvailable', () => {
    const old = MEMINFO.replace(/^MemAvailable:.*\n/m, '');
    assert.equal(parseMeminfo(old).availableBytes, (524288 + 102400 + 1048576) * 1024);
  });

  it('falls back to os totals without /proc/meminfo', async () => {
    using dir = tempDir();
    const reading = await probeMemory(fakeEnvironment(dir.path));
    assert.ok(reading.total_gb > 0);
    assert.ok(reading.available_gb !== null && reading.available_gb <= reading.total_gb);
    assert.ok(reading.percent !== null && reading.percent >= 0 && reading.percent <= 100);
  });
});

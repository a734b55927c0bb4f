import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsSampler, defaultProbeEnvironment } from '../../../src/worker/profiler/index.ts';
import { tempDir } from '../../helpers/tempDir.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { battery, fakeEnvironment, writeTree } from './fakeSystem.ts';

function isNumberOrNull(value: unknown): boolean {
  return value === null || (typeof value === 'number' && Number.isFinite(value));
}

describe('MetricsSampler', () => {
  it('samples this machine with cpu_percent in 0..100', async () => {
    using dir = tempDir();
    const sampler = new MetricsSampler(defaultProbeEnvironment(dir.path));
    const first = await sampler.sample(0);
    assert.ok(first.cpu_percent === null || (first.cpu_percent >= 0 && first.cpu_percent <= 100));
    // The CPU counters tick every 10 ms or so; until then there is honestly nothing to report.
    const second = await waitFor(
      async () => {
        const metrics = await sampler.sample(3);
        return metrics.cpu_percent === null ? null : metrics;
      },
      5000,
      'a cpu_percent',
    );
    assert.ok(second.cpu_percent !== null && second.cpu_percent >= 0 && second.cpu_percent <= 100);
    assert.equal(second.running_tasks, 3);
    assert.ok(second.memory_percent !== null && second.memory_percent >= 0 && second.memory_percent <= 100);
    assert.ok(second.memory_available_gb !== null && second.memory_available_gb >= 0);
    assert.ok(second.storage_free_gb !== null && second.storage_free_gb >= 0);
    for (const key of ['battery_percent', 'temperature_c'] as const) assert.ok(isNumberOrNull(second[key]));
    assert.ok(second.battery_charging === null || typeof second.battery_charging === 'boolean');
    assert.ok(second.load_avg === null || second.load_avg.length === 3);
  });

  it('reports battery and temperature from a fake sysfs', async () => {
    using dir = tempDir();
    writeTree(dir.path, {
      ...battery('battery', { type: 'Battery', capacity: '12', status: 'Discharging' }),
      'sys/class/thermal/thermal_zone0/temp': '47000\n',
      'proc/meminfo': 'MemTotal: 4194304 kB\nMemAvailable: 1048576 kB\n',
    });
    const sampler = new MetricsSampler(fakeEnvironment(dir.path, { stateDir: dir.path }));
    const metrics = await sampler.sample(1);
    assert.equal(metrics.battery_percent, 12);
    assert.equal(metrics.battery_charging, false);
    assert.equal(metrics.temperature_c, 47);
    assert.equal(metrics.memory_percent, 75);
    assert.equal(metrics.memory_available_gb, 1);
    assert.equal(metrics.running_tasks, 1);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectProfile, defaultProbeEnvironment } from '../../../src/worker/profiler/index.ts';
import { tempDir } from '../../helpers/tempDir.ts';

function isNumberOrNull(value: unknown): boolean {
  return value === null || (typeof value === 'number' && Number.isFinite(value));
}

describe('collectProfile on this machine', () => {
  it('returns a fully-typed profile', async () => {
    using dir = tempDir();
    const profile = await collectProfile({
      deviceId: 'dev-1',
      role: 'worker',
      tags: ['test'],
      taskTypes: ['echo', 'sleep'],
      maxConcurrentTasks: 2,
      environment: defaultProbeEnvironment(dir.path),
    });
    assert.equal(profile.device_id, 'dev-1');
    assert.equal(profile.role, 'worker');
    assert.equal(typeof profile.platform, 'string');
    assert.equal(profile.arch, process.arch);
    assert.ok(profile.hostname.length > 0);
    assert.ok(Number.isInteger(profile.cpu_count) && profile.cpu_count >= 1);
    assert.ok(profile.cpu_model === null || typeof profile.cpu_model === 'string');
    assert.ok(profile.memory_total_gb > 0);
    assert.ok(isNumberOrNull(profile.storage_total_gb));
    assert.ok(profile.gpu === null || typeof profile.gpu === 'string');
    assert.equal(profile.node_version, process.version);
    assert.ok(profile.python_version === null || /^\d+\.\d+/.test(profile.python_version));
    assert.equal(typeof profile.is_termux, 'boolean');
    assert.deepEqual(profile.tags, ['test']);
    assert.deepEqual(profile.task_types, ['echo', 'sleep']);
    assert.equal(profile.max_concurrent_tasks, 2);
    assert.deepEqual(Object.keys(profile.capabilities).sort(), ['python', 'shell', 'termux_api']);
    assert.equal(profile.capabilities.python, profile.python_version !== null);
    for (const value of Object.values(profile.capabilities)) assert.equal(typeof value, 'boolean');
    // The profile goes on the wire as JSON: nothing may get lost on the way.
    assert.deepEqual(JSON.parse(JSON.stringify(profile)), profile);
  });
});

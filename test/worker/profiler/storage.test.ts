import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probeStorage } from '../../../src/worker/profiler/storage.ts';
import { tempDir } from '../../helpers/tempDir.ts';

describe('storage', () => {
  it('measures the file system holding the dir', async () => {
    using dir = tempDir();
    const reading = await probeStorage(dir.path);
    assert.ok(reading.total_gb !== null && reading.total_gb > 0);
    assert.ok(reading.free_gb !== null && reading.free_gb >= 0 && reading.free_gb <= reading.total_gb);
  });

  it('measures the nearest existing parent of a dir not created yet', async () => {
    using dir = tempDir();
    const reading = await probeStorage(`${dir.path}/not/yet/there`);
    assert.deepEqual(reading, await probeStorage(dir.path));
  });
});

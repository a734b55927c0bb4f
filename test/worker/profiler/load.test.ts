import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probeLoadAvg } from '../../../src/worker/profiler/load.ts';

describe('load', () => {
  it('is null on Windows', () => {
    assert.equal(probeLoadAvg('win32'), null);
  });

  it('gives three non-negative numbers elsewhere', { skip: process.platform === 'win32' }, () => {
    const load = probeLoadAvg(process.platform);
    assert.ok(load !== null);
    assert.equal(load.length, 3);
    for (const value of load) assert.ok(value >= 0);
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { childPath } from '../../src/worker/childPath.ts';

test('childPath names the same file as path.join for the paths the worker builds', () => {
  const cases: [string, ...string[]][] = [
    ['/sys', 'class', 'power_supply', 'BAT0', 'capacity'],
    ['/usr/local/bin', 'python3'],
    ['/usr/local/bin/', 'python3'],
    ['/', 'proc'],
    ['/tmp/state dir', 'worker-state.json'],
    ['relative/dir', 'file'],
  ];
  for (const [dir, ...names] of cases) assert.equal(childPath(dir, ...names), join(dir, ...names));
});

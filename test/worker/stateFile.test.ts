import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { autoDeviceId, readState, STATE_FILE, writeState } from '../../src/worker/stateFile.ts';
import { tempDir } from '../helpers/tempDir.ts';

test('--auto-id derives an id from the hostname once and keeps it across restarts', () => {
  using dir = tempDir();
  const first = autoDeviceId(dir.path);
  assert.match(first, /^[a-z0-9_.-]+-[0-9a-f]{6}$/);
  assert.equal(autoDeviceId(dir.path), first);
  using other = tempDir();
  assert.notEqual(autoDeviceId(other.path), first, 'another install gets another suffix');
});

test('the state file keeps secrets private (mode 0600) and survives a rewrite', () => {
  using dir = tempDir();
  writeState(dir.path, { device_id: 'd1', secrets: { 'd1@host:8080': 's3cret' } });
  assert.equal(statSync(join(dir.path, STATE_FILE)).mode & 0o777, 0o600);
  assert.deepEqual(readState(dir.path), { device_id: 'd1', secrets: { 'd1@host:8080': 's3cret' } });
  using empty = tempDir();
  assert.deepEqual(readState(empty.path), {});
});

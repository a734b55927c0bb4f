import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { formatJoinToken, parseJoinToken } from '../../src/protocol/joinToken.ts';

test('a worker with a wrong join token is refused with a clear message and exits 1', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const intruder = procs.add(
    new WorkerProcess({
      main,
      deviceId: 'intruder',
      stateDir: join(dir.path, 'x'),
      token: formatJoinToken('not-the-token', parseJoinToken(main.joinToken).fingerprint),
    }),
  );
  const { code } = await intruder.exited;
  assert.equal(code, 1);
  assert.match(intruder.stderr, /refused this device \(UNAUTHORIZED\): wrong or missing join token/);
  // Only the secret part, without the certificate's fingerprint: refused before any secret is checked.
  const bare = procs.add(
    new WorkerProcess({
      main,
      deviceId: 'bare',
      stateDir: join(dir.path, 'b'),
      token: parseJoinToken(main.joinToken).secret,
    }),
  );
  assert.equal((await bare.exited).code, 1);
  assert.match(bare.stderr, /TLS_REQUIRED/);
  assert.deepEqual(await main.devices(), []);
});

test('a second device cannot take an existing device id; the owner keeps it across restarts', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const owner = procs.add(new WorkerProcess({ main, deviceId: 'pixel', stateDir: join(dir.path, 'owner') }));
  await main.waitForDevice('pixel');

  // Same id, valid join token, but not the owner's device secret.
  const thief = procs.add(new WorkerProcess({ main, deviceId: 'pixel', stateDir: join(dir.path, 'thief') }));
  const { code } = await thief.exited;
  assert.equal(code, 1);
  assert.match(thief.stderr, /DEVICE_ID_TAKEN/);
  await main.waitForDevice('pixel');

  // The owner restarts with its stored secret and no join token at all: accepted.
  await owner.kill('SIGKILL');
  const again = procs.add(
    new WorkerProcess({ main, deviceId: 'pixel', stateDir: join(dir.path, 'owner'), token: '' }),
  );
  await main.waitForDevice('pixel');
  const id = await main.submit({ task_type: 'echo', payload: 1 });
  assert.equal((await main.waitForTask(id)).status, 'success');
  assert.ok(again.running);
});

test('the API refuses a missing or wrong token and accepts Bearer and X-API-Key', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const missing = await main.api('GET', '/api/v1/devices', undefined, null);
  assert.equal(missing.status, 401);
  assert.equal(missing.body.error_code, 'MISSING_API_KEY');
  assert.equal(typeof missing.body.request_id, 'string');
  const wrong = await main.api('POST', '/api/v1/tasks', { task_type: 'echo' }, 'wrong-token');
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error_code, 'INVALID_API_KEY');
  const byHeader = await fetch(`${main.url}/api/v1/devices`, { headers: { 'x-api-key': main.apiToken } });
  assert.equal(byHeader.status, 200);
  const health = await fetch(`${main.url}/health`);
  assert.equal(health.status, 200, '/health never needs a token');
});

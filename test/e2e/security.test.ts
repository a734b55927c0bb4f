import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dialMain } from '../../src/main/tls/dialPinned.ts';
import { parseJoinToken } from '../../src/protocol/joinToken.ts';
import { cli } from '../helpers/cli.ts';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { RawDevice } from '../helpers/rawDevice.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

test('a removed device is revoked: it is disconnected and cannot join again, even after a restart', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const dataDir = join(dir.path, 'main');
  let main = procs.add(await MainProcess.start({ dataDir }));
  const worker = procs.add(
    new WorkerProcess({ main, deviceId: 'lost-phone', stateDir: join(dir.path, 'w') }),
  );
  await main.waitForDevice('lost-phone');
  assert.equal((await main.api('DELETE', '/api/v1/devices/lost-phone')).status, 200);
  // The worker is cut off, tries again with its secret and the join token, and is refused for good.
  assert.equal((await worker.exited).code, 1);
  assert.match(worker.stderr, /removed from the cluster by an administrator/);
  await main.kill('SIGTERM');
  main = procs.add(await MainProcess.start({ dataDir }));
  const again = procs.add(new WorkerProcess({ main, deviceId: 'lost-phone', stateDir: join(dir.path, 'w') }));
  assert.equal((await again.exited).code, 1);
  assert.equal((await main.devices()).length, 0);
});

test('token rotate: the new tokens work at once, old ones stop, joined devices keep working', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const oldJoin = main.joinToken;
  const oldApi = main.apiToken;
  const veteran = procs.add(new WorkerProcess({ main, deviceId: 'veteran', stateDir: join(dir.path, 'v') }));
  await main.waitForDevice('veteran');

  const join1 = await cli(['token', 'rotate', 'join', '--data-dir', main.dataDir]);
  assert.equal(join1.code, 0, join1.stderr);
  assert.notEqual(join1.stdout.trim(), oldJoin);
  assert.equal(
    parseJoinToken(join1.stdout.trim()).fingerprint,
    parseJoinToken(oldJoin).fingerprint,
    'same certificate',
  );
  const latecomer = procs.add(
    new WorkerProcess({ main, deviceId: 'late', stateDir: join(dir.path, 'l'), token: oldJoin }),
  );
  assert.equal((await latecomer.exited).code, 1);
  assert.match(latecomer.stderr, /UNAUTHORIZED/);
  procs.add(
    new WorkerProcess({
      main,
      deviceId: 'newcomer',
      stateDir: join(dir.path, 'n'),
      token: join1.stdout.trim(),
    }),
  );
  await main.waitForDevice('newcomer');

  // The veteran restarts with only its device secret (its old token no longer works).
  await veteran.kill('SIGKILL');
  procs.add(new WorkerProcess({ main, deviceId: 'veteran', stateDir: join(dir.path, 'v'), token: oldJoin }));
  await main.waitForDevice('veteran');

  const api1 = await cli(['token', 'rotate', 'api', '--data-dir', main.dataDir]);
  assert.equal(api1.code, 0);
  await waitFor(
    async () => (await main.api('GET', '/api/v1/devices', undefined, oldApi)).status === 401,
    5000,
    'the old API token to stop working',
  );
  assert.equal((await main.api('GET', '/api/v1/devices', undefined, api1.stdout.trim())).status, 200);
  assert.equal((await cli(['token', 'rotate', 'everything', '--data-dir', main.dataDir])).code, 2);
});

test('secrets never appear in logs, API responses, system_info or task environments', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main'), args: ['--debug'] }));
  const worker = procs.add(
    new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1'), args: ['--debug'] }),
  );
  await main.waitForDevice('w1');
  // The main node lists the device once its registration is stored; the worker keeps the secret
  // from the acknowledgement, a moment later.
  const deviceSecret = await waitFor(
    () => {
      const state = JSON.parse(readFileSync(join(dir.path, 'w1', 'worker-state.json'), 'utf8'));
      return Object.values((state.secrets ?? {}) as Record<string, string>)[0];
    },
    10_000,
    'the worker to keep its device secret',
  );
  const secrets = [parseJoinToken(main.joinToken).secret, main.apiToken, deviceSecret];

  const info = await main.waitForTask(await main.submit({ task_type: 'system_info' }));
  const env = await main.waitForTask(
    await main.submit({ task_type: 'shell_command', payload: { command: 'env' } }),
  );
  assert.equal(env.status, 'success');
  const seen = [
    JSON.stringify(info),
    JSON.stringify(env),
    JSON.stringify((await main.api('GET', '/api/v1/devices/w1')).body),
    JSON.stringify((await main.api('GET', '/api/v1/cluster/status')).body),
    await (
      await fetch(`${main.url}/text/logs`, { headers: { authorization: `Bearer ${main.apiToken}` } })
    ).text(),
    main.stderr,
    worker.stderr,
  ].join('\n');
  for (const secret of secrets)
    assert.equal(seen.includes(secret), false, `a secret leaked: ${secret.slice(0, 4)}…`);
  assert.doesNotMatch(env.result.result_data.stdout, /^RC_/m, 'no RC_* variables in task environments');
});

test('limits: payload size, queue length, result size, connections and registrations per address', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(
    await MainProcess.start({
      dataDir: join(dir.path, 'main'),
      env: {
        RC_MAX_PAYLOAD_BYTES: '4096',
        RC_MAX_QUEUED_TASKS: '3',
        RC_MAX_RESULT_BYTES: '2048',
        RC_MAX_CONNECTIONS_PER_IP: '3',
        RC_MAX_REGISTRATIONS_PER_MINUTE: '2',
      },
    }),
  );
  const big = await main.api('POST', '/api/v1/tasks', { task_type: 'echo', payload: 'x'.repeat(5000) });
  assert.equal(big.status, 413);
  assert.equal(big.body.error_code, 'PAYLOAD_TOO_LARGE');
  assert.match(big.body.message, /payload is 5002 bytes; this main node accepts at most 4096/);

  const held = [await main.submit({ task_type: 'echo', payload: 'x'.repeat(3000) })];
  held.push(await main.submit({ task_type: 'echo' }), await main.submit({ task_type: 'echo' }));
  const full = await main.api('POST', '/api/v1/tasks', { task_type: 'echo' });
  assert.equal(full.status, 503);
  assert.equal(full.body.error_code, 'QUEUE_FULL');

  // Registrations: two this minute from 127.0.0.1, the third is refused.
  const fingerprint = parseJoinToken(main.joinToken).fingerprint;
  const first = await RawDevice.register({ port: main.tcpPort, joinToken: main.joinToken, deviceId: 'r1' });
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');
  await assert.rejects(
    RawDevice.register({ port: main.tcpPort, joinToken: main.joinToken, deviceId: 'r3' }),
    /RATE_LIMIT_EXCEEDED/,
  );
  // Connections: r1 and the worker hold two; one more fits, the next is cut at once.
  const third = await dialMain('127.0.0.1', main.tcpPort, fingerprint);
  await assert.rejects(dialMain('127.0.0.1', main.tcpPort, fingerprint));
  third.destroy();
  first.socket.destroy();

  // Nothing accepted was lost: the held tasks run, and the big result is stored as a note.
  const tasks = await Promise.all(held.map((id) => main.waitForTask(id)));
  assert.ok(tasks.every((t) => t.status === 'success'));
  assert.deepEqual(tasks[0].result.result_data, { truncated: true, bytes: 3011 });
  assert.match(tasks[0].result.error, /the result was 3011 bytes; this main node stores at most 2048/);
});

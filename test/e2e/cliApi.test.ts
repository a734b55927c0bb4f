import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, spawnCli } from '../helpers/cli.ts';
import { freePort, MainProcess, type Proc, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { parseJoinToken } from '../../src/protocol/joinToken.ts';

async function apiServer(procs: ProcessGroup, args: string[], env: NodeJS.ProcessEnv = {}) {
  const proc: Proc = procs.add(spawnCli(['api', '--host', '127.0.0.1', '--port', '0', ...args], env));
  const port = await waitFor(
    () => {
      if (!proc.running) throw new Error(`api exited: ${proc.stderr}`);
      return proc.stdout.match(/HTTP API\s+http:\/\/127\.0\.0\.1:(\d+)/)?.[1];
    },
    20_000,
    'the API server banner',
  );
  const url = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? null : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  return { proc, url, call };
}

test('retire-cluster api forwards to a real main node over TCP management messages', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');
  const fingerprint = parseJoinToken(main.joinToken).fingerprint!;
  const cluster = [
    '--cluster-host',
    '127.0.0.1',
    '--cluster-port',
    String(main.tcpPort),
    '--cluster-fingerprint',
    fingerprint,
  ];
  const api = await apiServer(procs, [...cluster, '--cluster-token', main.apiToken]);
  assert.match(api.proc.stdout, new RegExp(`Main node\\s+127\\.0\\.0\\.1:${main.tcpPort} .*connected`));

  const health = await api.call('GET', '/health');
  assert.equal(health.status, 200);
  assert.equal(health.body.data.healthy, true);
  assert.equal(health.body.data.online_devices, 1);

  const status = await api.call('GET', '/api/v1/cluster/status');
  assert.equal(status.status, 200);
  assert.equal(status.body.status, 'success');
  assert.equal(status.body.data.cluster_stats.online_devices, 1);

  const devices = await api.call('GET', '/api/v1/devices?status=online');
  assert.deepEqual(
    devices.body.data.devices.map((d: any) => d.device_id),
    ['w1'],
  );
  assert.equal((await api.call('GET', '/api/v1/devices/w1')).body.data.device.device_id, 'w1');

  const submitted = await api.call('POST', '/api/v1/tasks', { task_type: 'echo', payload: { via: 'api' } });
  assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
  const taskId = submitted.body.data.task_id;
  const done = await waitFor(
    async () => {
      const { body } = await api.call('GET', `/api/v1/tasks/${taskId}`);
      return body.data.task.status === 'success' ? body.data.task : null;
    },
    15_000,
    'the task to succeed via the API server',
  );
  assert.equal(done.result.device_id, 'w1');
  assert.deepEqual(done.result.result_data, { echo: { via: 'api' } });
  assert.equal((await main.task(taskId)).status, 'success', 'the main node ran it');

  const batch = await api.call('POST', '/api/v1/tasks', [{ task_type: 'echo' }, { task_type: 'echo' }]);
  assert.equal(batch.status, 201);
  assert.equal(batch.body.data.count, 2);

  const sleeper = await api.call('POST', '/api/v1/tasks', { task_type: 'sleep', payload: { duration: 60 } });
  const cancelled = await api.call('POST', `/api/v1/tasks/${sleeper.body.data.task_id}/cancel`);
  assert.equal(cancelled.status, 200);
  assert.equal(cancelled.body.data.task.status, 'cancelled');
  const twice = await api.call('POST', `/api/v1/tasks/${sleeper.body.data.task_id}/cancel`);
  assert.equal(twice.status, 409);
  assert.equal(twice.body.error_code, 'INVALID_STATE');

  // The main node's error codes keep their HTTP statuses.
  const noTask = await api.call('GET', '/api/v1/tasks/no-such-task');
  assert.equal(noTask.status, 404);
  assert.equal(noTask.body.error_code, 'TASK_NOT_FOUND');
  const noDevice = await api.call('GET', '/api/v1/devices/no-such-device');
  assert.equal(noDevice.status, 404);
  assert.equal(noDevice.body.error_code, 'DEVICE_NOT_FOUND');
  const invalid = await api.call('POST', '/api/v1/tasks', { task_type: 'Not A Type' });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.body.error_code, 'VALIDATION_ERROR');
  const unknownRoute = await api.call('GET', '/api/v1/events');
  assert.equal(unknownRoute.status, 404);
  assert.match(unknownRoute.body.message, /standalone API server/);

  // The CLI works against it too (submit --wait polls: there is no /wait route here).
  const viaCli = await cli([
    'submit',
    'echo',
    '--payload',
    '7',
    '--wait',
    '--url',
    api.url,
    '--token',
    'unused',
  ]);
  assert.equal(viaCli.code, 0, viaCli.stderr);
  assert.match(viaCli.stdout, /success on w1/);

  // A wrong cluster token is the API server's problem, not the HTTP client's: 502, not 401.
  const wrongToken = await apiServer(procs, [...cluster, '--cluster-token', 'not-the-token']);
  const refused = await wrongToken.call('GET', '/api/v1/cluster/status');
  assert.equal(refused.status, 502);
  assert.match(refused.body.message, /refused the API token \(--cluster-token/);
});

test('retire-cluster api: --auth needs the key; an unreachable main node is a 503; bad flags exit 2', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const api = await apiServer(
    procs,
    ['--cluster-port', String(main.tcpPort), '--data-dir', main.dataDir, '--auth'],
    { RC_API_KEY: 'standalone-key' },
  );

  const missing = await api.call('GET', '/api/v1/cluster/status');
  assert.equal(missing.status, 401);
  assert.equal(missing.body.error_code, 'MISSING_API_KEY');
  const wrong = await api.call('GET', '/api/v1/devices', undefined, { 'x-api-key': 'nope' });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error_code, 'INVALID_API_KEY');
  // The cluster token came from --data-dir; the HTTP client's key is the standalone one.
  const allowed = await api.call('GET', '/api/v1/cluster/status', undefined, {
    authorization: 'Bearer standalone-key',
  });
  assert.equal(allowed.status, 200);
  assert.equal((await api.call('GET', '/health')).status, 200, '/health needs no key');

  const nowhere = await apiServer(procs, [
    '--cluster-port',
    String(await freePort()),
    '--cluster-token',
    'x',
    '--no-cluster-tls',
  ]);
  assert.match(nowhere.proc.stdout, /not usable yet: cannot reach the main node/);
  const down = await nowhere.call('GET', '/health');
  assert.equal(down.status, 503);
  assert.equal(down.body.error_code, 'UNAVAILABLE');

  const noKey = await cli(['api', '--auth'], { RC_API_KEY: '' });
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /--auth needs --api-key/);
  const badPort = await cli(['api', '--cluster-port', 'eighty']);
  assert.equal(badPort.code, 2);
  assert.match(badPort.stderr, /--cluster-port needs an integer/);
});

test('retire-cluster api reconnects to a main node that restarted', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const dataDir = join(dir.path, 'main');
  const [port, httpPort] = [await freePort(), await freePort()];
  let main = procs.add(await MainProcess.start({ dataDir, port, httpPort }));
  const api = await apiServer(procs, ['--cluster-port', String(port), '--data-dir', dataDir]);
  assert.equal((await api.call('GET', '/api/v1/cluster/status')).status, 200);

  await main.kill('SIGTERM');
  await waitFor(() => /lost the main node/.test(api.proc.stderr), 15_000, 'the API server to notice');
  const down = await api.call('GET', '/api/v1/cluster/status');
  assert.equal(down.status, 503);
  assert.match(down.body.message, /cannot reach the main node/);

  main = procs.add(await MainProcess.start({ dataDir, port, httpPort }));
  const up = await api.call('GET', '/api/v1/cluster/status');
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.ok(up.body.data.uptime_seconds < 60);
});

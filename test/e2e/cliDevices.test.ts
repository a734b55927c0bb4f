import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../helpers/cli.ts';
import { MainProcess, Proc, ProcessGroup, ROOT, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';

test('devices: list, show, drain, undrain, remove, filters and --json', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(
    new WorkerProcess({
      main,
      deviceId: 'w1',
      stateDir: join(dir.path, 'w1'),
      args: ['--role', 'compute', '--tags', 'fast,gpu'],
    }),
  );
  const w2 = procs.add(new WorkerProcess({ main, deviceId: 'w2', stateDir: join(dir.path, 'w2') }));
  await main.waitForDevice('w1');
  await main.waitForDevice('w2');
  const env = { RC_URL: main.url, RC_API_TOKEN: main.apiToken };

  const table = await cli(['devices'], env);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^DEVICE\s+STATUS\s+ROLE\s+PLATFORM/m);
  assert.match(table.stdout, /^w1\s+online\s+compute\s/m);
  assert.match(table.stdout, /^w2\s+online\s+worker\s/m);

  const json = await cli(['devices', 'list', '--role', 'compute', '--json'], env);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(
    JSON.parse(json.stdout).devices.map((d: any) => d.device_id),
    ['w1'],
  );
  const tagged = await cli(['devices', '--tag', 'gpu', '--json'], env);
  assert.deepEqual(
    JSON.parse(tagged.stdout).devices.map((d: any) => d.device_id),
    ['w1'],
  );

  const show = await cli(['devices', 'show', 'w1'], env);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^w1\s+online/);
  assert.match(show.stdout, /role compute/);
  assert.match(show.stdout, /tags: fast, gpu/);
  const showJson = await cli(['devices', 'show', 'w1', '--json'], env);
  assert.equal(JSON.parse(showJson.stdout).device_id, 'w1');

  const drain = await cli(['devices', 'drain', 'w1'], env);
  assert.equal(drain.code, 0, drain.stderr);
  assert.match(drain.stdout, /w1\s+draining/);
  const drained = JSON.parse((await cli(['devices', 'show', 'w1', '--json'], env)).stdout);
  assert.equal(drained.draining, true);
  const undrain = await cli(['devices', 'undrain', 'w1', '--json'], env);
  assert.equal(undrain.code, 0, undrain.stderr);
  assert.equal(JSON.parse(undrain.stdout).draining, false);

  await w2.kill('SIGKILL');
  await main.waitForDevice('w2', 'disconnected').catch(() => main.waitForDevice('w2', 'offline'));
  const remove = await cli(['devices', 'remove', 'w2'], env);
  assert.equal(remove.code, 0, remove.stderr);
  assert.match(remove.stdout, /w2\s+removed/);
  const gone = await cli(['devices', 'show', 'w2'], env);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /DEVICE_NOT_FOUND/);

  // Bad arguments: exit 2 and say what is wrong, before any request.
  const noId = await cli(['devices', 'drain'], env);
  assert.equal(noId.code, 2);
  assert.match(noId.stderr, /devices drain needs a device id/);
  const unknown = await cli(['devices', 'explode', 'w1'], env);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /'explode' is invalid/);
  const badPage = await cli(['devices', '--page', 'zero'], env);
  assert.equal(badPage.code, 2);
  assert.match(badPage.stderr, /--page needs an integer >= 1/);
});

test('status HOST:PORT, the original status flags, and exit codes in --help', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');
  const env = { RC_API_TOKEN: main.apiToken };
  const hostPort = `127.0.0.1:${main.httpPort}`;

  const overview = await cli(['status', hostPort], env);
  assert.equal(overview.code, 0, overview.stderr);
  assert.match(overview.stdout, /Devices:\s+1 online \/ 1 total/);
  assert.match(overview.stdout, new RegExp(`at http://${hostPort}`));

  const devices = await cli(['status', hostPort, '--devices', '--role', 'worker', '--json'], env);
  assert.equal(devices.code, 0, devices.stderr);
  const parsed = JSON.parse(devices.stdout);
  assert.equal(parsed.cluster_stats.online_devices, 1);
  assert.deepEqual(
    parsed.devices.map((d: any) => d.device_id),
    ['w1'],
  );

  const device = await cli(['status', hostPort, '--device', 'w1', '--timeout', '10'], env);
  assert.equal(device.code, 0, device.stderr);
  assert.match(device.stdout, /^w1\s+online/);

  // The original status CLI talked to the TCP port (8080): that port still answers, via management messages.
  // Its certificate is read from the data dir, as on the main node's own machine.
  const tcp = await cli(['status', `127.0.0.1:${main.tcpPort}`, '--devices', '--json'], {
    ...env,
    RC_DATA_DIR: main.dataDir,
  });
  assert.equal(tcp.code, 0, tcp.stderr);
  assert.match(tcp.stderr, /TCP management messages/);
  assert.deepEqual(
    JSON.parse(tcp.stdout).devices.map((d: any) => d.device_id),
    ['w1'],
  );
  const tcpBadToken = await cli(['status', `127.0.0.1:${main.tcpPort}`], {
    RC_API_TOKEN: 'wrong-token',
    RC_DATA_DIR: main.dataDir,
  });
  assert.equal(tcpBadToken.code, 1);
  assert.match(tcpBadToken.stderr, /refused the API token/);

  const both = await cli(['status', hostPort, '--url', main.url], env);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /either HOST\[:PORT\] or --url/);

  const alias = new Proc([join(ROOT, 'bin/retire-cluster-api.js'), '--help']);
  assert.equal((await alias.exited).code, 0, alias.stderr);
  assert.match(alias.stdout, /--cluster-host/);
  assert.match(alias.stdout, /Exit codes:\n\s+0\s+stopped/);

  for (const command of ['status', 'devices', 'tasks', 'submit', 'watch']) {
    const help = await cli([command, '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(
      help.stdout,
      /Exit codes:\n\s+0\s+ok\n\s+1\s+.+\n\s+2\s+bad arguments\n\s+130\s+interrupted/,
    );
  }
});

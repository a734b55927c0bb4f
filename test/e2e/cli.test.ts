import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../helpers/cli.ts';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { formatJoinToken, parseJoinToken } from '../../src/protocol/joinToken.ts';

test('the CLI submits, waits, reports status and exits non-zero for a failed task', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');
  const env = { RC_URL: main.url, RC_API_TOKEN: main.apiToken };

  const ok = await cli(['submit', 'echo', '--payload', '{"hello":"world"}', '--wait'], env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /success on w1/);
  assert.match(ok.stdout, /"hello": "world"/);

  const json = await cli(
    ['submit', 'python_eval', '--payload', '{"expression":"2**10"}', '--wait', '--json'],
    env,
  );
  assert.equal(json.code, 0, json.stderr);
  const task = JSON.parse(json.stdout);
  assert.equal(task.status, 'success');
  assert.equal(task.result.result_data.result, 1024);

  const failing = await cli(
    [
      'submit',
      'shell_command',
      '--payload',
      '{"command":"echo oops >&2; exit 3"}',
      '--retries',
      '0',
      '--wait',
    ],
    env,
  );
  assert.equal(failing.code, 1);
  assert.match(failing.stdout, /failed on w1/);

  // Token from the data dir, as on the main node's own machine.
  const status = await cli(['status', '--devices', '--json', '--url', main.url, '--data-dir', main.dataDir]);
  assert.equal(status.code, 0, status.stderr);
  const parsed = JSON.parse(status.stdout);
  assert.equal(parsed.cluster_stats.online_devices, 1);
  assert.equal(parsed.devices[0].device_id, 'w1');

  const table = await cli(['status', '--devices'], env);
  assert.match(table.stdout, /DEVICE\s+STATUS\s+ROLE/);
  assert.match(table.stdout, /w1\s+online\s+worker/);

  const badToken = await cli(['status'], { RC_URL: main.url, RC_API_TOKEN: 'nope' });
  assert.equal(badToken.code, 1);
  assert.match(badToken.stderr, /INVALID_API_KEY/);

  const badArgs = await cli(['submit', 'echo', '--payload', '{not json'], env);
  assert.equal(badArgs.code, 2);
  assert.match(badArgs.stderr, /--payload is not valid JSON/);

  const unreachable = await cli(['status', '--url', 'http://127.0.0.1:1', '--token', 'x']);
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /cannot reach the main node/);
});

test('worker --test prints the profile and checks the connection', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const good = await cli(
    [
      'worker',
      '--join',
      `127.0.0.1:${main.tcpPort}`,
      '--device-id',
      'probe',
      '--state-dir',
      join(dir.path, 's'),
      '--test',
    ],
    { RC_JOIN_TOKEN: main.joinToken },
  );
  assert.equal(good.code, 0, good.stderr);
  const profile = JSON.parse(good.stdout);
  assert.equal(profile.device_id, 'probe');
  assert.ok(profile.cpu_count >= 1);
  assert.match(good.stderr, /ok: joined/);

  const bad = await cli(
    [
      'worker',
      '--join',
      `127.0.0.1:${main.tcpPort}`,
      '--device-id',
      'p2',
      '--state-dir',
      join(dir.path, 's2'),
      '--test',
    ],
    { RC_JOIN_TOKEN: formatJoinToken('wrong', parseJoinToken(main.joinToken).fingerprint) },
  );
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /UNAUTHORIZED/);
});

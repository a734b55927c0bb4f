import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { planInstall, type ServiceTarget } from '../../src/worker/service/installService.ts';
import type { ServiceSpec } from '../../src/worker/service/serviceFiles.ts';
import { serviceArgs } from '../../src/worker/service/serviceCommand.ts';
import { CLI, Proc, WORKER_BUNDLE } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';

const spec: ServiceSpec = {
  name: 'retire-cluster-worker',
  description: 'Retire-Cluster worker pixel',
  command: ['/usr/bin/node', '/opt/rc/worker.cjs', '--join', 'nas.local:8080', '--tags', 'a b'],
  envFile: '/home/pi/.retire-cluster-worker/worker.env',
  workingDirectory: '/home/pi/.retire-cluster-worker',
  logFile: '/home/pi/.retire-cluster-worker/worker.log',
};
const target = (platform: ServiceTarget['platform'], system = false): ServiceTarget => ({
  platform,
  root: '/tmp/root',
  home: '/home/pi',
  system,
});

test('systemd: a user unit, or a system unit as root; the token only in a 0600 env file', () => {
  const user = planInstall(spec, target('systemd'), { RC_JOIN_TOKEN: 's3cret' });
  const unit = user.files.find((f) => f.path.endsWith('.service'))!;
  assert.equal(unit.path, '/tmp/root/home/pi/.config/systemd/user/retire-cluster-worker.service');
  assert.match(
    unit.content,
    /^ExecStart=\/usr\/bin\/node \/opt\/rc\/worker\.cjs --join nas\.local:8080 --tags "a b"$/m,
  );
  assert.match(unit.content, /^EnvironmentFile=-\/home\/pi\/\.retire-cluster-worker\/worker\.env$/m);
  assert.match(unit.content, /^Restart=always$/m);
  assert.match(unit.content, /^WantedBy=default\.target$/m);
  assert.equal(unit.content.includes('s3cret'), false);
  const env = user.files.find((f) => f.path.endsWith('worker.env'))!;
  assert.equal(env.mode, 0o600);
  assert.equal(env.content, 'RC_JOIN_TOKEN=s3cret\n');
  assert.deepEqual(user.commands.at(-1), [
    'systemctl',
    '--user',
    'enable',
    '--now',
    'retire-cluster-worker.service',
  ]);

  const system = planInstall(spec, target('systemd', true), {});
  assert.ok(
    system.files.some((f) => f.path === '/tmp/root/etc/systemd/system/retire-cluster-worker.service'),
  );
  assert.match(system.files.at(-1)!.content, /^WantedBy=multi-user\.target$/m);
  assert.deepEqual(system.commands.at(-1), ['systemctl', 'enable', '--now', 'retire-cluster-worker.service']);
});

test('launchd: a LaunchAgent plist that keeps the worker alive and reads the env file', () => {
  const plan = planInstall(spec, target('launchd'), { RC_JOIN_TOKEN: 't' });
  const plist = plan.files.find((f) => f.path.endsWith('.plist'))!;
  assert.equal(plist.path, '/tmp/root/home/pi/Library/LaunchAgents/com.retire-cluster-worker.plist');
  assert.match(plist.content, /<key>KeepAlive<\/key><true\/>/);
  assert.match(plist.content, /<string>\/opt\/rc\/worker\.cjs<\/string>/);
  assert.match(plist.content, /\. '\/home\/pi\/\.retire-cluster-worker\/worker\.env'/);
  assert.deepEqual(plan.commands, [['launchctl', 'load', '-w', plist.path]]);
});

test('Termux: a Termux:Boot script that takes a wake lock and restarts the worker', () => {
  const plan = planInstall(spec, target('termux'), {});
  const script = plan.files.find((f) => f.path.includes('.termux/boot'))!;
  assert.equal(script.path, '/tmp/root/home/pi/.termux/boot/retire-cluster-worker');
  assert.equal(script.mode, 0o755);
  assert.match(script.content, /^#!\/data\/data\/com\.termux\/files\/usr\/bin\/sh/);
  assert.match(script.content, /^termux-wake-lock$/m);
  assert.match(script.content, /while :; do '\/usr\/bin\/node' '\/opt\/rc\/worker\.cjs'/);
});

test('the service command drops install flags and secrets', () => {
  assert.deepEqual(
    serviceArgs([
      '--join',
      'h:1',
      '--token',
      'x',
      '--install-service',
      '--service-root=/r',
      '--auto-id',
      '--role',
      'nas',
    ]),
    ['--join', 'h:1', '--role', 'nas'],
  );
});

async function run(args: string[]) {
  const proc = new Proc(args);
  const { code } = await proc.exited;
  return { code, stdout: proc.stdout, stderr: proc.stderr };
}

test('worker --install-service writes the unit into a root and --uninstall-service removes it', async () => {
  using dir = tempDir();
  const root = join(dir.path, 'root');
  const state = join(dir.path, 'state');
  const common = [
    '--join',
    'nas.local:8080',
    '--device-id',
    'pi-4',
    '--state-dir',
    state,
    '--service-root',
    root,
  ];
  const installed = await run([WORKER_BUNDLE, ...common, '--token', 'join-secret', '--install-service']);
  assert.equal(installed.code, 0, installed.stderr);
  const isRoot = process.getuid?.() === 0;
  const unitPath = join(
    root,
    isRoot ? '/etc/systemd/system' : join(homedir(), '.config/systemd/user'),
    'retire-cluster-worker.service',
  );
  const unit = readFileSync(unitPath, 'utf8');
  assert.ok(
    unit.includes(
      `ExecStart=${process.execPath} ${WORKER_BUNDLE} --join nas.local:8080 --device-id pi-4 --state-dir ${state}`,
    ),
    unit,
  );
  assert.equal(unit.includes('join-secret'), false);
  const envFile = join(root, state, 'worker.env');
  assert.equal(readFileSync(envFile, 'utf8'), 'RC_JOIN_TOKEN=join-secret\n');
  assert.equal(statSync(envFile).mode & 0o777, 0o600);
  assert.match(installed.stdout, /not enabled \(written under/);

  const removed = await run([WORKER_BUNDLE, ...common, '--uninstall-service']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(existsSync(unitPath), false);
  assert.equal(existsSync(envFile), false);
});

test('main --install-service keeps the tokens in the data dir, not in the unit', async () => {
  using dir = tempDir();
  const root = join(dir.path, 'root');
  const data = join(dir.path, 'data');
  const result = await run([
    CLI,
    'main',
    '--data-dir',
    data,
    '--http-port',
    '9081',
    '--api-token',
    'api-secret-123',
    '--install-service',
    '--service-root',
    root,
  ]);
  assert.equal(result.code, 0, result.stderr);
  const unitFile = result.stdout.match(/wrote (\S+\.service)/)![1]!;
  const unit = readFileSync(unitFile, 'utf8');
  assert.match(unit, new RegExp(`ExecStart=\\S+ ${CLI} main --http-port 9081 --data-dir ${data}$`, 'm'));
  assert.equal(unit.includes('api-secret-123'), false);
  assert.equal(readFileSync(join(data, 'api.token'), 'utf8').trim(), 'api-secret-123');
});

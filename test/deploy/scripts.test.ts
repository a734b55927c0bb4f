import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, MainProcess, ProcessGroup, ROOT } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

/** A stand-in for the docker command: records its arguments; `compose version` succeeds. */
function fakeDocker(dir: string): { path: string; calls: () => string[] } {
  const log = join(dir, 'docker-calls.log');
  const path = join(dir, 'docker');
  writeFileSync(path, `#!/bin/sh\necho "$*" >> '${log}'\nexit 0\n`);
  chmodSync(path, 0o755);
  return { path, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

function script(name: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn('sh', [join(ROOT, 'docker', name), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done, output: () => stdout + stderr };
}

test('deploy.sh: makes the data dir, builds, brings it up and waits for a real /health', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const docker = fakeDocker(dir.path);
  const dataPath = join(dir.path, 'nas', 'retire');
  const env = { DOCKER: docker.path, HEALTH_URL: `${main.url}/health` };

  const help = await script('deploy.sh', ['--help'], env).done;
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--data-path DIR/);
  assert.equal((await script('deploy.sh', ['--bogus'], env).done).code, 2);

  const deployed = await script('deploy.sh', ['--data-path', dataPath], env).done;
  assert.equal(deployed.code, 0, deployed.stderr);
  assert.match(deployed.stdout, /healthy:/);
  assert.equal(statSync(dataPath).mode & 0o777, 0o700);
  const calls = docker.calls();
  assert.ok(
    calls.some((c) => /^compose -f .*docker-compose\.yml build$/.test(c)),
    calls.join('\n'),
  );
  assert.ok(
    calls.some((c) => /^compose -f .*docker-compose\.yml up -d$/.test(c)),
    calls.join('\n'),
  );

  const skip = fakeDocker(join(dir.path));
  const again = await script('deploy.sh', ['--data-path', dataPath, '--skip-build'], {
    ...env,
    DOCKER: skip.path,
  }).done;
  assert.equal(again.code, 0);
  assert.equal(skip.calls().filter((c) => c.endsWith(' build')).length, 1, 'no new build with --skip-build');

  const unhealthy = await script('deploy.sh', ['--data-path', dataPath, '--skip-build', '--timeout', '1'], {
    ...env,
    HEALTH_URL: 'http://127.0.0.1:1/health',
  }).done;
  assert.equal(unhealthy.code, 1);
  assert.match(unhealthy.stderr, /did not become healthy/);
});

test('backup.sh: online backups with retention, and a restore that refuses a running node', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const dataPath = join(dir.path, 'data');
  let main = procs.add(await MainProcess.start({ dataDir: dataPath }));
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push(await main.submit({ task_type: 'echo', payload: i }));
  const backups = join(dir.path, 'backups');
  const env = { CLI: `${process.execPath} ${CLI}`, RC_DATA_PATH: dataPath };
  // Two older backups already there; --keep 2 leaves the new one and the newest old one.
  const { mkdirSync } = await import('node:fs');
  mkdirSync(backups);
  writeFileSync(join(backups, 'retire-cluster-20200101-000000.db'), 'old');
  writeFileSync(join(backups, 'retire-cluster-20210101-000000.db'), 'old');

  const made = await script('backup.sh', ['backup', '--dir', backups, '--keep', '2'], env).done;
  assert.equal(made.code, 0, made.stderr);
  const kept = readdirSync(backups).sort();
  assert.equal(kept.length, 2, kept.join());
  assert.equal(kept[0], 'retire-cluster-20210101-000000.db');
  const fresh = join(backups, kept[1]!);

  const refused = await script('backup.sh', ['restore', fresh], env).done;
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /is running on/);

  await main.kill('SIGTERM');
  const target = join(dir.path, 'restored');
  const restored = await script('backup.sh', ['restore', fresh, '--data-path', target], env).done;
  assert.equal(restored.code, 0, restored.stderr);
  main = procs.add(await MainProcess.start({ dataDir: target }));
  for (const id of ids) assert.equal((await main.task(id)).task_id, id);
});

test('health-monitor.sh: --once tells healthy from not; the loop restarts the container and calls the webhook', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const docker = fakeDocker(dir.path);
  const notes: any[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      notes.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const webhook = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`;
  try {
    const env = { DOCKER: docker.path, HEALTH_URL: `${main.url}/health`, RC_CONTAINER_NAME: 'rc-test' };
    assert.equal((await script('health-monitor.sh', ['--once'], env).done).code, 0);
    const dead = { ...env, HEALTH_URL: 'http://127.0.0.1:1/health' };
    assert.equal((await script('health-monitor.sh', ['--once'], dead).done).code, 1);
    assert.equal((await script('health-monitor.sh', ['--max-failures', '0'], dead).done).code, 2);

    const monitor = script(
      'health-monitor.sh',
      ['--interval', '0.2', '--max-failures', '2', '--webhook', webhook],
      dead,
    );
    await waitFor(() => docker.calls().includes('restart rc-test'), 10_000, 'a restart');
    await waitFor(
      () => notes.some((n) => n.event === 'restarted' && n.container === 'rc-test'),
      10_000,
      'the webhook',
    );
    monitor.child.kill('SIGTERM');
    await monitor.done;
  } finally {
    hook.close();
  }
});

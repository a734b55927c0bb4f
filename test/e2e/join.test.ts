import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { oldNode } from '../helpers/oldNode.ts';
import { MainProcess, ProcessGroup, WORKER_BUNDLE } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';

test('GET /worker.cjs serves the bundle and /join explains the one-liner, without a token', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const bundle = await fetch(`${main.url}/worker.cjs`);
  assert.equal(bundle.status, 200);
  assert.deepEqual(Buffer.from(await bundle.arrayBuffer()), readFileSync(WORKER_BUNDLE));
  const page = await (await fetch(`${main.url}/join`)).text();
  assert.ok(page.includes(`curl -fsSL ${main.url}/join.sh | sh -s -- --token &lt;JOIN_TOKEN&gt;`));
  assert.ok(page.includes('pkg install -y nodejs'), 'the Termux variant');
  assert.equal(page.includes(main.joinToken), false, 'no secret on a public page');
  assert.match(
    main.stdout,
    new RegExp(`join\\.sh \\| sh -s -- --token ${main.joinToken}`),
    'the banner shows it',
  );
});

test('curl .../join.sh | sh -s -- --token T downloads the worker and joins (with an older Node)', async (t) => {
  const old = oldNode();
  if (!old) return t.skip('no Node older than 24 here');
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const script = await (await fetch(`${main.url}/join.sh`)).text();
  assert.match(script, new RegExp(`main_port='${main.tcpPort}'`));
  const home = join(dir.path, 'home');
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(
      'sh',
      ['-s', '--', '--token', main.joinToken, '--device-id', 'joined-by-script', '--test'],
      {
        env: { ...process.env, HOME: home, RC_NODE: old.path },
        stdio: ['pipe', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
    child.stdin.end(script);
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /ok: joined 127\.0\.0\.1:\d+ as joined-by-script/);
  assert.deepEqual(
    readFileSync(join(home, '.retire-cluster-worker', 'worker.cjs')),
    readFileSync(WORKER_BUNDLE),
  );
});

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

/** npm run through the pinned Node 24, as `npm test` itself runs. */
const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync('npm', args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

test(
  'npm pack makes a tarball that installs globally and runs without the repo',
  { timeout: 300_000 },
  async () => {
    using dir = tempDir();
    const packed = npm(['pack', '--silent', '--pack-destination', dir.path], ROOT).trim().split('\n').pop()!;
    const tarball = join(dir.path, packed);
    const prefix = join(dir.path, 'global');
    // The registry's packages are already in npm's cache from `npm ci`.
    npm(
      ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball],
      dir.path,
    );
    const installed = join(prefix, 'lib', 'node_modules', 'retire-cluster');
    assert.deepEqual(
      readdirSync(installed).filter((f) => ['src', 'test', 'bench'].includes(f)),
      [],
      'no sources shipped',
    );

    // Node 24 first on PATH, and nothing from the checkout.
    const env = {
      ...process.env,
      PATH: `${join(prefix, 'bin')}:${join(ROOT, 'node_modules', '.bin')}:/usr/bin:/bin`,
    };
    const help = execFileSync(join(prefix, 'bin', 'retire-cluster'), ['--help'], {
      cwd: dir.path,
      env,
      encoding: 'utf8',
    });
    assert.match(help, /Usage: retire-cluster/);
    assert.match(help, /\bmain\b/);

    const main = spawn(
      join(prefix, 'bin', 'retire-cluster-main'),
      [
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--http-port',
        '0',
        '--data-dir',
        join(dir.path, 'data'),
        '--local-worker',
      ],
      { cwd: dir.path, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    main.stdout.on('data', (c: Buffer) => (out += c.toString()));
    main.stderr.on('data', (c: Buffer) => (err += c.toString()));
    try {
      const url = await waitFor(
        () => out.match(/HTTP API\s+(http:\/\/[\d.]+:\d+)/)?.[1],
        20_000,
        `the banner (${err})`,
      );
      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 200);
      // The local worker (the shipped dist/worker.cjs) joins, and a task runs.
      const token = execFileSync('cat', [join(dir.path, 'data', 'api.token')], { encoding: 'utf8' }).trim();
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const submitted = await fetch(`${url}/api/v1/tasks`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ task_type: 'echo', payload: 'packed' }),
      });
      const { data } = (await submitted.json()) as { data: { task_id: string } };
      const task = await waitFor(
        async () => {
          const body = (await (
            await fetch(`${url}/api/v1/tasks/${data.task_id}`, { headers: auth })
          ).json()) as any;
          return body.data.task.status === 'success' ? body.data.task : null;
        },
        30_000,
        'the task to run on the local worker',
      );
      assert.deepEqual(task.result.result_data, { echo: 'packed' });
    } finally {
      main.kill('SIGTERM');
      await new Promise((resolve) => main.once('exit', resolve));
    }
  },
);

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup, ROOT, WORKER_BUNDLE } from '../helpers/processes.ts';
import { oldNode } from '../helpers/oldNode.ts';
import { tempDir } from '../helpers/tempDir.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

test('src/worker imports only src/protocol, itself and node: built-ins', () => {
  const workerDir = join(ROOT, 'src/worker');
  const offenders: string[] = [];
  for (const file of sourceFiles(workerDir)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(
      /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g,
    )) {
      const spec = match[1] ?? match[2]!;
      if (spec.startsWith('node:')) continue;
      const target = relative(ROOT, join(file, '..', spec));
      if (spec.startsWith('.') && (target.startsWith('src/worker/') || target.startsWith('src/protocol/')))
        continue;
      offenders.push(`${relative(ROOT, file)} -> ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('dist/worker.cjs is one self-contained file', () => {
  assert.ok(existsSync(WORKER_BUNDLE), 'npm test builds it first');
  const text = readFileSync(WORKER_BUNDLE, 'utf8');
  const required = [...text.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]!);
  assert.deepEqual(
    required.filter(
      (name) =>
        !name.startsWith('node:') &&
        !['fs', 'os', 'path', 'net', 'crypto', 'child_process', 'util', 'events', 'fs/promises'].includes(
          name,
        ),
    ),
    [],
  );
});

test('the bundle joins a main node when run by Node 18', async (t) => {
  const old = oldNode();
  if (!old) return t.skip('no Node older than 24 here (.ci/run installs Node 18 into .cache/node18)');
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const args = [WORKER_BUNDLE, '--join', `127.0.0.1:${main.tcpPort}`, '--device-id', 'old-node', '--test'];
  const result = await run(old.path, [...args, '--state-dir', join(dir.path, 'w')], {
    RC_JOIN_TOKEN: main.joinToken,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).node_version, old.version);
  assert.match(result.stderr, /ok: joined/);
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/processes.ts';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

test('the Dockerfile: multi-stage on node:24-slim, non-root, /data volume, both ports, health check', () => {
  const dockerfile = read('docker/Dockerfile');
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  assert.ok(stages.length >= 2, 'multi-stage');
  assert.ok(
    stages.every((image) => image === 'node:24-slim' || image?.startsWith('node:24-slim')),
    stages.join(),
  );
  assert.match(dockerfile, /^USER\s+(?!root)\w+/m);
  assert.match(dockerfile, /^VOLUME\s+\/data/m);
  assert.match(dockerfile, /^EXPOSE\s+8080\s+8081/m);
  assert.match(dockerfile, /^HEALTHCHECK[\s\S]*\/health/m);
  // What the image runs must exist here too (it is tested outside Docker).
  for (const path of ['src/cli/index.ts', 'bin', 'package-lock.json'])
    assert.ok(existsSync(join(ROOT, path)), path);
});

test('docker-compose.yml maps the ports and volume and takes every RC_* setting from .env.example', () => {
  const compose = read('docker/docker-compose.yml');
  const example = read('.env.example');
  assert.match(compose, /\$\{RC_PORT:-8080\}:8080/);
  assert.match(compose, /\$\{RC_HTTP_PORT:-8081\}:8081/);
  assert.match(compose, /\$\{RC_DATA_PATH:-\.\/data\}:\/data/);
  const used = new Set([...compose.matchAll(/\$\{(RC_\w+)/g)].map((m) => m[1]));
  const offered = [...example.matchAll(/^(RC_\w+)=/gm)].map((m) => m[1]);
  for (const name of offered) assert.ok(used.has(name), `${name} from .env.example is used by compose`);
  for (const name of used)
    assert.ok(offered.includes(name), `${name} used by compose is documented in .env.example`);
});

test('the shell scripts pass shellcheck', (t) => {
  try {
    execFileSync('shellcheck', ['--version'], { stdio: 'ignore' });
  } catch {
    return t.skip('shellcheck is not installed (.ci/run installs it)');
  }
  const scripts = ['deploy.sh', 'backup.sh', 'health-monitor.sh'].map((name) => join(ROOT, 'docker', name));
  execFileSync('shellcheck', ['-s', 'sh', ...scripts], { stdio: 'pipe' });
});

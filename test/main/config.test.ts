import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, resolveMainConfig } from '../../src/main/config.ts';
import { tempDir } from '../helpers/tempDir.ts';

test('config precedence: flag > RC_* env > config file > default', () => {
  using dir = tempDir();
  const file = join(dir.path, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({ port: 9000, http_port: 9001, heartbeat_interval: 10, legacy_protocol: true }),
  );
  const config = resolveMainConfig({
    flags: { port: '7000', http_port: undefined },
    env: { RC_HTTP_PORT: '7001', RC_HEARTBEAT_INTERVAL: '20' },
    configFile: file,
  });
  assert.equal(config.port, 7000, 'flag wins');
  assert.equal(config.http_port, 7001, 'env beats file');
  assert.equal(config.heartbeat_interval, 20, 'env beats file');
  assert.equal(config.legacy_protocol, true, 'file beats default');
  assert.equal(config.heartbeat_timeout, 300, 'default');
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.auth, true);
});

test('RC_NO_AUTH turns auth off; booleans accept the usual spellings', () => {
  assert.equal(resolveMainConfig({ env: { RC_NO_AUTH: '1' } }).auth, false);
  assert.equal(resolveMainConfig({ env: { RC_NO_AUTH: 'false' } }).auth, true);
  assert.equal(resolveMainConfig({ env: { RC_LOCAL_WORKER: 'yes' } }).local_worker, true);
  assert.equal(resolveMainConfig({ env: { RC_LOCAL_WORKER: 'off' } }).local_worker, false);
});

test('bad values and unknown config keys are refused with the field named', () => {
  assert.throws(
    () => resolveMainConfig({ flags: { port: 'eighty' } }),
    (e: Error) => e instanceof ConfigError && /port/.test(e.message),
  );
  assert.throws(() => resolveMainConfig({ flags: { heartbeat_timeout: '-5' } }), /heartbeat_timeout/);
  using dir = tempDir();
  const file = join(dir.path, 'c.json');
  writeFileSync(file, JSON.stringify({ prot: 1 }));
  assert.throws(() => resolveMainConfig({ configFile: file }), /prot/);
  writeFileSync(file, '{broken');
  assert.throws(() => resolveMainConfig({ configFile: file }), /not valid JSON/);
});

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import { detectTermux, probePlatform } from '../../../src/worker/profiler/platform.ts';
import { tempDir } from '../../helpers/tempDir.ts';
import { fakeEnvironment } from './fakeSystem.ts';

describe('platform', () => {
  it('reports the plain platform off Termux', async () => {
    using dir = tempDir();
    const info = await probePlatform(fakeEnvironment(dir.path), `${dir.path}/no-termux`);
    assert.deepEqual(info, { platform: 'linux', arch: process.arch, hostname: hostname(), is_termux: false });
  });

  it('detects Termux from PREFIX', async () => {
    using dir = tempDir();
    const environment = fakeEnvironment(dir.path, { env: { PREFIX: '/data/data/com.termux/files/usr' } });
    const info = await probePlatform(environment, `${dir.path}/no-termux`);
    assert.equal(info.platform, 'android');
    assert.equal(info.is_termux, true);
  });

  it('detects Termux from TERMUX_VERSION', async () => {
    using dir = tempDir();
    const environment = fakeEnvironment(dir.path, { env: { TERMUX_VERSION: '0.118.0' } });
    assert.equal(await detectTermux(environment, `${dir.path}/no-termux`), true);
  });

  it('detects Termux from its data dir', async () => {
    using dir = tempDir();
    mkdirSync(`${dir.path}/com.termux`);
    const info = await probePlatform(fakeEnvironment(dir.path), `${dir.path}/com.termux`);
    assert.equal(info.platform, 'android');
    assert.equal(info.is_termux, true);
  });

  it('keeps android when Node itself says so', async () => {
    using dir = tempDir();
    const info = await probePlatform(fakeEnvironment(dir.path, { platform: 'android' }), `${dir.path}/none`);
    assert.equal(info.platform, 'android');
    assert.equal(info.is_termux, false);
  });
});

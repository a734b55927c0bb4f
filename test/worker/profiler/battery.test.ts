import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatteryProbe } from '../../../src/worker/profiler/battery.ts';
import { parseChargingStatus, readSysfsBattery } from '../../../src/worker/profiler/sysfsBattery.ts';
import { tempDir } from '../../helpers/tempDir.ts';
import { battery, fakeEnvironment, writeCommand, writeTree } from './fakeSystem.ts';

const posixOnly = process.platform === 'win32' ? 'fake commands are shell scripts' : false;

describe('sysfs battery', () => {
  it('reads a discharging battery', async () => {
    using dir = tempDir();
    writeTree(dir.path, battery('BAT0', { type: 'Battery', capacity: '12', status: 'Discharging' }));
    const reading = await readSysfsBattery(`${dir.path}/sys`);
    assert.deepEqual(reading, { percent: 12, charging: false, temperature_c: null });
  });

  it('reports charging and full as on power', async () => {
    using dir = tempDir();
    writeTree(
      dir.path,
      battery('battery', { type: 'Battery', capacity: '80', status: 'Charging', temp: '312' }),
    );
    assert.deepEqual(await readSysfsBattery(`${dir.path}/sys`), {
      percent: 80,
      charging: true,
      temperature_c: 31.2,
    });
    assert.equal(parseChargingStatus('Full\n'), true);
    assert.equal(parseChargingStatus('Not charging'), false);
    assert.equal(parseChargingStatus('Unknown'), null);
  });

  it('ignores mains supplies and device batteries (mice, game pads)', async () => {
    using dir = tempDir();
    writeTree(dir.path, {
      ...battery('AC', { type: 'Mains', online: '1', capacity: '55' }),
      ...battery('hidpp_battery_0', {
        type: 'Battery',
        scope: 'Device',
        capacity: '90',
        status: 'Discharging',
      }),
    });
    assert.equal(await readSysfsBattery(`${dir.path}/sys`), null);
    writeTree(dir.path, battery('BAT0', { type: 'Battery', capacity: '40', status: 'Charging' }));
    assert.deepEqual(await readSysfsBattery(`${dir.path}/sys`), {
      percent: 40,
      charging: true,
      temperature_c: null,
    });
  });

  for (const capacity of ['250', 'abc', '-3', '']) {
    it(`treats capacity ${JSON.stringify(capacity)} as unknown`, async () => {
      using dir = tempDir();
      writeTree(dir.path, battery('BAT0', { type: 'Battery', capacity, status: 'Discharging' }));
      const reading = await readSysfsBattery(`${dir.path}/sys`);
      assert.equal(reading?.percent, null);
      assert.equal(reading?.charging, false);
    });
  }

  it('treats an impossible battery temperature as unknown', async () => {
    using dir = tempDir();
    writeTree(dir.path, battery('BAT0', { type: 'Battery', capacity: '50', temp: '9000' }));
    assert.equal((await readSysfsBattery(`${dir.path}/sys`))?.temperature_c, null);
  });

  it('weighs two batteries by their size', async () => {
    using dir = tempDir();
    writeTree(dir.path, {
      ...battery('BAT0', { type: 'Battery', capacity: '100', status: 'Full', energy_full: '20000000' }),
      ...battery('BAT1', { type: 'Battery', capacity: '50', status: 'Discharging', energy_full: '60000000' }),
    });
    const reading = await readSysfsBattery(`${dir.path}/sys`);
    assert.equal(reading?.percent, 62.5);
    assert.equal(reading?.charging, true);
  });

  it('is null without a power_supply dir', async () => {
    using dir = tempDir();
    assert.equal(await readSysfsBattery(`${dir.path}/sys`), null);
  });
});

describe('BatteryProbe', () => {
  it('reports nulls when neither sysfs nor termux-battery-status is there', async () => {
    using dir = tempDir();
    const probe = new BatteryProbe(fakeEnvironment(dir.path));
    assert.deepEqual(await probe.read(), { percent: null, charging: null, temperature_c: null });
  });

  it(
    'searches the PATH for termux-battery-status once per lookup interval, not per read',
    {
      skip: posixOnly,
    },
    async () => {
      using dir = tempDir();
      const cached = new BatteryProbe(fakeEnvironment(dir.path));
      const eager = new BatteryProbe(fakeEnvironment(dir.path), { termuxLookupIntervalMs: 0 });
      assert.equal((await cached.read()).percent, null);
      assert.equal((await eager.read()).percent, null);
      // Termux:API installed while the worker runs: found at the next lookup, not at every heartbeat.
      writeCommand(`${dir.path}/bin`, 'termux-battery-status', `echo '{"percentage":58}'`);
      assert.equal((await cached.read()).percent, null);
      assert.equal((await eager.read()).percent, 58);
    },
  );

  it('falls back to termux-battery-status', { skip: posixOnly }, async () => {
    using dir = tempDir();
    writeCommand(
      `${dir.path}/bin`,
      'termux-battery-status',
      `echo '{"health":"GOOD","percentage":67,"plugged":"UNPLUGGED","status":"DISCHARGING","temperature":29.4}'`,
    );
    const probe = new BatteryProbe(fakeEnvironment(dir.path));
    assert.deepEqual(await probe.read(), { percent: 67, charging: false, temperature_c: 29.4 });
  });

  it('prefers sysfs over termux-battery-status', { skip: posixOnly }, async () => {
    using dir = tempDir();
    writeCommand(`${dir.path}/bin`, 'termux-battery-status', `echo '{"percentage":1}'`);
    writeTree(dir.path, battery('battery', { type: 'Battery', capacity: '99', status: 'Full' }));
    assert.equal((await new BatteryProbe(fakeEnvironment(dir.path)).read()).percent, 99);
  });

  it('gives up on a termux-battery-status that hangs', { skip: posixOnly }, async () => {
    using dir = tempDir();
    writeCommand(`${dir.path}/bin`, 'termux-battery-status', 'sleep 29');
    const environment = fakeEnvironment(dir.path, {
      env: { PATH: `${dir.path}/bin:${process.env.PATH ?? ''}` },
    });
    const probe = new BatteryProbe(environment, { termuxTimeoutMs: 100, termuxMaxFailures: 1 });
    const started = Date.now();
    assert.equal((await probe.read()).percent, null);
    assert.ok(Date.now() - started < 2000);
    // After the allowed failures it is not run again: the second read is immediate.
    const again = Date.now();
    assert.equal((await probe.read()).percent, null);
    assert.ok(Date.now() - again < 50);
  });
});

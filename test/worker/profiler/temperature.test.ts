import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probeTemperature, readThermalZonesMax } from '../../../src/worker/profiler/temperature.ts';
import { tempDir } from '../../helpers/tempDir.ts';
import { writeTree } from './fakeSystem.ts';

function zones(temps: Record<string, string>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [zone, temp] of Object.entries(temps)) files[`sys/class/thermal/${zone}/temp`] = `${temp}\n`;
  return files;
}

describe('temperature', () => {
  it('takes the hottest thermal zone in °C', async () => {
    using dir = tempDir();
    writeTree(dir.path, {
      ...zones({ thermal_zone0: '41000', thermal_zone1: '57500', thermal_zone2: '38250' }),
      'sys/class/thermal/cooling_device0/cur_state': '0\n',
    });
    assert.equal(await readThermalZonesMax(`${dir.path}/sys`), 57.5);
  });

  it('skips impossible zones and is null when nothing plausible is left', async () => {
    using dir = tempDir();
    writeTree(dir.path, zones({ thermal_zone0: '-273000', thermal_zone1: '999999', thermal_zone2: 'n/a' }));
    assert.equal(await readThermalZonesMax(`${dir.path}/sys`), null);
    writeTree(dir.path, zones({ thermal_zone3: '44000' }));
    assert.equal(await readThermalZonesMax(`${dir.path}/sys`), 44);
  });

  it('is null without a thermal dir', async () => {
    using dir = tempDir();
    assert.equal(await readThermalZonesMax(`${dir.path}/sys`), null);
    assert.equal(await probeTemperature(`${dir.path}/sys`, null), null);
  });

  it('prefers a plausible battery temperature', async () => {
    using dir = tempDir();
    writeTree(dir.path, zones({ thermal_zone0: '60000' }));
    assert.equal(await probeTemperature(`${dir.path}/sys`, 33.4), 33.4);
    assert.equal(await probeTemperature(`${dir.path}/sys`, 500), 60);
  });
});

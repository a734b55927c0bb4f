import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTermuxBattery } from '../../../src/worker/profiler/termuxBattery.ts';

describe('parseTermuxBattery', () => {
  it('reads percentage, status and temperature', () => {
    const json =
      '{"health":"GOOD","percentage":85,"plugged":"PLUGGED_AC","status":"CHARGING","temperature":30.1}';
    assert.deepEqual(parseTermuxBattery(json), { percent: 85, charging: true, temperature_c: 30.1 });
  });

  it('maps FULL to on power and NOT_CHARGING to not charging', () => {
    assert.equal(parseTermuxBattery('{"status":"FULL"}')?.charging, true);
    assert.equal(parseTermuxBattery('{"status":"NOT_CHARGING"}')?.charging, false);
  });

  it('falls back to the plug state when the status is unknown', () => {
    assert.equal(parseTermuxBattery('{"status":"UNKNOWN","plugged":"PLUGGED_USB"}')?.charging, true);
    assert.equal(parseTermuxBattery('{"status":"UNKNOWN","plugged":"UNPLUGGED"}')?.charging, false);
    assert.equal(parseTermuxBattery('{"status":"UNKNOWN"}')?.charging, null);
  });

  it('rejects impossible or non-numeric readings', () => {
    assert.deepEqual(parseTermuxBattery('{"percentage":250,"temperature":900}'), {
      percent: null,
      charging: null,
      temperature_c: null,
    });
    assert.equal(parseTermuxBattery('{"percentage":"85"}')?.percent, null);
  });

  it('is null for output that is not a JSON object', () => {
    assert.equal(parseTermuxBattery('Termux:API is not installed'), null);
    assert.equal(parseTermuxBattery('[1,2]'), null);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  INITIAL_THERMAL_STATE,
  type ThermalReading,
  type ThermalState,
  thermalPolicy,
} from '../../../src/core/policies/thermalPolicy.ts';

function run(readings: ThermalReading[], max = 45, slots = 4): (number | null)[] {
  let state: ThermalState = INITIAL_THERMAL_STATE;
  return readings.map((reading) => {
    const result = thermalPolicy(state, reading, max, slots);
    state = result.state;
    return result.verdict.slots;
  });
}

const t = (celsius: number | null): ThermalReading => ({ temperature_c: celsius });

test('above the limit fewer slots, 5 °C above none', () => {
  assert.deepEqual(run([t(40), t(46), t(50)]), [null, 2, 0]);
});

test('hysteresis: paused until below the limit, reduced until 5 °C below it', () => {
  assert.deepEqual(run([t(51), t(47), t(45), t(42), t(41), t(39.9), t(44)]), [0, 0, 2, 2, 2, null, null]);
});

test('hovering at the limit does not toggle', () => {
  assert.deepEqual(run([t(46), t(44), t(46), t(44)]), [2, 2, 2, 2]);
});

test('impossible readings are unknown and keep the state', () => {
  assert.deepEqual(run([t(200), t(-60), t(null), t(Number.POSITIVE_INFINITY)]), [null, null, null, null]);
  assert.deepEqual(run([t(52), t(999), t(47)]), [0, null, 0]);
});

test('a throttled CPU runs fewer tasks even when the sensor is cool or missing', () => {
  assert.deepEqual(
    run([
      { temperature_c: 30, cpu_throttled: true },
      { temperature_c: null, cpu_throttled: true },
    ]),
    [2, 2],
  );
  const { verdict } = thermalPolicy(
    INITIAL_THERMAL_STATE,
    { temperature_c: null, cpu_throttled: true },
    45,
    1,
  );
  assert.equal(verdict.slots, 1);
  assert.match(verdict.reason ?? '', /throttled/);
});

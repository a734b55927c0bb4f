import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type BatteryReading,
  type BatteryState,
  batteryPolicy,
  INITIAL_BATTERY_STATE,
} from '../../../src/core/policies/batteryPolicy.ts';

/** Feeds readings in order; returns the slot limit after each. */
function run(readings: BatteryReading[], min = 30, slots = 4): (number | null)[] {
  let state: BatteryState = INITIAL_BATTERY_STATE;
  return readings.map((reading) => {
    const result = batteryPolicy(state, reading, min, slots);
    state = result.state;
    return result.verdict.slots;
  });
}

const onBattery = (percent: number | null): BatteryReading => ({
  battery_percent: percent,
  battery_charging: false,
});
const charging = (percent: number | null): BatteryReading => ({
  battery_percent: percent,
  battery_charging: true,
});

test('on battery below the minimum: paused, with a reason', () => {
  const { verdict } = batteryPolicy(INITIAL_BATTERY_STATE, onBattery(12), 30, 2);
  assert.equal(verdict.slots, 0);
  assert.match(verdict.reason ?? '', /battery 12% and not charging/);
});

test('hysteresis: paused below min, resumes only above min + 10', () => {
  assert.deepEqual(
    run([
      onBattery(35),
      onBattery(29),
      onBattery(31),
      onBattery(40),
      onBattery(41),
      onBattery(31),
      onBattery(29),
    ]),
    [null, 0, 0, 0, null, null, 0],
  );
});

test('a charger lifts the pause at once, at any level', () => {
  assert.deepEqual(run([onBattery(12), charging(12), onBattery(12)]), [0, null, 0]);
});

test('a battery draining while plugged in gets fewer slots until it rises again, without flapping', () => {
  assert.deepEqual(
    run([charging(80), charging(79), charging(78), charging(79), charging(80), charging(81)], 30, 4),
    [null, 2, 2, 2, null, null],
  );
});

test('impossible or missing readings are unknown, not low', () => {
  assert.deepEqual(run([onBattery(-1), onBattery(250), onBattery(Number.NaN), onBattery(null)]), [
    null,
    null,
    null,
    null,
  ]);
  // An unknown reading between two lows neither pauses nor forgets the pause.
  assert.deepEqual(run([onBattery(20), onBattery(400), onBattery(35)]), [0, null, 0]);
});

test('an unknown charging state with a low level counts as on battery', () => {
  assert.deepEqual(run([{ battery_percent: 10, battery_charging: null }]), [0]);
});

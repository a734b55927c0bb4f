import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  evaluatePolicy,
  INITIAL_DEVICE_POLICY,
  thresholdsFor,
} from '../../../src/core/policies/devicePolicy.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/core/policies/policyTypes.ts';
import { metrics, profile } from '../fixtures.ts';

test('the strictest policy wins and names the reason', () => {
  const hotAndLow = metrics({ battery_percent: 10, battery_charging: false, temperature_c: 47 });
  const result = evaluatePolicy(INITIAL_DEVICE_POLICY, hotAndLow, null, DEFAULT_THRESHOLDS, 4);
  assert.equal(result.slots, 0);
  assert.match(result.reason ?? '', /battery 10%/);
  const warm = evaluatePolicy(
    INITIAL_DEVICE_POLICY,
    metrics({ temperature_c: 47 }),
    null,
    DEFAULT_THRESHOLDS,
    4,
  );
  assert.deepEqual([warm.slots, warm.reason], [2, 'warm (47 °C, limit 45 °C)']);
});

test("the owner's pause is a 0-slot limit with the worker's reason", () => {
  const result = evaluatePolicy(
    INITIAL_DEVICE_POLICY,
    metrics(),
    'outside schedule 22:00-07:00',
    DEFAULT_THRESHOLDS,
    2,
  );
  assert.equal(result.slots, 0);
  assert.equal(result.reason, 'paused by owner: outside schedule 22:00-07:00');
});

test("a device's own thresholds win over the main node's; nonsense is ignored", () => {
  const own = profile('p', { capabilities: { policy: { min_battery: 50, max_temp: 40 } } });
  assert.deepEqual(thresholdsFor(own, DEFAULT_THRESHOLDS), { min_battery: 50, max_temp: 40 });
  const bad = profile('p', { capabilities: { policy: { min_battery: 500, max_temp: 'hot' } } });
  assert.deepEqual(thresholdsFor(bad, DEFAULT_THRESHOLDS), DEFAULT_THRESHOLDS);
  assert.deepEqual(thresholdsFor(profile('p'), { min_battery: 20, max_temp: 60 }), {
    min_battery: 20,
    max_temp: 60,
  });
});

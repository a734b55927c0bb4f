import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INITIAL_FLAP_STATE, isFlapping, recordDrop } from '../../../src/core/policies/flapPolicy.ts';

test('three drops within the window make a device flapping; old drops age out', () => {
  let state = INITIAL_FLAP_STATE;
  state = recordDrop(state, 0, 1000);
  state = recordDrop(state, 100, 1000);
  assert.equal(isFlapping(state, 100, 1000, 3), false);
  state = recordDrop(state, 200, 1000);
  assert.equal(isFlapping(state, 200, 1000, 3), true);
  assert.equal(isFlapping(state, 1050, 1000, 3), false);
  state = recordDrop(state, 5000, 1000);
  assert.deepEqual(state.drops, [5000]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { T0, effectsOf, eventTypes, makeCluster, metrics, placements, profile } from './fixtures.ts';

const low = metrics({ battery_percent: 12, battery_charging: false });

test('a device on a low battery gets nothing; charging frees the queued task', () => {
  const c = makeCluster();
  c.register(profile('phone'), 'h', [], low, T0);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  const paused = c.takeChanges();
  assert.deepEqual(placements(paused), {});
  assert.ok(eventTypes(paused).includes('device.paused'));
  assert.match(c.devices.get('phone')!.policy!.reason!, /battery 12%/);

  c.heartbeat('phone', metrics({ battery_percent: 12, battery_charging: true }), T0 + 1000);
  c.schedule(T0 + 1000);
  const resumed = c.takeChanges();
  assert.deepEqual(placements(resumed), { 'task-1': 'phone' });
  assert.ok(eventTypes(resumed).includes('device.resumed'));
});

test('the owner pause reported in a heartbeat means 0 free slots', () => {
  const c = makeCluster();
  c.register(profile('laptop'), 'h', [], null, T0);
  c.heartbeat('laptop', metrics(), T0, 'in use');
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  assert.deepEqual(placements(c.takeChanges()), {});
  c.heartbeat('laptop', metrics(), T0 + 1000, null);
  c.schedule(T0 + 1000);
  assert.deepEqual(placements(c.takeChanges()), { 'task-1': 'laptop' });
});

test('fewer slots than running tasks: nothing is preempted, nothing new is placed', () => {
  const c = makeCluster();
  c.register(profile('hot', { max_concurrent_tasks: 4 }), 'h', [], null, T0);
  for (let i = 0; i < 5; i++) c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  assert.equal(Object.keys(placements(c.takeChanges())).length, 4);
  c.heartbeat('hot', metrics({ temperature_c: 47 }), T0 + 1);
  c.schedule(T0 + 1);
  const changes = c.takeChanges();
  assert.deepEqual(effectsOf(changes, 'cancel'), []);
  assert.deepEqual(placements(changes), {});
  assert.equal(c.devices.get('hot')!.running.size, 4);
});

test('a flapping device is used only when no steadier one fits', () => {
  const c = makeCluster({ reconnectGraceMs: 60_000 });
  c.register(profile('flaky', { memory_total_gb: 64 }), 'h', [], null, T0);
  c.register(profile('steady', { memory_total_gb: 1 }), 'h', [], null, T0);
  for (let i = 1; i <= 3; i++) {
    c.disconnect('flaky', T0 + i);
    c.register(profile('flaky', { memory_total_gb: 64 }), 'h', [], null, T0 + i);
  }
  c.takeChanges();
  c.submit({ task_type: 'echo' }, T0 + 10);
  c.submit({ task_type: 'echo' }, T0 + 10);
  c.schedule(T0 + 10);
  assert.deepEqual(placements(c.takeChanges()), { 'task-1': 'steady', 'task-2': 'flaky' });
});

test('CPU-heavy tasks prefer the faster device; others keep the usual ranking', () => {
  const c = makeCluster();
  c.register(profile('slow', { memory_total_gb: 64 }), 'h', [], metrics({ speed_score: 40 }), T0);
  c.register(profile('fast', { memory_total_gb: 1 }), 'h', [], metrics({ speed_score: 250 }), T0);
  c.submit({ task_type: 'echo', requirements: { cpu_heavy: true } }, T0);
  c.schedule(T0);
  assert.deepEqual(placements(c.takeChanges()), { 'task-1': 'fast' });
  const d = makeCluster();
  d.register(profile('slow', { memory_total_gb: 64 }), 'h', [], metrics({ speed_score: 40 }), T0);
  d.register(profile('fast', { memory_total_gb: 1 }), 'h', [], metrics({ speed_score: 250 }), T0);
  d.submit({ task_type: 'echo' }, T0);
  d.schedule(T0);
  assert.deepEqual(placements(d.takeChanges()), { 'task-1': 'slow' });
});

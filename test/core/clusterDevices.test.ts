import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cluster } from '../../src/core/cluster.ts';
import { iso } from '../../src/core/clock.ts';
import { freeSlots, publicStatus } from '../../src/core/device.ts';
import {
  OPTIONS,
  T0,
  effectsOf,
  eventTypes,
  eventsOf,
  makeCluster,
  metrics,
  placements,
  profile,
} from './fixtures.ts';

/** Device a (1 slot) registered at T0 running task-1 (attempt 1); changes taken. */
function runningOnA(options: Parameters<typeof makeCluster>[0] = {}): Cluster {
  const c = makeCluster(options);
  c.register(profile('a'), 'hash-a', [], null, T0);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  c.taskStarted('a', { task_id: 'task-1', attempt: 1 }, T0);
  c.takeChanges();
  return c;
}

test('register creates an online device with its profile, metrics and free slots', () => {
  const c = makeCluster();
  const m = metrics({ cpu_percent: 12 });
  const device = c.register(profile('a', { max_concurrent_tasks: 3 }), 'hash-a', [], m, T0);
  assert.equal(c.devices.get('a'), device);
  assert.equal(device.state, 'online');
  assert.equal(publicStatus(device), 'online');
  assert.equal(device.draining, false);
  assert.equal(device.secret_hash, 'hash-a');
  assert.equal(device.registered_at, iso(T0));
  assert.equal(device.last_seen, T0);
  assert.equal(device.metrics, m);
  assert.equal(freeSlots(device), 3);
  const changes = c.takeChanges();
  assert.deepEqual(changes.devices, [device]);
  assert.deepEqual(eventsOf(changes), [{ type: 'device.online', at: T0, device_id: 'a' }]);
});

test('a returning device keeps its registration time and metrics unless new ones come', () => {
  const c = makeCluster();
  c.register(profile('a'), 'h', [], metrics({ cpu_percent: 5 }), T0);
  const again = c.register(profile('a', { cpu_count: 16 }), 'h', [], null, T0 + 100);
  assert.equal(again.registered_at, iso(T0));
  assert.equal(again.profile.cpu_count, 16);
  assert.equal(again.metrics?.cpu_percent, 5);
  assert.equal(again.last_seen, T0 + 100);
  assert.deepEqual(eventTypes(c.takeChanges()), ['device.online', 'device.reconnected']);
});

test('heartbeat records metrics and samples them at most once per sample interval', () => {
  const c = makeCluster();
  c.register(profile('a'), 'h', [], null, T0);
  c.takeChanges();
  c.heartbeat('a', metrics({ cpu_percent: 1 }), T0 + 100);
  c.heartbeat('a', metrics({ cpu_percent: 2 }), T0 + 600);
  c.heartbeat('a', metrics({ cpu_percent: 3 }), T0 + 1100);
  const device = c.devices.get('a')!;
  assert.equal(device.last_seen, T0 + 1100);
  assert.equal(device.metrics?.cpu_percent, 3);
  const changes = c.takeChanges();
  assert.deepEqual(
    changes.heartbeats.map((h) => [h.device_id, h.at, h.metrics.cpu_percent]),
    [
      ['a', T0 + 100, 1],
      ['a', T0 + 1100, 3],
    ],
  );
  c.heartbeat('ghost', metrics(), T0); // unknown device: ignored
  assert.equal(c.devices.has('ghost'), false);
});

test('a device silent past the heartbeat timeout goes offline, is disconnected, and loses its tasks', () => {
  const c = runningOnA();
  c.heartbeat('a', metrics(), T0 + 3000); // pushes the timeout to T0 + 8000
  c.tick(T0 + 5000);
  assert.equal(c.devices.get('a')!.state, 'online');
  c.tick(T0 + 7999);
  assert.deepEqual(c.takeChanges().effects, []);

  c.tick(T0 + 8000);
  const device = c.devices.get('a')!;
  assert.equal(device.state, 'offline');
  assert.equal(publicStatus(device), 'offline');
  assert.equal(device.running.size, 0);
  const changes = c.takeChanges();
  assert.deepEqual(changes.effects, [{ kind: 'disconnect', device_id: 'a', reason: 'heartbeat timeout' }]);
  assert.ok(eventTypes(changes).includes('device.offline'));
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'queued');
  assert.equal(task.retry_count, 1);
  assert.deepEqual(
    task.error_history.map((e) => [e.attempt, e.device_id, e.status, e.error]),
    [[1, 'a', 'lost', 'device stopped sending heartbeats']],
  );
  // An offline device gets nothing.
  c.tick(T0 + 9000);
  c.schedule(T0 + 9000);
  assert.deepEqual(c.takeChanges().effects, []);
});

test('a device that was already disconnected goes offline without a disconnect effect', () => {
  const c = makeCluster();
  c.register(profile('a'), 'h', [], null, T0);
  c.disconnect('a', T0 + 10);
  c.takeChanges();
  c.tick(T0 + 5000);
  assert.equal(c.devices.get('a')!.state, 'offline');
  assert.deepEqual(c.takeChanges().effects, []);
});

test('a device heard from again after going offline is watched again', () => {
  const c = makeCluster();
  c.register(profile('a'), 'h', [], null, T0);
  c.tick(T0 + 5000);
  assert.equal(c.devices.get('a')!.state, 'offline');
  c.takeChanges();
  // A one-shot (legacy) heartbeat brings it back...
  c.heartbeat('a', metrics(), T0 + 6000);
  assert.equal(c.devices.get('a')!.state, 'online');
  // ...and silence takes it offline again.
  c.tick(T0 + 10_999);
  assert.equal(c.devices.get('a')!.state, 'online');
  c.tick(T0 + 11_000);
  assert.equal(c.devices.get('a')!.state, 'offline');
  assert.deepEqual(c.takeChanges().effects, [
    { kind: 'disconnect', device_id: 'a', reason: 'heartbeat timeout' },
  ]);
});

test('a device that reconnects many times still goes offline once, on time', () => {
  const c = makeCluster();
  for (let i = 0; i < 50; i++) {
    c.register(profile('a'), 'h', [], null, T0 + i * 10);
    c.disconnect('a', T0 + i * 10 + 5);
  }
  c.register(profile('a'), 'h', [], null, T0 + 1000);
  c.takeChanges();
  c.tick(T0 + 5999);
  assert.equal(c.devices.get('a')!.state, 'online');
  c.tick(T0 + 6000);
  assert.equal(c.devices.get('a')!.state, 'offline');
  assert.equal(effectsOf(c.takeChanges(), 'disconnect').length, 1);
});

test('disconnect marks the device and stops placement on it, but keeps its tasks within the grace', () => {
  const c = runningOnA({ heartbeatTimeoutMs: 60_000 });
  c.register(profile('b', { task_types: [] }), 'hash-b', [], null, T0);
  c.disconnect('a', T0 + 100);
  const device = c.devices.get('a')!;
  assert.equal(device.state, 'disconnected');
  assert.equal(device.disconnected_at, T0 + 100);
  assert.equal(publicStatus(device), 'disconnected');
  const changes = c.takeChanges();
  assert.deepEqual(eventsOf(changes).at(-1), { type: 'device.disconnected', at: T0 + 100, device_id: 'a' });
  // Its slot frees only later, but nothing new goes to it meanwhile even if it had room.
  device.profile.max_concurrent_tasks = 2;
  c.submit({ task_type: 'echo' }, T0 + 150);
  c.schedule(T0 + 150);
  assert.deepEqual(c.takeChanges().effects, []);
  c.tick(T0 + 1099);
  assert.equal(c.tasks.get('task-1')!.status, 'running');
  assert.deepEqual([...device.running], [['task-1', 1]]);
  // Disconnecting again, or an unknown device, does nothing.
  c.disconnect('a', T0 + 500);
  c.disconnect('ghost', T0 + 500);
  assert.equal(device.disconnected_at, T0 + 100);
});

test('a device that reconnects within the grace reporting its task keeps it', () => {
  const c = runningOnA();
  c.disconnect('a', T0 + 100);
  c.takeChanges();
  c.register(profile('a'), 'hash-a', [{ task_id: 'task-1', attempt: 1 }], null, T0 + 600);
  const changes = c.takeChanges();
  assert.deepEqual(changes.effects, []);
  assert.ok(eventTypes(changes).includes('device.reconnected'));
  const device = c.devices.get('a')!;
  assert.equal(device.state, 'online');
  assert.equal(device.disconnected_at, null);
  c.tick(T0 + 2000); // the old grace deadline passes harmlessly
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'running');
  assert.equal(task.assigned_device_id, 'a');
  assert.equal(task.attempt, 1);
  assert.deepEqual(task.error_history, []);
  assert.deepEqual([...device.running], [['task-1', 1]]);
  assert.equal(c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'success' }, T0 + 2100), 'applied');
});

test('a device that reconnects without its task loses it at once', () => {
  const c = runningOnA();
  c.disconnect('a', T0 + 100);
  c.register(profile('a'), 'hash-a', [], null, T0 + 200);
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'queued');
  assert.equal(task.retry_count, 1);
  assert.deepEqual(
    task.error_history.map((e) => [e.status, e.error]),
    [['lost', 'device restarted without the task']],
  );
  assert.equal(c.devices.get('a')!.running.size, 0);
});

test('when the grace runs out the tasks are requeued, the lost attempt recorded, and placed elsewhere', () => {
  const c = runningOnA();
  c.register(profile('b'), 'hash-b', [], null, T0 + 50);
  c.disconnect('a', T0 + 100);
  c.tick(T0 + 1099);
  assert.equal(c.tasks.get('task-1')!.status, 'running');
  c.tick(T0 + 1100);
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'queued');
  assert.equal(task.assigned_device_id, null);
  assert.equal(task.retry_count, 1);
  assert.deepEqual(task.error_history, [
    {
      attempt: 1,
      device_id: 'a',
      status: 'lost',
      error: 'device did not reconnect within the grace period',
      at: iso(T0 + 1100),
    },
  ]);
  const device = c.devices.get('a')!;
  assert.equal(device.running.size, 0);
  assert.equal(device.state, 'disconnected');
  c.takeChanges();
  c.tick(T0 + 1200);
  c.schedule(T0 + 1200);
  const [assign] = effectsOf(c.takeChanges(), 'assign');
  assert.equal(assign?.device_id, 'b');
  assert.equal(assign?.task.attempt, 2);
  // a comes back late, still running attempt 1: it is told to stop it.
  c.register(profile('a'), 'hash-a', [{ task_id: 'task-1', attempt: 1 }], null, T0 + 1300);
  assert.deepEqual(c.takeChanges().effects, [
    { kind: 'cancel', device_id: 'a', task_id: 'task-1', attempt: 1 },
  ]);
  assert.equal(task.assigned_device_id, 'b');
});

test('a lost attempt with no retries left fails the task', () => {
  const c = makeCluster();
  c.register(profile('a'), 'h', [], null, T0);
  c.submit({ task_type: 'echo', max_retries: 0 }, T0);
  c.schedule(T0);
  c.disconnect('a', T0);
  c.tick(T0 + 1000);
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'failed');
  assert.equal(task.result?.error, 'device did not reconnect within the grace period');
});

test('only the latest disconnect starts the grace that counts', () => {
  const c = runningOnA();
  c.disconnect('a', T0 + 100);
  c.register(profile('a'), 'hash-a', [{ task_id: 'task-1', attempt: 1 }], null, T0 + 500);
  c.disconnect('a', T0 + 900);
  c.tick(T0 + 1100); // the first grace would end here
  assert.equal(c.tasks.get('task-1')!.status, 'running');
  c.tick(T0 + 1900);
  assert.equal(c.tasks.get('task-1')!.status, 'queued');
});

test('register reporting tasks the main node does not think it runs gets them cancelled', () => {
  const c = runningOnA();
  c.submit({ task_type: 'echo' }, T0);
  c.takeChanges();
  // b claims a's task, a task it never had, and an unknown one.
  c.register(
    profile('b'),
    'hash-b',
    [
      { task_id: 'task-1', attempt: 1 },
      { task_id: 'task-2', attempt: 1 },
      { task_id: 'ghost', attempt: 3 },
    ],
    null,
    T0 + 10,
  );
  assert.deepEqual(c.takeChanges().effects, [
    { kind: 'cancel', device_id: 'b', task_id: 'task-1', attempt: 1 },
    { kind: 'cancel', device_id: 'b', task_id: 'task-2', attempt: 1 },
    { kind: 'cancel', device_id: 'b', task_id: 'ghost', attempt: 3 },
  ]);
  assert.equal(c.tasks.get('task-1')!.assigned_device_id, 'a');
  assert.equal(c.devices.get('b')!.running.size, 0);
  // a reports the right task with the wrong attempt: that one is cancelled, the real one is lost.
  c.register(profile('a'), 'hash-a', [{ task_id: 'task-1', attempt: 7 }], null, T0 + 20);
  assert.deepEqual(effectsOf(c.takeChanges(), 'cancel'), [
    { kind: 'cancel', device_id: 'a', task_id: 'task-1', attempt: 7 },
  ]);
  assert.equal(c.tasks.get('task-1')!.status, 'queued');
});

test('a task cancelled while its device was away is cancelled again when the device returns with it', () => {
  const c = runningOnA();
  c.submit({ task_type: 'echo' }, T0);
  c.disconnect('a', T0 + 100);
  c.cancel('task-1', T0 + 200); // the cancel effect cannot reach the device now
  c.takeChanges();
  c.register(profile('a'), 'hash-a', [{ task_id: 'task-1', attempt: 1 }], null, T0 + 300);
  c.schedule(T0 + 300);
  const changes = c.takeChanges();
  assert.deepEqual(changes.effects, [{ kind: 'cancel', device_id: 'a', task_id: 'task-1', attempt: 1 }]);
  // The process still runs, so the slot stays taken until the worker confirms.
  assert.deepEqual([...c.devices.get('a')!.running], [['task-1', 1]]);
  assert.equal(c.tasks.get('task-1')!.status, 'cancelled');
  c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'cancelled' }, T0 + 400);
  c.schedule(T0 + 400);
  assert.deepEqual(placements(c.takeChanges()), { 'task-2': 'a' });
});

test('a draining device gets no new tasks until it is undrained', () => {
  const c = runningOnA();
  const device = c.setDraining('a', true, T0 + 1);
  assert.equal(device.draining, true);
  assert.equal(publicStatus(device), 'draining');
  // What it runs is unaffected.
  assert.equal(c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'success' }, T0 + 2), 'applied');
  c.submit({ task_type: 'echo' }, T0 + 3);
  c.schedule(T0 + 3);
  let changes = c.takeChanges();
  assert.deepEqual(changes.effects, []);
  assert.ok(eventTypes(changes).includes('device.draining'));
  assert.deepEqual(changes.devices, [device]);

  c.setDraining('a', false, T0 + 4);
  assert.equal(publicStatus(device), 'online');
  c.schedule(T0 + 4);
  changes = c.takeChanges();
  assert.deepEqual(placements(changes), { 'task-2': 'a' });
  assert.ok(eventTypes(changes).includes('device.undrained'));
  assert.throws(() => c.setDraining('ghost', true, T0), { name: 'ClusterError', code: 'DEVICE_NOT_FOUND' });
});

test('removeDevice forgets the device and requeues its tasks without spending a retry', () => {
  const c = runningOnA();
  c.register(profile('b'), 'hash-b', [], null, T0);
  c.takeChanges();
  c.setDraining('a', true, T0 + 5); // a has unsaved changes when it is removed
  c.removeDevice('a', T0 + 10);
  assert.equal(c.devices.has('a'), false);
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'queued');
  assert.equal(task.retry_count, 0);
  assert.equal(task.not_before, null);
  assert.equal(task.assigned_device_id, null);
  const changes = c.takeChanges();
  assert.deepEqual(changes.removedDevices, ['a']);
  assert.deepEqual(changes.effects, [{ kind: 'disconnect', device_id: 'a', reason: 'device removed' }]);
  assert.ok(!changes.devices.some((d) => d.device_id === 'a'));
  assert.ok(eventTypes(changes).includes('device.removed'));
  // Placed again at once, on the remaining device.
  c.schedule(T0 + 10);
  const [assign] = effectsOf(c.takeChanges(), 'assign');
  assert.equal(assign?.device_id, 'b');
  assert.equal(assign?.task.attempt, 2);
  assert.equal(c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'success' }, T0 + 20), 'fenced');
  assert.throws(() => c.removeDevice('a', T0), { code: 'DEVICE_NOT_FOUND' });
});

/** Cluster 1 at snapshot time (T0 + 50): device a (2 slots) runs task-3 (assigned) and task-4 (running);
 * task-5 is queued; task-1 succeeded; task-2 failed once and waits for its retry at T0 + 150. */
function snapshotAfterCrash(): { devices: Cluster['devices']; tasks: Cluster['tasks'] } {
  const c = makeCluster();
  c.register(profile('a', { max_concurrent_tasks: 2 }), 'hash-a', [], null, T0);
  c.submit({ task_type: 'echo' }, T0);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'success' }, T0 + 10);
  c.taskResult('a', { task_id: 'task-2', attempt: 1, status: 'failed' }, T0 + 50);
  c.submit({ task_type: 'echo' }, T0 + 50);
  c.submit({ task_type: 'echo' }, T0 + 50);
  c.submit({ task_type: 'echo', idempotency_key: 'five' }, T0 + 50);
  c.schedule(T0 + 50);
  c.taskStarted('a', { task_id: 'task-4', attempt: 1 }, T0 + 50);
  assert.deepEqual(
    [...c.tasks.values()].map((t) => t.status),
    ['success', 'queued', 'assigned', 'running', 'queued'],
  );
  assert.equal(c.tasks.get('task-2')!.not_before, T0 + 150);
  return { devices: structuredClone(c.devices), tasks: structuredClone(c.tasks) };
}

function restored(now: number): Cluster {
  const { devices, tasks } = snapshotAfterCrash();
  const c = makeCluster();
  c.restore([...devices.values()], [...tasks.values()], now);
  return c;
}

test('restore: devices count as just disconnected, queued tasks are queued, assigned ones held', () => {
  const T1 = T0 + 100;
  const c = restored(T1);
  const a = c.devices.get('a')!;
  assert.equal(a.state, 'disconnected');
  assert.equal(a.disconnected_at, T1);
  assert.deepEqual([...a.running].sort(), [
    ['task-3', 1],
    ['task-4', 1],
  ]);
  assert.equal(c.tasks.get('task-3')!.status, 'assigned');
  assert.equal(c.tasks.get('task-4')!.status, 'running');
  assert.equal(c.queuedCount, 1); // task-5; task-2 still waits for its backoff
  assert.equal(c.tasks.get('task-2')!.not_before, T0 + 150);
  // Nothing can be placed while no device is online.
  c.schedule(T1);
  assert.deepEqual(c.takeChanges().effects, []);
  // The idempotency key survives.
  const again = c.submit({ task_type: 'echo', idempotency_key: 'five' }, T1);
  assert.equal(again.created, false);
  assert.equal(again.task.task_id, 'task-5');
});

test('restore: a device that reclaims its tasks within the grace keeps them; queue order survives', () => {
  const T1 = T0 + 100;
  const c = restored(T1);
  c.register(
    profile('a', { max_concurrent_tasks: 2 }),
    'hash-a',
    [
      { task_id: 'task-3', attempt: 1 },
      { task_id: 'task-4', attempt: 1 },
    ],
    null,
    T1 + 500,
  );
  c.tick(T1 + 2000);
  c.schedule(T1 + 2000);
  const changes = c.takeChanges();
  assert.deepEqual(changes.effects, []); // both slots still taken, nothing lost, nothing cancelled
  assert.equal(c.tasks.get('task-3')!.status, 'assigned');
  assert.equal(c.tasks.get('task-4')!.status, 'running');
  assert.deepEqual(c.tasks.get('task-3')!.error_history, []);

  // A new task queues behind the restored ones; task-2 (oldest) goes first once a slot frees.
  c.submit({ task_type: 'echo' }, T1 + 2000);
  c.taskResult('a', { task_id: 'task-3', attempt: 1, status: 'success' }, T1 + 2100);
  c.schedule(T1 + 2100);
  assert.deepEqual(placements(c.takeChanges()), { 'task-2': 'a' });
  assert.equal(c.tasks.get('task-2')!.attempt, 2);
  c.taskResult('a', { task_id: 'task-4', attempt: 1, status: 'success' }, T1 + 2200);
  c.schedule(T1 + 2200);
  assert.deepEqual(placements(c.takeChanges()), { 'task-5': 'a' });
});

test('restore: assigned tasks whose device does not come back are requeued after the grace', () => {
  const T1 = T0 + 100;
  const c = restored(T1);
  c.tick(T1 + 999);
  assert.equal(c.tasks.get('task-3')!.status, 'assigned');
  c.tick(T1 + 1000);
  for (const id of ['task-3', 'task-4']) {
    const task = c.tasks.get(id)!;
    assert.equal(task.status, 'queued', id);
    assert.equal(task.retry_count, 1);
    assert.equal(task.error_history.at(-1)?.status, 'lost');
  }
  assert.equal(c.devices.get('a')!.running.size, 0);
  c.register(profile('b', { max_concurrent_tasks: 4 }), 'hash-b', [], null, T1 + 1200);
  c.tick(T1 + 1200);
  c.schedule(T1 + 1200);
  assert.deepEqual(placements(c.takeChanges()), {
    'task-2': 'b',
    'task-3': 'b',
    'task-4': 'b',
    'task-5': 'b',
  });
});

test('restore: a task assigned to an offline or unknown device is requeued at once', () => {
  const { devices, tasks } = snapshotAfterCrash();
  devices.get('a')!.state = 'offline';
  const c = makeCluster();
  c.restore([...devices.values()], [...tasks.values()], T0 + 100);
  assert.equal(c.devices.get('a')!.state, 'offline');
  const task = c.tasks.get('task-3')!;
  assert.equal(task.status, 'queued');
  assert.deepEqual(
    task.error_history.map((e) => [e.status, e.error]),
    [['lost', 'device not connected after main node restart']],
  );

  const c2 = makeCluster();
  c2.restore([], [...snapshotAfterCrash().tasks.values()], T0 + 100);
  assert.equal(c2.tasks.get('task-4')!.status, 'queued');
});

test('restore: silence while the main node was down does not count against a device', () => {
  const T1 = T0 + 4900; // a was last seen at T0
  const c = restored(T1);
  c.tick(T0 + 5000);
  assert.equal(c.devices.get('a')!.state, 'disconnected');
  c.tick(T1 + 4999);
  assert.equal(c.devices.get('a')!.state, 'disconnected');
  c.tick(T1 + 5000);
  assert.equal(c.devices.get('a')!.state, 'offline');
});

test('restore: new task ids and ages continue after the restored ones', () => {
  const { devices, tasks } = snapshotAfterCrash();
  let n = 0;
  const c = new Cluster({ newId: () => `new-${++n}` }, OPTIONS);
  c.restore([...devices.values()], [...tasks.values()], T0 + 100);
  const { task } = c.submit({ task_type: 'echo', priority: 'normal' }, T0 + 100);
  assert.equal(task.task_id, 'new-1');
  assert.ok(task.seq > Math.max(...[...tasks.values()].map((t) => t.seq)));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster } from '../../src/core/cluster.ts';
import { T0, effectsOf, eventTypes, makeCluster, metrics, placements, profile } from './fixtures.ts';

/**
 * Two devices; three quick `sleep` tasks (100 ms each) teach the cluster the type's median; then
 * task-4 lands on `slow` while `fast` is busy with a pinned blocker that ends at T0+1000.
 */
function withStraggler(): { c: Cluster; now: number } {
  const c = makeCluster();
  c.register(profile('slow', { memory_total_gb: 64 }), 'h', [], metrics({ speed_score: 50 }), T0);
  c.register(profile('fast', { memory_total_gb: 1 }), 'h', [], metrics({ speed_score: 200 }), T0);
  for (let i = 0; i < 3; i++) {
    const { task } = c.submit({ task_type: 'sleep' }, T0);
    c.schedule(T0);
    const [assign] = effectsOf(c.takeChanges(), 'assign');
    c.taskResult(assign!.device_id, { task_id: task.task_id, attempt: 1, status: 'success' }, T0 + 100);
  }
  c.submit({ task_type: 'sleep', requirements: { device_id: 'fast' } }, T0 + 200); // task-4, blocker
  c.submit({ task_type: 'sleep' }, T0 + 200); // task-5, the straggler
  c.schedule(T0 + 200);
  assert.deepEqual(placements(c.takeChanges()), { 'task-4': 'fast', 'task-5': 'slow' });
  c.taskResult('fast', { task_id: 'task-4', attempt: 1, status: 'success' }, T0 + 1000);
  c.schedule(T0 + 1000);
  c.takeChanges();
  return { c, now: T0 + 200 };
}

/** Runs the deadlines up to `at` and returns the changes. */
function tickTo(c: Cluster, at: number) {
  c.tick(at);
  c.schedule(at);
  return c.takeChanges();
}

test('a task running far past its median gets a speculative copy on an idle device', () => {
  const { c, now } = withStraggler();
  // Threshold: max(3 × 100 ms, 3000 ms) after the assignment.
  assert.deepEqual(effectsOf(tickTo(c, now + 2999), 'assign'), []);
  const changes = tickTo(c, now + 3000);
  const [copy] = effectsOf(changes, 'assign');
  assert.equal(copy?.device_id, 'fast');
  assert.equal(copy?.task.task_id, 'task-5');
  assert.equal(copy?.task.attempt, 2);
  assert.ok(eventTypes(changes).includes('task.speculative'));
  assert.deepEqual(c.tasks.get('task-5')!.speculative_copy, { device_id: 'fast', attempt: 2 });
});

test('the first result wins; the other attempt is cancelled and its late result fenced', () => {
  const { c, now } = withStraggler();
  tickTo(c, now + 3000);
  assert.equal(
    c.taskResult('fast', { task_id: 'task-5', attempt: 2, status: 'success' }, now + 3100),
    'applied',
  );
  const changes = c.takeChanges();
  const task = c.tasks.get('task-5')!;
  assert.equal(task.status, 'success');
  assert.equal(task.result?.device_id, 'fast');
  assert.equal(task.result?.attempt, 2);
  assert.deepEqual(effectsOf(changes, 'cancel'), [
    { kind: 'cancel', device_id: 'slow', task_id: 'task-5', attempt: 1 },
  ]);
  assert.equal(
    c.taskResult('slow', { task_id: 'task-5', attempt: 1, status: 'success' }, now + 3200),
    'fenced',
  );
  assert.equal(c.tasks.get('task-5')!.result?.device_id, 'fast');
  assert.equal(c.devices.get('slow')!.running.size, 0);
});

test('the straggler may still win: then the copy is cancelled', () => {
  const { c, now } = withStraggler();
  tickTo(c, now + 3000);
  assert.equal(
    c.taskResult('slow', { task_id: 'task-5', attempt: 1, status: 'success' }, now + 3050),
    'applied',
  );
  assert.deepEqual(effectsOf(c.takeChanges(), 'cancel'), [
    { kind: 'cancel', device_id: 'fast', task_id: 'task-5', attempt: 2 },
  ]);
  assert.equal(c.tasks.get('task-5')!.result?.device_id, 'slow');
});

test('one attempt failing leaves the task on the other, without spending a retry', () => {
  const { c, now } = withStraggler();
  tickTo(c, now + 3000);
  c.taskResult('slow', { task_id: 'task-5', attempt: 1, status: 'failed', error: 'boom' }, now + 3050);
  const task = c.tasks.get('task-5')!;
  assert.equal(task.status === 'assigned' || task.status === 'running', true);
  assert.equal(task.retry_count, 0);
  assert.equal(task.assigned_device_id, 'fast');
  assert.equal(task.attempt, 2);
  assert.equal(task.speculative_copy, null);
  c.taskResult('fast', { task_id: 'task-5', attempt: 2, status: 'success' }, now + 3100);
  assert.equal(c.tasks.get('task-5')!.status, 'success');
});

test('the copy failing leaves the straggler running; a later retry never reuses its attempt number', () => {
  const { c, now } = withStraggler();
  tickTo(c, now + 3000);
  c.taskResult('fast', { task_id: 'task-5', attempt: 2, status: 'failed', error: 'boom' }, now + 3050);
  const task = c.tasks.get('task-5')!;
  assert.equal(task.assigned_device_id, 'slow');
  assert.equal(task.attempt, 1);
  c.takeChanges();
  c.taskResult('slow', { task_id: 'task-5', attempt: 1, status: 'failed', error: 'boom' }, now + 3100);
  assert.equal(task.status, 'queued');
  assert.equal(task.retry_count, 1);
  const changes = tickTo(c, now + 3400);
  assert.equal(effectsOf(changes, 'assign')[0]?.task.attempt, 3);
});

test('the straggler device lost: the copy carries the task', () => {
  const { c, now } = withStraggler();
  tickTo(c, now + 3000);
  c.disconnect('slow', now + 3010);
  tickTo(c, now + 3010 + 1000); // reconnect grace over
  const task = c.tasks.get('task-5')!;
  assert.equal(task.assigned_device_id, 'fast');
  assert.equal(task.attempt, 2);
  assert.equal(task.retry_count, 0);
  c.taskResult('fast', { task_id: 'task-5', attempt: 2, status: 'success' }, now + 5000);
  assert.equal(task.status, 'success');
});

test('no copy while the queue holds work, for non-speculative types, or without a median', () => {
  const { c, now } = withStraggler();
  c.submit({ task_type: 'echo', requirements: { device_id: 'nobody' } }, now); // queued forever
  assert.deepEqual(effectsOf(tickTo(c, now + 5000), 'assign'), []);

  const d = makeCluster();
  d.register(profile('a'), 'h', [], null, T0);
  d.register(profile('b'), 'h', [], null, T0);
  d.submit({ task_type: 'shell_command' }, T0);
  d.schedule(T0);
  d.takeChanges();
  assert.deepEqual(effectsOf(tickTo(d, T0 + 60_000), 'assign'), []);
});

test('cancelling a task with a copy cancels both attempts', () => {
  const { c, now } = withStraggler();
  tickTo(c, now + 3000);
  c.cancel('task-5', now + 3100);
  const cancels = effectsOf(c.takeChanges(), 'cancel').map((e) => `${e.device_id}:${e.attempt}`);
  assert.deepEqual(cancels.sort(), ['fast:2', 'slow:1']);
});

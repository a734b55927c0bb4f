import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster } from '../../src/core/cluster.ts';
import { iso } from '../../src/core/clock.ts';
import { ClusterError } from '../../src/protocol/errorCodes.ts';
import {
  T0,
  effectsOf,
  eventTypes,
  eventsOf,
  makeCluster,
  metrics,
  placements,
  profile,
} from './fixtures.ts';

/** A cluster with the given devices registered at T0 and the changes so far taken. */
function withDevices(ids: string[], slots = 1, options: Parameters<typeof makeCluster>[0] = {}): Cluster {
  const c = makeCluster(options);
  for (const id of ids) c.register(profile(id, { max_concurrent_tasks: slots }), `hash-${id}`, [], null, T0);
  c.takeChanges();
  return c;
}

function snapshot(c: Cluster, taskId: string): unknown {
  return structuredClone(c.tasks.get(taskId));
}

test('submit queues the task with defaults and reports it', () => {
  const c = makeCluster();
  const { task, created } = c.submit({ task_type: 'echo' }, T0);
  assert.equal(created, true);
  assert.equal(task.task_id, 'task-1');
  assert.equal(task.status, 'queued');
  assert.equal(task.priority, 'normal');
  assert.equal(task.timeout_seconds, 300);
  assert.equal(task.max_retries, 3);
  assert.equal(task.payload, null);
  assert.deepEqual(task.requirements, {});
  assert.deepEqual(task.metadata, {});
  assert.equal(task.attempt, 0);
  assert.equal(task.retry_count, 0);
  assert.equal(task.created_at, iso(T0));
  assert.equal(task.created_at, '2026-01-01T00:00:00.000Z');
  assert.equal(c.tasks.get('task-1'), task);
  assert.equal(c.queuedCount, 1);
  assert.equal(c.hasPendingChanges, true);

  const changes = c.takeChanges();
  assert.deepEqual(changes.tasks, [task]);
  assert.deepEqual(eventsOf(changes), [
    { type: 'task.submitted', at: T0, task_id: 'task-1', data: { task_type: 'echo', priority: 'normal' } },
  ]);
  assert.deepEqual(changes.effects, []);
});

test('submit keeps what the submitter gave', () => {
  const c = makeCluster();
  const { task } = c.submit(
    {
      task_type: 'sleep',
      payload: { duration: 1 },
      priority: 'urgent',
      requirements: { min_cpu_cores: 2 },
      timeout_seconds: 5,
      max_retries: 0,
      metadata: { owner: 'me' },
    },
    T0,
  );
  assert.deepEqual(
    [task.payload, task.priority, task.requirements, task.timeout_seconds, task.max_retries, task.metadata],
    [{ duration: 1 }, 'urgent', { min_cpu_cores: 2 }, 5, 0, { owner: 'me' }],
  );
});

test('the same idempotency key returns the same task without creating one', () => {
  const c = makeCluster();
  const first = c.submit({ task_type: 'echo', idempotency_key: 'k1' }, T0);
  c.takeChanges();
  const again = c.submit({ task_type: 'sleep', idempotency_key: 'k1' }, T0 + 5);
  assert.equal(again.created, false);
  assert.equal(again.task, first.task);
  assert.equal(again.task.task_type, 'echo');
  assert.equal(c.tasks.size, 1);
  assert.equal(c.queuedCount, 1);
  assert.deepEqual(c.takeChanges().events, []);
  // Another key, or none, makes a new task.
  assert.equal(c.submit({ task_type: 'echo', idempotency_key: 'k2' }, T0).task.task_id, 'task-2');
  assert.equal(c.submit({ task_type: 'echo' }, T0).task.task_id, 'task-3');
  assert.equal(c.submit({ task_type: 'echo', idempotency_key: null }, T0).task.task_id, 'task-4');
});

test('schedule assigns a queued task to a registered device: attempt 1, device slot taken', () => {
  const c = withDevices(['a']);
  c.submit({ task_type: 'echo', payload: { hi: 1 }, metadata: { m: 1 } }, T0 + 1);
  c.schedule(T0 + 2);
  const changes = c.takeChanges();
  assert.deepEqual(effectsOf(changes, 'assign'), [
    {
      kind: 'assign',
      device_id: 'a',
      task: {
        task_id: 'task-1',
        task_type: 'echo',
        payload: { hi: 1 },
        priority: 'normal',
        timeout_seconds: 300,
        attempt: 1,
        metadata: { m: 1 },
      },
    },
  ]);
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'assigned');
  assert.equal(task.attempt, 1);
  assert.equal(task.assigned_device_id, 'a');
  assert.equal(task.assigned_at, iso(T0 + 2));
  assert.deepEqual([...c.devices.get('a')!.running], [['task-1', 1]]);
  assert.equal(c.queuedCount, 0);
  assert.deepEqual(eventTypes(changes), ['task.submitted', 'task.assigned']);
  assert.deepEqual(eventsOf(changes)[1], {
    type: 'task.assigned',
    at: T0 + 2,
    task_id: 'task-1',
    device_id: 'a',
    data: { attempt: 1 },
  });
  // Nothing new: a second schedule does nothing.
  c.schedule(T0 + 3);
  assert.deepEqual(c.takeChanges().effects, []);
});

test('a task submitted before any device is placed when one registers', () => {
  const c = makeCluster();
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  assert.deepEqual(c.takeChanges().effects, []);
  c.register(profile('a'), 'h', [], null, T0 + 10);
  c.schedule(T0 + 10);
  assert.deepEqual(placements(c.takeChanges()), { 'task-1': 'a' });
});

test('a task goes only to a device that accepts its type and meets its requirements', () => {
  const c = makeCluster();
  c.register(profile('small', { task_types: ['echo'], memory_total_gb: 2 }), 'h', [], null, T0);
  c.register(
    profile('big', { task_types: ['echo'], memory_total_gb: 32, max_concurrent_tasks: 0 }),
    'h',
    [],
    null,
    T0,
  );
  c.submit({ task_type: 'echo', requirements: { min_memory_gb: 16 } }, T0);
  c.submit({ task_type: 'python_eval' }, T0);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  // The first two fit nowhere (big has no slot); the third is not blocked by them.
  assert.deepEqual(placements(c.takeChanges()), { 'task-3': 'small' });
  assert.equal(c.queuedCount, 2);
});

test('higher priorities are placed first, then older tasks', () => {
  const c = makeCluster();
  c.submit({ task_type: 'echo', priority: 'low' }, T0);
  c.submit({ task_type: 'echo', priority: 'normal' }, T0);
  c.submit({ task_type: 'echo', priority: 'urgent' }, T0);
  c.submit({ task_type: 'echo', priority: 'high' }, T0);
  c.submit({ task_type: 'echo', priority: 'normal' }, T0);
  c.register(profile('a'), 'h', [], null, T0);
  const order: string[] = [];
  for (let i = 0; i < 5; i++) {
    c.schedule(T0 + i);
    const [assign] = effectsOf(c.takeChanges(), 'assign');
    assert.ok(assign, `round ${i}`);
    order.push(assign.task.task_id);
    c.taskResult('a', { task_id: assign.task.task_id, attempt: 1, status: 'success' }, T0 + i);
  }
  assert.deepEqual(order, ['task-3', 'task-4', 'task-2', 'task-5', 'task-1']);
});

test('taskStarted marks the current attempt running; anything else is fenced', () => {
  const c = withDevices(['a', 'b']);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  c.takeChanges();
  assert.equal(c.taskStarted('b', { task_id: 'task-1', attempt: 1 }, T0 + 1), 'fenced');
  assert.equal(c.taskStarted('a', { task_id: 'task-1', attempt: 2 }, T0 + 1), 'fenced');
  assert.equal(c.taskStarted('a', { task_id: 'nope', attempt: 1 }, T0 + 1), 'fenced');
  assert.equal(c.tasks.get('task-1')!.status, 'assigned');

  assert.equal(c.taskStarted('a', { task_id: 'task-1', attempt: 1 }, T0 + 5), 'applied');
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'running');
  assert.equal(task.started_at, iso(T0 + 5));
  assert.deepEqual(eventTypes(c.takeChanges()), ['task.started']);
  // A repeated report changes nothing.
  assert.equal(c.taskStarted('a', { task_id: 'task-1', attempt: 1 }, T0 + 9), 'applied');
  assert.equal(task.started_at, iso(T0 + 5));
});

test('a successful result finishes the task and frees the slot for the next one', () => {
  const c = withDevices(['a']);
  c.submit({ task_type: 'echo' }, T0);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  c.taskStarted('a', { task_id: 'task-1', attempt: 1 }, T0 + 1);
  c.takeChanges();
  const outcome = c.taskResult(
    'a',
    { task_id: 'task-1', attempt: 1, status: 'success', result_data: { echo: 'x' }, duration_ms: 42 },
    T0 + 50,
  );
  assert.equal(outcome, 'applied');
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'success');
  assert.equal(task.completed_at, iso(T0 + 50));
  assert.deepEqual(task.result, {
    status: 'success',
    result_data: { echo: 'x' },
    error: null,
    device_id: 'a',
    attempt: 1,
    duration_ms: 42,
  });
  assert.equal(c.devices.get('a')!.running.has('task-1'), false);
  c.schedule(T0 + 50);
  const changes = c.takeChanges();
  assert.deepEqual(placements(changes), { 'task-2': 'a' });
  assert.ok(eventTypes(changes).includes('task.success'));
});

test('a failed attempt is retried after the backoff, not before, with the next attempt number', () => {
  const c = withDevices(['a']);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  c.takeChanges();
  const outcome = c.taskResult(
    'a',
    { task_id: 'task-1', attempt: 1, status: 'failed', error: 'exit 1', result_data: { return_code: 1 } },
    T0 + 20,
  );
  assert.equal(outcome, 'applied');
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'queued');
  assert.equal(task.retry_count, 1);
  assert.equal(task.assigned_device_id, null);
  assert.equal(task.not_before, T0 + 20 + 100);
  assert.equal(task.result, null);
  assert.deepEqual(task.error_history, [
    { attempt: 1, device_id: 'a', status: 'failed', error: 'exit 1', at: iso(T0 + 20) },
  ]);
  const changes = c.takeChanges();
  assert.deepEqual(eventsOf(changes).at(-1), {
    type: 'task.retrying',
    at: T0 + 20,
    task_id: 'task-1',
    data: { reason: 'failed', error: 'exit 1', retry_count: 1 },
  });
  assert.equal(c.nextDeadline(), T0 + 120);

  // The device is free, but the backoff holds the task back.
  c.schedule(T0 + 20);
  c.tick(T0 + 119);
  c.schedule(T0 + 119);
  assert.deepEqual(c.takeChanges().effects, []);

  c.tick(T0 + 120);
  c.schedule(T0 + 120);
  const [assign] = effectsOf(c.takeChanges(), 'assign');
  assert.equal(assign?.task.attempt, 2);
  assert.equal(task.status, 'assigned');
  assert.equal(task.not_before, null);

  // The second failure waits twice as long.
  c.taskResult('a', { task_id: 'task-1', attempt: 2, status: 'failed', error: 'exit 2' }, T0 + 130);
  assert.equal(task.not_before, T0 + 130 + 200);
  assert.equal(task.retry_count, 2);
});

test('a task pinned to one device waits for it, retries included', () => {
  const c = withDevices(['a', 'b']);
  c.submit({ task_type: 'echo', requirements: { device_id: 'b' } }, T0);
  c.schedule(T0);
  assert.deepEqual(placements(c.takeChanges()), { 'task-1': 'b' });
  c.taskResult('b', { task_id: 'task-1', attempt: 1, status: 'failed' }, T0);
  c.tick(T0 + 100);
  c.schedule(T0 + 100);
  assert.deepEqual(placements(c.takeChanges()), { 'task-1': 'b' });
});

/** Runs task-1 to a failed result on attempt after attempt until it is terminal; returns the attempts made. */
function failUntilDone(c: Cluster, status: 'failed' | 'timeout', start: number): number {
  let now = start;
  let attempts = 0;
  for (;;) {
    c.tick(now);
    c.schedule(now);
    const [assign] = effectsOf(c.takeChanges(), 'assign');
    if (!assign) return attempts;
    attempts++;
    c.taskResult(
      'a',
      { task_id: 'task-1', attempt: assign.task.attempt, status, error: `boom ${attempts}` },
      now,
    );
    now += 1000;
  }
}

test('when the last retry is spent the task fails, keeping the last error and data', () => {
  const c = withDevices(['a'], 1, { heartbeatTimeoutMs: 60_000 });
  c.submit({ task_type: 'echo', max_retries: 2 }, T0);
  assert.equal(failUntilDone(c, 'failed', T0), 3);
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'failed');
  assert.equal(task.retry_count, 2);
  assert.equal(task.not_before, null);
  assert.equal(task.completed_at, iso(T0 + 2000));
  assert.deepEqual(task.result, {
    status: 'failed',
    result_data: null,
    error: 'boom 3',
    device_id: 'a',
    attempt: 3,
    duration_ms: null,
  });
  assert.deepEqual(
    task.error_history.map((e) => [e.attempt, e.status, e.error]),
    [
      [1, 'failed', 'boom 1'],
      [2, 'failed', 'boom 2'],
      [3, 'failed', 'boom 3'],
    ],
  );
});

test('the final status is timeout when the last attempt timed out', () => {
  const c = withDevices(['a'], 1, { heartbeatTimeoutMs: 60_000 });
  c.submit({ task_type: 'echo', max_retries: 1 }, T0);
  assert.equal(failUntilDone(c, 'timeout', T0), 2);
  assert.equal(c.tasks.get('task-1')!.status, 'timeout');
  assert.equal(c.tasks.get('task-1')!.result?.status, 'timeout');
});

test('result data of a final failure is kept', () => {
  const c = withDevices(['a']);
  c.submit({ task_type: 'shell_command', max_retries: 0 }, T0);
  c.schedule(T0);
  c.taskResult(
    'a',
    { task_id: 'task-1', attempt: 1, status: 'failed', error: 'exit 2', result_data: { return_code: 2 } },
    T0,
  );
  assert.deepEqual(c.tasks.get('task-1')!.result?.result_data, { return_code: 2 });
  assert.equal(c.tasks.get('task-1')!.retry_count, 0);
});

test('a result from a stale attempt is fenced and changes nothing', () => {
  const c = withDevices(['a', 'b']);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  assert.deepEqual(placements(c.takeChanges()), { 'task-1': 'a' });
  // Attempt 1 is given up (the device looked lost), attempt 2 runs on b.
  c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'failed', error: 'x' }, T0 + 1);
  c.tick(T0 + 101);
  c.schedule(T0 + 101);
  assert.deepEqual(placements(c.takeChanges()), { 'task-1': 'b' });
  const before = snapshot(c, 'task-1');

  for (const [device, attempt] of [
    ['a', 1],
    ['b', 1],
    ['a', 2],
  ] as const) {
    const late = c.taskResult(
      device,
      { task_id: 'task-1', attempt, status: 'success', result_data: 'old' },
      T0 + 200,
    );
    assert.equal(late, 'fenced', `${device} attempt ${attempt}`);
    assert.deepEqual(snapshot(c, 'task-1'), before);
  }
  const changes = c.takeChanges();
  assert.deepEqual(changes.tasks, []);
  assert.deepEqual(eventsOf(changes)[0], {
    type: 'task.result_fenced',
    at: T0 + 200,
    task_id: 'task-1',
    device_id: 'a',
    data: { attempt: 1, status: 'success' },
  });
  assert.equal(c.taskResult('a', { task_id: 'ghost', attempt: 1, status: 'success' }, T0), 'fenced');

  assert.equal(
    c.taskResult('b', { task_id: 'task-1', attempt: 2, status: 'success', result_data: 'new' }, T0 + 300),
    'applied',
  );
  assert.equal(c.tasks.get('task-1')!.result?.result_data, 'new');
});

test('a task past its timeout plus margin is cancelled on the device and retried', () => {
  const c = withDevices(['a'], 1, { heartbeatTimeoutMs: 60_000 });
  c.submit({ task_type: 'sleep', timeout_seconds: 2 }, T0);
  c.schedule(T0);
  c.taskStarted('a', { task_id: 'task-1', attempt: 1 }, T0 + 10);
  c.takeChanges();
  assert.equal(c.nextDeadline(), T0 + 2000 + 500);

  c.tick(T0 + 2499);
  assert.deepEqual(c.takeChanges().effects, []);
  assert.equal(c.tasks.get('task-1')!.status, 'running');

  c.tick(T0 + 2500);
  const changes = c.takeChanges();
  assert.deepEqual(changes.effects, [{ kind: 'cancel', device_id: 'a', task_id: 'task-1', attempt: 1 }]);
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'queued');
  assert.equal(task.retry_count, 1);
  assert.deepEqual(
    task.error_history.map((e) => [e.attempt, e.device_id, e.status, e.error]),
    [[1, 'a', 'timeout', 'no result within 2s']],
  );
  assert.equal(c.devices.get('a')!.running.size, 0);
  // The worker's late report of that attempt is fenced.
  assert.equal(
    c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'cancelled' }, T0 + 2510),
    'fenced',
  );
  assert.equal(task.status, 'queued');
  c.tick(T0 + 2600);
  c.schedule(T0 + 2600);
  assert.equal(effectsOf(c.takeChanges(), 'assign')[0]?.task.attempt, 2);
});

test('an overdue task with no retries left ends as timeout', () => {
  const c = withDevices(['a'], 1, { heartbeatTimeoutMs: 60_000 });
  c.submit({ task_type: 'sleep', timeout_seconds: 1, max_retries: 0 }, T0);
  c.schedule(T0);
  c.takeChanges();
  c.tick(T0 + 1500);
  const changes = c.takeChanges();
  assert.equal(effectsOf(changes, 'cancel').length, 1);
  assert.equal(c.tasks.get('task-1')!.status, 'timeout');
  assert.ok(eventTypes(changes).includes('task.timeout'));
});

test('the overdue deadline of a finished or later attempt does nothing', () => {
  const c = withDevices(['a'], 1, { heartbeatTimeoutMs: 60_000 });
  c.submit({ task_type: 'sleep', timeout_seconds: 1 }, T0);
  c.schedule(T0);
  c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'failed' }, T0 + 100);
  c.tick(T0 + 200);
  c.schedule(T0 + 200); // attempt 2, due at T0 + 1700
  c.takeChanges();
  c.tick(T0 + 1500); // attempt 1's deadline
  assert.deepEqual(c.takeChanges().effects, []);
  assert.equal(c.tasks.get('task-1')!.status, 'assigned');
  c.taskResult('a', { task_id: 'task-1', attempt: 2, status: 'success' }, T0 + 1600);
  c.tick(T0 + 1700);
  assert.deepEqual(c.takeChanges().effects, []);
  assert.equal(c.tasks.get('task-1')!.status, 'success');
});

test('cancelling a queued task finishes it at once, with no effect, and it is never placed', () => {
  const c = makeCluster();
  c.submit({ task_type: 'echo' }, T0);
  c.takeChanges();
  const task = c.cancel('task-1', T0 + 5);
  assert.equal(task.status, 'cancelled');
  assert.equal(task.completed_at, iso(T0 + 5));
  assert.deepEqual(task.result, {
    status: 'cancelled',
    result_data: null,
    error: 'cancelled by request',
    device_id: null,
    attempt: 0,
    duration_ms: null,
  });
  assert.equal(c.queuedCount, 0);
  const changes = c.takeChanges();
  assert.deepEqual(changes.effects, []);
  assert.deepEqual(eventTypes(changes), ['task.cancelled']);
  c.register(profile('a'), 'h', [], null, T0 + 6);
  c.schedule(T0 + 6);
  assert.deepEqual(c.takeChanges().effects, []);
});

test('cancelling a task waiting for its retry keeps it from coming back', () => {
  const c = withDevices(['a']);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'failed' }, T0);
  c.cancel('task-1', T0 + 10);
  c.takeChanges();
  c.tick(T0 + 100);
  c.schedule(T0 + 100);
  assert.deepEqual(c.takeChanges().effects, []);
  assert.equal(c.tasks.get('task-1')!.status, 'cancelled');
  assert.equal(c.tasks.get('task-1')!.not_before, null);
});

test('cancelling a running task sends a cancel; its slot is freed only by the worker report', () => {
  const c = withDevices(['a']);
  c.submit({ task_type: 'sleep' }, T0);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  c.taskStarted('a', { task_id: 'task-1', attempt: 1 }, T0 + 1);
  c.takeChanges();

  const task = c.cancel('task-1', T0 + 10);
  assert.equal(task.status, 'cancelled');
  assert.equal(task.result?.device_id, 'a');
  let changes = c.takeChanges();
  assert.deepEqual(changes.effects, [{ kind: 'cancel', device_id: 'a', task_id: 'task-1', attempt: 1 }]);
  assert.deepEqual(eventsOf(changes).at(-1), {
    type: 'task.cancelled',
    at: T0 + 10,
    task_id: 'task-1',
    device_id: 'a',
    data: { error: 'cancelled by request' },
  });
  // The process may still be running: the slot stays taken.
  assert.deepEqual([...c.devices.get('a')!.running], [['task-1', 1]]);
  c.schedule(T0 + 11);
  assert.deepEqual(c.takeChanges().effects, []);

  const report = c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'cancelled' }, T0 + 20);
  assert.equal(report, 'fenced'); // The task was already finished here; the report only frees the slot.
  assert.equal(task.status, 'cancelled');
  assert.equal(task.result?.error, 'cancelled by request');
  assert.equal(c.devices.get('a')!.running.size, 0);
  c.schedule(T0 + 20);
  changes = c.takeChanges();
  assert.deepEqual(placements(changes), { 'task-2': 'a' });
});

test('cancelling a finished task is INVALID_STATE; an unknown task is TASK_NOT_FOUND', () => {
  const c = withDevices(['a']);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'success' }, T0);
  c.submit({ task_type: 'echo' }, T0);
  c.cancel('task-2', T0);
  for (const id of ['task-1', 'task-2']) {
    assert.throws(
      () => c.cancel(id, T0 + 1),
      (error: unknown) => {
        assert.ok(error instanceof ClusterError);
        assert.equal(error.name, 'ClusterError');
        assert.equal(error.code, 'INVALID_STATE');
        assert.match(error.message, new RegExp(`${id} is already (success|cancelled)`));
        return true;
      },
    );
  }
  assert.equal(c.tasks.get('task-1')!.status, 'success');
  assert.throws(() => c.cancel('nope', T0), { name: 'ClusterError', code: 'TASK_NOT_FOUND' });
});

test('retry puts a failed task back in the queue with a fresh budget and the next attempt', () => {
  const c = withDevices(['a']);
  c.submit({ task_type: 'echo', max_retries: 1 }, T0);
  c.schedule(T0);
  c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'failed', error: 'bad 1' }, T0);
  c.tick(T0 + 100);
  c.schedule(T0 + 100);
  c.taskResult('a', { task_id: 'task-1', attempt: 2, status: 'failed', error: 'bad 2' }, T0 + 100);
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'failed');
  assert.equal(task.retry_count, 1);
  c.takeChanges();

  assert.equal(c.retry('task-1', T0 + 200), task);
  assert.equal(task.status, 'queued');
  assert.equal(task.retry_count, 0);
  assert.equal(task.result, null);
  assert.equal(task.completed_at, null);
  assert.equal(task.not_before, null);
  assert.equal(task.error_history.length, 2);
  assert.equal(c.queuedCount, 1);
  c.schedule(T0 + 200);
  const changes = c.takeChanges();
  assert.ok(eventTypes(changes).includes('task.resubmitted'));
  assert.equal(effectsOf(changes, 'assign')[0]?.task.attempt, 3);
  // The budget is whole again: the next failure is retried, not final.
  c.taskResult('a', { task_id: 'task-1', attempt: 3, status: 'failed', error: 'bad 3' }, T0 + 300);
  assert.equal(task.status, 'queued');
  assert.equal(task.retry_count, 1);
});

test('retry accepts cancelled and timed-out tasks but not successful or unfinished ones', () => {
  const c = withDevices(['a'], 4);
  c.submit({ task_type: 'echo' }, T0); // task-1 -> success
  c.submit({ task_type: 'echo' }, T0); // task-2 -> cancelled
  c.submit({ task_type: 'echo', max_retries: 0 }, T0); // task-3 -> timeout
  c.submit({ task_type: 'echo' }, T0); // task-4 -> assigned
  c.schedule(T0);
  c.submit({ task_type: 'echo' }, T0); // task-5 -> queued
  c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'success' }, T0);
  c.cancel('task-2', T0);
  c.taskResult('a', { task_id: 'task-3', attempt: 1, status: 'timeout' }, T0);
  for (const id of ['task-1', 'task-4', 'task-5']) {
    assert.throws(() => c.retry(id, T0), { code: 'INVALID_STATE' }, id);
  }
  assert.equal(c.tasks.get('task-1')!.status, 'success');
  assert.equal(c.retry('task-2', T0).status, 'queued');
  assert.equal(c.retry('task-3', T0).status, 'queued');
  assert.throws(() => c.retry('nope', T0), { code: 'TASK_NOT_FOUND' });
});

test('a rejected assignment goes back to the queue without spending a retry', () => {
  const c = withDevices(['a']);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  c.takeChanges();
  c.taskRejected('b', { task_id: 'task-1', attempt: 1 }, 'not mine', T0); // not its slot: ignored
  c.taskRejected('a', { task_id: 'task-1', attempt: 2 }, 'wrong attempt', T0);
  assert.equal(c.tasks.get('task-1')!.status, 'assigned');

  c.taskRejected('a', { task_id: 'task-1', attempt: 1 }, 'no free slot', T0 + 1);
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'queued');
  assert.equal(task.retry_count, 0);
  assert.equal(task.not_before, null);
  assert.deepEqual(task.error_history, [
    { attempt: 1, device_id: 'a', status: 'rejected', error: 'no free slot', at: iso(T0 + 1) },
  ]);
  assert.equal(c.devices.get('a')!.running.size, 0);
  c.schedule(T0 + 1);
  assert.equal(effectsOf(c.takeChanges(), 'assign')[0]?.task.attempt, 2);
});

test('a worker that reports its current attempt cancelled on its own counts as lost and is retried', () => {
  const c = withDevices(['a']);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  assert.equal(c.taskResult('a', { task_id: 'task-1', attempt: 1, status: 'cancelled' }, T0 + 1), 'applied');
  const task = c.tasks.get('task-1')!;
  assert.equal(task.status, 'queued');
  assert.equal(task.retry_count, 1);
  assert.deepEqual(
    task.error_history.map((e) => [e.status, e.error]),
    [['lost', 'worker stopped the task']],
  );
});

test('free memory reported in heartbeats steers placement', () => {
  const c = withDevices(['a', 'b']);
  c.heartbeat('a', metrics({ memory_available_gb: 1 }), T0 + 1);
  c.heartbeat('b', metrics({ memory_available_gb: 6 }), T0 + 1);
  c.submit({ task_type: 'echo' }, T0 + 2);
  c.schedule(T0 + 2);
  assert.deepEqual(placements(c.takeChanges()), { 'task-1': 'b' });
});

test('identical devices take turns across schedule calls', () => {
  const c = withDevices(['a', 'b'], 10);
  const chosen: string[] = [];
  for (let i = 1; i <= 5; i++) {
    c.submit({ task_type: 'echo' }, T0 + i);
    c.schedule(T0 + i);
    const [assign] = effectsOf(c.takeChanges(), 'assign');
    chosen.push(assign!.device_id);
    c.taskResult(assign!.device_id, { task_id: assign!.task.task_id, attempt: 1, status: 'success' }, T0 + i);
  }
  assert.deepEqual(chosen, ['a', 'b', 'a', 'b', 'a']);
});

test('takeChanges returns each dirty task and device once, then nothing', () => {
  const c = makeCluster();
  assert.equal(c.hasPendingChanges, false);
  c.register(profile('a'), 'h', [], null, T0);
  c.submit({ task_type: 'echo' }, T0);
  c.schedule(T0);
  c.taskStarted('a', { task_id: 'task-1', attempt: 1 }, T0);
  const first = c.takeChanges();
  assert.deepEqual(
    first.tasks.map((t) => t.task_id),
    ['task-1'],
  );
  assert.deepEqual(
    first.devices.map((d) => d.device_id),
    ['a'],
  );
  assert.equal(first.tasks[0], c.tasks.get('task-1'));
  assert.deepEqual(eventTypes(first), ['device.online', 'task.submitted', 'task.assigned', 'task.started']);
  assert.equal(first.effects.length, 1);
  assert.equal(c.hasPendingChanges, false);
  const second = c.takeChanges();
  for (const [key, value] of Object.entries(second)) assert.deepEqual(value, [], key);
  assert.deepEqual(second.tasks, []);
  assert.deepEqual(second.events, []);
  assert.deepEqual(second.effects, []);
});

test('an attempt that ends takes its timers with it: finished tasks leave no deadlines behind', () => {
  const c = withDevices(['a', 'b'], 4);
  const baseline = c.pendingDeadlines;
  let now = T0;
  for (let round = 0; round < 250; round++) {
    for (let i = 0; i < 8; i++) c.submit({ task_type: 'echo' }, now);
    c.schedule(now);
    const assigns = effectsOf(c.takeChanges(), 'assign');
    assert.equal(assigns.length, 8);
    // Six succeed; one fails and goes back for a retry; one is cancelled while it runs.
    assigns
      .slice(0, 6)
      .forEach(({ device_id, task }) =>
        c.taskResult(device_id, { task_id: task.task_id, attempt: task.attempt, status: 'success' }, now + 1),
      );
    const failed = assigns[6]!;
    c.taskResult(failed.device_id, { task_id: failed.task.task_id, attempt: 1, status: 'failed' }, now + 1);
    c.cancel(failed.task.task_id, now + 1);
    c.cancel(assigns[7]!.task.task_id, now + 1);
    c.taskResult(
      assigns[7]!.device_id,
      { task_id: assigns[7]!.task.task_id, attempt: 1, status: 'cancelled' },
      now + 1,
    );
    c.takeChanges();
    now += 2;
  }
  assert.equal(c.tasks.size, 2000);
  assert.equal(c.unfinishedCount, 0);
  // What remains are the devices' own watches, not one timer per task ever run.
  assert.equal(c.pendingDeadlines, baseline);
});

test('only the most recent finished tasks stay in memory; unfinished ones always do', () => {
  const c = withDevices(['a'], 1, { finishedKept: 5 });
  c.submit({ task_type: 'echo', idempotency_key: 'waits' }, T0);
  c.schedule(T0);
  const waiting = effectsOf(c.takeChanges(), 'assign')[0]!.task;
  for (let i = 0; i < 20; i++) c.submit({ task_type: 'echo', idempotency_key: `k${i}` }, T0);
  c.taskResult('a', { task_id: waiting.task_id, attempt: 1, status: 'failed' }, T0 + 1);
  for (let round = 0; round < 25; round++) {
    c.schedule(T0 + round);
    const [assign] = effectsOf(c.takeChanges(), 'assign');
    if (!assign) break;
    c.taskResult(
      'a',
      { task_id: assign.task.task_id, attempt: assign.task.attempt, status: 'success' },
      T0 + round,
    );
  }
  const finished = [...c.tasks.values()].filter((t) => t.status === 'success');
  assert.equal(finished.length, 5, 'the five most recent finished tasks');
  assert.equal(c.unfinishedCount, [...c.tasks.values()].filter((t) => t.status !== 'success').length);
  const kept = new Set(finished.map((t) => t.idempotency_key));
  for (let i = 0; i < 20; i++) {
    const key = `k${i}`;
    assert.equal(c.hasIdempotencyKey(key), kept.has(key), key);
  }
  // A key the cluster let go is new to it: the service asks the store first (tested end to end).
  assert.equal(c.submit({ task_type: 'echo', idempotency_key: 'k19' }, T0 + 99).created, !kept.has('k19'));
});

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { ClusterEvent, Notice } from '../../src/core/cluster.ts';
import { ClusterMetrics } from '../../src/main/metrics.ts';
import type { ClusterService } from '../../src/main/service.ts';

/** Just what ClusterMetrics reads of a service: its events, tasks, devices and clock. */
function standIn() {
  let now = 0;
  const events = new EventEmitter<{ event: [ClusterEvent]; notice: [Notice] }>();
  const tasks = new Map<string, { task_type: string; status: string }>();
  const service = {
    events,
    cluster: { tasks, devices: new Map(), queuedCount: 0 },
    clock: { now: () => now },
    listDevices: () => [],
  };
  const metrics = new ClusterMetrics(service as unknown as ClusterService, { version: 'test' });
  let id = 0;
  const emit = (type: string, at: number, task_id?: string, more: Partial<ClusterEvent> = {}) =>
    events.emit('event', { id: ++id, type, at, ...(task_id ? { task_id } : {}), ...more });
  const beat = (device_id: string, at: number) =>
    events.emit('notice', { type: 'device.metrics', at, device_id });
  return { metrics, tasks, emit, beat, setNow: (at: number) => (now = at) };
}

/** The exposition lines of one metric family, HELP and TYPE left out. */
async function lines(metrics: ClusterMetrics, name: string): Promise<string[]> {
  const text = await metrics.exposition();
  return text
    .split('\n')
    .filter(
      (line) => line.startsWith(`${name}{`) || line.startsWith(`${name}_`) || line.startsWith(`${name} `),
    );
}

test('before any event: unlabelled series at zero, labelled ones absent', async (t) => {
  const { metrics } = standIn();
  t.after(() => metrics.close());
  assert.deepEqual(await lines(metrics, 'rc_tasks_submitted_total'), []);
  assert.deepEqual(await lines(metrics, 'rc_tasks_finished_total'), []);
  assert.deepEqual(await lines(metrics, 'rc_heartbeats_total'), []);
  assert.deepEqual(await lines(metrics, 'rc_task_run_seconds'), []);
  assert.deepEqual(await lines(metrics, 'rc_task_retries_total'), ['rc_task_retries_total 0']);
  const dispatch = await lines(metrics, 'rc_task_dispatch_latency_seconds');
  assert.equal(dispatch.length, 14 + 3, 'every bucket, +Inf, sum and count');
  assert.ok(dispatch.every((line) => line.endsWith(' 0')));
});

test('task events are counted by type and status; latencies by phase', async (t) => {
  const { metrics, tasks, emit, setNow } = standIn();
  t.after(() => metrics.close());
  tasks.set('a', { task_type: 'echo', status: 'success' });
  tasks.set('b', { task_type: 'shell_command', status: 'failed' });
  tasks.set('c', { task_type: 'sleep', status: 'cancelled' });
  emit('task.submitted', 0, 'a', { data: { task_type: 'echo' } });
  emit('task.submitted', 0, 'b', { data: { task_type: 'shell_command' } });
  emit('task.submitted', 0, 'c'); // no type in the event: "unknown"
  emit('task.assigned', 20, 'a');
  emit('task.started', 30, 'a');
  emit('task.success', 2_020, 'a');
  emit('task.assigned', 50, 'b');
  emit('task.retrying', 60, 'b'); // the backoff until it is queued again is not dispatch latency
  emit('task.queued', 5_000, 'b');
  emit('task.assigned', 5_030, 'b');
  emit('task.failed', 5_100, 'b');
  emit('task.cancelled', 6_000, 'c'); // never assigned: no run latency
  setNow(6_000);

  const rc = async () => (await metrics.exposition()).split('\n').filter((line) => line.startsWith('rc_'));
  assert.deepEqual(await rc(), await rc(), 'a scrape does not add the tallies up again');
  assert.deepEqual(await lines(metrics, 'rc_tasks_submitted_total'), [
    'rc_tasks_submitted_total{task_type="echo"} 1',
    'rc_tasks_submitted_total{task_type="shell_command"} 1',
    'rc_tasks_submitted_total{task_type="unknown"} 1',
  ]);
  assert.deepEqual(await lines(metrics, 'rc_tasks_finished_total'), [
    'rc_tasks_finished_total{task_type="echo",status="success"} 1',
    'rc_tasks_finished_total{task_type="shell_command",status="failed"} 1',
    'rc_tasks_finished_total{task_type="sleep",status="cancelled"} 1', // the cluster's type
  ]);
  assert.deepEqual(await lines(metrics, 'rc_task_retries_total'), ['rc_task_retries_total 1']);
  const dispatch = await lines(metrics, 'rc_task_dispatch_latency_seconds');
  assert.ok(dispatch.includes('rc_task_dispatch_latency_seconds_bucket{le="0.025"} 1'));
  assert.ok(dispatch.includes('rc_task_dispatch_latency_seconds_bucket{le="0.05"} 3'));
  assert.ok(dispatch.includes('rc_task_dispatch_latency_seconds_count 3'));
  const run = await lines(metrics, 'rc_task_run_seconds');
  assert.ok(run.includes('rc_task_run_seconds_bucket{le="0.1",status="failed"} 1'));
  assert.ok(run.includes('rc_task_run_seconds_bucket{le="1",status="success"} 0'));
  assert.ok(run.includes('rc_task_run_seconds_bucket{le="5",status="success"} 1'));
  assert.ok(run.includes('rc_task_run_seconds_sum{status="success"} 2'));
  assert.equal(run.filter((line) => line.includes('cancelled')).length, 0);

  const view = metrics.view();
  assert.deepEqual(view.totals, { submitted: 3, finished: 3, retries: 1 });
  assert.deepEqual([view.latency.dispatch_ms.count, view.latency.run_ms.count], [3, 2]);
  assert.deepEqual(view.latency.run_ms, { count: 2, avg: 1035, p50: 70, p90: 2000, p99: 2000, max: 2000 });
  assert.deepEqual(view.throughput, {
    window_seconds: 60,
    finished: 3,
    succeeded: 1,
    failed: 1,
    per_second: 0.1,
  });
});

test('heartbeats are counted by device; a removed device loses its series', async (t) => {
  const { metrics, emit, beat, setNow } = standIn();
  t.after(() => metrics.close());
  beat('d1', 1_000);
  beat('d2', 1_000);
  beat('d1', 2_000);
  assert.deepEqual(await lines(metrics, 'rc_heartbeats_total'), [
    'rc_heartbeats_total{device_id="d1"} 2',
    'rc_heartbeats_total{device_id="d2"} 1',
  ]);
  emit('device.removed', 3_000, undefined, { device_id: 'd1' });
  assert.deepEqual(await lines(metrics, 'rc_heartbeats_total'), ['rc_heartbeats_total{device_id="d2"} 1']);
  setNow(3_000);
  assert.deepEqual(metrics.view().heartbeats, { total: 3, last_minute: 3 });
});

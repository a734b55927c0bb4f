import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeviceView } from '../../src/main/views.ts';
import { LiveState, WINDOW_MS } from '../../src/web/live/state.ts';

const metrics = (cpu: number) => ({
  cpu_percent: cpu,
  memory_percent: 50,
  memory_available_gb: 1,
  storage_free_gb: 1,
  load_avg: null,
  battery_percent: null,
  battery_charging: null,
  temperature_c: null,
  running_tasks: 0,
});

const device = (id: string, at: number) =>
  ({
    device_id: id,
    status: 'online',
    draining: false,
    metrics: metrics(10),
    last_seen: new Date(at).toISOString(),
  }) as DeviceView;

test('events change a device at once; metrics notices extend its sparkline in time order', () => {
  const state = new LiveState();
  const now = 1_000_000_000;
  state.setDevices([device('pi', now)], now);
  state.applyEvent({
    type: 'device.metrics',
    at: now + 1000,
    device_id: 'pi',
    data: { metrics: metrics(30) },
  });
  state.addPoint('pi', metrics(5), now - 60_000); // history read after the live samples
  assert.deepEqual(
    state.history.get('pi')!.map((p) => p.cpu),
    [5, 10, 30],
  );
  state.applyEvent({ id: 1, type: 'device.disconnected', at: now + 2000, device_id: 'pi' });
  assert.equal(state.devices.get('pi')!.status, 'disconnected');
  state.applyEvent({ id: 2, type: 'device.removed', at: now + 3000, device_id: 'pi' });
  assert.equal(state.devices.size, 0);
  assert.deepEqual(
    state.events.map((e) => e.type),
    ['device.disconnected', 'device.removed'],
    'notices are not events',
  );
});

test('throughput counts finished tasks per minute and over the window; old ones are pruned', () => {
  const state = new LiveState();
  const now = 1_000_000_000;
  for (const age of [10_000, 30_000, 90_000, WINDOW_MS + 1]) {
    state.applyEvent({ id: age, type: 'task.success', at: now - age, task_id: `t${age}` });
  }
  state.applyEvent({ id: 9, type: 'task.started', at: now, task_id: 'x' });
  const { perMinute, series } = state.throughput(now);
  assert.equal(perMinute, 2);
  assert.equal(
    series.reduce((a, b) => a + b, 0),
    3,
  );
  state.prune(now);
  assert.equal(state.finishedAt.length, 3);
});

test('the recent log seeded at start goes before the live events, without duplicates', () => {
  const state = new LiveState();
  state.applyEvent({
    id: 5,
    type: 'device.online',
    at: Date.parse('2026-01-01T00:00:02.000Z'),
    device_id: 'b',
  });
  state.seedEvents([
    { type: 'device.online', at: '2026-01-01T00:00:01.000Z', device_id: 'a' },
    { type: 'device.online', at: '2026-01-01T00:00:02.000Z', device_id: 'b' },
  ]);
  assert.deepEqual(
    state.events.map((e) => e.device_id),
    ['a', 'b'],
  );
});

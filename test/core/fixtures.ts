/** Hand-built device profiles, metrics and a cluster with small, test-friendly timings. */
import {
  Cluster,
  type Changes,
  type ClusterEvent,
  type ClusterOptions,
  type Effect,
} from '../../src/core/cluster.ts';
import type { DeviceMetrics, DeviceProfile } from '../../src/protocol/messages.ts';

export function profile(deviceId: string, overrides: Partial<DeviceProfile> = {}): DeviceProfile {
  return {
    device_id: deviceId,
    role: 'worker',
    platform: 'linux',
    arch: 'x64',
    hostname: `${deviceId}.local`,
    cpu_count: 4,
    cpu_model: null,
    memory_total_gb: 8,
    storage_total_gb: 100,
    gpu: null,
    node_version: 'v24.0.0',
    python_version: null,
    is_termux: false,
    tags: [],
    capabilities: {},
    task_types: ['echo', 'sleep', 'shell_command'],
    max_concurrent_tasks: 1,
    ...overrides,
  };
}

export function metrics(overrides: Partial<DeviceMetrics> = {}): DeviceMetrics {
  return {
    cpu_percent: null,
    memory_percent: null,
    memory_available_gb: null,
    storage_free_gb: null,
    load_avg: null,
    battery_percent: null,
    battery_charging: null,
    temperature_c: null,
    running_tasks: 0,
    ...overrides,
  };
}

export const OPTIONS: ClusterOptions = {
  wakeIntervalMs: null,
  heartbeatTimeoutMs: 5000,
  reconnectGraceMs: 1000,
  deadlineMarginMs: 500,
  heartbeatSampleMs: 1000,
  retry: { baseDelayMs: 100, maxDelayMs: 1000 },
  policy: { min_battery: 30, max_temp: 45 },
  straggler: { factor: 3, minMs: 3000, minSamples: 3 },
};

/** A fixed epoch so timestamps are readable: 2026-01-01T00:00:00.000Z. */
export const T0 = Date.UTC(2026, 0, 1);

export function makeCluster(options: Partial<ClusterOptions> = {}): Cluster {
  let n = 0;
  return new Cluster({ newId: () => 'task-' + ++n }, { ...OPTIONS, ...options });
}

export function effectsOf<K extends Effect['kind']>(
  changes: Changes,
  kind: K,
): Extract<Effect, { kind: K }>[] {
  return changes.effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);
}

/** task id -> device id of the assign effects in a batch. */
export function placements(changes: Changes): Record<string, string> {
  return Object.fromEntries(effectsOf(changes, 'assign').map((e) => [e.task.task_id, e.device_id]));
}

export function eventTypes(changes: Changes): string[] {
  return changes.events.map((e) => e.type);
}

/** The events of a batch without their ids, to compare by content. */
export function eventsOf(changes: Changes): Omit<ClusterEvent, 'id'>[] {
  return changes.events.map(({ id: _id, ...event }) => event);
}

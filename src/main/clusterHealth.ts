/**
 * `GET /api/v1/cluster/health`: each component's state and one verdict. Degraded means work cannot
 * make progress (the store does not answer, or no device is online to run what is there to run).
 */
import type { ServiceDeps } from './service.ts';

export type ComponentState = 'ok' | 'degraded' | 'down';

export interface ComponentHealth {
  status: ComponentState;
  message: string;
  [detail: string]: unknown;
}

export interface ClusterHealth {
  healthy: boolean;
  status: 'healthy' | 'degraded';
  version: string;
  uptime_seconds: number;
  components: { store: ComponentHealth; devices: ComponentHealth; queue: ComponentHealth };
}

export async function clusterHealth(deps: ServiceDeps): Promise<ClusterHealth> {
  const now = deps.clock.now();
  const components = {
    store: await storeHealth(deps),
    devices: devicesHealth(deps),
    queue: queueHealth(deps, now),
  };
  const healthy = Object.values(components).every((c) => c.status === 'ok');
  return {
    healthy,
    status: healthy ? 'healthy' : 'degraded',
    version: deps.version,
    uptime_seconds: Math.round((now - deps.startedAt) / 1000),
    components,
  };
}

async function storeHealth(deps: ServiceDeps): Promise<ComponentHealth> {
  const started = performance.now();
  try {
    await deps.store.recentEvents(1);
    const latency = Math.round((performance.now() - started) * 100) / 100;
    return { status: 'ok', message: 'the store answers reads', latency_ms: latency };
  } catch (error) {
    return { status: 'down', message: `the store does not answer: ${(error as Error).message}` };
  }
}

function devicesHealth(deps: ServiceDeps): ComponentHealth {
  let online = 0;
  for (const device of deps.cluster.devices.values()) if (device.state === 'online') online += 1;
  const total = deps.cluster.devices.size;
  const queued = deps.cluster.queuedCount;
  const counts = { online, total };
  if (online > 0) return { status: 'ok', message: `${online} of ${total} devices online`, ...counts };
  if (total === 0 && queued === 0) return { status: 'ok', message: 'no device has joined yet', ...counts };
  const why = total === 0 ? 'no device has joined' : `none of ${total} devices is online`;
  return { status: 'degraded', message: `${why}: nothing can run`, ...counts };
}

function queueHealth(deps: ServiceDeps, now: number): ComponentHealth {
  let oldest: number | null = null;
  for (const task of deps.cluster.tasks.values()) {
    if (task.status !== 'queued' && task.status !== 'pending') continue;
    const created = Date.parse(task.created_at);
    if (oldest === null || created < oldest) oldest = created;
  }
  return {
    status: 'ok',
    message: `${deps.cluster.queuedCount} tasks waiting for a device`,
    depth: deps.cluster.queuedCount,
    oldest_queued_age_seconds: oldest === null ? null : Math.round((now - oldest) / 1000),
  };
}

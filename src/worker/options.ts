/**
 * The worker's flags, parsed with node:util (the worker stays dependency-free). The same flags work
 * for `node worker.cjs ...`, `retire-cluster worker ...` and `retire-cluster-worker ...`.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TCP_PORT } from '../protocol/version.ts';
import { parseSchedule, type TimeWindow } from './scheduleWindow.ts';

export interface WorkerOptions {
  host: string;
  port: number;
  token: string | null;
  deviceId: string | null;
  role: string;
  tags: string[];
  maxTasks: number;
  /** Seconds; null = use what the main node says at register. */
  heartbeatInterval: number | null;
  allow: string[];
  deny: string[];
  stateDir: string;
  sysfsRoot: string;
  /** This device's own battery / heat thresholds (sent at register; they win over the main node's). */
  minBattery: number | null;
  maxTemp: number | null;
  /** Owner policy: the worker pauses itself (see ownerPolicy.ts). */
  maxCpuPercent: number | null;
  maxMemoryPercent: number | null;
  onlyWhenIdle: boolean;
  schedule: TimeWindow[];
  test: boolean;
  debug: boolean;
  help: boolean;
  installService: boolean;
  uninstallService: boolean;
  allowLinkLocal: boolean;
  /** For Wake-on-LAN; default: the first real interface's. */
  mac: string | null;
  /** Where --install-service writes (tests, packagers); only `/` also enables the service. */
  serviceRoot: string;
}

export const WORKER_USAGE = `Usage: retire-cluster worker --join HOST[:PORT] --token TOKEN [options]

Joins this device to a Retire-Cluster main node and runs the tasks it is given.

Options:
  --join HOST[:PORT]         main node address (default port ${DEFAULT_TCP_PORT})
  --main-host HOST           same as --join HOST
  --main-port PORT           the main node's worker port
  --token TOKEN              join token (env RC_JOIN_TOKEN); not needed once joined
  --device-id ID             this device's id (default: --auto-id)
  --auto-id                  hostname plus a random suffix, kept across restarts
  --role ROLE                worker|compute|storage|mobile|nas|<custom> (default worker)
  --tags a,b                 tags tasks can require
  --max-tasks N              tasks run at the same time (default 2)
  --heartbeat-interval S     seconds between heartbeats (default: the main node's)
  --allow TYPES              only run these task types (comma-separated)
  --deny TYPES               never run these task types (comma-separated)
  --state-dir DIR            where the device id and secret are kept (default ~/.retire-cluster-worker)
  --sysfs-root DIR           where to read /sys from (default /sys)
  --min-battery PCT          on battery below this, take no new tasks (default: the main node's, 30)
  --max-temp C               above this, fewer tasks; 5 °C above, none (default: the main node's, 45)
  --max-cpu-percent PCT      pause while the machine's CPU use is above this
  --max-memory-percent PCT   pause while memory use is above this
  --only-when-idle           pause while someone else loads the machine (load average per core)
  --schedule HH:MM-HH:MM     only work in these local time windows (comma-separated)
  --mac AA:BB:CC:DD:EE:FF     this device's MAC, so the main node can wake it (Wake-on-LAN)
  --allow-link-local         let http_request tasks reach 169.254.0.0/16 and cloud metadata services
  --test                     print the profile, check the connection, exit 0/1
  --install-service          start this worker at boot (systemd, launchd, or Termux:Boot) and now
  --uninstall-service        remove that service
  --debug                    verbose logs
  -h, --help                 this help

Environment: RC_JOIN_TOKEN, RC_MAIN_HOST, RC_MAIN_PORT, RC_DEVICE_ID, RC_ROLE, RC_TAGS, RC_MAX_TASKS,
RC_STATE_DIR.

Exit codes: 0 stopped cleanly / --test passed; 1 refused (wrong token, id taken) or --test failed; 2 bad flags.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseWorkerOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): WorkerOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      strict: true,
      options: {
        join: { type: 'string' },
        'main-host': { type: 'string' },
        'main-port': { type: 'string' },
        token: { type: 'string' },
        'device-id': { type: 'string' },
        'auto-id': { type: 'boolean' },
        role: { type: 'string' },
        tags: { type: 'string' },
        'max-tasks': { type: 'string' },
        'heartbeat-interval': { type: 'string' },
        allow: { type: 'string' },
        deny: { type: 'string' },
        'state-dir': { type: 'string' },
        'sysfs-root': { type: 'string' },
        'min-battery': { type: 'string' },
        'max-temp': { type: 'string' },
        'max-cpu-percent': { type: 'string' },
        'max-memory-percent': { type: 'string' },
        'only-when-idle': { type: 'boolean' },
        schedule: { type: 'string' },
        test: { type: 'boolean' },
        'allow-link-local': { type: 'boolean' },
        mac: { type: 'string' },
        'install-service': { type: 'boolean' },
        'uninstall-service': { type: 'boolean' },
        'service-root': { type: 'string' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  const [joinHost, joinPort] = splitHostPort(v.join);
  const host = joinHost ?? v['main-host'] ?? env.RC_MAIN_HOST ?? '127.0.0.1';
  const port = positiveInt(
    joinPort ?? v['main-port'] ?? env.RC_MAIN_PORT ?? String(DEFAULT_TCP_PORT),
    'port',
    65535,
  );
  const interval = v['heartbeat-interval'];
  let schedule: TimeWindow[];
  try {
    schedule = parseSchedule(v.schedule ?? '');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    host,
    port,
    token: v.token ?? env.RC_JOIN_TOKEN ?? null,
    deviceId: v['auto-id'] ? null : (v['device-id'] ?? env.RC_DEVICE_ID ?? null),
    role: v.role ?? env.RC_ROLE ?? 'worker',
    tags: list(v.tags ?? env.RC_TAGS),
    maxTasks: positiveInt(v['max-tasks'] ?? env.RC_MAX_TASKS ?? '2', '--max-tasks', 1024),
    heartbeatInterval: interval === undefined ? null : positiveNumber(interval, '--heartbeat-interval'),
    allow: list(v.allow),
    deny: list(v.deny),
    stateDir: resolve(v['state-dir'] ?? env.RC_STATE_DIR ?? join(homedir(), '.retire-cluster-worker')),
    sysfsRoot: resolve(v['sysfs-root'] ?? '/sys'),
    minBattery: optionalRange(v['min-battery'], '--min-battery', 0, 100),
    maxTemp: optionalRange(v['max-temp'], '--max-temp', -40, 150),
    maxCpuPercent: optionalRange(v['max-cpu-percent'], '--max-cpu-percent', 1, 100),
    maxMemoryPercent: optionalRange(v['max-memory-percent'], '--max-memory-percent', 1, 100),
    onlyWhenIdle: v['only-when-idle'] ?? false,
    schedule,
    test: v.test ?? false,
    debug: v.debug ?? false,
    help: v.help ?? false,
    allowLinkLocal: v['allow-link-local'] ?? false,
    mac: v.mac ?? null,
    installService: v['install-service'] ?? false,
    uninstallService: v['uninstall-service'] ?? false,
    serviceRoot: resolve(v['service-root'] ?? '/'),
  };
}

function splitHostPort(value: string | undefined): [string | undefined, string | undefined] {
  if (!value) return [undefined, undefined];
  const bracketed = value.match(/^\[(.+)\](?::(\d+))?$/);
  if (bracketed) return [bracketed[1], bracketed[2]];
  const parts = value.split(':');
  if (parts.length === 2) return [parts[0] || undefined, parts[1]];
  return [value, undefined];
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function positiveInt(value: string, name: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`${name} must be an integer from 1 to ${max}, got "${value}"`);
  return n;
}

function positiveNumber(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${name} must be a positive number, got "${value}"`);
  return n;
}

function optionalRange(value: string | undefined, name: string, min: number, max: number): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`${name} must be a number from ${min} to ${max}, got "${value}"`);
  return n;
}

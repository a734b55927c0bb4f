/**
 * The worker program: `node worker.cjs ...` on a phone, `retire-cluster worker ...` in a checkout.
 * Profiles the device, joins the main node and runs tasks until stopped (SIGINT/SIGTERM).
 */
import { BUILTIN_HANDLERS, selectTaskTypes } from './tasks/registry.ts';
import { WorkerAgent } from './agent.ts';
import { Executor } from './executor.ts';
import { createWorkerLog } from './log.ts';
import { parseWorkerOptions, UsageError, WORKER_USAGE, type WorkerOptions } from './options.ts';
import { collectProfile } from './profiler/collectProfile.ts';
import { detectMac } from './profiler/mac.ts';
import { MetricsSampler } from './profiler/metricsSampler.ts';
import { ownerPauseReason } from './ownerPolicy.ts';
import { defaultProbeEnvironment } from './profiler/probeEnvironment.ts';
import { parseJoinToken } from '../protocol/joinToken.ts';
import { manageService, serviceArgs } from './service/serviceCommand.ts';
import { collectStartupGarbage } from './startupMemory.ts';
import { autoDeviceId, readState, writeState } from './stateFile.ts';
import { join, resolve as resolvePath } from 'node:path';

/** How this worker program was started, so a service can start it the same way. */
export interface WorkerInvocation {
  command: string[];
}

export async function runWorker(
  argv: readonly string[],
  invocation: WorkerInvocation = { command: [process.execPath, resolvePath(process.argv[1] ?? '')] },
): Promise<number> {
  let options: WorkerOptions;
  try {
    options = parseWorkerOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${WORKER_USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(WORKER_USAGE + '\n');
    return 0;
  }
  const log = createWorkerLog({ debug: options.debug });
  let taskTypes: string[];
  try {
    taskTypes = selectTaskTypes({ allow: options.allow, deny: options.deny });
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 2;
  }
  const deviceId = options.deviceId ?? autoDeviceId(options.stateDir);
  const mainAddress = `${options.host}:${options.port}`;
  const state = readState(options.stateDir);
  if (state.device_id !== deviceId)
    writeState(options.stateDir, { ...state, device_id: state.device_id ?? deviceId });
  if (options.installService || options.uninstallService) {
    await manageService({
      install: options.installService,
      spec: {
        name: 'retire-cluster-worker',
        description: `Retire-Cluster worker ${deviceId} (main node ${mainAddress})`,
        command: [
          ...invocation.command,
          ...serviceArgs(argv),
          '--device-id',
          deviceId,
          '--state-dir',
          options.stateDir,
        ],
        envFile: join(options.stateDir, 'worker.env'),
        workingDirectory: options.stateDir,
        logFile: join(options.stateDir, 'worker.log'),
      },
      env: options.token ? { RC_JOIN_TOKEN: options.token } : {},
      root: options.serviceRoot,
      write: (line) => process.stdout.write(line + '\n'),
    });
    return 0;
  }
  const deviceSecret = state.secrets?.[`${deviceId}@${mainAddress}`] ?? null;
  if (!deviceSecret && !options.token) {
    process.stderr.write('error: a join token is needed the first time: --token TOKEN or RC_JOIN_TOKEN\n');
    return 2;
  }
  // A token names the certificate to expect; without one, the certificate pinned at the first join.
  const fingerprint =
    (options.token ? parseJoinToken(options.token).fingerprint : null) ??
    state.fingerprints?.[mainAddress] ??
    null;

  const environment = { ...defaultProbeEnvironment(options.stateDir), sysfsRoot: options.sysfsRoot };
  const profile = await collectProfile({
    deviceId,
    role: options.role,
    tags: options.tags,
    taskTypes,
    maxConcurrentTasks: options.maxTasks,
    environment,
  });
  // The owner's own thresholds travel with the profile; the main node prefers them to its defaults.
  const ownPolicy: Record<string, number> = {};
  if (options.minBattery !== null) ownPolicy.min_battery = options.minBattery;
  if (options.maxTemp !== null) ownPolicy.max_temp = options.maxTemp;
  if (Object.keys(ownPolicy).length > 0) profile.capabilities.policy = ownPolicy;
  const mac = options.mac ?? detectMac();
  if (mac) profile.capabilities.mac = mac;
  const sampler = new MetricsSampler(environment);
  // Sampled before joining, so a device on a low battery is paused from its first moment.
  const initialMetrics = await sampler.sample(0);
  const ownerRules = {
    maxCpuPercent: options.maxCpuPercent,
    maxMemoryPercent: options.maxMemoryPercent,
    onlyWhenIdle: options.onlyWhenIdle,
    schedule: options.schedule,
  };
  const executor: Executor = new Executor({
    handlers: BUILTIN_HANDLERS,
    acceptedTypes: taskTypes,
    maxConcurrent: options.maxTasks,
    allowLinkLocal: options.allowLinkLocal,
    systemInfo: async () => ({ profile, metrics: await sampler.sample(executor.size) }),
    onWarning: (message, error) => log.warn(message, { error }),
  });
  if (options.test) process.stdout.write(JSON.stringify(profile, null, 2) + '\n');

  return new Promise<number>((resolve) => {
    let finished = false;
    let joinedOnce = false;
    const finish = async (code: number) => {
      if (finished) return;
      finished = true;
      if (testTimer) clearTimeout(testTimer);
      await agent.stop();
      resolve(code);
    };
    const agent = new WorkerAgent({
      host: options.host,
      port: options.port,
      profile,
      joinToken: options.token,
      deviceSecret,
      fingerprint,
      heartbeatInterval: options.heartbeatInterval,
      executor,
      sampler,
      log,
      initialMetrics,
      pauseReason: (metrics) => ownerPauseReason(ownerRules, metrics, profile.cpu_count, new Date()),
      onSecret: (secret) => {
        const current = readState(options.stateDir);
        const secrets = { ...current.secrets, [`${deviceId}@${mainAddress}`]: secret };
        const fingerprints = fingerprint
          ? { ...current.fingerprints, [mainAddress]: fingerprint }
          : current.fingerprints;
        writeState(options.stateDir, { ...current, secrets, ...(fingerprints ? { fingerprints } : {}) });
      },
      onRefused: (code, message) => {
        log.error('the main node refused this device', { code, error: message });
        process.stderr.write(`error: the main node refused this device (${code}): ${message}\n`);
        void finish(1);
      },
      onRegistered: () => {
        if (!joinedOnce) {
          joinedOnce = true;
          // Start-up is over: what it left behind need not stay resident in an idle worker.
          setImmediate(() => collectStartupGarbage());
        }
        if (options.test) {
          process.stderr.write(`ok: joined ${mainAddress} as ${deviceId}\n`);
          void finish(0);
        }
      },
    });
    const testTimer = options.test
      ? setTimeout(() => {
          process.stderr.write(`error: could not join ${mainAddress} within 10 s\n`);
          void finish(1);
        }, 10_000)
      : null;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void finish(0));
    agent.start();
  });
}

// Run when executed directly (source under Node 24, or the esbuild bundle), not when imported.
const entry = process.argv[1] ?? '';
if (/(?:worker\/main\.ts|worker\.c?js)$/.test(entry.replace(/\\/g, '/'))) {
  runWorker(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`fatal: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}

/**
 * The composition root of a main node: store, cluster, journal, TCP listener, HTTP API and, when
 * asked, a local worker. `startMainNode` returns once everything listens.
 */
import type { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.ts';
import { Cluster, type Changes, type ClusterEvent, type Notice } from '../core/cluster.ts';
import { createApp } from '../http/app.ts';
import { type HttpServer, startHttpServer } from '../http/server.ts';
import { SqliteStore } from '../store/sqlite.ts';
import type { MainConfig } from './config.ts';
import { lockDataDir } from './dataDirLock.ts';
import { AddressLimiter } from './addressLimiter.ts';
import { Journal } from './journal.ts';
import { parseWakeAddress, sendMagicPacket } from './wakeOnLan.ts';
import { SecretsWatcher } from './secretsWatcher.ts';
import { loadTlsMaterial, type TlsMaterial } from './tls/tlsMaterial.ts';
import { createWorkerPortContext } from './tls/workerPortContext.ts';
import { LocalWorker } from './localWorker.ts';
import { WORKER_BUNDLE } from './paths.ts';
import { createLogger, type Logger } from './logger.ts';
import { ClusterMetrics } from './metrics.ts';
import { type ClusterSecrets, loadSecrets } from './secrets.ts';
import { ClusterService } from './service.ts';
import type { Session } from './session.ts';
import { systemClock } from './systemClock.ts';
import { TcpServer } from './tcpServer.ts';
import { UuidV7 } from './uuidv7.ts';
import { VERSION } from './version.ts';

export const SERVER_ID = 'main';
export const STORE_FILE = 'cluster.db';

export interface MainNodeOptions {
  logger?: Logger;
  clock?: Clock;
  /** Called when the store fails; by default the process exits (memory and disk would disagree). */
  onFatal?: (error: Error) => void;
}

export interface MainNode {
  readonly tcpPort: number;
  readonly httpPort: number;
  readonly secrets: ClusterSecrets;
  readonly service: ClusterService;
  readonly config: MainConfig;
  /** base64url SHA-256 of the workers' port certificate; null with --no-tls. */
  readonly tlsFingerprint: string | null;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startMainNode(config: MainConfig, options: MainNodeOptions = {}): Promise<MainNode> {
  const logger = options.logger ?? createLogger({ debug: config.debug });
  const clock = options.clock ?? systemClock;
  mkdirSync(config.data_dir, { recursive: true, mode: 0o700 });
  const secretsWatcher = new SecretsWatcher(config.data_dir, logger);
  let lock: { release(): void };
  try {
    lock = lockDataDir(config.data_dir);
  } catch (error) {
    secretsWatcher.close();
    throw error;
  }
  // The watcher goes last: until the lock file is gone, `token rotate` may signal this process.
  const unlock = () => {
    lock.release();
    secretsWatcher.close();
  };
  let tls: TlsMaterial | null = null;
  try {
    tls =
      config.tls || config.https
        ? loadTlsMaterial(config.data_dir, { certFile: config.tls_cert, keyFile: config.tls_key })
        : null;
  } catch (error) {
    unlock();
    throw error;
  }
  const secrets = loadSecrets(
    config.data_dir,
    { joinToken: config.join_token, apiToken: config.api_token },
    config.tls ? tls!.fingerprint : null,
  );
  if (!config.tls)
    logger.warn(
      'TLS is off (--no-tls): join tokens, device secrets and task data cross the network in clear text',
    );
  let store: SqliteStore;
  try {
    store = SqliteStore.open(join(config.data_dir, STORE_FILE));
  } catch (error) {
    unlock();
    throw error;
  }

  const taskIds = new UuidV7();
  const cluster = new Cluster(
    { newId: () => taskIds.next() },
    {
      heartbeatTimeoutMs: config.heartbeat_timeout * 1000,
      reconnectGraceMs: config.reconnect_grace * 1000,
      retry: { baseDelayMs: config.retry_base_delay_ms, maxDelayMs: config.retry_max_delay_ms },
      policy: { min_battery: config.min_battery, max_temp: config.max_temp },
      wakeIntervalMs: config.wake_on_lan ? config.wake_on_lan_interval * 1000 : null,
      finishedKept: config.finished_tasks_in_memory,
    },
  );
  const snapshot = await store.load({ recentFinished: config.finished_tasks_in_memory });
  cluster.restore(
    snapshot.devices,
    snapshot.tasks,
    clock.now(),
    snapshot.lastEventId,
    snapshot.revokedDevices,
  );

  const workers = new Map<string, Session>();
  const wakeTarget = parseWakeAddress(config.wake_on_lan_address);
  const onFatal =
    options.onFatal ??
    ((error: Error) => {
      logger.fatal({ err: error }, 'store failure; stopping so that no unsaved state is acknowledged');
      process.exit(1);
    });
  const journal = new Journal({
    cluster,
    store,
    clock,
    logger,
    onFatal,
    onCommitted: (changes) => deliver(changes, workers, service.events, wakeTarget, logger),
  });
  const service: ClusterService = new ClusterService({
    cluster,
    journal,
    store,
    clock,
    startedAt: clock.now(),
    version: VERSION,
    limits: { maxPayloadBytes: config.max_payload_bytes, maxQueuedTasks: config.max_queued_tasks },
  });

  const limiter = new AddressLimiter(config.max_connections_per_ip, config.max_registrations_per_minute);
  const sessionContext = {
    serverId: SERVER_ID,
    service,
    secrets,
    auth: config.auth,
    heartbeatInterval: config.heartbeat_interval,
    heartbeatTimeout: config.heartbeat_timeout,
    workers,
    logger,
    tlsRequired: config.tls,
    limiter,
    maxResultBytes: config.max_result_bytes,
    authTimeoutMs: config.auth_timeout * 1000,
  };
  const tcp = new TcpServer({
    host: config.host,
    port: config.port,
    maxFrameBytes: config.max_frame_bytes,
    limiter,
    tls: config.tls ? createWorkerPortContext(tls!) : null,
    session: sessionContext,
    legacy: {
      serverId: SERVER_ID,
      enabled: config.legacy_protocol,
      service,
      heartbeatInterval: config.heartbeat_interval,
    },
  });
  const metrics = new ClusterMetrics(service, { version: VERSION });
  let tcpPort = config.port;
  const app = createApp({
    service,
    apiToken: () => secrets.apiToken,
    auth: config.auth,
    maxBodyBytes: config.max_body_bytes,
    metrics,
    corsOrigin: config.cors_origin,
    rateLimitPerMinute: config.rate_limit_per_minute,
    join: { workerBundle: WORKER_BUNDLE, tcpPort: () => tcpPort },
    onError: (error) => logger.error({ err: error }, 'HTTP handler failed'),
  });

  let http: HttpServer | null = null;
  try {
    tcpPort = await tcp.start();
    http = await startHttpServer(app, config.host, config.http_port, config.https ? tls : null);
  } catch (error) {
    metrics.close();
    await tcp.close().catch(() => {});
    await store.close();
    unlock();
    throw error;
  }
  await journal.commit();
  secretsWatcher.follow(secrets);

  const localWorker = config.local_worker
    ? new LocalWorker({
        port: tcpPort,
        joinToken: secrets.joinToken,
        dataDir: config.data_dir,
        logger,
        debug: config.debug,
      })
    : null;
  localWorker?.start();

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await localWorker?.close();
      await tcp.close();
      await http?.close();
      await journal.close();
      metrics.close();
      await store.close();
      unlock();
    })());

  return {
    tcpPort,
    httpPort: http.port,
    secrets,
    service,
    config,
    tlsFingerprint: config.tls ? tls!.fingerprint : null,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function deliver(
  changes: Changes,
  workers: Map<string, Session>,
  events: EventEmitter<{ event: [ClusterEvent]; notice: [Notice] }>,
  wakeTarget: { host: string; port: number },
  logger: Logger,
): void {
  for (const effect of changes.effects) {
    if (effect.kind === 'wake') {
      sendMagicPacket(effect.mac, wakeTarget).catch((error: unknown) =>
        logger.warn({ err: error, device_id: effect.device_id }, 'Wake-on-LAN packet not sent'),
      );
      continue;
    }
    const session = workers.get(effect.device_id);
    if (!session) continue; // Not connected: the task is reconciled when the device registers again.
    if (effect.kind === 'assign') session.assign(effect.task);
    else if (effect.kind === 'cancel') session.cancel({ task_id: effect.task_id, attempt: effect.attempt });
    else session.close(effect.reason);
  }
  for (const event of changes.events) events.emit('event', event);
  for (const notice of changes.notices) events.emit('notice', notice);
}

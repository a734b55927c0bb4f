import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { type MainConfigKey, resolveMainConfig } from '../../main/config.ts';
import { startMainNode } from '../../main/mainNode.ts';
import { loadSecrets } from '../../main/secrets.ts';
import { manageService, serviceArgs } from '../../worker/service/serviceCommand.ts';
import { banner } from '../banner.ts';

// `.ts` in a checkout, `.js` in the published package (lib/).
const CLI_ENTRY = fileURLToPath(new URL(`../index${extname(import.meta.url)}`, import.meta.url));

interface MainFlags {
  config?: string;
  initConfig?: boolean;
  host?: string;
  port?: string;
  httpPort?: string;
  dataDir?: string;
  localWorker?: boolean;
  heartbeatInterval?: string;
  heartbeatTimeout?: string;
  reconnectGrace?: string;
  joinToken?: string;
  apiToken?: string;
  auth?: boolean;
  legacyProtocol?: boolean;
  debug?: boolean;
  corsOrigin?: string;
  rateLimit?: string;
  minBattery?: string;
  maxTemp?: string;
  tls?: boolean;
  wakeOnLan?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  https?: boolean;
  installService?: boolean;
  uninstallService?: boolean;
  serviceRoot?: string;
}

export function registerMain(program: Command): void {
  program
    .command('main')
    .description('start a main node: device registry, task queue, scheduler, HTTP API')
    .option('--config <file>', 'JSON config file (keys as in --init-config)')
    .option('--init-config', 'write a config file with the effective settings and exit')
    .option('--host <host>', 'address to listen on (default 0.0.0.0; env RC_HOST)')
    .option('--port <port>', "workers' TCP port (default 8080; env RC_PORT)")
    .option('--http-port <port>', 'HTTP API port (default 8081; env RC_HTTP_PORT)')
    .option('--data-dir <dir>', 'store, tokens and state (default ~/.retire-cluster; env RC_DATA_DIR)')
    .option('--local-worker', 'also run a worker on this machine')
    .option('--no-local-worker', 'do not run a local worker (the default for main)')
    .option('--heartbeat-interval <s>', 'seconds between worker heartbeats (default 60)')
    .option('--heartbeat-timeout <s>', 'seconds of silence before a device is offline (default 300)')
    .option('--reconnect-grace <s>', 'seconds a disconnected device keeps its tasks (default 15)')
    .option('--join-token <token>', 'join token for devices (default: generated into the data dir)')
    .option('--api-token <token>', 'API token (default: generated into the data dir)')
    .option('--no-auth', 'serve the HTTP API without a token (trusted networks only)')
    .option('--legacy-protocol', 'accept the original one-shot messages (no credentials)')
    .option('--cors-origin <origin>', 'let this one browser origin call the API (default: none)')
    .option('--rate-limit <n>', 'API requests per minute per key or address, 0 = off (default 600)')
    .option('--min-battery <pct>', 'devices on battery below this get no new tasks (default 30)')
    .option('--max-temp <c>', 'devices above this run fewer tasks; 5 °C above, none (default 45)')
    .option('--wake-on-lan', 'wake sleeping devices (Wake-on-LAN) when queued work fits only them')
    .option('--no-tls', "plain TCP on the workers' port (legacy/testing only: secrets travel in clear text)")
    .option(
      '--tls-cert <file>',
      "PEM certificate for the workers' port (default: self-signed, made once in the data dir)",
    )
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--https', 'serve the HTTP API over HTTPS with the same certificate')
    .option('--debug', 'verbose logs')
    .option('--install-service', 'start this main node at boot (systemd, launchd, or Termux:Boot) and now')
    .option('--uninstall-service', 'remove that service')
    .addOption(
      new Option('--service-root <dir>', 'write service files under this root (packagers, tests)').hideHelp(),
    )
    .addHelpText(
      'after',
      '\nEvery flag also reads from RC_<NAME> (e.g. RC_HTTP_PORT) and from --config.\nExit codes: 0 stopped; 1 failed to start.',
    )
    .action(async (flags: MainFlags, command: Command) => {
      const given = (name: string) => command.getOptionValueSource(name) === 'cli';
      const config = resolveMainConfig({
        flags: {
          host: flags.host,
          port: flags.port,
          http_port: flags.httpPort,
          data_dir: flags.dataDir,
          local_worker: given('localWorker') ? flags.localWorker : undefined,
          heartbeat_interval: flags.heartbeatInterval,
          heartbeat_timeout: flags.heartbeatTimeout,
          reconnect_grace: flags.reconnectGrace,
          join_token: flags.joinToken,
          api_token: flags.apiToken,
          auth: given('auth') ? flags.auth : undefined,
          legacy_protocol: flags.legacyProtocol,
          debug: flags.debug,
          cors_origin: flags.corsOrigin,
          rate_limit_per_minute: flags.rateLimit,
          min_battery: flags.minBattery,
          max_temp: flags.maxTemp,
          tls: given('tls') ? flags.tls : undefined,
          wake_on_lan: flags.wakeOnLan,
          tls_cert: flags.tlsCert,
          tls_key: flags.tlsKey,
          https: flags.https,
        } satisfies Partial<Record<MainConfigKey, unknown>>,
        env: process.env,
        configFile: flags.initConfig ? undefined : flags.config,
      });
      if (flags.installService || flags.uninstallService) {
        // The tokens go to the data dir now, so the service's command line never holds them.
        mkdirSync(config.data_dir, { recursive: true, mode: 0o700 });
        loadSecrets(config.data_dir, { joinToken: config.join_token, apiToken: config.api_token });
        // As typed after `main` (bin/retire-cluster-main.js implies the command).
        const typed = process.argv.slice(2);
        const raw = typed[0] === 'main' ? typed : ['main', ...typed];
        await manageService({
          install: Boolean(flags.installService),
          spec: {
            name: 'retire-cluster-main',
            description: 'Retire-Cluster main node',
            command: [
              process.execPath,
              CLI_ENTRY,
              'main',
              ...serviceArgs(raw.slice(raw.indexOf('main') + 1)),
              '--data-dir',
              config.data_dir,
            ],
            envFile: null,
            workingDirectory: config.data_dir,
            logFile: join(config.data_dir, 'main.log'),
          },
          env: {},
          root: resolve(flags.serviceRoot ?? '/'),
          write: (line) => console.log(line),
        });
        return;
      }
      if (flags.initConfig) {
        const path = flags.config ?? join(config.data_dir, 'config.json');
        if (existsSync(path)) throw new Error(`${path} already exists; not overwriting it`);
        mkdirSync(dirname(path), { recursive: true });
        const { join_token: _j, api_token: _a, ...shareable } = config;
        writeFileSync(path, JSON.stringify(shareable, null, 2) + '\n', { mode: 0o600 });
        console.log(`wrote ${path}`);
        return;
      }
      const node = await startMainNode(config);
      console.log(banner(node));
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      console.log('stopping...');
      await node.close();
    });
}

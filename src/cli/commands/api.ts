import { storedFingerprint } from '../../main/tls/tlsMaterial.ts';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { startHttpServer } from '../../http/server.ts';
import { createStandaloneApp } from '../../http/standalone/app.ts';
import { ManagementClient } from '../../http/standalone/managementClient.ts';
import { API_TOKEN_FILE, readStoredSecret } from '../../main/secrets.ts';
import { DEFAULT_HTTP_PORT, DEFAULT_TCP_PORT } from '../../protocol/version.ts';
import { lanAddress } from '../banner.ts';
import { UsageError } from '../errors.ts';
import { exitCodesHelp } from '../exitCodes.ts';
import { parseNumberFlag } from '../parseFlags.ts';

interface ApiFlags {
  clusterHost: string;
  clusterPort: string;
  clusterToken?: string;
  clusterFingerprint?: string;
  clusterTls: boolean;
  dataDir?: string;
  host: string;
  port: string;
  auth?: boolean;
  apiKey?: string;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

const HELP = `
A standalone HTTP API for a main node that runs elsewhere: each request is forwarded to the main node
as a TCP management message (status, list_devices, device_info, task_submit, task_status,
task_cancel) on its workers' port. Routes: GET /health, GET /api/v1/cluster/status,
GET /api/v1/devices[/ID], POST /api/v1/tasks, GET /api/v1/tasks/ID, POST /api/v1/tasks/ID/cancel.

Examples:
  retire-cluster api --cluster-host 192.168.1.100 --cluster-token $TOKEN
  retire-cluster-api --cluster-host 192.168.1.100 --port 8081 --auth --api-key my-secret-key`;

export function registerApi(program: Command): void {
  program
    .command('api')
    .description('run a standalone HTTP API server for a main node elsewhere (alias: retire-cluster-api)')
    .option(
      '--cluster-host <host>',
      'the main node to forward to (env RC_CLUSTER_HOST)',
      process.env.RC_CLUSTER_HOST ?? '127.0.0.1',
    )
    .option(
      '--cluster-port <port>',
      "the main node's TCP (workers') port (env RC_CLUSTER_PORT)",
      process.env.RC_CLUSTER_PORT ?? String(DEFAULT_TCP_PORT),
    )
    .option(
      '--cluster-token <token>',
      "the main node's API token (env RC_CLUSTER_API_TOKEN; default: read from --data-dir)",
    )
    .option(
      '--cluster-fingerprint <fp>',
      "the main node's TLS certificate fingerprint, from its banner (env RC_CLUSTER_FINGERPRINT; default: read from --data-dir)",
    )
    .option('--no-cluster-tls', 'the main node runs with --no-tls')
    .option(
      '--data-dir <dir>',
      "a main node's data dir to read its API token and certificate from (env RC_DATA_DIR)",
    )
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--port <port>', 'HTTP port to listen on', String(DEFAULT_HTTP_PORT))
    .option('--auth', 'require an API key from HTTP clients (--api-key)')
    .option('--api-key <key>', 'the key HTTP clients must send (env RC_API_KEY)')
    .addHelpText(
      'after',
      HELP + '\n' + exitCodesHelp('failed to start (port in use, ...)', 'stopped (Ctrl+C or SIGTERM)'),
    )
    .action(async (flags: ApiFlags) => {
      const clusterPort = parseNumberFlag('--cluster-port', flags.clusterPort, { min: 1, integer: true });
      const port = parseNumberFlag('--port', flags.port, { integer: true });
      const apiKey = flags.apiKey ?? process.env.RC_API_KEY ?? null;
      if (flags.auth && !apiKey) throw new UsageError('--auth needs --api-key KEY (or RC_API_KEY)');
      const client = new ManagementClient({
        host: flags.clusterHost,
        port: clusterPort,
        apiToken: clusterToken(flags),
        fingerprint: clusterFingerprint(flags),
        onStateChange: (state, detail) =>
          console.error(
            state === 'connected'
              ? `connected to the main node at ${detail}`
              : `lost the main node: ${detail}`,
          ),
      });
      const app = createStandaloneApp({
        client,
        auth: flags.auth === true,
        apiKey,
        maxBodyBytes: MAX_BODY_BYTES,
        onError: (error) => console.error('request failed:', error),
      });
      const server = await startHttpServer(app, flags.host, port).catch(async (error: Error) => {
        await client.close();
        throw new Error(`cannot listen on ${flags.host}:${port}: ${error.message}`);
      });
      // Dial now so the banner can say whether the main node is there; requests dial again if not.
      const reachable = await client.request('status').then(
        () => 'connected',
        (error: Error) => `not usable yet: ${error.message}`,
      );
      console.log(banner(flags, server.port, client.address, reachable, Boolean(flags.auth)));
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      console.log('stopping...');
      await server.close();
      await client.close();
    });
}

function clusterFingerprint(flags: ApiFlags): string | null {
  if (!flags.clusterTls) return null;
  const given = flags.clusterFingerprint ?? process.env.RC_CLUSTER_FINGERPRINT;
  if (given) return given;
  const dataDir = flags.dataDir ?? process.env.RC_DATA_DIR ?? join(homedir(), '.retire-cluster');
  const stored = storedFingerprint(dataDir);
  if (stored) return stored;
  throw new UsageError(
    "the main node's certificate is unknown: pass --cluster-fingerprint (its banner prints it), --data-dir, or --no-cluster-tls",
  );
}

function clusterToken(flags: ApiFlags): string | null {
  if (flags.clusterToken) return flags.clusterToken;
  if (process.env.RC_CLUSTER_API_TOKEN) return process.env.RC_CLUSTER_API_TOKEN;
  const dataDir = flags.dataDir ?? process.env.RC_DATA_DIR ?? join(homedir(), '.retire-cluster');
  return readStoredSecret(dataDir, API_TOKEN_FILE);
}

function banner(flags: ApiFlags, port: number, mainNode: string, reachable: string, auth: boolean): string {
  const any = flags.host === '0.0.0.0' || flags.host === '::';
  const local = any ? '127.0.0.1' : flags.host;
  return [
    '',
    'Retire-Cluster API server (standalone) is running',
    '',
    `  HTTP API       http://${local}:${port}/api/v1   (health: /health)`,
    any ? `  On the LAN     http://${lanAddress()}:${port}/api/v1` : null,
    `  Main node      ${mainNode} (TCP management messages; ${reachable})`,
    `  Auth           ${auth ? 'API key required (Authorization: Bearer KEY or X-API-Key: KEY)' : 'off (anyone who can reach this port can submit work; use --auth --api-key)'}`,
    '',
    '  Try it:',
    `    curl ${auth ? '-H "X-API-Key: KEY" ' : ''}http://${local}:${port}/api/v1/cluster/status`,
    '',
  ]
    .filter((line) => line !== null)
    .join('\n');
}

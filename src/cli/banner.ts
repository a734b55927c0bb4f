/** What a person needs right after starting a main node: where it listens, the tokens, what to run next. */
import { networkInterfaces } from 'node:os';
import type { MainNode } from '../main/mainNode.ts';

export function lanAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export function banner(node: MainNode): string {
  const { config, secrets } = node;
  const reachable = config.host === '0.0.0.0' || config.host === '::' ? lanAddress() : config.host;
  const local = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const scheme = config.https ? 'https' : 'http';
  const auth = config.auth ? secrets.apiToken : `${secrets.apiToken}  (not required: --no-auth)`;
  return [
    '',
    `Retire-Cluster main node ${node.service.clusterStatus().version} is running`,
    '',
    `  Workers (TCP)  ${config.host}:${node.tcpPort}`,
    `  HTTP API       ${scheme}://${local}:${node.httpPort}/api/v1   (health: /health)`,
    `  Data dir       ${config.data_dir}`,
    `  Join token     ${secrets.joinToken}`,
    `  API token      ${auth}`,
    node.tlsFingerprint
      ? `  TLS            on; certificate fingerprint ${node.tlsFingerprint} (in the join token)`
      : '  TLS            OFF (--no-tls): tokens and task data cross the network in clear text',
    config.local_worker ? '  Local worker   starting (runs tasks on this machine)' : '',
    '',
    '  Join a device (anything with Node.js >= 18; details: /join):',
    `    curl -fsSL ${scheme}://${reachable}:${node.httpPort}/join.sh | sh -s -- --token ${secrets.joinToken}`,
    '  On an Android phone, in Termux:',
    `    pkg install -y nodejs && curl -fsSL ${scheme}://${reachable}:${node.httpPort}/join.sh | sh -s -- --token ${secrets.joinToken} --role mobile`,
    '',
    '  Run something:',
    `    npx retire-cluster submit echo --payload '{"hello":"world"}' --wait --url ${scheme}://${local}:${node.httpPort}`,
    `    npx retire-cluster status --devices --url ${scheme}://${local}:${node.httpPort}`,
    '',
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
}

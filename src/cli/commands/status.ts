import type { Command } from 'commander';
import type { ClusterStatus } from '../../main/service.ts';
import { DEFAULT_HTTP_PORT } from '../../protocol/version.ts';
import { ApiClient, ApiError } from '../client.ts';
import { addClientOptions, type ClientFlags, clientOptions } from '../clientFlags.ts';
import { describeDevice, deviceTable } from '../deviceFormat.ts';
import { UsageError } from '../errors.ts';
import { exitCodesHelp } from '../exitCodes.ts';
import { formatDuration, printJson } from '../format.ts';
import { parseNumberFlag } from '../parseFlags.ts';
import { httpSource, type StatusSource, tcpSource } from '../statusSource.ts';

interface StatusFlags extends ClientFlags {
  devices?: boolean;
  device?: string;
  role?: string;
  json?: boolean;
  timeout?: string;
}

const EXAMPLES = `
Examples (the flags of the original retire-cluster-status keep working):
  retire-cluster status                        # cluster overview
  retire-cluster status 192.168.1.100          # another main node (HTTP port 8081)
  retire-cluster status 192.168.1.100:8080     # its TCP worker port works too (management messages)
  retire-cluster status 192.168.1.100:9081 --devices
  retire-cluster status --device pixel-3a --json`;

export function registerStatus(program: Command): void {
  addClientOptions(
    program
      .command('status')
      .argument('[host]', 'main node HOST[:PORT] (its HTTP API; default 127.0.0.1:8081)')
      .description('show the cluster: devices, resources, tasks')
      .option('--devices', 'list the devices')
      .option('--device <id>', 'show one device')
      .option('--role <role>', 'only devices with this role')
      .option('--json', 'print JSON')
      .option('--timeout <seconds>', 'give up on a request after this long (default: no limit)')
      .addHelpText('after', EXAMPLES + '\n' + exitCodesHelp()),
  ).action(async (host: string | undefined, flags: StatusFlags) => {
    const options = clientOptions(flags);
    if (host) {
      if (flags.url) throw new UsageError('give either HOST[:PORT] or --url, not both');
      options.url = hostUrl(host);
    }
    if (flags.timeout !== undefined)
      options.timeoutMs = parseNumberFlag('--timeout', flags.timeout, { min: 0.001 }) * 1000;
    const client = new ApiClient(options);
    try {
      await show(httpSource(client), client.baseUrl, flags);
    } catch (error) {
      if (!(host && error instanceof ApiError && error.code === 'NOT_HTTP')) throw error;
      console.error(
        `note: ${host} is not an HTTP API; asking it with the TCP management messages (a main node's worker port)`,
      );
      const tcp = tcpSource(client.baseUrl, client.token, options.timeoutMs);
      try {
        await show(tcp, `tcp://${new URL(client.baseUrl).host}`, flags);
      } finally {
        await tcp.close();
      }
    }
  });
}

async function show(source: StatusSource, where: string, flags: StatusFlags): Promise<void> {
  if (flags.device) {
    const device = await source.device(flags.device);
    if (flags.json) printJson(device);
    else console.log(describeDevice(device));
    return;
  }
  const status = await source.status();
  const listDevices = flags.devices || flags.role !== undefined;
  const devices = listDevices ? await source.devices(flags.role) : [];
  if (flags.json) {
    printJson(listDevices ? { ...status, devices } : status);
    return;
  }
  console.log(describeStatus(status, where));
  if (listDevices) console.log('\n' + deviceTable(devices));
}

/** `host`, `host:port` or a URL; a bare host gets the default HTTP port. */
export function hostUrl(host: string): string {
  if (host.includes('://')) return host;
  const withPort = /:\d+$/.test(host) ? host : `${host}:${DEFAULT_HTTP_PORT}`;
  if (!/^[\w.-]+:\d+$/.test(withPort) && !/^\[[\da-f:]+\]:\d+$/i.test(withPort))
    throw new UsageError(`"${host}" is not HOST[:PORT]`);
  return `http://${withPort}`;
}

export function describeStatus(status: ClusterStatus, url: string): string {
  const s = status.cluster_stats;
  const t = status.tasks_by_status;
  const count = (key: string) => t[key] ?? 0;
  const lines = [
    `Retire-Cluster ${status.version} at ${url}  (up ${formatDuration(status.uptime_seconds * 1000)})`,
    `Devices:   ${s.online_devices} online / ${s.total_devices} total  (health ${s.health_percentage}%)`,
    `Resources: ${s.total_resources.cpu_cores} cores, ${s.total_resources.memory_gb} GB memory, ${s.total_resources.storage_gb} GB storage`,
    `Tasks:     ${count('queued') + count('pending')} queued, ${count('assigned') + count('running')} running, ${count('success')} succeeded, ${count('failed')} failed, ${count('cancelled')} cancelled, ${count('timeout')} timed out`,
  ];
  const roles = Object.entries(s.by_role);
  if (roles.length > 0) lines.push(`Roles:     ${roles.map(([r, n]) => `${r} ${n}`).join(', ')}`);
  if (s.total_devices === 0)
    lines.push(
      '',
      'No devices yet. Join one with: retire-cluster worker --join HOST:8080 --token JOIN_TOKEN',
    );
  return lines.join('\n');
}

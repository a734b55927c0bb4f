import { Argument, type Command } from 'commander';
import type { DeviceView } from '../../main/views.ts';
import { ApiClient } from '../client.ts';
import { addClientOptions, type ClientFlags, clientOptions } from '../clientFlags.ts';
import { describeDevice, deviceTable } from '../deviceFormat.ts';
import { UsageError } from '../errors.ts';
import { exitCodesHelp } from '../exitCodes.ts';
import { printJson } from '../format.ts';
import { pageFooter, type PageFlags, type Pagination, pageQuery, queryString } from '../pagination.ts';

interface DevicesFlags extends ClientFlags, PageFlags {
  status?: string;
  role?: string;
  platform?: string;
  tag?: string[];
  json?: boolean;
}

const ACTIONS = ['list', 'show', 'drain', 'undrain', 'remove'];

const HELP = `
Actions:
  list           the devices (default), filtered by --status, --role, --platform, --tag
  show ID        one device in detail
  drain ID       stop placing new tasks on it; running tasks finish
  undrain ID     place tasks on it again
  remove ID      forget it (it must be offline or disconnected; it can join again)

Examples:
  retire-cluster devices
  retire-cluster devices --status online --role compute
  retire-cluster devices drain pixel-3a`;

export function registerDevices(program: Command): void {
  addClientOptions(
    program
      .command('devices')
      .description('list, inspect, drain and remove devices')
      .addArgument(new Argument('[action]', 'what to do').choices(ACTIONS).default('list'))
      .argument('[id]', 'device id (show, drain, undrain, remove)')
      .option('--status <status>', 'only devices in this state: online, disconnected, offline, draining')
      .option('--role <role>', 'only devices with this role')
      .option('--platform <platform>', 'only devices on this platform: linux, darwin, win32, android')
      .option('--tag <tag>', 'only devices with this tag (repeatable: all must match)', collectTag)
      .option('--page <n>', 'page number (with --limit)')
      .option('--limit <n>', 'devices per page')
      .option('--json', 'print JSON')
      .addHelpText('after', HELP + '\n' + exitCodesHelp()),
  ).action(async (action: string, id: string | undefined, flags: DevicesFlags) => {
    const client = new ApiClient(clientOptions(flags));
    if (action === 'list') {
      if (id !== undefined) throw new UsageError(`devices list takes no device id (got "${id}")`);
      return list(client, flags);
    }
    if (!id) throw new UsageError(`devices ${action} needs a device id`);
    const path = `/api/v1/devices/${encodeURIComponent(id)}`;
    if (action === 'remove') {
      const data = await client.delete<unknown>(path);
      if (flags.json) printJson(data ?? { device_id: id, removed: true });
      else console.log(`${id}  removed`);
      return;
    }
    const { device } =
      action === 'show'
        ? await client.get<{ device: DeviceView }>(path)
        : await client.post<{ device: DeviceView }>(`${path}/${action}`);
    if (flags.json) printJson(device);
    else if (action === 'show') console.log(describeDevice(device));
    else
      console.log(`${device.device_id}  ${device.draining ? 'draining: no new tasks' : 'accepting tasks'}`);
  });
}

async function list(client: ApiClient, flags: DevicesFlags): Promise<void> {
  const query = new URLSearchParams();
  if (flags.status) query.set('status', flags.status);
  if (flags.role) query.set('role', flags.role);
  if (flags.platform) query.set('platform', flags.platform);
  if (flags.tag?.length) query.set('tags', flags.tag.join(','));
  pageQuery(flags, query);
  const data = await client.get<{ devices: DeviceView[]; pagination?: Pagination }>(
    `/api/v1/devices${queryString(query)}`,
  );
  if (flags.json) {
    printJson(data);
    return;
  }
  console.log(deviceTable(data.devices));
  const footer = pageFooter(data.pagination, data.devices.length);
  if (footer) console.log(footer);
}

function collectTag(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').filter(Boolean)];
}

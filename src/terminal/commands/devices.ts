/** `devices list|show|drain|undrain|remove`. */
import type { DeviceDetail } from '../../main/deviceQueries.ts';
import type { DeviceView } from '../../main/views.ts';
import { statusColour } from '../ansi.ts';
import { flagValue } from '../parse.ts';
import { deviceStatusLabel, describeDevice, deviceTable } from '../render/devices.ts';
import { enc, type Handler } from './context.ts';
import { allDevices, devicesAsText } from './lists.ts';

export const deviceHandlers: Record<string, Handler> = {
  'devices list': async (invocation, { client, paint, width }) => {
    const filter = {
      status: flagValue(invocation, 'status'),
      role: flagValue(invocation, 'role'),
      platform: flagValue(invocation, 'platform'),
      tags: flagValue(invocation, 'tags'),
    };
    const format = flagValue(invocation, 'format') ?? 'table';
    if (format === 'csv' || format === 'tsv') return devicesAsText(client, filter, format);
    const devices = await allDevices(client, filter);
    if (format === 'json') return JSON.stringify(devices, null, 2);
    const online = devices.filter((d) => d.status === 'online').length;
    return `${deviceTable(devices, paint, width)}\n${paint.dim(`${devices.length} device${devices.length === 1 ? '' : 's'}, ${online} online`)}`;
  },

  'devices show': async ({ args }, { client, paint }) =>
    describeDevice(await client.json<DeviceDetail>('GET', `/api/v1/devices/${enc(args[0]!)}`), paint),

  'devices drain': async ({ args }, { client, paint }) => {
    const { device } = await client.json<{ device: DeviceView }>(
      'POST',
      `/api/v1/devices/${enc(args[0]!)}/drain`,
      {},
    );
    return `${device.device_id}  ${paint[statusColour(device.status)](deviceStatusLabel(device))}: it gets no new tasks; what it runs finishes`;
  },

  'devices undrain': async ({ args }, { client, paint }) => {
    const { device } = await client.json<{ device: DeviceView }>(
      'POST',
      `/api/v1/devices/${enc(args[0]!)}/undrain`,
      {},
    );
    return `${device.device_id}  ${paint[statusColour(device.status)](deviceStatusLabel(device))}: back in service`;
  },

  'devices remove': async ({ args }, { client }) => {
    const data = await client.json<{ device_id: string; requeued_tasks: string[] }>(
      'DELETE',
      `/api/v1/devices/${enc(args[0]!)}`,
    );
    const requeued = data.requeued_tasks.length;
    return `removed ${data.device_id}${requeued ? `; ${requeued} task(s) went back to the queue` : ''}`;
  },
};

/** Tools about the cluster and its devices: cluster_status, list_devices, get_device, drain_device. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { deviceIdSchema, deviceListQuerySchema } from '../../main/schemas.ts';
import type { ClusterApi } from '../clusterClient.ts';
import { deviceLine, statusSummary } from '../summaries.ts';
import { guarded, toolOk } from '../toolResult.ts';
import type { ToolExtra } from '../waitForTask.ts';

const deviceRef = z.object({ device_id: deviceIdSchema.describe('the device id, e.g. pixel-3a') });

export function registerDeviceTools(server: McpServer, api: ClusterApi): void {
  server.registerTool(
    'cluster_status',
    {
      title: 'Cluster status',
      description:
        'Overview of the cluster: devices online, total CPU cores / memory, tasks by status, queue depth ' +
        'and the task types the devices accept.',
      annotations: { readOnlyHint: true },
    },
    guarded(async (extra: ToolExtra) => {
      const status = await api.status(extra.signal);
      return toolOk(statusSummary(status), { ...status });
    }),
  );

  server.registerTool(
    'list_devices',
    {
      title: 'List devices',
      description:
        'Devices in the cluster with their profile (platform, role, CPU, memory, tags, task types), ' +
        'status (online, disconnected, offline, draining), free slots and latest metrics. Filters combine.',
      inputSchema: deviceListQuerySchema,
      annotations: { readOnlyHint: true },
    },
    guarded(async (query, extra) => {
      const page = await api.devices(query, extra.signal);
      const lines = page.devices.map(deviceLine);
      const head = `${page.pagination.total} device(s)` + (page.pagination.has_next ? ' (more pages)' : '');
      return toolOk([head, ...lines].join('\n'), { ...page });
    }),
  );

  server.registerTool(
    'get_device',
    {
      title: 'Get a device',
      description:
        'One device: profile, status, latest metrics, recent heartbeats and the tasks it is running.',
      inputSchema: deviceRef,
      annotations: { readOnlyHint: true },
    },
    guarded(async ({ device_id }, extra) => {
      const detail = await api.device(device_id, extra.signal);
      const running = detail.running_tasks.map((t) => t.task_id);
      const summary = `${deviceLine(detail.device)}; running: ${running.length ? running.join(', ') : 'nothing'}`;
      return toolOk(summary, { ...detail });
    }),
  );

  server.registerTool(
    'drain_device',
    {
      title: 'Drain a device',
      description:
        'Stop placing new tasks on a device (it finishes what it runs), e.g. before unplugging it. ' +
        'Pass drain: false to put it back into service.',
      inputSchema: deviceRef.extend({
        drain: z.boolean().default(true).describe('true to drain (default), false to undrain'),
      }),
      annotations: { idempotentHint: true },
    },
    guarded(async ({ device_id, drain }, extra) => {
      const device = await api.setDraining(device_id, drain, extra.signal);
      const what = drain ? 'draining: no new tasks will be placed on it' : 'back in service';
      return toolOk(`${device.device_id} is ${what}`, { device });
    }),
  );
}

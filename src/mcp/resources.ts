/**
 * Resources: the cluster, its devices and tasks as JSON documents an agent can read or attach.
 * Each read asks the cluster afresh, so the content is current.
 */
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  ErrorCode as McpErrorCode,
  McpError,
  type ReadResourceResult,
} from '@modelcontextprotocol/sdk/types.js';
import { ApiError } from '../cli/client.ts';
import type { ClusterApi } from './clusterClient.ts';
import { describeError } from './toolResult.ts';

const JSON_TYPE = 'application/json';
/** The REST API's largest page: the devices resource is meant for a home cluster, not a fleet. */
const DEVICE_PAGE = 100;

export const RESOURCE_URIS = {
  status: 'retire-cluster://cluster/status',
  devices: 'retire-cluster://devices',
  device: 'retire-cluster://devices/{id}',
  task: 'retire-cluster://tasks/{id}',
} as const;

export function registerResources(server: McpServer, api: ClusterApi): void {
  server.registerResource(
    'cluster-status',
    RESOURCE_URIS.status,
    { title: 'Cluster status', description: 'Devices, resources and tasks by status', mimeType: JSON_TYPE },
    (uri, extra) => read(uri, () => api.status(extra.signal)),
  );

  server.registerResource(
    'devices',
    RESOURCE_URIS.devices,
    {
      title: 'Devices',
      description: 'Every device with its profile, status and metrics',
      mimeType: JSON_TYPE,
    },
    (uri, extra) => read(uri, () => api.devices({ page_size: DEVICE_PAGE }, extra.signal)),
  );

  const deviceTemplate = new ResourceTemplate(RESOURCE_URIS.device, {
    list: async (extra) => ({
      resources: (await api.devices({ page_size: DEVICE_PAGE }, extra.signal)).devices.map((device) => ({
        uri: `retire-cluster://devices/${encodeURIComponent(device.device_id)}`,
        name: device.device_id,
        description: `${device.role} on ${device.platform}, ${device.status}`,
        mimeType: JSON_TYPE,
      })),
    }),
    complete: {
      id: async (prefix) =>
        (await api.devices({ page_size: DEVICE_PAGE })).devices
          .map((d) => d.device_id)
          .filter((id) => id.startsWith(prefix)),
    },
  });
  server.registerResource(
    'device',
    deviceTemplate,
    {
      title: 'Device',
      description: 'One device: profile, metrics, heartbeats, running tasks',
      mimeType: JSON_TYPE,
    },
    (uri, { id }, extra) => read(uri, () => api.device(variable(id), extra.signal)),
  );

  // Tasks are too many and too short-lived to list; the template resolves any id.
  server.registerResource(
    'task',
    new ResourceTemplate(RESOURCE_URIS.task, { list: undefined }),
    { title: 'Task', description: 'One task: status, attempts, result, error history', mimeType: JSON_TYPE },
    (uri, { id }, extra) => read(uri, () => api.task(variable(id), extra.signal)),
  );
}

async function read(uri: URL, load: () => Promise<unknown>): Promise<ReadResourceResult> {
  try {
    const data = await load();
    return { contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: JSON.stringify(data, null, 2) }] };
  } catch (error) {
    // Resource reads have no tool-error form: a JSON-RPC error that still carries the cluster's code.
    const { code, message } = describeError(error);
    const clientMistake = error instanceof ApiError && error.status >= 400 && error.status < 500;
    throw new McpError(
      clientMistake ? McpErrorCode.InvalidParams : McpErrorCode.InternalError,
      `${code}: ${message}`,
      { error_code: code },
    );
  }
}

/** A URI template variable is a string, or a list for `{id*}`-style templates (unused here). */
function variable(value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // Not percent-encoded after all: the cluster reports an unknown id by name.
  }
}

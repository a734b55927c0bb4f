/**
 * Where `status` reads from: the HTTP API, or, when HOST:PORT turns out to be a main node's TCP
 * worker port (the original retire-cluster-status talked to port 8080), the TCP management messages.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { storedFingerprint } from '../main/tls/tlsMaterial.ts';
import { ManagementClient } from '../http/standalone/managementClient.ts';
import type { ClusterStatus } from '../main/service.ts';
import type { DeviceView } from '../main/views.ts';
import { ClusterError } from '../protocol/errorCodes.ts';
import { ApiError, type ApiClient } from './client.ts';

export interface StatusSource {
  status(): Promise<ClusterStatus>;
  devices(role: string | undefined): Promise<DeviceView[]>;
  device(id: string): Promise<DeviceView>;
  close(): Promise<void>;
}

export function httpSource(client: ApiClient): StatusSource {
  return {
    status: () => client.get<ClusterStatus>('/api/v1/cluster/status'),
    devices: async (role) =>
      (
        await client.get<{ devices: DeviceView[] }>(
          `/api/v1/devices${role ? `?role=${encodeURIComponent(role)}` : ''}`,
        )
      ).devices,
    device: async (id) =>
      (await client.get<{ device: DeviceView }>(`/api/v1/devices/${encodeURIComponent(id)}`)).device,
    close: async () => {},
  };
}

export function tcpSource(
  url: string,
  token: string | null,
  timeoutMs: number | undefined,
  fingerprint: string | null = storedFingerprint(
    process.env.RC_DATA_DIR ?? join(homedir(), '.retire-cluster'),
  ),
): StatusSource {
  const { hostname, port } = new URL(url);
  const options = {
    fingerprint,
    host: hostname.replace(/^\[|\]$/g, ''),
    port: Number(port),
    apiToken: token,
    senderId: 'status-cli',
    tokenSource: '--token / RC_API_TOKEN / the data dir',
  };
  const client = new ManagementClient(
    timeoutMs === undefined
      ? options
      : { ...options, connectTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs },
  );
  const ask = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ClusterError) throw new ApiError(0, error.code, error.message, { cause: error });
      throw error;
    }
  };
  return {
    status: () => ask(() => client.request<ClusterStatus>('status')),
    devices: async (role) =>
      (await ask(() => client.request<{ devices: DeviceView[] }>('list_devices', role ? { role } : {})))
        .devices,
    device: async (id) =>
      (await ask(() => client.request<{ device: DeviceView }>('device_info', { device_id: id }))).device,
    close: () => client.close(),
  };
}

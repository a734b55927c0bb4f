/**
 * What the MCP tools need from a cluster: its REST API (DESIGN §7), reached either over the network
 * (the CLI's ApiClient, for `retire-cluster mcp` on stdio) or in-process (the main node's own Hono
 * app, for `/mcp`). Going through the API keeps one behaviour — validation, auth, error codes — for
 * every entry point, and keeps this module free of the service's internals.
 */
import type { DeviceDetail, DevicePage } from '../main/deviceQueries.ts';
import type { ClusterStatus } from '../main/service.ts';
import type { TaskPageView } from '../main/taskQueries.ts';
import type { DeviceView, TaskView } from '../main/views.ts';

/** One REST call; resolves with the envelope's `data`, rejects with an error carrying `code`. */
export interface ClusterClient {
  request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
}

export interface SubmitResult {
  task_id: string;
  task: TaskView;
  created: boolean;
}

export interface WaitResult {
  task: TaskView;
  is_terminal: boolean;
}

type Query = Record<string, string | number | boolean | string[] | undefined>;

const API = '/api/v1';

/** The typed calls the tools and resources make. */
export class ClusterApi {
  readonly #client: ClusterClient;

  constructor(client: ClusterClient) {
    this.#client = client;
  }

  status(signal?: AbortSignal): Promise<ClusterStatus> {
    return this.#client.request('GET', `${API}/cluster/status`, undefined, signal);
  }

  devices(query: Query = {}, signal?: AbortSignal): Promise<DevicePage> {
    return this.#client.request('GET', `${API}/devices${queryString(query)}`, undefined, signal);
  }

  device(deviceId: string, signal?: AbortSignal): Promise<DeviceDetail> {
    return this.#client.request('GET', `${API}/devices/${enc(deviceId)}`, undefined, signal);
  }

  async setDraining(deviceId: string, drain: boolean, signal?: AbortSignal): Promise<DeviceView> {
    const action = drain ? 'drain' : 'undrain';
    const data = await this.#client.request<{ device: DeviceView }>(
      'POST',
      `${API}/devices/${enc(deviceId)}/${action}`,
      {},
      signal,
    );
    return data.device;
  }

  submit(input: Record<string, unknown>, signal?: AbortSignal): Promise<SubmitResult> {
    return this.#client.request('POST', `${API}/tasks`, input, signal);
  }

  async task(taskId: string, signal?: AbortSignal): Promise<TaskView> {
    return (
      await this.#client.request<{ task: TaskView }>('GET', `${API}/tasks/${enc(taskId)}`, undefined, signal)
    ).task;
  }

  tasks(query: Query = {}, signal?: AbortSignal): Promise<TaskPageView> {
    return this.#client.request('GET', `${API}/tasks${queryString(query)}`, undefined, signal);
  }

  /** Long-polls until the task is terminal or `seconds` pass (the server caps one poll). */
  wait(taskId: string, seconds: number, signal?: AbortSignal): Promise<WaitResult> {
    const timeout = Math.max(0, Math.round(seconds * 1000) / 1000);
    return this.#client.request(
      'GET',
      `${API}/tasks/${enc(taskId)}/wait?timeout=${timeout}`,
      undefined,
      signal,
    );
  }

  async cancel(taskId: string, signal?: AbortSignal): Promise<TaskView> {
    return (
      await this.#client.request<{ task: TaskView }>('POST', `${API}/tasks/${enc(taskId)}/cancel`, {}, signal)
    ).task;
  }

  async retry(taskId: string, signal?: AbortSignal): Promise<TaskView> {
    return (
      await this.#client.request<{ task: TaskView }>('POST', `${API}/tasks/${enc(taskId)}/retry`, {}, signal)
    ).task;
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

/** Lists go comma-separated, as the REST filters expect; unset values are left out. */
function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
